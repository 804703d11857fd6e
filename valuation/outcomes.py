"""Outcomes achieved against forecast, payments against caps, cost per outcome, co-payment.

"To date" at an as-of date T means outcome periods ending on or before T and
payments dated on or before T; a period ending after T is still running and
counts for nothing yet. Counts are added up with pandas; money is int64 pence
inside and ``Decimal`` pounds on the way out.

Derived counts, forecast against actual and the summary are in
``outcome_summary.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from ._frames import (
    in_scope,
    metrics_in_scope,
    optional_decimal,
    payments_to_date,
    ratio,
    timestamp,
)
from .money import pence_to_decimal, round_half_up

Level = Literal["metric", "contract", "project", "policy_area", "fund"]
LEVEL_COLUMN = {
    "metric": "metric_id",
    "contract": "contract_id",
    "project": "project_id",
    "policy_area": "policy_area",
}


@dataclass(frozen=True)
class OutcomeProgress:
    """Outcomes to date for one metric, contract, project, policy area or the fund."""

    level: str
    key: str
    achieved: int
    forecast: int
    achieved_value: Decimal  # Σ price × achieved: what the contracts price the outcomes at
    forecast_value: Decimal  # Σ price × forecast
    payments: Decimal  # outcome payments dated ≤ T (metric level: payments naming the metric)
    cost_per_outcome: Decimal | None
    note: str | None  # why cost_per_outcome is None


@dataclass(frozen=True)
class OutcomePeriod:
    """Outcomes in one period (period_end) for one key of a level."""

    level: str
    key: str
    period_end: dt.date
    achieved: int
    forecast: int
    achieved_value: Decimal
    forecast_value: Decimal


@dataclass(frozen=True)
class CapBreach:
    """The payment that first took a contract's payments over its cap."""

    date: dt.date
    payer: str
    amount: Decimal
    paid_after: Decimal  # payments to the contract including this one
    over_by: Decimal  # paid_after − cap


@dataclass(frozen=True)
class CapPosition:
    """Outcome payments to date against a contract's cap."""

    contract_id: str
    project_id: str
    cap: Decimal | None  # None: no cap recorded
    paid: Decimal
    headroom: Decimal | None  # cap − paid; negative when over the cap
    over_cap: bool
    first_breach: CapBreach | None


@dataclass(frozen=True)
class PayerShare:
    """One payer's part of the outcome payments and of the commitments (co-payment)."""

    payer: str
    payer_kind: str | None  # None: the payer paid but is not on the contract's payers
    contract_id: str | None  # None: across every contract in scope
    paid: Decimal
    paid_share: Decimal | None  # paid ÷ all payments; None when nothing was paid
    committed: Decimal  # Σ share × cap, rounded once to the penny
    committed_share: Decimal | None  # committed ÷ all commitments


def outcome_payments_to_date(
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
) -> Decimal:
    """Σ outcome payments dated ≤ T into the projects' contracts, from every payer."""
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, project_ids)
    return pence_to_decimal(int(paid["amount_pence"].sum()))


def cost_per_outcome(payments: Decimal, achieved: int) -> tuple[Decimal | None, str | None]:
    """cost per outcome = payments ÷ outcomes achieved, to the penny (half up).

    Returns (None, reason) when no outcome has been achieved.
    """
    if achieved == 0:
        reason = "no outcomes achieved" if payments == 0 else "payments but no outcomes achieved"
        return None, reason
    return round_half_up(payments / achieved), None


def outcome_progress(
    *,
    outcomes: pd.DataFrame,
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    as_of: dt.date,
    level: Level = "project",
    project_ids: Collection[str] | None = None,
    scope_label: str = "fund",
) -> tuple[OutcomeProgress, ...]:
    """Achieved against forecast to date, with payments and cost per outcome, per key of a level.

    achieved, forecast = Σ counts over periods ending ≤ T; achieved_value =
    Σ price × achieved; forecast_value = Σ price × forecast; payments = Σ
    payments dated ≤ T; cost_per_outcome = payments ÷ achieved. At metric
    level only payments naming the metric count (a payment with no metric_id
    belongs to its contract), so metric rows need not add up to their contract.
    The fund level is one row keyed ``scope_label`` over every project in scope.
    Every metric, contract or project in scope has a row, with zeros if need be.
    """
    keys = _level_keys(outcome_metrics, outcome_contracts, projects, level, project_ids)
    counts = _priced_counts(
        outcomes, outcome_metrics, outcome_contracts, projects, as_of, project_ids
    )
    counts = _with_key(counts, level, scope_label)
    totals = counts.groupby("key")[["achieved", "forecast", "achieved_pence", "forecast_pence"]]
    totals = totals.sum()

    paid = payments_to_date(outcome_payments, outcome_contracts, projects, as_of, project_ids)
    if level == "metric":
        paid = paid[paid["metric_id"].notna()]
    paid_by_key = _with_key(paid, level, scope_label).groupby("key")["amount_pence"].sum()

    key_set = set(keys) if level != "fund" else {scope_label}
    rows = []
    for key in sorted(key_set | set(totals.index) | set(paid_by_key.index)):
        achieved = int(totals["achieved"].get(key, 0))
        payments = pence_to_decimal(paid_by_key.get(key, 0))
        cost, note = cost_per_outcome(payments, achieved)
        rows.append(
            OutcomeProgress(
                level=level,
                key=str(key),
                achieved=achieved,
                forecast=int(totals["forecast"].get(key, 0)),
                achieved_value=pence_to_decimal(totals["achieved_pence"].get(key, 0)),
                forecast_value=pence_to_decimal(totals["forecast_pence"].get(key, 0)),
                payments=payments,
                cost_per_outcome=cost,
                note=note,
            )
        )
    return tuple(rows)


