"""The run: a valuation's figures as frozen dataclasses, and their one serialisation.

``Run.to_json()`` writes the document of docs/run-document.md and
``Run.from_json(text)`` reads it back, so ``Run.from_json(x).to_json() == x``. Values
are held already normalised to what the document writes (rates rounded to 10
places, multiples to 6, spreads to 4, money as two-decimal ``Decimal``), which is
what makes the round trip exact and the bytes a function of the data alone.

Every section but the fund's is a dataclass whose field order is the document's
key order; a field's ``kind`` (``money``, ``rate``, ``multiple``, ``bps``) says how
it is written. The fund's figures come from the figure registry
(``valuation/registry.py``), so a new fund figure is a registry line, not a field.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

from .money import money_text
from .registry import FUND_FIGURES, FundFigure, Kind, Part

__all__ = [
    "FORMAT",
    "Breach",
    "CapitalAccountLines",
    "Checked",
    "Claims",
    "Excuse",
    "Fund",
    "GovernmentShare",
    "Holding",
    "Investor",
    "Outcomes",
    "PariPassu",
    "Project",
    "Run",
    "RunFormatError",
    "ShareClass",
    "SocialValue",
    "ValueSplit",
    "dumps",
    "normalise",
    "section_dict",
]

FORMAT = "passu.valuation/1"


class RunFormatError(ValueError):
    """A stored document is not a ``passu.valuation/1`` run this code can read."""


# A field's metadata names how it is written (fields without one are written as they are).
_MONEY: Mapping[str, Kind] = {"kind": "money"}
_RATE: Mapping[str, Kind] = {"kind": "rate"}
_MULTIPLE: Mapping[str, Kind] = {"kind": "multiple"}
# Issue 14: a field written only when set (not None, not empty): funds with share-class
# terms have it, every other document keeps its bytes; a document without it reads as
# the field's default.
_OPTIONAL = "optional"


def _unset(value: Any) -> bool:
    return value is None or (isinstance(value, tuple | list) and not value)


def normalise(kind: Kind, value: Any) -> Any:
    """A value as the document holds it, in Python: rounded as written, money exact."""
    if value is None:
        return None
    match kind:
        case "money":
            return Decimal(money_text(Decimal(value)))  # type: ignore[arg-type]
        case "rate":
            return round(float(value), 10)
        case "multiple":
            return round(float(value), 6)
        case "bps":
            return round(float(value), 4)
        case _:
            return value


def _write(kind: Kind, value: Any) -> Any:
    if kind == "money" and value is not None:
        return money_text(value)
    return normalise(kind, value)


def _read(kind: Kind, value: Any) -> Any:
    if kind == "money" and value is not None:
        return Decimal(value)
    return normalise(kind, value)


# --- sections with fixed keys ----------------------------------------------------------


@dataclass(frozen=True)
class Project:
    project_id: str
    name: str
    policy_area: str
    region: str
    status: str
    invested: Decimal = field(metadata=_MONEY)
    realised: Decimal = field(metadata=_MONEY)
    nav: Decimal = field(metadata=_MONEY)
    cost_outstanding: Decimal = field(metadata=_MONEY)
    moic: float | None = field(metadata=_MULTIPLE)
    irr: float | None = field(metadata=_RATE)
    irr_note: str | None = None
    multiple_sign_changes: bool = False
    # Added after the first release (issue 18), written after the older keys.
    realised_gain: Decimal = field(default=Decimal("0.00"), metadata=_MONEY)
    period_return: float | None = field(default=None, metadata=_RATE)


@dataclass(frozen=True)
class Holding:
    project_id: str
    holder_id: str
    tranche: str
    invested: Decimal = field(metadata=_MONEY)
    realised: Decimal = field(metadata=_MONEY)
    nav: Decimal = field(metadata=_MONEY)
    cost_outstanding: Decimal = field(metadata=_MONEY)
    moic: float | None = field(metadata=_MULTIPLE)
    irr: float | None = field(metadata=_RATE)
    irr_note: str | None = None
    multiple_sign_changes: bool = False
    # Added after the first release (issue 18), written after the older keys.
    realised_gain: Decimal = field(default=Decimal("0.00"), metadata=_MONEY)
    period_return: float | None = field(default=None, metadata=_RATE)


@dataclass(frozen=True, kw_only=True)
class CapitalAccountLines:
    """An account's capital account statement since inception at T, in ILPA's lines.

    The fields are ``capital_lines.STATEMENT_LINES`` in order (a test holds them
    together): beginning (nil since inception) + contributions by purpose −
    distributions by purpose − management fees − expenses + income + realised +
    unrealised − carried interest = ending (the investor's ``nav``);
    equalisation_interest is the part of income that was equalisation interest;
    unfunded includes recallable. ``carried_interest`` (issue 14) is written only for
    an account of a fund with terms (``valuation/structure_run.py``).
    """

    beginning: Decimal = field(metadata=_MONEY)
    contributions_investment: Decimal = field(metadata=_MONEY)
    contributions_management_fee: Decimal = field(metadata=_MONEY)
    contributions_expense: Decimal = field(metadata=_MONEY)
    contributions_equalisation: Decimal = field(metadata=_MONEY)
    contributions_excused: Decimal = field(metadata=_MONEY)
    distributions_return_of_capital: Decimal = field(metadata=_MONEY)
    distributions_income: Decimal = field(metadata=_MONEY)
    distributions_gain: Decimal = field(metadata=_MONEY)
    distributions_equalisation: Decimal = field(metadata=_MONEY)
    management_fees: Decimal = field(metadata=_MONEY)
    expenses: Decimal = field(metadata=_MONEY)
    income: Decimal = field(metadata=_MONEY)
    realised: Decimal = field(metadata=_MONEY)
    unrealised: Decimal = field(metadata=_MONEY)
    equalisation_interest: Decimal = field(metadata=_MONEY)
    carried_interest: Decimal | None = field(default=None, metadata={**_MONEY, _OPTIONAL: True})
    ending: Decimal = field(metadata=_MONEY)
    unfunded: Decimal = field(metadata=_MONEY)
    recallable: Decimal = field(metadata=_MONEY)


@dataclass(frozen=True)
class Investor:
    """A capital account; ``name`` and ``kind`` are ``None`` for an unknown investor id."""

    fund_id: str
    investor_id: str
    name: str | None
    kind: str | None
    share_class: str
    committed: Decimal = field(metadata=_MONEY)
    paid_in: Decimal = field(metadata=_MONEY)
    distributed: Decimal = field(metadata=_MONEY)
    nav: Decimal = field(metadata=_MONEY)
    unfunded: Decimal = field(metadata=_MONEY)
    dpi: float | None = field(metadata=_MULTIPLE)
    tvpi: float | None = field(metadata=_MULTIPLE)
    irr: float | None = field(metadata=_RATE)
    irr_note: str | None = None
    # Added after the first release (issue 18): flows spanning under a year.
    period_return: float | None = field(default=None, metadata=_RATE)
    # Added by issue 13: the ILPA lines since inception; null before the fund's first call.
    capital_account: CapitalAccountLines | None = None


@dataclass(frozen=True)
class ShareClass:
    fund_id: str
    share_class: str
    investors: int
    committed: Decimal = field(metadata=_MONEY)
    paid_in: Decimal = field(metadata=_MONEY)
    distributed: Decimal = field(metadata=_MONEY)
    nav: Decimal = field(metadata=_MONEY)
    dpi: float | None = field(metadata=_MULTIPLE)
    tvpi: float | None = field(metadata=_MULTIPLE)
    irr: float | None = field(metadata=_RATE)
    irr_note: str | None = None
    # Added after the first release (issue 18): flows spanning under a year.
    period_return: float | None = field(default=None, metadata=_RATE)


@dataclass(frozen=True)
class Breach:
    """A pari passu deviation; amounts are money, or rates when ``measure`` is ``irr``."""

    scope: str
    id: str
    holder_or_investor: str
    measure: str
    expected: Decimal | float | None
    actual: Decimal | float | None
    difference: Decimal | float | None

    def _amount_kind(self) -> Kind:
        return "rate" if self.measure == "irr" else "money"


@dataclass(frozen=True)
class Checked:
    share_classes: int
    tranches: int


@dataclass(frozen=True)
class Excuse:
    """Deviations from pro rata that a documented event explains (not a breach)."""

    scope: str
    id: str
    holder_or_investor: str
    measures: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class GovernmentShare:
    """What a fund's structure costs (−) or gives (+) a government investor's class
    against pari passu (``valuation/structure_cost.py``)."""

    investor_id: str
    fund_id: str
    share_class: str
    actual_value: Decimal = field(metadata=_MONEY)
    pro_rata_value: Decimal = field(metadata=_MONEY)
    difference: Decimal = field(metadata=_MONEY)
    irr: float | None = field(metadata=_RATE)
    pro_rata_irr: float | None = field(metadata=_RATE)
    difference_bps: float | None = field(metadata={"kind": "bps"})


@dataclass(frozen=True)
class PariPassu:
    ok: bool
    checked: Checked
    breaches: tuple[Breach, ...]
    # Added by issue 13: excused calls and later closings, named rather than breaches.
    excused: tuple[Excuse, ...] = ()
    # Added by issue 14: each government investor of a fund with terms; written only
    # when there is one.
    government: tuple[GovernmentShare, ...] = field(default=(), metadata={_OPTIONAL: True})


@dataclass(frozen=True)
class ForecastRow:
    """Money measures are two-decimal text, counts integers (as the document has them)."""

    measure: str
    forecast: str | int | None
    forecast_high: str | int | None
    actual: str | int | None


@dataclass(frozen=True)
class Outcomes:
    payments: Decimal = field(metadata=_MONEY)
    forecast_payments: Decimal | None = field(metadata=_MONEY)
    achieved: int = 0
    forecast: int = 0
    contracts: int = 0
    payers: int = 0
    delivery_partners: int = 0
    co_investors: int = 0
    over_cap_contracts: tuple[str, ...] = ()
    forecast_vs_actual: tuple[ForecastRow, ...] = ()


@dataclass(frozen=True)
class ValueSplit:
    fiscal: Decimal = field(metadata=_MONEY)
    economic: Decimal = field(metadata=_MONEY)
    social: Decimal = field(metadata=_MONEY)
    total: Decimal = field(metadata=_MONEY)


@dataclass(frozen=True)
class AreaValue:
    policy_area: str
    fiscal: Decimal = field(metadata=_MONEY)
    economic: Decimal = field(metadata=_MONEY)
    social: Decimal = field(metadata=_MONEY)
    total: Decimal = field(metadata=_MONEY)


@dataclass(frozen=True)
class PerPound:
    """Pounds of value per £1 (numbers already rounded to 2 places)."""

    fiscal: float
    economic: float
    social: float
    total: float


@dataclass(frozen=True)
class Unvalued:
    metric_id: str
    name: str
    project_id: str
    achieved: int
    reason: str


@dataclass(frozen=True)
class SocialValue:
    fiscal: Decimal = field(metadata=_MONEY)
    economic: Decimal = field(metadata=_MONEY)
    social: Decimal = field(metadata=_MONEY)
    total: Decimal = field(metadata=_MONEY)
    by_policy_area: tuple[AreaValue, ...] = ()
    per_pound_paid: PerPound | None = None
    per_pound_invested: PerPound | None = None
    price_year: int | None = None
    discounted: bool = False
    unvalued_metrics: tuple[Unvalued, ...] = ()
    # Added after the first release (issue 18): values in several price years rebased.
    rebased: bool = False


@dataclass(frozen=True)
class Claims:
    claims: int
    claimed: Decimal = field(metadata=_MONEY)
    verified: Decimal = field(metadata=_MONEY)
    rejected: Decimal = field(metadata=_MONEY)
    paid: Decimal = field(metadata=_MONEY)
    outstanding_unverified: Decimal = field(metadata=_MONEY)
    outstanding_unpaid: Decimal = field(metadata=_MONEY)
    verification_rate: float | None = field(metadata=_RATE)
    median_days_to_verify: float | None = None
    median_days_to_pay: float | None = None


# --- the fund: figures from the registry ----------------------------------------------


@dataclass(frozen=True)
class Fund:
    """One scope's fund figures: ``fund_id``, its ``funds``, then every registry figure.

    ``figures`` holds each registered fund figure's value (normalised as written) and
    ``notes`` the reason beside a figure that has one. Attribute access reads the
    figures, so ``fund.net_irr`` and ``fund.nav`` work for every registered key.
    """

    fund_id: str
    funds: tuple[str, ...]
    figures: Mapping[str, Any]
    notes: Mapping[str, str | None]

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not fields: the registry's figures and notes.
        figures = object.__getattribute__(self, "figures")
        if name in figures:
            return figures[name]
        notes = object.__getattribute__(self, "notes")
        if name.endswith("_note") and name[: -len("_note")] in notes:
            return notes[name[: -len("_note")]]
        raise AttributeError(f"a fund has no figure {name!r}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fund_id": self.fund_id, "funds": list(self.funds)}
        for entry in FUND_FIGURES:
            if entry.with_terms and self.figures[entry.key] is None:
                continue  # a fund without terms: its document keeps its bytes
            out[entry.key] = _write_figure(entry, self.figures[entry.key])
            if entry.noted:
                out[f"{entry.key}_note"] = self.notes[entry.key]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fund:
        figures: dict[str, Any] = {}
        notes: dict[str, str | None] = {}
        for entry in FUND_FIGURES:
            if entry.with_terms and entry.key not in data:
                figures[entry.key] = None
                continue
            if entry.key not in data:
                raise RunFormatError(
                    f"the stored run has no fund figure {entry.key!r}: it was made by an "
                    "earlier passu; re-run `passu value --save` (with --replace)"
                )
            figures[entry.key] = _read_figure(entry, data[entry.key])
            if entry.noted:
                notes[entry.key] = data.get(f"{entry.key}_note")
        return cls(str(data["fund_id"]), tuple(data["funds"]), figures, notes)


def _write_figure(entry: FundFigure, value: Any) -> Any:
    if entry.parts:
        return None if value is None else {p.key: _write(p.kind, value[p.key]) for p in entry.parts}
    return _write(entry.kind, value)


def _read_figure(entry: FundFigure, value: Any) -> Any:
    if entry.parts:
        return None if value is None else _parts(entry.parts, value, _read)
    return _read(entry.kind, value)


def _parts(parts: tuple[Part, ...], value: Any, how: Any) -> dict[str, Any]:
    return {p.key: how(p.kind, value[p.key]) for p in parts}


def figure_value(entry: FundFigure, raw: Any) -> Any:
    """A computed figure normalised as the run holds it (a grouped figure as a dict)."""
    if entry.parts:
        if raw is None:
            return None
        get = raw.get if isinstance(raw, Mapping) else lambda k: getattr(raw, k)
        return {p.key: normalise(p.kind, get(p.key)) for p in entry.parts}
    return normalise(entry.kind, raw)


# --- the run --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A valuation of one scope as of a date: what is printed, stored and rendered.

    ``sections`` holds extra top-level parts of the document (JSON-ready values),
    written after ``claims`` in insertion order: the place for report sections
    computed when the run is made.
    """

    as_of: str
    scope: str
    fingerprint: str
    illustrative: bool
    fund: Fund
    funds: tuple[Fund, ...]
    projects: tuple[Project, ...]
    holdings: tuple[Holding, ...]
    investors: tuple[Investor, ...]
    share_classes: tuple[ShareClass, ...]
    pari_passu: PariPassu
    outcomes: Outcomes
    social_value: SocialValue
    claims: Claims
    sections: Mapping[str, Any] = field(default_factory=dict)
    format: str = FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON-ready values, keys in the document's order."""
        out: dict[str, Any] = {
            "format": self.format,
            "as_of": self.as_of,
            "scope": self.scope,
            "fingerprint": self.fingerprint,
            "illustrative": self.illustrative,
            "fund": self.fund.to_dict(),
            "funds": [f.to_dict() for f in self.funds],
        }
        for name in (
            "projects",
            "holdings",
            "investors",
            "share_classes",
            "pari_passu",
            "outcomes",
            "social_value",
            "claims",
        ):
            out[name] = _encode(getattr(self, name))
        out.update(self.sections)
        return out

    def to_json(self) -> str:
        """The document's one serialisation: what is printed, stored and rendered."""
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Run:
        if data.get("format") != FORMAT:
            raise RunFormatError(
                f"not a {FORMAT} document (format {data.get('format')!r}): "
                "re-run `passu value --save`"
            )
        known = {f.name for f in dataclasses.fields(cls)}
        hints = get_type_hints(cls)
        try:
            return cls(
                as_of=str(data["as_of"]),
                scope=str(data["scope"]),
                fingerprint=str(data["fingerprint"]),
                illustrative=bool(data["illustrative"]),
                fund=Fund.from_dict(data["fund"]),
                funds=tuple(Fund.from_dict(f) for f in data["funds"]),
                projects=_decode(hints["projects"], data["projects"]),
                holdings=_decode(hints["holdings"], data["holdings"]),
                investors=_decode(hints["investors"], data["investors"]),
                share_classes=_decode(hints["share_classes"], data["share_classes"]),
                pari_passu=_decode(PariPassu, data["pari_passu"]),
                outcomes=_decode(Outcomes, data["outcomes"]),
                social_value=_decode(SocialValue, data["social_value"]),
                claims=_decode(Claims, data["claims"]),
                sections={k: v for k, v in data.items() if k not in known},
            )
        except (KeyError, TypeError) as error:
            raise RunFormatError(
                f"the stored run lacks {error}: it was made by an earlier passu; "
                "re-run `passu value --save`"
            ) from None

    @classmethod
    def from_json(cls, text: str) -> Run:
        return cls.from_dict(json.loads(text))


def dumps(document: Mapping[str, Any]) -> str:
    """JSON with the document's settings: two-space indent, UTF-8 text, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- the generic codec of the fixed sections --------------------------------------------


def section_dict(section: Any) -> Any:
    """A section of the run (a dataclass, or a tuple of them) as the document writes it."""
    return _encode(section)


def _encode(value: Any) -> Any:
    if isinstance(value, Breach):
        amount = value._amount_kind()
        return {
            "scope": value.scope,
            "id": value.id,
            "holder_or_investor": value.holder_or_investor,
            "measure": value.measure,
            "expected": _write(amount, value.expected),
            "actual": _write(amount, value.actual),
            "difference": _write(amount, value.difference),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _write(f.metadata["kind"], getattr(value, f.name))
            if "kind" in f.metadata
            else _encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get(_OPTIONAL) and _unset(getattr(value, f.name)))
        }
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(hint: Any, data: Any) -> Any:
    """``data`` (parsed JSON) as the type ``hint`` names: dataclasses, tuples, optionals."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        options = [a for a in get_args(hint) if a is not type(None)]
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        return tuple(_decode(get_args(hint)[0], v) for v in data)
    if hint is Breach:
        amount: Kind = "rate" if data["measure"] == "irr" else "money"
        return Breach(
            scope=data["scope"],
            id=data["id"],
            holder_or_investor=data["holder_or_investor"],
            measure=data["measure"],
            expected=_read(amount, data["expected"]),
            actual=_read(amount, data["actual"]),
            difference=_read(amount, data["difference"]),
        )
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        values = {}
        for f in dataclasses.fields(hint):
            if f.metadata.get(_OPTIONAL) and f.name not in data:
                values[f.name] = f.default
                continue
            raw = data[f.name]
            values[f.name] = (
                _read(f.metadata["kind"], raw)
                if "kind" in f.metadata
                else _decode(hints[f.name], raw)
            )
        return hint(**values)
    return data
