"""The interchange format's tables (docs/format.md, version 1) as data, written down once.

Each table's columns (kind, required, choices, default), its key, its references
and the column a period lock dates it by; and, from the same columns, the frame a
:class:`~passu.valuation.ledger.Ledger` holds for it: money as int64 pence in
``<name>_pence`` (``Int64`` when optional), dates ``datetime64[ns]``, counts and
years int64 (``Int64`` when optional), fractions and decimals ``Decimal`` objects,
booleans bool, ids, choices and text object. Import, validation, export, the
database's frames, the test builders and the bench scripts all read these, so a
column is added in one place. Table order is dependency order: a table only
references tables listed before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

Kind = Literal[
    "id", "text", "date", "money", "fraction", "decimal", "count", "year", "bool", "choice"
]
ATTRIBUTES = "attributes"  # extra columns a user kept, one JSON text per row
# One column's values as a database driver returns them (or a NumPy array of them).
Values = Sequence[Any] | np.ndarray


@dataclass(frozen=True)
class Col:
    name: str
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    positive: bool = False  # flow amounts: strictly greater than zero
    default: str | None = None  # written in place of an empty cell (e.g. attribution = 1)
    # The format version that added the column. A column added after version 1 and
    # holding only its default (or nothing) is left out of the export and the
    # fingerprint, so a portfolio that does not use it exports and hashes as before.
    since: int = 1
    expected: str | None = None  # what a bad cell's message says was expected, if not the kind's

    @property
    def frame_name(self) -> str:
        """The column's name in the ledger's frame: money is held as ``<name>_pence``."""
        return f"{self.name}_pence" if self.kind == "money" else self.name

    @property
    def dtype(self) -> str:
        """The column's dtype in the ledger's frame (what ``load_table`` has always given).

        Optional integers are pandas' nullable ``Int64`` so that a missing amount is
        missing, not zero; exact fractions stay ``Decimal`` objects (``object``).
        """
        if self.kind in ("money", "count", "year"):
            return "int64" if self.required else "Int64"
        if self.kind == "date":
            return "datetime64[ns]"
        if self.kind == "bool":
            return "bool"
        return "object"


@dataclass(frozen=True)
class Ref:
    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()  # empty: a flow table, rows compared as a multiset
    refs: tuple[Ref, ...] = ()
    required: bool = False
    attributes: bool = False  # extra columns kept as JSON attributes
    dated_by: str | None = None  # the column the period lock (and ``Ledger.as_of``) applies to
    optional_columns: tuple[str, ...] = field(default=())  # may be absent from the header
    since: int = 1  # the format version that added the table (see ``Col.since``)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def is_flow(self) -> bool:
        return not self.key

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def frame_columns(self) -> tuple[str, ...]:
        """The ledger frame's columns, in order (``attributes`` last where kept)."""
        names = tuple(c.frame_name for c in self.columns)
        return (*names, ATTRIBUTES) if self.attributes else names

    @property
    def dtypes(self) -> dict[str, str]:
        """The ledger frame's dtype per column."""
        types = {c.frame_name: c.dtype for c in self.columns}
        if self.attributes:
            types[ATTRIBUTES] = "object"
        return types

    def empty_frame(self) -> pd.DataFrame:
        """No rows, but the ledger's columns and dtypes (a table a portfolio leaves out)."""
        return stored_frame(self, {name: () for name in self.frame_columns})


