"""Pari passu: the same flows per pound committed for everyone in a class or tranche.

Investors in one share class of a fund, and holders in one tranche of a
project, should see the same flows per pound committed. For each member the
check compares, pro rata to commitment,

- paid-in (calls; drawdowns for a tranche) with commitmentᵢ / Σ commitment × the
  class's (tranche's) total paid-in,
- distributed (distributions; receipts for a tranche) likewise,
- NAV likewise,
- its IRR with the class's (tranche's) pooled IRR (XIRR of every member's
  flows plus Σ NAV at T),

and lists every deviation over £1 of money or 1 basis point of IRR. A class
or tranche with one member cannot breach, nor one with nothing committed.

**Documented excuses** (share classes; investor_flows ``purpose``, docs/format.md):

- equalisation is counted as what it is: an equalisation call less the interest
  in it is capital paid in, an equalisation distribution less the interest in it is
  capital handed back (it reduces paid-in, not a distribution), and the interest is
  income, in neither measure (``capital_lines`` given: the roll's lines since
  inception); so after a later closing is equalised, paid-in and distributed are
  pro rata again. The NAV and IRR of the earlier and later closers still differ
  (the earlier ones carried the fund before the closing; the interest compensates
  them): those deviations are named as excused, "later closing", not breaches;
- an investor excused from a call (the others' calls of that date have purpose
  ``excused``, and it has none) departs from pro rata in every measure, and so do
  the others, who paid its share: each member's deviations in that class are named
  as excused, "excused from the call of DATE", not breaches.

An excuse names the class, the member, the measures and the reason; ``ok`` is
True when nothing is left as a breach. (Defaults are not in the ledger yet: no
check finds one, so none is excused.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import numpy as np
import pandas as pd

from .book import HOLDING_KEYS, HoldingBook
from .capital_accounts import CapitalAccount, account_flows
from .money import decimal_to_pence, pence_to_decimal, round_half_up
from .returns import NOTE_NO_FLOWS, IrrResult, xirr_grouped

__all__ = [
    "IRR_TOLERANCE",
    "MONEY_TOLERANCE_PENCE",
    "Breach",
    "Excuse",
    "PariPassuResult",
    "check_share_classes",
    "check_tranches",
    "check_tranches_in",
]

MONEY_TOLERANCE_PENCE = 100  # £1
IRR_TOLERANCE = 0.0001  # 1 basis point

Scope = Literal["share_class", "tranche"]
Measure = Literal["paid_in", "distributed", "nav", "irr"]
_NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)


@dataclass(frozen=True, slots=True)
class Breach:
    """One member off its pro-rata share (money in pounds) or off the pooled IRR.

    id names the fund or project and the class or tranche: ``"F1/A"``,
    ``"PROJ/A"``. difference = actual − expected; for IRR it is ``None`` when
    only one of the two rates exists.
    """

    scope: Scope
    id: str
    holder_or_investor: str
    measure: Measure
    expected: Decimal | float | None
    actual: Decimal | float | None
    difference: Decimal | float | None


@dataclass(frozen=True, slots=True)
class Excuse:
    """A member's deviations that a documented event explains (module docstring)."""

    scope: Scope
    id: str
    holder_or_investor: str
    measures: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class PariPassuResult:
    """ok is True exactly when there are no breaches (excuses do not count)."""

    ok: bool
    breaches: tuple[Breach, ...]
    excused: tuple[Excuse, ...] = ()

    @classmethod
    def of(cls, breaches: Iterable[Breach], excused: Iterable[Excuse] = ()) -> PariPassuResult:
        found = tuple(breaches)
        return cls(not found, found, tuple(excused))

    def __add__(self, other: PariPassuResult) -> PariPassuResult:
        return PariPassuResult.of(
            (*self.breaches, *other.breaches), (*self.excused, *other.excused)
        )


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    weight: int
    paid_in: int
    distributed: int
    nav: int
    irr: float | None


