"""NAV bridges between two dates t0 < t1: where the change in value came from.

Fund level (investors' view):
    opening NAV (at t0) + contributions − distributions + value change = closing NAV (at t1)
where contributions = calls dated in (t0, t1], distributions = distributions
dated in (t0, t1], and value change = closing − opening − contributions +
distributions (gains, losses, income and expenses), so the bridge reconciles
to the penny by construction.

Holdings level (the portfolio's view):
    opening holdings NAV + drawdowns − receipts + value change = closing holdings NAV
with drawdowns and receipts of those holdings dated in (t0, t1].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .fund import value_fund
from .holdings import holding_positions, restrict_holdings
from .money import pence_to_decimal
from .receipts import RECEIPT_KINDS

__all__ = ["HoldingsNavBridge", "NavBridge", "fund_nav_bridge", "holdings_nav_bridge"]


@dataclass(frozen=True, slots=True)
class NavBridge:
    """A fund's NAV from ``start`` to ``end``, in pounds."""

    fund_id: str
    start: dt.date
    end: dt.date
    opening_nav: Decimal
    contributions: Decimal
    distributions: Decimal
    value_change: Decimal
    closing_nav: Decimal


@dataclass(frozen=True, slots=True)
class HoldingsNavBridge:
    """A set of holdings' NAV from ``start`` to ``end``, in pounds."""

    label: str
    start: dt.date
    end: dt.date
    opening_nav: Decimal
    drawdowns: Decimal
    receipts: Decimal
    value_change: Decimal
    closing_nav: Decimal


def fund_nav_bridge(
    fund_ids: Collection[str],
    fund_label: str,
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    start: dt.date | pd.Timestamp,
    end: dt.date | pd.Timestamp,
) -> NavBridge:
    """The fund NAV bridge from ``start`` to ``end`` (module docstring); NAVs by value_fund."""
    t0, t1 = _period(start, end)
    frames = (commitments, investor_flows, fund_expenses, holdings, project_flows, marks)
    opening = value_fund(fund_ids, fund_label, *frames, t0).nav
    closing = value_fund(fund_ids, fund_label, *frames, t1).nav
    scope = list(fund_ids)
    flows = investor_flows.loc[
        investor_flows["fund_id"].isin(scope)
        & (investor_flows["date"] > t0)
        & (investor_flows["date"] <= t1)
    ]
    contributions = pence_to_decimal(int(flows.loc[flows["kind"] == "call", "amount_pence"].sum()))
    distributions = pence_to_decimal(
        int(flows.loc[flows["kind"] == "distribution", "amount_pence"].sum())
    )
    return NavBridge(
        fund_id=fund_label,
        start=t0.date(),
        end=t1.date(),
        opening_nav=opening,
        contributions=contributions,
        distributions=distributions,
        value_change=closing - opening - contributions + distributions,
        closing_nav=closing,
    )


def holdings_nav_bridge(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    start: dt.date | pd.Timestamp,
    end: dt.date | pd.Timestamp,
    *,
    label: str,
    holder_ids: Collection[str] | None = None,
    project_ids: Collection[str] | None = None,
) -> HoldingsNavBridge:
    """The holdings NAV bridge for the holdings of ``holder_ids`` in ``project_ids``.

    ``None`` means no restriction; a fund's holdings are ``holder_ids={fund_id}``.
    """
    t0, t1 = _period(start, end)
    frames = (
        restrict_holdings(holdings, holder_ids, project_ids),
        restrict_holdings(project_flows, holder_ids, project_ids),
        restrict_holdings(marks, holder_ids, project_ids),
    )
    opening = int(holding_positions(*frames, t0)["nav_pence"].sum())
    closing = int(holding_positions(*frames, t1)["nav_pence"].sum())
    flows = frames[1]
    moved = flows.loc[(flows["date"] > t0) & (flows["date"] <= t1)]
    drawn = int(moved.loc[moved["kind"] == "drawdown", "amount_pence"].sum())
    received = int(moved.loc[moved["kind"].isin(RECEIPT_KINDS), "amount_pence"].sum())
    return HoldingsNavBridge(
        label=label,
        start=t0.date(),
        end=t1.date(),
        opening_nav=pence_to_decimal(opening),
        drawdowns=pence_to_decimal(drawn),
        receipts=pence_to_decimal(received),
        value_change=pence_to_decimal(closing - opening - drawn + received),
        closing_nav=pence_to_decimal(closing),
    )


def _period(
    start: dt.date | pd.Timestamp, end: dt.date | pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    if t1 < t0:
        raise ValueError(f"a NAV bridge runs forwards: {t0.date()} is after {t1.date()}")
    return t0, t1