def outcome_progress_by_period(
    *,
    outcomes: pd.DataFrame,
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
    level: Level = "project",
    project_ids: Collection[str] | None = None,
    scope_label: str = "fund",
) -> tuple[OutcomePeriod, ...]:
    """Achieved against forecast per period (period_end ≤ T) per key of a level.

    Same sums as outcome_progress, grouped also by period_end; sorted by key,
    then period.
    """
    counts = _priced_counts(
        outcomes, outcome_metrics, outcome_contracts, projects, as_of, project_ids
    )
    counts = _with_key(counts, level, scope_label)
    columns = ["achieved", "forecast", "achieved_pence", "forecast_pence"]
    totals = counts.groupby(["key", "period_end"], as_index=False)[columns].sum()
    totals = totals.sort_values(["key", "period_end"])
    return tuple(
        OutcomePeriod(
            level=level,
            key=str(row.key),
            period_end=pd.Timestamp(row.period_end).date(),
            achieved=int(row.achieved),
            forecast=int(row.forecast),
            achieved_value=pence_to_decimal(row.achieved_pence),
            forecast_value=pence_to_decimal(row.forecast_pence),
        )
        for row in totals.itertuples(index=False)
    )


def payments_against_caps(
    *,
    outcome_contracts: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
) -> tuple[CapPosition, ...]:
    """Each contract's payments to date against its cap.

    paid = Σ payments dated ≤ T; headroom = cap − paid; over_cap when paid > cap.
    The first breach is the payment at which the running total, in date order
    (payer, then amount, breaking ties within a day), first exceeds the cap.
    """
    contracts = in_scope(outcome_contracts, "project_id", project_ids)
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, project_ids)
    paid = paid.sort_values(["contract_id", "date", "payer", "amount_pence"], kind="mergesort")
    paid = paid.assign(cumulative=paid.groupby("contract_id")["amount_pence"].cumsum())
    paid = paid.merge(contracts[["contract_id", "cap_pence"]], on="contract_id", how="left")
    capped = paid[paid["cap_pence"].notna()]
    breaches = capped[capped["cumulative"] > capped["cap_pence"]].groupby("contract_id").head(1)
    breach_by_contract = {row.contract_id: row for row in breaches.itertuples(index=False)}
    totals = paid.groupby("contract_id")["amount_pence"].sum()

    positions = []
    for row in contracts.sort_values("contract_id").itertuples(index=False):
        paid_total = pence_to_decimal(totals.get(row.contract_id, 0))
        cap = None if pd.isna(row.cap_pence) else pence_to_decimal(row.cap_pence)
        breach = breach_by_contract.get(row.contract_id)
        positions.append(
            CapPosition(
                contract_id=str(row.contract_id),
                project_id=str(row.project_id),
                cap=cap,
                paid=paid_total,
                headroom=None if cap is None else cap - paid_total,
                over_cap=breach is not None,
                first_breach=None if breach is None else _breach(breach),
            )
        )
    return tuple(positions)