def stored_frame(schema: TableSchema, columns: Mapping[str, Values]) -> pd.DataFrame:
    """A table's ledger frame from its columns as SQLite's driver returns them.

    ``columns`` maps each of ``schema.frame_columns`` to its values: money as
    integer pence, dates as ISO text, decimals as text (PostgreSQL: ``Decimal``),
    counts as integers, booleans as 0/1, ids and text as text, a missing cell as
    ``None``. The database's frames (``portfolio/store/frames.py``) and
    ``Ledger.from_csv`` both build their frames here, so that they agree to the
    last missing value: pandas infers text columns holding ``None`` as its string
    dtype, which turns ``None`` into NaN, and the run's fingerprint hashes the text
    of every cell, so the same inference must run on both paths. Whole columns at a
    time: a ledger has millions of flows.
    """
    exact = {c.frame_name for c in schema.columns if c.kind in ("fraction", "decimal")}
    frame = pd.DataFrame(
        {
            name: _decimal_text(columns[name]) if name in exact else columns[name]
            for name in schema.frame_columns
        }
    )
    for col in schema.columns:
        name = col.frame_name
        if col.kind == "date":
            frame[name] = pd.to_datetime(frame[name], format="ISO8601").astype(col.dtype)
        elif col.kind in ("fraction", "decimal"):
            # SQLite keeps exact decimals as text; PostgreSQL's NUMERIC arrives as Decimal.
            frame[name] = frame[name].map(_decimal).astype(col.dtype)
        else:
            frame[name] = frame[name].astype(col.dtype)
    return frame


def _decimal_text(values: Values) -> Values:
    """PostgreSQL's ``Decimal`` values as the text SQLite returns, so that pandas infers
    the column alike on both: a missing cell beside text becomes ``Decimal('NaN')`` on
    either (``None`` when no cell holds a value), and the fingerprint agrees."""
    if not any(isinstance(v, Decimal) for v in values):
        return values
    return [format(v, "f") if isinstance(v, Decimal) else v for v in values]


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


INVESTOR_KINDS = (
    "government",
    "foundation",
    "social_investor",
    "bank",
    "fund",
    "other",
    "manager",  # the carried-interest holder (waterfalls.csv)
)
PAYER_KINDS = (
    "central_government",
    "local_government",
    "nhs",
    "lottery",
    "philanthropy",
    "school",
    "other",
)
FLOW_KINDS = ("drawdown", "repayment", "interest", "dividend", "write_off")
FORECAST_MEASURES = (
    "outcome_payments",
    "contracts",
    "outcomes_payers",
    "delivery_partners",
    "fiscal_value",
    "co_investors",
)
HOLDING = ("project_id", "holder_id", "tranche")
CALL_PURPOSES = ("investment", "management_fee", "expense", "equalisation", "excused")
DISTRIBUTION_PURPOSES = ("return_of_capital", "income", "gain", "equalisation")
FLOW_PURPOSES = tuple(dict.fromkeys((*CALL_PURPOSES, *DISTRIBUTION_PURPOSES)))
FEE_BASES = ("commitment", "invested_cost", "nav")
COST_CATEGORIES = ("delivery", "innovation", "management", "other")


def _tuple(names: tuple[str, ...] | str) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else names


def _r(cols: tuple[str, ...] | str, table: str, target: tuple[str, ...] | str) -> Ref:
    return Ref(_tuple(cols), table, _tuple(target))


