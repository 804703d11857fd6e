"""Derived counts, forecast against actual, and the outcomes summary of a fund scope.

Counts follow FORMAT.md "Derived counts"; with several funds in scope (ALL)
counts are distinct over the union and the funds' forecasts are summed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ._frames import (
    counts_to_date,
    fund_projects,
    in_scope,
    metrics_in_scope,
    optional_decimal,
    payments_to_date,
)
from .money import pence_to_decimal
from .outcomes import payments_against_caps

# The measures fund_forecasts may carry, in the order reports show them.
MEASURES = (
    "outcome_payments",
    "contracts",
    "outcomes_payers",
    "delivery_partners",
    "fiscal_value",
    "co_investors",
)


@dataclass(frozen=True)
class DerivedCounts:
    """Counts over the scope's projects (FORMAT.md "Derived counts")."""

    contracts: int  # rows of outcome_contracts in the projects
    outcomes_payers: int  # distinct payer over contract_payers of those contracts
    delivery_partners: int  # distinct organisation over delivery_partners of the projects
    co_investors: int  # distinct holder_id in the projects' holdings other than the funds


@dataclass(frozen=True)
class ForecastVsActual:
    """A fund forecast (summed over the funds in scope) beside the actual figure."""

    measure: str
    forecast: Decimal
    forecast_high: Decimal | None  # top of a range such as 20–30; None when no fund gave one
    actual: Decimal | int | None  # money in pounds, counts as int; None when not known


@dataclass(frozen=True)
class OutcomesSummary:
    """The headline outcomes figures of a scope at as_of."""

    as_of: dt.date
    payments: Decimal  # Σ outcome payments dated ≤ T
    forecast_payments: Decimal  # Σ over metrics of price × forecast count, periods ending ≤ T
    achieved_value: Decimal  # Σ over metrics of price × achieved count, periods ending ≤ T
    achieved: int
    forecast: int
    contracts: int
    payers: int
    delivery_partners: int
    co_investors: int
    over_cap_contracts: tuple[str, ...]
    forecast_vs_actual: tuple[ForecastVsActual, ...]


def derived_counts(
    *,
    outcome_contracts: pd.DataFrame,
    contract_payers: pd.DataFrame,
    delivery_partners: pd.DataFrame,
    holdings: pd.DataFrame,
    project_ids: Collection[str],
    fund_ids: Collection[str],
) -> DerivedCounts:
    """contracts, outcomes payers, delivery partners and co-investors of the projects.

    co-investors = distinct holder_id of holdings in the projects, other than
    any fund in fund_ids (with ALL, a fund holding beside another is not a
    co-investor).
    """
    contracts = in_scope(outcome_contracts, "project_id", project_ids)
    payers = contract_payers[contract_payers["contract_id"].isin(contracts["contract_id"])]
    partners = in_scope(delivery_partners, "project_id", project_ids)
    holders = in_scope(holdings, "project_id", project_ids)
    co_investors = holders[~holders["holder_id"].isin(list(fund_ids))]
    return DerivedCounts(
        contracts=len(contracts),
        outcomes_payers=int(payers["payer"].nunique()),
        delivery_partners=int(partners["organisation"].nunique()),
        co_investors=int(co_investors["holder_id"].nunique()),
    )