def check_share_classes(
    accounts: Sequence[CapitalAccount],
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    capital_lines: Mapping[tuple[str, str, str], Mapping[str, int]] | None = None,
) -> PariPassuResult:
    """Check every share class of the funds in ``accounts`` (from ``capital_accounts``).

    ``capital_lines``: each account's roll lines since inception (``capital_lines.
    window_totals``), which count equalisation as capital (module docstring).
    """
    cutoff = pd.Timestamp(as_of)
    funds = sorted({a.fund_id for a in accounts})
    flows = account_flows(commitments, investor_flows, funds, cutoff)
    signed = flows[["fund_id", "share_class", "date"]].assign(
        amount_pence=np.where(flows["kind"].eq("call"), -1, 1) * flows["amount_pence"].to_numpy()
    )
    navs = pd.DataFrame(
        {
            "fund_id": [a.fund_id for a in accounts],
            "share_class": [a.share_class for a in accounts],
            "date": cutoff,
            "amount_pence": [decimal_to_pence(a.nav) for a in accounts],
        }
    )
    pooled = _pooled_irrs([signed, navs], ["fund_id", "share_class"])

    classes: dict[tuple[str, str], list[_Member]] = {}
    for a in sorted(accounts, key=lambda a: (a.fund_id, a.share_class, a.investor_id)):
        lines = (capital_lines or {}).get((a.fund_id, a.investor_id, a.share_class), {})
        # Equalisation is capital moved between closers, its interest income (docstring).
        interest = int(lines.get("equalisation_interest", 0))
        handed_back = int(lines.get("distributions_equalisation", 0)) - max(interest, 0)
        classes.setdefault((a.fund_id, a.share_class), []).append(
            _Member(
                a.investor_id,
                decimal_to_pence(a.committed),
                decimal_to_pence(a.paid_in) - max(-interest, 0) - handed_back,
                decimal_to_pence(a.distributed) - handed_back - max(interest, 0),
                decimal_to_pence(a.nav),
                a.irr,
            )
        )
    events = _class_events(investor_flows, accounts, cutoff)
    breaches: list[Breach] = []
    excused: list[Excuse] = []
    for key, members in classes.items():
        rate = pooled.get(key, _NO_FLOWS).rate
        found = _check_group("share_class", "/".join(key), members, rate)
        explained = events.get(key, {})
        by_member: dict[str, list[str]] = {}
        for b in found:
            reasons = [r for r, measures in explained.items() if b.measure in measures]
            if reasons:
                by_member.setdefault(b.holder_or_investor, []).append(b.measure)
            else:
                breaches.append(b)
        excused_ids = {m for r in explained for m in _named(r)}
        for m in members:
            if m.name in by_member or m.name in excused_ids:
                measures = tuple(dict.fromkeys(by_member.get(m.name, [])))
                reasons = [r for r, ms in explained.items() if set(measures) & ms]
                reasons = reasons or [r for r in explained if m.name in _named(r)]
                excused.append(
                    Excuse("share_class", "/".join(key), m.name, measures, "; ".join(reasons))
                )
    return PariPassuResult.of(breaches, excused)


_ALL_MEASURES = frozenset({"paid_in", "distributed", "nav", "irr"})
_CLOSING_MEASURES = frozenset({"nav", "irr"})


def _named(reason: str) -> list[str]:
    """The investor an excused-call reason names (it is excused whatever it deviates by)."""
    prefix = "investor "
    return [reason[len(prefix) :].split(" ", 1)[0]] if reason.startswith(prefix) else []


