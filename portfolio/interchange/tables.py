"""The interchange format (FORMAT.md, version 1) as data: one spec per table.

Import, validation, export and the append/lock rules all read these specs, so
the format is written down once. Table order is dependency order: a table only
references tables listed before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Table

from passu.portfolio.store import models as m

Kind = Literal[
    "id", "text", "date", "money", "fraction", "decimal", "count", "year", "bool", "choice"
]


@dataclass(frozen=True)
class Col:
    name: str
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    positive: bool = False  # flow amounts: strictly greater than zero
    default: str | None = None  # written in place of an empty cell (e.g. attribution = 1)


@dataclass(frozen=True)
class Ref:
    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[m.Base]
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()  # empty: a flow table, rows compared as a multiset
    refs: tuple[Ref, ...] = ()
    required: bool = False
    attributes: bool = False  # extra columns kept as JSON attributes
    dated_by: str | None = None  # the column the period lock applies to
    optional_columns: tuple[str, ...] = field(default=())  # may be absent from the header

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def is_flow(self) -> bool:
        return not self.key

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


INVESTOR_KINDS = ("government", "foundation", "social_investor", "bank", "fund", "other")
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


def _tuple(names: tuple[str, ...] | str) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else names


def _r(cols: tuple[str, ...] | str, table: str, target: tuple[str, ...] | str) -> Ref:
    return Ref(_tuple(cols), table, _tuple(target))


SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "funds",
        m.Fund,
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
    TableSpec(
        "investors",
        m.Investor,
        (
            Col("investor_id", "id"),
            Col("name", "text"),
            Col("kind", "choice", choices=INVESTOR_KINDS),
        ),
        key=("investor_id",),
        required=True,
        attributes=True,
    ),
    TableSpec(
        "commitments",
        m.Commitment,
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
    TableSpec(
        "investor_flows",
        m.InvestorFlow,
        (
            Col("fund_id", "id"),
            Col("investor_id", "id"),
            Col("date", "date"),
            Col("kind", "choice", choices=("call", "distribution")),
            Col("amount", "money", positive=True),
        ),
        refs=(_r("fund_id", "funds", "fund_id"), _r("investor_id", "investors", "investor_id")),
        dated_by="date",
    ),
    TableSpec(
        "fund_expenses",
        m.FundExpense,
        (
            Col("fund_id", "id"),
            Col("date", "date"),
            Col("kind", "choice", choices=("management_fee", "expense")),
            Col("amount", "money", positive=True),
        ),
        refs=(_r("fund_id", "funds", "fund_id"),),
        dated_by="date",
    ),
    TableSpec(
        "projects",
        m.Project,
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
    TableSpec(
        "delivery_partners",
        m.DeliveryPartner,
        (Col("project_id", "id"), Col("organisation", "text")),
        key=("project_id", "organisation"),
        refs=(_r("project_id", "projects", "project_id"),),
    ),
    TableSpec(
        "holdings",
        m.Holding,
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
    TableSpec(
        "project_flows",
        m.ProjectFlow,
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
    TableSpec(
        "marks",
        m.Mark,
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
    TableSpec(
        "outcome_contracts",
        m.OutcomeContract,
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
    TableSpec(
        "contract_payers",
        m.ContractPayer,
        (
            Col("contract_id", "id"),
            Col("payer", "text"),
            Col("payer_kind", "choice", choices=PAYER_KINDS),
            Col("share", "fraction"),
        ),
        key=("contract_id", "payer"),
        refs=(_r("contract_id", "outcome_contracts", "contract_id"),),
    ),
    TableSpec(
        "unit_values",
        m.UnitValue,
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
    TableSpec(
        "outcome_metrics",
        m.OutcomeMetric,
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
    TableSpec(
        "outcomes",
        m.Outcome,
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
    TableSpec(
        "outcome_claims",
        m.OutcomeClaim,
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
    TableSpec(
        "outcome_payments",
        m.OutcomePayment,
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
    TableSpec(
        "fund_forecasts",
        m.FundForecast,
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
    TableSpec(
        "innovations",
        m.Innovation,
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
    TableSpec(
        "project_costs",
        m.ProjectCost,
        (
            Col("project_id", "id"),
            Col("date", "date"),
            Col("category", "choice", choices=("delivery", "innovation", "management", "other")),
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
    TableSpec(
        "project_measures",
        m.ProjectMeasure,
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
    TableSpec(
        "evaluations",
        m.Evaluation,
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
)

BY_NAME: dict[str, TableSpec] = {s.name: s for s in SPECS}
REQUIRED_TABLES: tuple[str, ...] = tuple(s.name for s in SPECS if s.required)
FLOW_TABLES: tuple[str, ...] = (
    "investor_flows",
    "fund_expenses",
    "project_flows",
    "outcome_payments",
    "project_costs",
)
