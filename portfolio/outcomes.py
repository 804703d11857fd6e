"""``passu outcomes``: achieved against forecast, payments, caps, co-payment, social value.

Also the JSON-ready ``outcomes`` and ``social_value`` sections that ``passu value``
embeds. The scope of a fund (or of every fund together, ``ALL``) is the projects
any of its funds holds. Social value uses the portfolio's unit values merged
with the GMCA library (``unit_values.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Engine

from passu.portfolio.listing import Figure, Figures, Listing
from passu.portfolio.outcomes_tables import caps_listing, payers_listing, progress_listing
from passu.portfolio.reference.packaged import gdp_deflator, green_book_discount_schedule
from passu.portfolio.reference.unit_values import merged_unit_values
from passu.portfolio.register import (
    ILLUSTRATIVE,
    fund_scope,
    is_illustrative,
    load_all,
    scope_outcomes,
)
from passu.portfolio.store.frames import Ledger
from passu.valuation import economics, valuer
from passu.valuation.outcome_summary import OutcomesSummary
from passu.valuation.outcomes import outcome_progress
from passu.valuation.run import section_dict
from passu.valuation.social_value import SocialValueReport

By = Literal["project", "policy_area", "payer"]
BY_CHOICES = ("project", "policy_area", "payer")
MONEY_MEASURES = valuer.MONEY_MEASURES


scope_projects = valuer.scope_projects


def invested_in(frames: Ledger, project_ids: Collection[str], as_of: dt.date) -> Decimal:
    """Σ drawdowns dated ≤ T by every holder in the projects (valuation.economics)."""
    return economics.invested_in(frames.project_flows, project_ids, as_of)


def social_value_for(
    frames: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    price_year: int | None = None,
    discount: bool = False,
) -> SocialValueReport:
    """Social value of the scope's outcomes to date, per pound paid and per pound invested.

    per pound paid: ÷ outcome payments dated ≤ T into the scope's projects;
    per pound invested: ÷ Σ drawdowns dated ≤ T by every holder of those projects.
    ``discount`` applies the Green Book standard schedule (STPR 3.5% for years 0–30).
    """
    projects = scope_projects(frames, fund_ids)
    return _social_value(
        frames, projects, as_of, invested_in(frames, projects, as_of), price_year, discount
    )


def _social_value(
    frames: Ledger,
    projects: tuple[str, ...],
    as_of: dt.date,
    invested: Decimal,
    price_year: int | None = None,
    discount: bool = False,
) -> SocialValueReport:
    return valuer.scope_social_value(
        frames,
        projects,
        as_of,
        invested,
        merged_unit_values(frames.unit_values),
        price_year=price_year,
        # always given: unit values in several price years are rebased even when no
        # price year is asked for, exactly as the run does (portfolio/value.py)
        deflator=gdp_deflator(),
        discount_schedule=green_book_discount_schedule() if discount else None,
    )


def _summary(
    frames: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    fiscal_value: Decimal | None,
) -> OutcomesSummary:
    return scope_outcomes(frames, fund_ids, as_of, fiscal_value)


def summary_with_value(
    frames: Ledger, fund_ids: Collection[str], as_of: dt.date
) -> OutcomesSummary:
    """The outcomes summary whose ``fiscal_value`` actual is the social-value fiscal total
    (own price years, undiscounted) for the same scope."""
    fiscal = social_value_for(frames, fund_ids, as_of).total.fiscal
    return _summary(frames, fund_ids, as_of, fiscal)


# --- JSON-ready sections for `passu value` ---------------------------------------------


def outcomes_section(frames: Ledger, fund_ids: Collection[str], as_of: dt.date) -> dict[str, Any]:
    """The ``outcomes`` section of ``passu value`` JSON (money as strings, counts as ints)."""
    return _outcomes_dict(summary_with_value(frames, fund_ids, as_of))


def _outcomes_dict(summary: OutcomesSummary) -> dict[str, Any]:
    return dict(section_dict(valuer.outcomes_of(summary)))


def social_value_section(
    frames: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    price_year: int | None = None,
    discount: bool = False,
) -> dict[str, Any]:
    """The ``social_value`` section of ``passu value`` JSON.

    ``per_pound_paid`` and ``per_pound_invested`` are objects of numbers
    (fiscal, economic, social, total pounds of value per £1), null when the
    denominator is 0.
    """
    return _social_value_dict(social_value_for(frames, fund_ids, as_of, price_year, discount))


def _social_value_dict(report: SocialValueReport) -> dict[str, Any]:
    return dict(section_dict(valuer.social_value_of(report)))


# --- the command -------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastRow:
    """One measure of forecast against actual; ``kind`` says how its values read."""

    measure: str
    kind: Literal["money", "count"]
    forecast: Decimal | int | None
    forecast_high: Decimal | int | None
    actual: Decimal | int | None


@dataclass(frozen=True)
class OutcomesView:
    """What ``passu outcomes`` prints: headline figures, tables, forecast against actual."""

    summary: Figures
    tables: tuple[Listing, ...]
    forecast_vs_actual: tuple[ForecastRow, ...]


def _typed(measure: str, value: Decimal | int | None) -> Decimal | int | None:
    if value is None or measure in MONEY_MEASURES:
        return value
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def outcomes_report(engine: Engine, fund_id: str | None, as_of: dt.date, by: By) -> OutcomesView:
    """The outcomes of a fund (or ALL) at ``as_of``, broken down ``by`` project, policy
    area or payer, with caps, co-payment per contract and forecast against actual."""
    frames = load_all(engine, as_of)
    label, fund_ids = fund_scope(frames, fund_id)
    projects = scope_projects(frames, fund_ids)
    value = social_value_for(frames, fund_ids, as_of)
    summary = _summary(frames, fund_ids, as_of, value.total.fiscal)
    common = {
        "outcome_contracts": frames.outcome_contracts,
        "outcome_payments": frames.outcome_payments,
        "as_of": as_of,
        "project_ids": projects,
    }
    fund_row = outcome_progress(
        outcomes=frames.outcomes,
        outcome_metrics=frames.outcome_metrics,
        projects=frames.projects,
        level="fund",
        scope_label=label,
        **common,  # type: ignore[arg-type]
    )[0]
    notes = [ILLUSTRATIVE] if is_illustrative(frames) else []
    if summary.over_cap_contracts:
        notes.append("Over cap: " + ", ".join(summary.over_cap_contracts))
    figures = Figures(
        f"Outcomes: {'all funds together' if label == 'ALL' else 'fund ' + label}",
        (
            Figure("fund_id", label),
            Figure("as_of", as_of, "date", "as of"),
            Figure("projects", len(projects), "count"),
            Figure("achieved", summary.achieved, "count", "outcomes achieved"),
            Figure("forecast", summary.forecast, "count", "outcomes forecast"),
            Figure("payments", summary.payments, "money", "outcome payments"),
            Figure("forecast_payments", summary.forecast_payments, "money", "forecast payments"),
            Figure("cost_per_outcome", fund_row.cost_per_outcome, "money", "cost per outcome"),
            Figure("contracts", summary.contracts, "count", "outcomes contracts"),
            Figure("over_cap_contracts", len(summary.over_cap_contracts), "count", "over cap"),
            Figure("payers", summary.payers, "count", "outcomes payers"),
            Figure("delivery_partners", summary.delivery_partners, "count", "delivery partners"),
            Figure("co_investors", summary.co_investors, "count", "direct co-investors"),
            Figure("fiscal_value", value.total.fiscal, "money", "fiscal value"),
            Figure("economic_value", value.total.economic, "money", "economic value"),
            Figure("social_value", value.total.social, "money", "social value"),
            Figure("total_value", value.total.total, "money", "total value"),
        ),
        tuple(notes),
    )
    if by == "payer":
        breakdown = payers_listing(frames, as_of, projects, by_contract=False)
    else:
        breakdown = progress_listing(frames, as_of, projects, by)
    tables = (
        breakdown,
        caps_listing(frames, as_of, projects),
        payers_listing(frames, as_of, projects, by_contract=True),
    )
    forecasts = tuple(
        ForecastRow(
            measure=row.measure,
            kind="money" if row.measure in MONEY_MEASURES else "count",
            forecast=_typed(row.measure, row.forecast),
            forecast_high=_typed(row.measure, row.forecast_high),
            actual=_typed(row.measure, row.actual),
        )
        for row in summary.forecast_vs_actual
    )
    return OutcomesView(figures, tables, forecasts)