def _class_events(
    investor_flows: pd.DataFrame, accounts: Sequence[CapitalAccount], cutoff: pd.Timestamp
) -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """Per class, each documented event (its reason) → the measures it explains.

    Set-based over the flows with a purpose; nothing when the ledger has none.
    """
    if "purpose" not in investor_flows or investor_flows["purpose"].isna().all():
        return {}
    flows = investor_flows.loc[
        (investor_flows["date"] <= cutoff)
        & (investor_flows["kind"] == "call")
        & investor_flows["purpose"].isin(["excused", "equalisation"])
    ]
    out: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
    members: dict[tuple[str, str], list[str]] = {}
    class_of: dict[tuple[str, str], list[str]] = {}
    for a in accounts:
        members.setdefault((a.fund_id, a.share_class), []).append(a.investor_id)
        class_of.setdefault((a.fund_id, a.investor_id), []).append(a.share_class)
    for (fund_id, day, purpose), rows in flows.groupby(["fund_id", "date", "purpose"], sort=True):
        payers = set(rows["investor_id"])
        when = pd.Timestamp(day).date().isoformat()
        classes = {(str(fund_id), c) for i in payers for c in class_of.get((str(fund_id), i), [])}
        for key in sorted(classes):
            if purpose == "excused":
                for investor in sorted(set(members[key]) - payers):
                    reason = f"investor {investor} excused from the call of {when}"
                    out.setdefault(key, {})[reason] = _ALL_MEASURES
            else:
                late = ", ".join(sorted(payers & set(members[key])))
                reason = f"later closing: {late} equalised on {when}"
                out.setdefault(key, {})[reason] = _CLOSING_MEASURES
    return out


