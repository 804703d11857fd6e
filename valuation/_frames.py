"""Small private helpers shared by the outcomes-side modules.

Scope filters, to-date filters and missing-cell handling used by outcomes,
social value, economics and claims; pence ↔ pounds lives in ``money.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import pandas as pd


def timestamp(as_of: dt.date) -> pd.Timestamp:
    """The as-of date as a pandas Timestamp, comparable with datetime64 columns."""
    return pd.Timestamp(as_of)


def optional_decimal(value: Any) -> Decimal | None:
    """A Decimal, or None for a missing cell (None, NaN, NaT, pd.NA).

    Floats are read through ``repr`` so that 0.1 becomes Decimal('0.1'), not
    its binary expansion; the storage layer should hand over Decimals anyway.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else Decimal(repr(value))
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    return Decimal(value)


def optional_date(value: Any) -> dt.date | None:
    """A ``datetime.date`` from a Timestamp cell, or None for NaT/None."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def in_scope(frame: pd.DataFrame, column: str, ids: Collection[str] | None) -> pd.DataFrame:
    """Rows whose ``column`` is in ``ids``; every row when ``ids`` is None."""
    if ids is None:
        return frame
    return frame[frame[column].isin(list(ids))]


def ratio(numerator: Decimal, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator, exact to the context precision; None when it is 0."""
    if denominator == 0:
        return None
    return numerator / Decimal(denominator)


def metrics_in_scope(
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    project_ids: Collection[str] | None,
) -> pd.DataFrame:
    """Outcome metrics with their contract's project_id and the project's policy_area.

    Columns: the metric's own (metric_id, contract_id, name, price_pence,
    unit_value_code) plus project_id and policy_area; only projects in scope.
    """
    contracts = outcome_contracts[["contract_id", "project_id"]]
    areas = projects[["project_id", "policy_area"]]
    frame = outcome_metrics.merge(contracts, on="contract_id", how="inner", validate="m:1")
    frame = frame.merge(areas, on="project_id", how="left", validate="m:1")
    return in_scope(frame, "project_id", project_ids)


def counts_to_date(outcomes: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Achieved and forecast counts per metric over periods ending on or before as_of.

    A period ending after as_of is not yet complete at as_of, so none of it
    counts (the period's counts are reported for the whole period).
    """
    done = outcomes[outcomes["period_end"] <= timestamp(as_of)]
    totals = done.groupby("metric_id", as_index=False)[["achieved", "forecast"]].sum()
    return totals.astype({"achieved": "int64", "forecast": "int64"})


def payments_to_date(
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame | None,
    as_of: dt.date,
    project_ids: Collection[str] | None,
) -> pd.DataFrame:
    """Outcome payments dated on or before as_of, with the contract's project_id
    (and the project's policy_area when projects is given); only projects in scope."""
    paid = outcome_payments[outcome_payments["date"] <= timestamp(as_of)]
    paid = paid.merge(
        outcome_contracts[["contract_id", "project_id"]], on="contract_id", how="inner"
    )
    if projects is not None:
        paid = paid.merge(projects[["project_id", "policy_area"]], on="project_id", how="left")
    return in_scope(paid, "project_id", project_ids)


def fund_projects(holdings: pd.DataFrame, fund_ids: Collection[str]) -> frozenset[str]:
    """The projects in which any of the funds holds a stake: a fund's scope."""
    held = holdings[holdings["holder_id"].isin(list(fund_ids))]
    return frozenset(str(project_id) for project_id in held["project_id"].unique())
