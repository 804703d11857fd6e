"""Fund cash: the money a fund holds uninvested, one definition for its NAV and its checks.

    fund cash = calls − drawdowns + receipts − distributions − fund expenses

where calls and distributions are the fund's investor flows, fund expenses its
management fees and expenses, and drawdowns and receipts (repayment, interest,
dividend) those of the fund's own holdings: holder_id is the fund. A write-off
moves no cash. The fund's NAV adds this to its holdings' NAV at T
(``fund.py``); ``negative_fund_cash`` follows it day by day (``checks.py``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

import pandas as pd

from .receipts import RECEIPT_KINDS

__all__ = ["fund_cash", "fund_cash_movements"]

# Pence as one int (a fund at T) or as int64 columns (a fund's days, side by side).
Pence = TypeVar("Pence", int, pd.Series)

_PARTS = ("calls", "drawdowns", "receipts", "distributions", "expenses")


def fund_cash(
    *, calls: Pence, drawdowns: Pence, receipts: Pence, distributions: Pence, expenses: Pence
) -> Pence:
    """calls − drawdowns + receipts − distributions − expenses, in pence (module docstring)."""
    return calls - drawdowns + receipts - distributions - expenses


def fund_cash_movements(
    fund_ids: Collection[str],
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    project_flows: pd.DataFrame,
) -> pd.DataFrame:
    """Each fund's cash at the end of every day it moved: fund_id, date, pence, cash.

    ``pence`` is the day's change (``fund_cash`` of that day's sums) and
    ``cash`` the running total, per fund, sorted by fund_id then date.
    """
    scope = list(fund_ids)
    own = project_flows[project_flows["holder_id"].isin(scope)]
    parts = [
        _part(investor_flows, "fund_id", investor_flows["kind"] == "call", "calls"),
        _part(investor_flows, "fund_id", investor_flows["kind"] == "distribution", "distributions"),
        _part(own, "holder_id", own["kind"] == "drawdown", "drawdowns"),
        _part(own, "holder_id", own["kind"].isin(RECEIPT_KINDS), "receipts"),
        _part(fund_expenses, "fund_id", pd.Series(True, index=fund_expenses.index), "expenses"),
    ]
    moves = pd.concat(parts, ignore_index=True)
    if moves.empty:
        return pd.DataFrame(
            {
                "fund_id": pd.Series(dtype=object),
                "date": pd.Series(dtype="datetime64[ns]"),
                "pence": pd.Series(dtype="int64"),
                "cash": pd.Series(dtype="int64"),
            }
        )
    moves["amount_pence"] = moves["amount_pence"].astype("int64")
    # integer pence throughout: unstack's fill keeps int64 where a pivot would pass via float
    sums = moves.groupby(["fund_id", "date", "part"])["amount_pence"].sum()
    table = sums.unstack("part", fill_value=0).reindex(columns=list(_PARTS), fill_value=0)
    daily = table.reset_index()
    daily["pence"] = fund_cash(**{part: daily[part].astype("int64") for part in _PARTS})
    daily = daily[["fund_id", "date", "pence"]].sort_values(["fund_id", "date"], kind="stable")
    daily = daily.reset_index(drop=True)
    daily["cash"] = daily.groupby("fund_id")["pence"].cumsum()
    return daily


def _part(frame: pd.DataFrame, fund: str, chosen: pd.Series, part: str) -> pd.DataFrame:
    rows = frame.loc[chosen]
    return pd.DataFrame(
        {
            "fund_id": rows[fund],
            "date": rows["date"],
            "part": part,
            "amount_pence": rows["amount_pence"],
        }
    )
