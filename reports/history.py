"""The fund over time: recomputed year-end valuations and the investors' cumulative cash.

Stored runs exist only for the dates someone saved, so the pack's charts value
the fund afresh at each past 31 December with today's data (``value_at``, the
lead's ``value_document``) and say so: a recomputed history can differ from
what was reported at the time if rows were corrected since. The last point is
the stored run itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from passu.portfolio.store.frames import Ledger
from passu.valuation.money import pence_to_decimal

ValueAt = Callable[[dt.date], dict[str, Any]]


@dataclass(frozen=True)
class HistoryPoint:
    as_of: dt.date
    nav: Decimal
    net_irr: float | None
    cost_of_capital: float | None
    hmt_benchmark: float | None
    green_book_real: float | None
    green_book_nominal: float | None
    recomputed: bool  # False only for the stored run the pack is rendered from


@dataclass(frozen=True)
class CashPoint:
    date: dt.date
    cumulative_net: Decimal  # Σ distributions − Σ calls to date, from the investors' side


def first_call(frames: Ledger, fund_ids: Collection[str]) -> dt.date | None:
    flows = frames.investor_flows[frames.investor_flows["fund_id"].isin(list(fund_ids))]
    return None if flows.empty else pd.Timestamp(flows["date"].min()).date()


def year_ends(first: dt.date, as_of: dt.date) -> tuple[dt.date, ...]:
    """Every 31 December from the first flow's year that falls before the as-of date."""
    return tuple(
        dt.date(year, 12, 31)
        for year in range(first.year, as_of.year + 1)
        if dt.date(year, 12, 31) < as_of
    )


def _point(document: dict[str, Any], recomputed: bool) -> HistoryPoint:
    fund = document["fund"]
    return HistoryPoint(
        as_of=dt.date.fromisoformat(document["as_of"]),
        nav=Decimal(fund["nav"]),
        net_irr=fund.get("net_irr"),
        cost_of_capital=fund.get("cost_of_capital"),
        hmt_benchmark=fund.get("hmt_benchmark"),
        green_book_real=fund.get("green_book_real"),
        green_book_nominal=fund.get("green_book_nominal"),
        recomputed=recomputed,
    )


def fund_history(
    value_at: ValueAt, dates: Collection[dt.date], stored: dict[str, Any]
) -> tuple[HistoryPoint, ...]:
    """The fund at each of ``dates`` (recomputed) and at the stored run's date."""
    points = [_point(value_at(day), recomputed=True) for day in sorted(dates)]
    return (*points, _point(stored, recomputed=False))


def cumulative_cash(frames: Ledger, fund_ids: Collection[str]) -> tuple[CashPoint, ...]:
    """The J-curve: the investors' running net cash (distributions − calls), flow by flow."""
    flows = frames.investor_flows[frames.investor_flows["fund_id"].isin(list(fund_ids))]
    if flows.empty:
        return ()
    signed = flows["amount_pence"].where(flows["kind"] == "distribution", -flows["amount_pence"])
    by_day = signed.groupby(flows["date"]).sum().sort_index().cumsum()
    return tuple(
        CashPoint(pd.Timestamp(day).date(), pence_to_decimal(int(total)))
        for day, total in by_day.items()
    )
