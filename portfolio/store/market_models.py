"""Storage for the market view: the INDIGO Impact Bond Dataset as ``passu market import``
loads it (``indigo.read_indigo``'s frames, one table each), plus a note of the import.

Amounts are in each row's own currency and often carry more than two decimals
or come from a range, so they are exact decimals (``ExactDecimal``), not
``Money``. Lists of ids (a project's countries and organisations, a payment's
payers) are stored comma-separated. Every import replaces all of these rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passu.portfolio.store.base import Base
from passu.portfolio.store.types import ExactDecimal

KEY = String(200)


class MarketImport(Base):
    """Where the market data came from, when and by whom (one row: the latest import)."""

    __tablename__ = "market_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(Text)
    projects: Mapped[int] = mapped_column(Integer)
    skipped_rows: Mapped[int] = mapped_column(Integer)


class MarketProject(Base):
    __tablename__ = "market_projects"
    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(Text)
    countries: Mapped[str] = mapped_column(Text)
    policy_sector: Mapped[str] = mapped_column(Text)
    social_challenge: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    capital_raised: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    capital_min: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    capital_max: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    capital_is_range: Mapped[bool] = mapped_column(Boolean)
    capital_raised_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    max_outcome_payment: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    max_outcome_payment_currency: Mapped[str] = mapped_column(Text)
    max_outcome_payment_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    outcome_contract_signed: Mapped[dt.date | None] = mapped_column(Date)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    anticipated_end_date: Mapped[dt.date | None] = mapped_column(Date)
    actual_end_date: Mapped[dt.date | None] = mapped_column(Date)
    organisation_ids: Mapped[str] = mapped_column(Text)
    finance_notes: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class MarketOrganisation(Base):
    __tablename__ = "market_organisations"
    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(Text)
    jurisdiction: Mapped[str] = mapped_column(Text)


class MarketInvestment(Base):
    __tablename__ = "market_investments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(KEY, ForeignKey("market_projects.id"))
    investment_id: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[str] = mapped_column(Text)
    role_category: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    amount_min: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    amount_max: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    amount_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    investment_type: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class MarketOutcomePayment(Base):
    __tablename__ = "market_outcome_payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(KEY, ForeignKey("market_projects.id"))
    plan_id: Mapped[str] = mapped_column(Text)
    metric_id: Mapped[str] = mapped_column(Text)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    payer_ids: Mapped[str] = mapped_column(Text)
    recipient_ids: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    amount_usd: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    notes: Mapped[str] = mapped_column(Text)


class MarketResult(Base):
    __tablename__ = "market_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(KEY, ForeignKey("market_projects.id"))
    metric_id: Mapped[str] = mapped_column(Text)
    result_level: Mapped[str] = mapped_column(Text)
    result_type: Mapped[str] = mapped_column(Text)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    outcomes_achieved: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    outcomes_achieved_text: Mapped[str] = mapped_column(Text)
    number_engaged: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    number_engaged_text: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class MarketOutcomeMetric(Base):
    __tablename__ = "market_outcome_metrics"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(KEY, ForeignKey("market_projects.id"))
    metric_key: Mapped[str] = mapped_column(Text)  # INDIGO's own "Id" of the metric
    definition: Mapped[str] = mapped_column(Text)
    target_population: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    validation_method: Mapped[str] = mapped_column(Text)
    data_source: Mapped[str] = mapped_column(Text)
    policy_sector: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


# Children first: the order to delete in (and, reversed, to insert in).
MARKET_TABLES = (
    MarketOutcomeMetric,
    MarketResult,
    MarketOutcomePayment,
    MarketInvestment,
    MarketOrganisation,
    MarketProject,
    MarketImport,
)
