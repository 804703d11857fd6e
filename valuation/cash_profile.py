"""The quarterly cash profile of one or more projects, with a what-if without innovation.

Per calendar quarter, over rows dated on or before T (from the project's point
of view: money in is positive)::

    net = drawdowns + outcome receipts − spending − returns to holders
    spending = delivery + innovation + management + other (project_costs)
    returns to holders = repayments + interest + dividends (write-offs move no cash)
    cumulative net = running Σ of net

The what-if ``without_innovation=True, productivity_gain=G`` asks what the
partnership would have looked like had it not innovated: innovation spending
is dropped and each quarter's outcome receipts are divided by (1 + G), the
productivity the innovations are credited with, rounded to the penny (half up)
per quarter so the profile still adds up. Drawdowns and returns are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from ._frames import in_scope, payments_to_date, timestamp
from .money import pence_to_decimal, round_half_up
from .receipts import RECEIPT_KINDS

SPENDING = ("delivery", "innovation", "management", "other")
COLUMNS = ("drawdowns", *SPENDING, "outcome_receipts", "returns_to_holders")


@dataclass(frozen=True)
class CashQuarter:
    """One calendar quarter of the cash profile (pounds)."""

    quarter: str  # "2024Q1"
    quarter_end: dt.date
    drawdowns: Decimal
    delivery: Decimal
    innovation: Decimal
    management: Decimal
    other: Decimal
    outcome_receipts: Decimal
    returns_to_holders: Decimal
    net: Decimal
    cumulative_net: Decimal


def cash_profile(
    *,
    project_flows: pd.DataFrame,
    project_costs: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
    without_innovation: bool = False,
    productivity_gain: Decimal = Decimal(0),
) -> tuple[CashQuarter, ...]:
    """Quarter by quarter cash in and out of the projects together (definitions above).

    Every quarter from the first with a row to the last with one is listed,
    quiet quarters with zeros.
    """
    profiles = cash_profiles(
        project_flows=project_flows,
        project_costs=project_costs,
        outcome_payments=outcome_payments,
        outcome_contracts=outcome_contracts,
        as_of=as_of,
        project_ids=project_ids,
        without_innovation=without_innovation,
        productivity_gain=productivity_gain,
        by_project=False,
    )
    return profiles.get("", ())


def cash_profiles(
    *,
    project_flows: pd.DataFrame,
    project_costs: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
    without_innovation: bool = False,
    productivity_gain: Decimal = Decimal(0),
    by_project: bool = True,
) -> dict[str, tuple[CashQuarter, ...]]:
    """Each project's own cash profile, all in one pass; a project with no rows has none.

    ``by_project=False`` adds the projects together, under the key "".
    """
    if productivity_gain <= -1:
        raise ValueError("productivity_gain must be above -1 (receipts ÷ (1 + gain))")
    if productivity_gain != 0 and not without_innovation:
        # the gain is what the innovations bought: it only means something without them
        raise ValueError("productivity_gain applies only with without_innovation=True")
    rows = _cash_rows(
        project_flows,
        project_costs,
        outcome_payments,
        outcome_contracts,
        as_of,
        project_ids,
        without_innovation=without_innovation,
    )
    if rows.empty:
        return {}
    rows = rows.assign(
        group=rows["project_id"] if by_project else "", quarter=rows["date"].dt.to_period("Q")
    )
    # integer pence throughout: unstack's fill keeps int64 where a pivot would pass via float
    sums = rows.groupby(["group", "quarter", "column"])["amount_pence"].sum()
    table = sums.unstack("column", fill_value=0).reindex(columns=list(COLUMNS), fill_value=0)
    return {
        str(group): _quarters(quarterly.droplevel("group"), without_innovation, productivity_gain)
        for group, quarterly in table.groupby(level="group", sort=True)
    }


def _quarters(
    table: pd.DataFrame, without_innovation: bool, productivity_gain: Decimal
) -> tuple[CashQuarter, ...]:
    """One profile from its quarterly sums (pence), quiet quarters filled with zeros."""
    quarters = pd.period_range(table.index.min(), table.index.max(), freq="Q")
    table = table.reindex(index=quarters, fill_value=0)
    divisor = Decimal(1) + productivity_gain
    profile = []
    cumulative = Decimal("0.00")
    rows = table.to_numpy(dtype="int64").tolist()  # Python ints: no NumPy scalar per cell
    for quarter, row in zip(quarters, rows, strict=True):
        amounts = {column: pence_to_decimal(v) for column, v in zip(COLUMNS, row, strict=True)}
        if without_innovation:
            amounts["outcome_receipts"] = round_half_up(amounts["outcome_receipts"] / divisor)
        spending = sum((amounts[column] for column in SPENDING), Decimal(0))
        net = (
            amounts["drawdowns"]
            + amounts["outcome_receipts"]
            - spending
            - amounts["returns_to_holders"]
        )
        cumulative += net
        name, end = _quarter(quarter)
        profile.append(
            CashQuarter(
                quarter=name,
                quarter_end=end,
                **amounts,
                net=net,
                cumulative_net=cumulative,
            )
        )
    return tuple(profile)


@lru_cache(maxsize=4096)
def _quarter(quarter: pd.Period) -> tuple[str, dt.date]:
    """A quarter's name and last day (worked out once: thousands of projects share them)."""
    return str(quarter), quarter.end_time.date()