def forecast_vs_actual(
    fund_forecasts: pd.DataFrame,
    fund_ids: Collection[str],
    actuals: Mapping[str, Decimal | int | None],
) -> tuple[ForecastVsActual, ...]:
    """Every measure forecast by the funds in scope, with the actual from ``actuals``.

    forecast = Σ over the funds of forecast; forecast_high = Σ over the funds of
    (forecast_high, or forecast where a fund gave no range), None when no fund
    gave a range. A measure missing from ``actuals`` has actual None.
    Rows follow MEASURES order, then any other measure alphabetically.
    """
    rows = fund_forecasts[fund_forecasts["fund_id"].isin(list(fund_ids))]
    forecasts: dict[str, Decimal] = {}
    highs: dict[str, Decimal] = {}
    ranged: set[str] = set()
    # a handful of rows per fund: Decimal sums are done row by row
    for row in rows.itertuples(index=False):
        measure = str(row.measure)
        forecast = optional_decimal(row.forecast) or Decimal(0)
        high = optional_decimal(row.forecast_high)
        if high is not None:
            ranged.add(measure)
        forecasts[measure] = forecasts.get(measure, Decimal(0)) + forecast
        highs[measure] = highs.get(measure, Decimal(0)) + (forecast if high is None else high)
    order = {measure: position for position, measure in enumerate(MEASURES)}
    return tuple(
        ForecastVsActual(
            measure=measure,
            forecast=forecasts[measure],
            forecast_high=highs[measure] if measure in ranged else None,
            actual=actuals.get(measure),
        )
        for measure in sorted(forecasts, key=lambda m: (order.get(m, len(order)), m))
    )


def outcomes_summary(
    *,
    projects: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    contract_payers: pd.DataFrame,
    outcome_metrics: pd.DataFrame,
    outcomes: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    holdings: pd.DataFrame,
    delivery_partners: pd.DataFrame,
    fund_forecasts: pd.DataFrame,
    as_of: dt.date,
    fund_ids: Collection[str],
    project_ids: Collection[str] | None = None,
    fiscal_value: Decimal | None = None,
) -> OutcomesSummary:
    """The outcomes figures of the funds' projects at as_of.

    The scope is project_ids, or by default every project any fund in fund_ids
    holds. payments = Σ outcome payments dated ≤ T; forecast_payments = Σ over
    metrics of price × forecast count over periods ending ≤ T (what the
    forecast profile would have paid by T, before caps); achieved_value the
    same with achieved counts. fiscal_value is the social-value fiscal total
    for the same scope (social_value.py), the actual for the ``fiscal_value``
    forecast; None leaves that actual unknown.
    """
    scope = frozenset(project_ids) if project_ids is not None else fund_projects(holdings, fund_ids)
    metrics = metrics_in_scope(outcome_metrics, outcome_contracts, projects, scope)
    counts = counts_to_date(outcomes, as_of).merge(
        metrics[["metric_id", "price_pence"]], on="metric_id", how="inner"
    )
    price = counts["price_pence"].astype("int64")
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, scope)
    payments = pence_to_decimal(int(paid["amount_pence"].sum()))
    derived = derived_counts(
        outcome_contracts=outcome_contracts,
        contract_payers=contract_payers,
        delivery_partners=delivery_partners,
        holdings=holdings,
        project_ids=scope,
        fund_ids=fund_ids,
    )
    caps = payments_against_caps(
        outcome_contracts=outcome_contracts,
        outcome_payments=outcome_payments,
        as_of=as_of,
        project_ids=scope,
    )
    actuals: dict[str, Decimal | int | None] = {
        "outcome_payments": payments,
        "contracts": derived.contracts,
        "outcomes_payers": derived.outcomes_payers,
        "delivery_partners": derived.delivery_partners,
        "co_investors": derived.co_investors,
        "fiscal_value": fiscal_value,
    }
    return OutcomesSummary(
        as_of=as_of,
        payments=payments,
        forecast_payments=pence_to_decimal(int((price * counts["forecast"]).sum())),
        achieved_value=pence_to_decimal(int((price * counts["achieved"]).sum())),
        achieved=int(counts["achieved"].sum()),
        forecast=int(counts["forecast"].sum()),
        contracts=derived.contracts,
        payers=derived.outcomes_payers,
        delivery_partners=derived.delivery_partners,
        co_investors=derived.co_investors,
        over_cap_contracts=tuple(cap.contract_id for cap in caps if cap.over_cap),
        forecast_vs_actual=forecast_vs_actual(fund_forecasts, fund_ids, actuals),
    )