SCHEMAS: tuple[TableSchema, ...] = (
    TableSchema(
        "funds",
        (
            Col("fund_id", "id"),
            Col("name", "text"),
            Col("currency", "choice", choices=("GBP",)),
            Col("vintage", "year"),
            Col("manager", "text"),
        ),
        key=("fund_id",),
        required=True,
        attributes=True,
    ),
    TableSchema(
        "investors",
        (
            Col("investor_id", "id"),
            Col("name", "text"),
            Col("kind", "choice", choices=INVESTOR_KINDS),
        ),
        key=("investor_id",),
        required=True,
        attributes=True,
    ),
    TableSchema(
        "commitments",
        (
            Col("fund_id", "id"),
            Col("investor_id", "id"),
            Col("share_class", "id"),
            Col("amount", "money"),
            Col("date", "date", required=False),
        ),
        key=("fund_id", "investor_id", "share_class"),
        refs=(_r("fund_id", "funds", "fund_id"), _r("investor_id", "investors", "investor_id")),
    ),
    TableSchema(
        "investor_flows",
        (
            Col("fund_id", "id"),
            Col("investor_id", "id"),
            Col("date", "date"),
            Col("kind", "choice", choices=("call", "distribution")),
            Col("amount", "money", positive=True),
            # empty: investment for a call, gain for a distribution
            Col(
                "purpose",
                "choice",
                required=False,
                choices=FLOW_PURPOSES,
                since=2,
                expected=(
                    f"a call's purpose ({', '.join(CALL_PURPOSES)}) or a distribution's "
                    f"({', '.join(DISTRIBUTION_PURPOSES)}), or empty"
                ),
            ),
            Col("recallable", "bool", required=False, default="false", since=2),
        ),
        refs=(_r("fund_id", "funds", "fund_id"), _r("investor_id", "investors", "investor_id")),
        dated_by="date",
        optional_columns=("purpose", "recallable"),
    ),
    TableSchema(
        "fund_expenses",
        (
            Col("fund_id", "id"),
            Col("date", "date"),
            Col("kind", "choice", choices=("management_fee", "expense")),
            Col("amount", "money", positive=True),
        ),
        refs=(_r("fund_id", "funds", "fund_id"),),
        dated_by="date",
    ),
    TableSchema(
        "projects",
        (
            Col("project_id", "id"),
            Col("name", "text"),
            Col("policy_area", "text"),
            Col("region", "text"),
            Col("coordinator", "text", required=False),
            Col("start_date", "date"),
            Col("end_date", "date", required=False),
            Col("status", "choice", choices=("pipeline", "active", "completed", "written_off")),
        ),
        key=("project_id",),
        required=True,
        attributes=True,
    ),
    TableSchema(
        "delivery_partners",
        (Col("project_id", "id"), Col("organisation", "text")),
        key=("project_id", "organisation"),
        refs=(_r("project_id", "projects", "project_id"),),
    ),
    TableSchema(
        "holdings",
        (
            Col("project_id", "id"),
            Col("holder_id", "id"),
            Col("tranche", "id"),
            Col("instrument", "choice", choices=("loan", "equity", "quasi_equity", "bond")),
            Col("commitment", "money"),
        ),
        key=HOLDING,
        refs=(
            _r("project_id", "projects", "project_id"),
            _r("holder_id", "investors", "investor_id"),
        ),
        attributes=True,
    ),
    TableSchema(
        "project_flows",
        (
            Col("project_id", "id"),
            Col("holder_id", "id"),
            Col("tranche", "id"),
            Col("date", "date"),
            Col("kind", "choice", choices=FLOW_KINDS),
            Col("amount", "money", positive=True),
        ),
        refs=(_r(HOLDING, "holdings", HOLDING),),
        dated_by="date",
    ),
    TableSchema(
        "marks",
        (
            Col("project_id", "id"),
            Col("holder_id", "id"),
            Col("tranche", "id"),
            Col("date", "date"),
            Col("fair_value", "money"),
            Col("method", "text", required=False),
            Col("note", "text", required=False),
        ),
        key=(*HOLDING, "date"),
        refs=(_r(HOLDING, "holdings", HOLDING),),
        dated_by="date",
    ),
    TableSchema(
        "outcome_contracts",
        (
            Col("contract_id", "id"),
            Col("project_id", "id"),
            Col("name", "text"),
            Col("start_date", "date"),
            Col("end_date", "date", required=False),
            Col("cap", "money"),
        ),
        key=("contract_id",),
        refs=(_r("project_id", "projects", "project_id"),),
        attributes=True,
    ),
    TableSchema(
        "contract_payers",
        (
            Col("contract_id", "id"),
            Col("payer", "text"),
            Col("payer_kind", "choice", choices=PAYER_KINDS),
            Col("share", "fraction"),
        ),
        key=("contract_id", "payer"),
        refs=(_r("contract_id", "outcome_contracts", "contract_id"),),
    ),
    TableSchema(
        "unit_values",
        (
            Col("code", "id"),
            Col("description", "text"),
            Col("fiscal", "money", required=False),
            Col("economic", "money", required=False),
            Col("social", "money", required=False),
            Col("price_year", "year"),
            Col("source", "text"),
            Col("deadweight", "fraction", required=False, default="0"),
            Col("attribution", "fraction", required=False),
            Col("optimism_bias", "fraction", required=False, default="0"),
            Col("transfer", "bool", required=False, default="false"),
            Col("duration_years", "count", required=False, default="1"),
        ),
        key=("code",),
    ),
    TableSchema(
        "outcome_metrics",
        (
            Col("metric_id", "id"),
            Col("contract_id", "id"),
            Col("name", "text"),
            Col("price", "money"),
            Col("unit_value_code", "id", required=False),
        ),
        key=("metric_id",),
        refs=(_r("contract_id", "outcome_contracts", "contract_id"),),
    ),
    TableSchema(
        "outcomes",
        (
            Col("metric_id", "id"),
            Col("period_end", "date"),
            Col("forecast", "count"),
            Col("achieved", "count"),
        ),
        key=("metric_id", "period_end"),
        refs=(_r("metric_id", "outcome_metrics", "metric_id"),),
        dated_by="period_end",
    ),
    TableSchema(
        "outcome_claims",
        (
            Col("claim_id", "id"),
            Col("contract_id", "id"),
            Col("metric_id", "id"),
            Col("period_end", "date"),
            Col("count", "count"),
            Col("amount", "money"),
            Col("claimed_on", "date"),
            Col("verified_on", "date", required=False),
            Col("verified_count", "count", required=False),
            Col("verified_amount", "money", required=False),
            Col("rejected_on", "date", required=False),
        ),
        key=("claim_id",),
        refs=(
            _r("contract_id", "outcome_contracts", "contract_id"),
            _r("metric_id", "outcome_metrics", "metric_id"),
        ),
        dated_by="claimed_on",
    ),
    TableSchema(
        "outcome_payments",
        (
            Col("contract_id", "id"),
            Col("payer", "text"),
            Col("date", "date"),
            Col("amount", "money", positive=True),
            Col("metric_id", "id", required=False),
            Col("claim_id", "id", required=False),
        ),
        refs=(
            _r(("contract_id", "payer"), "contract_payers", ("contract_id", "payer")),
            _r("metric_id", "outcome_metrics", "metric_id"),
            _r("claim_id", "outcome_claims", "claim_id"),
        ),
        dated_by="date",
        optional_columns=("metric_id", "claim_id"),
    ),
    TableSchema(
        "fund_forecasts",
        (
            Col("fund_id", "id"),
            Col("measure", "choice", choices=FORECAST_MEASURES),
            Col("forecast", "decimal"),
            Col("forecast_high", "decimal", required=False),
        ),
        key=("fund_id", "measure"),
        refs=(_r("fund_id", "funds", "fund_id"),),
        optional_columns=("forecast_high",),
    ),
    TableSchema(
        "innovations",
        (
            Col("innovation_id", "id"),
            Col("project_id", "id"),
            Col("name", "text"),
            Col("objective", "text", required=False),
            Col("stage", "choice", choices=("design", "pilot")),
            Col("theme", "text"),
            Col("estimated_cost", "money"),
            Col("start_date", "date", required=False),
            Col("status", "choice", choices=("planned", "running", "adopted", "stopped")),
        ),
        key=("innovation_id",),
        refs=(_r("project_id", "projects", "project_id"),),
    ),
    TableSchema(
        "project_costs",
        (
            Col("project_id", "id"),
            Col("date", "date"),
            Col("category", "choice", choices=COST_CATEGORIES),
            Col("amount", "money", positive=True),
            Col("innovation_id", "id", required=False),
        ),
        refs=(
            _r("project_id", "projects", "project_id"),
            _r("innovation_id", "innovations", "innovation_id"),
        ),
        dated_by="date",
        optional_columns=("innovation_id",),
    ),
    TableSchema(
        "project_measures",
        (
            Col("project_id", "id"),
            Col("period_end", "date"),
            Col("measure", "id"),
            Col("value", "decimal"),
        ),
        key=("project_id", "period_end", "measure"),
        refs=(_r("project_id", "projects", "project_id"),),
        dated_by="period_end",
    ),
    TableSchema(
        "evaluations",
        (
            Col("project_id", "id"),
            Col("date", "date"),
            Col("evaluator", "text"),
            Col(
                "kind",
                "choice",
                choices=("impact", "process", "economic", "participant_voice", "qca", "other"),
            ),
            Col("summary", "text", required=False),
            Col("link", "text", required=False),
        ),
        key=("project_id", "date", "evaluator"),
        refs=(_r("project_id", "projects", "project_id"),),
        dated_by="date",
    ),
    # --- format version 2: terms and forecasts (all optional tables) -------------------
    TableSchema(
        "fund_terms",
        (
            Col("fund_id", "id"),
            Col("share_class", "id"),
            Col("allocation_basis", "choice", required=False, choices=("paid_in", "commitment")),
            Col("management_fee_rate", "fraction", required=False),
            Col("fee_basis", "choice", required=False, choices=FEE_BASES),
            Col("fee_step_down_date", "date", required=False),
            Col("step_down_rate", "fraction", required=False),
            Col("fee_basis_after_step_down", "choice", required=False, choices=FEE_BASES),
            Col("fee_offset_share", "fraction", required=False),
            Col("equalisation_rate", "fraction", required=False),
        ),
        key=("fund_id", "share_class"),
        refs=(_r("fund_id", "funds", "fund_id"),),
        since=2,
    ),
    TableSchema(
        "class_terms",
        (
            Col("fund_id", "id"),
            Col("share_class", "id"),
            Col("rank", "count"),
            Col("preferred_return", "fraction", required=False, default="0"),
            Col("return_cap", "decimal", required=False),
        ),
        key=("fund_id", "share_class"),
        refs=(_r("fund_id", "funds", "fund_id"),),
        since=2,
    ),
    TableSchema(
        "waterfalls",
        (
            Col("fund_id", "id"),
            Col("style", "choice", choices=("european", "american")),
            Col("hurdle", "fraction", required=False, default="0"),
            Col("catch_up", "fraction", required=False, default="0"),
            Col("carry", "fraction"),
            Col("carry_holder", "id"),
            Col("applies_to", "text"),  # share classes that pay carry, separated by ";"
        ),
        key=("fund_id",),
        refs=(
            _r("fund_id", "funds", "fund_id"),
            _r("carry_holder", "investors", "investor_id"),
        ),
        since=2,
    ),
    TableSchema(
        "cost_forecasts",
        (
            Col("project_id", "id"),
            Col("period_end", "date"),
            Col("category", "choice", choices=COST_CATEGORIES),
            Col("amount", "money"),
        ),
        # not dated: a forecast is of periods after the valuation date, and not a fact a
        # period lock protects
        key=("project_id", "period_end", "category"),
        refs=(_r("project_id", "projects", "project_id"),),
        since=2,
    ),
    TableSchema(
        "holding_terms",
        (
            Col("project_id", "id"),
            Col("holder_id", "id"),
            Col("tranche", "id"),
            Col("seniority", "count"),
            Col("coupon", "fraction", required=False),
            Col("maturity_date", "date", required=False),
        ),
        key=HOLDING,
        refs=(_r(HOLDING, "holdings", HOLDING),),
        since=2,
    ),
)

BY_NAME: dict[str, TableSchema] = {s.name: s for s in SCHEMAS}
REQUIRED_TABLES: tuple[str, ...] = tuple(s.name for s in SCHEMAS if s.required)
FLOW_TABLES: tuple[str, ...] = tuple(s.name for s in SCHEMAS if s.is_flow)
