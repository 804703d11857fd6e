"""The storage model: one table per interchange table (FORMAT.md), plus passu's own.

Natural keys are unique constraints and every reference is a foreign key, so the
database itself refuses an orphan even if a bug slipped past import validation.
Tables without a natural id carry a surrogate integer ``id``; flows have no key
(two identical rows are two real payments).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from passu.portfolio.store.base import ID, Base
from passu.portfolio.store.types import ExactDecimal, Money

# --- register -----------------------------------------------------------------


class Fund(Base):
    __tablename__ = "funds"
    fund_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    vintage: Mapped[int] = mapped_column(Integer)
    manager: Mapped[str] = mapped_column(Text)
    attributes: Mapped[str | None] = mapped_column(Text)


class Investor(Base):
    __tablename__ = "investors"
    investor_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    attributes: Mapped[str | None] = mapped_column(Text)


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("fund_id", "investor_id", "share_class"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"))
    investor_id: Mapped[str] = mapped_column(ID, ForeignKey("investors.investor_id"))
    share_class: Mapped[str] = mapped_column(ID)
    amount: Mapped[Decimal] = mapped_column(Money)
    date: Mapped[dt.date | None] = mapped_column(Date)


class InvestorFlow(Base):
    __tablename__ = "investor_flows"
    __table_args__ = (Index("ix_investor_flows_fund_date", "fund_id", "date"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"))
    investor_id: Mapped[str] = mapped_column(ID, ForeignKey("investors.investor_id"))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money)
    purpose: Mapped[str | None] = mapped_column(String(32))  # format 2; NULL: the kind's default
    recallable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FundExpense(Base):
    __tablename__ = "fund_expenses"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money)


class Project(Base):
    __tablename__ = "projects"
    project_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    policy_area: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(Text)
    coordinator: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    attributes: Mapped[str | None] = mapped_column(Text)


class DeliveryPartner(Base):
    __tablename__ = "delivery_partners"
    __table_args__ = (UniqueConstraint("project_id", "organisation"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"))
    organisation: Mapped[str] = mapped_column(String(200))


class Holding(Base):
    __tablename__ = "holdings"
    __table_args__ = (UniqueConstraint("project_id", "holder_id", "tranche"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"))
    holder_id: Mapped[str] = mapped_column(ID, ForeignKey("investors.investor_id"))
    tranche: Mapped[str] = mapped_column(ID)
    instrument: Mapped[str] = mapped_column(String(32))
    commitment: Mapped[Decimal] = mapped_column(Money)
    attributes: Mapped[str | None] = mapped_column(Text)


def _holding_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["project_id", "holder_id", "tranche"],
        ["holdings.project_id", "holdings.holder_id", "holdings.tranche"],
        name=None,
    )


class ProjectFlow(Base):
    __tablename__ = "project_flows"
    __table_args__ = (
        _holding_fk(),
        Index("ix_project_flows_holding_date", "project_id", "holder_id", "tranche", "date"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    project_id: Mapped[str] = mapped_column(ID)
    holder_id: Mapped[str] = mapped_column(ID)
    tranche: Mapped[str] = mapped_column(ID)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money)


class Mark(Base):
    __tablename__ = "marks"
    __table_args__ = (
        _holding_fk(),
        UniqueConstraint("project_id", "holder_id", "tranche", "date"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID)
    holder_id: Mapped[str] = mapped_column(ID)
    tranche: Mapped[str] = mapped_column(ID)
    date: Mapped[dt.date] = mapped_column(Date)
    fair_value: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


# --- outcomes -----------------------------------------------------------------


class OutcomeContract(Base):
    __tablename__ = "outcome_contracts"
    contract_id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    cap: Mapped[Decimal] = mapped_column(Money)
    attributes: Mapped[str | None] = mapped_column(Text)


class ContractPayer(Base):
    __tablename__ = "contract_payers"
    __table_args__ = (UniqueConstraint("contract_id", "payer"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[str] = mapped_column(ID, ForeignKey("outcome_contracts.contract_id"))
    payer: Mapped[str] = mapped_column(String(200))
    payer_kind: Mapped[str] = mapped_column(String(32))
    share: Mapped[Decimal] = mapped_column(ExactDecimal)


class UnitValue(Base):
    __tablename__ = "unit_values"
    code: Mapped[str] = mapped_column(ID, primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    fiscal: Mapped[Decimal | None] = mapped_column(Money)
    economic: Mapped[Decimal | None] = mapped_column(Money)
    social: Mapped[Decimal | None] = mapped_column(Money)
    price_year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    deadweight: Mapped[Decimal] = mapped_column(ExactDecimal)
    attribution: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    optimism_bias: Mapped[Decimal] = mapped_column(ExactDecimal)
    transfer: Mapped[bool] = mapped_column(Boolean)
    duration_years: Mapped[int] = mapped_column(Integer)


class OutcomeMetric(Base):
    __tablename__ = "outcome_metrics"
    metric_id: Mapped[str] = mapped_column(ID, primary_key=True)
    contract_id: Mapped[str] = mapped_column(
        ID, ForeignKey("outcome_contracts.contract_id"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Money)
    # Resolves to the portfolio's unit_values or to the shipped unit-cost library,
    # so it is checked at import rather than by a foreign key.
    unit_value_code: Mapped[str | None] = mapped_column(ID)


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("metric_id", "period_end"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric_id: Mapped[str] = mapped_column(ID, ForeignKey("outcome_metrics.metric_id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    forecast: Mapped[int] = mapped_column(Integer)
    achieved: Mapped[int] = mapped_column(Integer)


class OutcomeClaim(Base):
    __tablename__ = "outcome_claims"
    claim_id: Mapped[str] = mapped_column(ID, primary_key=True)
    contract_id: Mapped[str] = mapped_column(
        ID, ForeignKey("outcome_contracts.contract_id"), index=True
    )
    metric_id: Mapped[str] = mapped_column(ID, ForeignKey("outcome_metrics.metric_id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    claimed_on: Mapped[dt.date] = mapped_column(Date)
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_count: Mapped[int | None] = mapped_column(Integer)
    verified_amount: Mapped[Decimal | None] = mapped_column(Money)
    rejected_on: Mapped[dt.date | None] = mapped_column(Date)


class OutcomePayment(Base):
    __tablename__ = "outcome_payments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["contract_id", "payer"], ["contract_payers.contract_id", "contract_payers.payer"]
        ),
        Index("ix_outcome_payments_contract_date", "contract_id", "date"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    contract_id: Mapped[str] = mapped_column(ID)
    payer: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    metric_id: Mapped[str | None] = mapped_column(ID, ForeignKey("outcome_metrics.metric_id"))
    claim_id: Mapped[str | None] = mapped_column(ID, ForeignKey("outcome_claims.claim_id"))


class FundForecast(Base):
    __tablename__ = "fund_forecasts"
    __table_args__ = (UniqueConstraint("fund_id", "measure"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"))
    measure: Mapped[str] = mapped_column(String(64))
    forecast: Mapped[Decimal] = mapped_column(ExactDecimal)
    forecast_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)


# --- project economics, claims and evaluations --------------------------------


class Innovation(Base):
    __tablename__ = "innovations"
    innovation_id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    objective: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16))
    theme: Mapped[str] = mapped_column(String(64))
    estimated_cost: Mapped[Decimal] = mapped_column(Money)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))


class ProjectCost(Base):
    __tablename__ = "project_costs"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    innovation_id: Mapped[str | None] = mapped_column(ID, ForeignKey("innovations.innovation_id"))


class ProjectMeasure(Base):
    __tablename__ = "project_measures"
    __table_args__ = (UniqueConstraint("project_id", "period_end", "measure"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(ExactDecimal)


class Evaluation(Base):
    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("project_id", "date", "evaluator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"))
    date: Mapped[dt.date] = mapped_column(Date)
    evaluator: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text)


# --- format 2: terms and forecasts ---------------------------------------------


class FundTerms(Base):
    __tablename__ = "fund_terms"
    __table_args__ = (UniqueConstraint("fund_id", "share_class"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"))
    share_class: Mapped[str] = mapped_column(ID)
    allocation_basis: Mapped[str | None] = mapped_column(String(32))
    management_fee_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fee_basis: Mapped[str | None] = mapped_column(String(32))
    fee_step_down_date: Mapped[dt.date | None] = mapped_column(Date)
    step_down_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fee_basis_after_step_down: Mapped[str | None] = mapped_column(String(32))
    fee_offset_share: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    equalisation_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class ClassTerms(Base):
    __tablename__ = "class_terms"
    __table_args__ = (UniqueConstraint("fund_id", "share_class"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"))
    share_class: Mapped[str] = mapped_column(ID)
    rank: Mapped[int] = mapped_column(Integer)
    preferred_return: Mapped[Decimal] = mapped_column(ExactDecimal)
    return_cap: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class Waterfall(Base):
    __tablename__ = "waterfalls"
    fund_id: Mapped[str] = mapped_column(ID, ForeignKey("funds.fund_id"), primary_key=True)
    style: Mapped[str] = mapped_column(String(32))
    hurdle: Mapped[Decimal] = mapped_column(ExactDecimal)
    catch_up: Mapped[Decimal] = mapped_column(ExactDecimal)
    carry: Mapped[Decimal] = mapped_column(ExactDecimal)
    carry_holder: Mapped[str] = mapped_column(ID, ForeignKey("investors.investor_id"))
    applies_to: Mapped[str] = mapped_column(Text)


class CostForecast(Base):
    __tablename__ = "cost_forecasts"
    __table_args__ = (UniqueConstraint("project_id", "period_end", "category"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.project_id"))
    period_end: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money)


class HoldingTerms(Base):
    __tablename__ = "holding_terms"
    __table_args__ = (UniqueConstraint("project_id", "holder_id", "tranche"), _holding_fk())
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ID)
    holder_id: Mapped[str] = mapped_column(ID)
    tranche: Mapped[str] = mapped_column(ID)
    seniority: Mapped[int] = mapped_column(Integer)
    coupon: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)


# --- passu's own: runs, audit, benchmark data ---------------------------------


class ValuationRun(Base):
    """A stored valuation: one per (as_of, scope); approved runs lock their period."""

    __tablename__ = "valuation_runs"
    __table_args__ = (UniqueConstraint("as_of", "scope"),)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(16))  # draft | approved
    fingerprint: Mapped[str] = mapped_column(String(64))
    figures: Mapped[str] = mapped_column(Text)  # the run's JSON document, byte for byte
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))


class ValuationRunHistory(Base):
    """Figures of runs that were replaced or reopened: kept, never edited."""

    __tablename__ = "valuation_run_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    figures: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    superseded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    superseded_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)


class AuditRecord(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user: Mapped[str] = mapped_column(String(200))
    command: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)  # JSON: tables, counts, keys
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    # the database login that wrote the entry (PostgreSQL: session_user; SQLite: none)
    login: Mapped[str | None] = mapped_column(String(200))
    # SHA-256 of the previous entry's sha256 + this entry's canonical content (audit.py)
    sha256: Mapped[str | None] = mapped_column(String(64))


class GiltYield(Base):
    """Quarterly gilt yields loaded by users on top of the shipped series."""

    __tablename__ = "gilt_yields"
    __table_args__ = (UniqueConstraint("quarter_end", "tenor_years"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter_end: Mapped[dt.date] = mapped_column(Date)
    tenor_years: Mapped[int] = mapped_column(Integer)
    yield_: Mapped[Decimal] = mapped_column("yield", ExactDecimal)
    source: Mapped[str] = mapped_column(Text)


# The market tables import only the base, so registering them here is no cycle.
from passu.portfolio.store import market_models  # noqa: E402,F401  (registers them on Base.metadata)
