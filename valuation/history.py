"""The fund over time: year-end dates, the investors' cumulative cash (the J-curve) and the
NAV bridge between two stored runs.

J-curve, from the investors' side, flow date by flow date::

    cumulative net cash(d) = Σ distributions dated ≤ d − Σ calls dated ≤ d
    net cash + NAV(d)      = cumulative net cash(d) + the fund's NAV at d

where net cash + NAV crosses zero the investors are whole.

NAV bridge between two runs of one scope (t0 < t1), from the figures each stored::

    contributions  = paid-in(t1) − paid-in(t0)        (calls dated in (t0, t1])
    distributions  = distributed(t1) − distributed(t0)
    value change   = closing NAV − opening NAV − contributions + distributions

so the bridge starts on the NAV the committee approved at t0 and closes on the
run it reads. (``nav_bridge.fund_nav_bridge`` values both dates afresh from one
ledger; on unchanged data the two agree to the penny.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .money import pence_to_decimal
from .nav_bridge import NavBridge

__all__ = [
    "CashPoint",
    "FundTotals",
    "bridge_between_runs",
    "cumulative_cash",
    "first_call",
    "net_cash_at",
    "year_ends",
]


@dataclass(frozen=True)
class CashPoint:
    date: dt.date
    cumulative_net: Decimal  # Σ distributions − Σ calls to date, from the investors' side


@dataclass(frozen=True)
class FundTotals:
    """What a run stored about its fund that a bridge needs, in pounds."""

    as_of: dt.date
    nav: Decimal
    paid_in: Decimal
    distributed: Decimal


def _in_funds(investor_flows: pd.DataFrame, fund_ids: Collection[str]) -> pd.DataFrame:
    return investor_flows[investor_flows["fund_id"].isin(list(fund_ids))]


def first_call(investor_flows: pd.DataFrame, fund_ids: Collection[str]) -> dt.date | None:
    """The date of the funds' first investor flow; None before any."""
    flows = _in_funds(investor_flows, fund_ids)
    return None if flows.empty else pd.Timestamp(flows["date"].min()).date()


def year_ends(first: dt.date, as_of: dt.date) -> tuple[dt.date, ...]:
    """Every 31 December from the first flow's year that falls before the as-of date."""
    return tuple(
        dt.date(year, 12, 31)
        for year in range(first.year, as_of.year + 1)
        if dt.date(year, 12, 31) < as_of
    )


def cumulative_cash(
    investor_flows: pd.DataFrame, fund_ids: Collection[str], as_of: dt.date
) -> tuple[CashPoint, ...]:
    """The J-curve: the investors' running net cash (distributions − calls), day by day."""
    flows = _in_funds(investor_flows, fund_ids)
    flows = flows[flows["date"] <= pd.Timestamp(as_of)]
    if flows.empty:
        return ()
    signed = flows["amount_pence"].where(flows["kind"] == "distribution", -flows["amount_pence"])
    by_day = signed.groupby(flows["date"]).sum().sort_index().cumsum()
    return tuple(
        CashPoint(pd.Timestamp(day).date(), pence_to_decimal(int(total)))
        for day, total in by_day.items()
    )


def net_cash_at(cash: tuple[CashPoint, ...], day: dt.date) -> Decimal:
    """The cumulative net cash on ``day``: the last point dated on or before it, else nil."""
    before = [c.cumulative_net for c in cash if c.date <= day]
    return before[-1] if before else Decimal("0.00")


def bridge_between_runs(scope: str, opening: FundTotals, closing: FundTotals) -> NavBridge:
    """The NAV bridge from one stored run's fund figures to a later one's (module docstring)."""
    if closing.as_of < opening.as_of:
        raise ValueError(f"a NAV bridge runs forwards: {opening.as_of} is after {closing.as_of}")
    contributions = closing.paid_in - opening.paid_in
    distributions = closing.distributed - opening.distributed
    return NavBridge(
        fund_id=scope,
        start=opening.as_of,
        end=closing.as_of,
        opening_nav=opening.nav,
        contributions=contributions,
        distributions=distributions,
        value_change=closing.nav - opening.nav - contributions + distributions,
        closing_nav=closing.nav,
    )