def cash_held(
    *,
    project_flows: pd.DataFrame,
    project_costs: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    cut: Mapping[str, dt.date | pd.Timestamp],
) -> dict[str, int]:
    """project_id → the cash it holds at its own cut date (pence): the cumulative net of
    its cash profile over rows dated on or before that date, never below nil.

    Only projects with spending recorded (any ``project_costs`` row, at any date) are
    listed: without it the ledger sees only the holders' side of a project's cash, and
    drawdowns less returns would pass for cash that was in fact spent. A negative
    cumulative net (spending the ledger does not see funded) is held as nil.
    """
    ids = [p for p in cut if p in set(project_costs["project_id"])]
    if not ids:
        return {}
    latest = max(timestamp(cut[p]) for p in ids).date()
    rows = _cash_rows(
        project_flows, project_costs, outcome_payments, outcome_contracts, latest, ids
    )
    day = rows["project_id"].map({p: timestamp(cut[p]) for p in ids})
    rows = rows[rows["date"] <= day]
    inflow = rows["column"].isin(("drawdowns", "outcome_receipts"))
    signed = rows["amount_pence"].where(inflow, -rows["amount_pence"])
    net = signed.groupby(rows["project_id"]).sum()
    return {p: max(int(net.get(p, 0)), 0) for p in ids}


def _cash_rows(
    project_flows: pd.DataFrame,
    project_costs: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None,
    *,
    without_innovation: bool = False,
) -> pd.DataFrame:
    """Every row that moves a project's cash, dated on or before as_of: project_id,
    date, column (one of ``COLUMNS``), amount_pence (unsigned)."""
    cutoff = timestamp(as_of)
    flows = in_scope(project_flows[project_flows["date"] <= cutoff], "project_id", project_ids)
    costs = in_scope(project_costs[project_costs["date"] <= cutoff], "project_id", project_ids)
    if without_innovation:
        costs = costs[costs["category"] != "innovation"]
    receipts = payments_to_date(outcome_payments, outcome_contracts, None, as_of, project_ids)
    parts = [
        _labelled(flows[flows["kind"] == "drawdown"], "drawdowns"),
        # a holder's receipts are the project's returns to holders
        _labelled(flows[flows["kind"].isin(RECEIPT_KINDS)], "returns_to_holders"),
        _labelled(receipts, "outcome_receipts"),
        _labelled(costs, costs["category"]),
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=["project_id", "date", "column", "amount_pence"])
    return pd.concat(parts, ignore_index=True)


def _labelled(frame: pd.DataFrame, column: str | pd.Series) -> pd.DataFrame:
    return frame.assign(column=column)[["project_id", "date", "column", "amount_pence"]]