def payer_shares(
    *,
    outcome_contracts: pd.DataFrame,
    contract_payers: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
    by_contract: bool = False,
) -> tuple[PayerShare, ...]:
    """Each payer's share of outcome payments to date and of commitments (co-payment).

    paid = Σ the payer's payments dated ≤ T; paid_share = paid ÷ Σ all payments;
    committed = Σ over its contracts of share × cap; committed_share =
    committed ÷ Σ all commitments (shares exact, unrounded). Across the scope
    by default; per contract (shares within each contract) with by_contract.
    """
    contracts = in_scope(outcome_contracts, "project_id", project_ids)
    payers = contract_payers.merge(
        contracts[["contract_id", "cap_pence"]], on="contract_id", how="inner"
    )
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, project_ids)
    group = ["contract_id", "payer"] if by_contract else ["payer"]

    committed: dict[tuple[str, ...], Decimal] = {}
    kinds: dict[str, str] = {}
    # share × cap is a Decimal product per payer row; contract_payers is a short table
    for row in payers.sort_values(["contract_id", "payer"]).itertuples(index=False):
        key = tuple(str(getattr(row, column)) for column in group)
        share = optional_decimal(row.share) or Decimal(0)
        cap = Decimal(0) if pd.isna(row.cap_pence) else Decimal(int(row.cap_pence))
        committed[key] = committed.get(key, Decimal(0)) + share * cap
        kinds.setdefault(str(row.payer), str(row.payer_kind))
    paid_by_key = {
        tuple(str(part) for part in (key if isinstance(key, tuple) else (key,))): int(amount)
        for key, amount in paid.groupby(group)["amount_pence"].sum().items()
    }

    def scope_of(key: tuple[str, ...]) -> str:
        # shares are taken within a contract (by_contract) or across the whole scope
        return key[0] if by_contract else ""

    paid_totals: dict[str, int] = {}
    committed_totals: dict[str, Decimal] = {}
    for key, amount in paid_by_key.items():
        paid_totals[scope_of(key)] = paid_totals.get(scope_of(key), 0) + amount
    for key, exact in committed.items():
        committed_totals[scope_of(key)] = committed_totals.get(scope_of(key), Decimal(0)) + exact

    rows = []
    for key in sorted(set(committed) | set(paid_by_key)):
        paid_pence = paid_by_key.get(key, 0)
        committed_pence = committed.get(key, Decimal(0))
        rows.append(
            PayerShare(
                payer=key[-1],
                payer_kind=kinds.get(key[-1]),
                contract_id=key[0] if by_contract else None,
                paid=pence_to_decimal(paid_pence),
                paid_share=ratio(Decimal(paid_pence), paid_totals.get(scope_of(key), 0)),
                committed=round_half_up(committed_pence.scaleb(-2)),
                committed_share=ratio(
                    committed_pence, committed_totals.get(scope_of(key), Decimal(0))
                ),
            )
        )
    return tuple(rows)


def _priced_counts(
    outcomes: pd.DataFrame,
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None,
) -> pd.DataFrame:
    """Outcome rows of periods ending ≤ T, with their metric's scope columns and
    price × count in pence (int64: a count times a price in pence)."""
    metrics = metrics_in_scope(outcome_metrics, outcome_contracts, projects, project_ids)
    done = outcomes[outcomes["period_end"] <= timestamp(as_of)]
    rows = done.merge(metrics, on="metric_id", how="inner")
    return rows.assign(
        achieved_pence=rows["achieved"].astype("int64") * rows["price_pence"].astype("int64"),
        forecast_pence=rows["forecast"].astype("int64") * rows["price_pence"].astype("int64"),
    )


def _with_key(frame: pd.DataFrame, level: Level, scope_label: str) -> pd.DataFrame:
    """The frame with a ``key`` column holding the level's grouping value."""
    if level == "fund":
        return frame.assign(key=scope_label)
    return frame.assign(key=frame[LEVEL_COLUMN[level]].astype(str))


def _level_keys(
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    level: Level,
    project_ids: Collection[str] | None,
) -> list[str]:
    """Every key of the level in scope, so keys with nothing to date still get a row."""
    if level == "metric":
        frame = metrics_in_scope(outcome_metrics, outcome_contracts, projects, project_ids)
        return [str(key) for key in frame["metric_id"]]
    if level == "contract":
        frame = in_scope(outcome_contracts, "project_id", project_ids)
        return [str(key) for key in frame["contract_id"]]
    if level == "fund":
        return []
    frame = in_scope(projects, "project_id", project_ids)
    return [str(key) for key in frame[LEVEL_COLUMN[level]].dropna()]


def _breach(row: Any) -> CapBreach:
    """The breach record from a payments row carrying cumulative and cap_pence."""
    cumulative = int(row.cumulative)
    cap = int(row.cap_pence)
    return CapBreach(
        date=pd.Timestamp(row.date).date(),
        payer=str(row.payer),
        amount=pence_to_decimal(int(row.amount_pence)),
        paid_after=pence_to_decimal(cumulative),
        over_by=pence_to_decimal(cumulative - cap),
    )