def check_tranches(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> PariPassuResult:
    """Check every tranche of every project: drawdowns, receipts, NAV and IRR."""
    return check_tranches_in(HoldingBook(holdings, project_flows, marks, as_of))


def check_tranches_in(book: HoldingBook, mask: np.ndarray | None = None) -> PariPassuResult:
    """``check_tranches`` over the (masked) holdings of ``book``, at its as-of date.

    Each holding's own IRR is the book's (solved once per run); each tranche's
    pooled IRR pools the holdings by code.
    """
    chosen = np.arange(book.size) if mask is None else np.flatnonzero(mask)
    positions = book.positions.iloc[chosen]
    holding_irrs = book.holding_irrs()
    keys = zip(*(positions[k].tolist() for k in HOLDING_KEYS), strict=True)
    own = {key: holding_irrs[c] for key, c in zip(keys, chosen.tolist(), strict=True)}
    pools, tranches = book.pools_by(("project_id", "tranche"), mask)
    pooled = dict(zip(tranches, book.irrs(pools)[0], strict=True))
    return PariPassuResult.of(_tranche_breaches(positions, own, pooled))


def _tranche_breaches(
    positions: pd.DataFrame,
    own: dict[tuple[Hashable, ...], IrrResult],
    pooled: dict[tuple[Hashable, ...], IrrResult],
) -> list[Breach]:
    """The same test as ``_check_group``, vectorised over every tranche at once.

    A portfolio has thousands of tranches, so the pro-rata shares are screened with
    floats over whole columns and only rows near or over £1 are settled exactly
    (with fractions, as ``_check_group`` does) and turned into breaches.
    """
    frame = positions.sort_values(["project_id", "tranche", "holder_id"], ignore_index=True)
    groups = frame.groupby(["project_id", "tranche"], sort=False)
    members = groups["holder_id"].transform("size")
    weights = groups["commitment_pence"].transform("sum")
    eligible = (members >= 2) & (weights > 0)
    frame["_own"] = [
        own.get(k, _NO_FLOWS).rate
        for k in zip(frame["project_id"], frame["holder_id"], frame["tranche"], strict=True)
    ]
    frame["_pooled"] = [
        pooled.get(k, _NO_FLOWS).rate
        for k in zip(frame["project_id"], frame["tranche"], strict=True)
    ]
    candidates: list[tuple[int, str, str, int]] = []
    for measure, column in (
        ("paid_in", "invested_pence"),
        ("distributed", "realised_pence"),
        ("nav", "nav_pence"),
    ):
        total = groups[column].transform("sum")
        share = total.astype(float) * frame["commitment_pence"].astype(float) / weights.clip(1)
        near = eligible & ((frame[column].astype(float) - share).abs() > MONEY_TOLERANCE_PENCE - 1)
        candidates += [(int(i), measure, column, int(total[i])) for i in np.flatnonzero(near)]
    breaches: list[tuple[int, int, Breach]] = []
    for i, measure, column, total in candidates:
        row = frame.iloc[i]
        weight, actual = int(row["commitment_pence"]), int(row[column])
        expected = Fraction(total * weight, int(weights.iloc[i]))
        if abs(actual - expected) > MONEY_TOLERANCE_PENCE:
            shown = round_half_up(Decimal(expected.numerator) / expected.denominator / 100)
            order = ("paid_in", "distributed", "nav").index(measure)
            breaches.append(
                (
                    i,
                    order,
                    Breach(
                        "tranche",
                        f"{row['project_id']}/{row['tranche']}",
                        str(row["holder_id"]),
                        measure,  # type: ignore[arg-type]
                        shown,
                        pence_to_decimal(actual),
                        pence_to_decimal(actual) - shown,
                    ),
                )
            )
    own_rate, pooled_rate = frame["_own"], frame["_pooled"]
    one_missing = own_rate.isna() ^ pooled_rate.isna()
    apart = (own_rate - pooled_rate).abs() > IRR_TOLERANCE
    for index in np.flatnonzero(eligible & (one_missing | apart.fillna(False))):
        row = frame.iloc[index]
        mine, pool = _rate(row["_own"]), _rate(row["_pooled"])
        difference = None if mine is None or pool is None else mine - pool
        breaches.append(
            (
                int(index),
                3,
                Breach(
                    "tranche",
                    f"{row['project_id']}/{row['tranche']}",
                    str(row["holder_id"]),
                    "irr",
                    pool,
                    mine,
                    difference,
                ),
            )
        )
    return [b for _, _, b in sorted(breaches, key=lambda x: (x[0], x[1]))]


def _rate(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _pooled_irrs(
    parts: list[pd.DataFrame], keys: list[str]
) -> dict[tuple[Hashable, ...], IrrResult]:
    frames = [p.assign(date=p["date"].astype("datetime64[ns]")) for p in parts if len(p)]
    if not frames:
        return {}
    return xirr_grouped(pd.concat(frames, ignore_index=True), keys, "date", "amount_pence")


def _check_group(
    scope: Scope, group_id: str, members: list[_Member], pooled_irr: float | None
) -> list[Breach]:
    total_weight = sum(m.weight for m in members)
    if len(members) < 2 or total_weight == 0:
        return []
    totals = {
        "paid_in": sum(m.paid_in for m in members),
        "distributed": sum(m.distributed for m in members),
        "nav": sum(m.nav for m in members),
    }
    breaches: list[Breach] = []
    for m in members:
        actuals = {"paid_in": m.paid_in, "distributed": m.distributed, "nav": m.nav}
        for measure, actual in actuals.items():
            # Exact pro-rata share in pence, compared before any rounding.
            expected = Fraction(totals[measure] * m.weight, total_weight)
            if abs(actual - expected) > MONEY_TOLERANCE_PENCE:
                shown = round_half_up(Decimal(expected.numerator) / expected.denominator / 100)
                breaches.append(
                    Breach(
                        scope,
                        group_id,
                        m.name,
                        measure,  # type: ignore[arg-type]
                        shown,
                        pence_to_decimal(actual),
                        pence_to_decimal(actual) - shown,
                    )
                )
        if m.irr is None and pooled_irr is None:
            continue
        if m.irr is None or pooled_irr is None:
            breaches.append(Breach(scope, group_id, m.name, "irr", pooled_irr, m.irr, None))
        elif abs(m.irr - pooled_irr) > IRR_TOLERANCE:
            breaches.append(
                Breach(scope, group_id, m.name, "irr", pooled_irr, m.irr, m.irr - pooled_irr)
            )
    return breaches
