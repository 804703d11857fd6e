"""The fund over time, as the stored run holds it: year-end points and the J-curve's cash.

``valuation/report_sections.py`` valued the fund at each past 31 December with the
run's data when the run was made (``history``); the last point is the run itself. A
recomputed history can differ from what was reported at the time if rows were
corrected since, and the pack says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# A document valued at a past date; tests/reports/builders.py types its stand-in with it.
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
    net_cash_plus_nav: Decimal  # the investors' cumulative net cash + NAV at the date
    recomputed: bool  # False only for the stored run the pack is rendered from


@dataclass(frozen=True)
class CashPoint:
    date: dt.date
    cumulative_net: Decimal  # Σ distributions − Σ calls to date, from the investors' side


def _point(
    day: str, fund: dict[str, Any], net_cash_plus_nav: str, recomputed: bool
) -> HistoryPoint:
    return HistoryPoint(
        as_of=dt.date.fromisoformat(day),
        nav=Decimal(fund["nav"]),
        net_irr=fund.get("net_irr"),
        cost_of_capital=fund.get("cost_of_capital"),
        hmt_benchmark=fund.get("hmt_benchmark"),
        green_book_real=fund.get("green_book_real"),
        green_book_nominal=fund.get("green_book_nominal"),
        net_cash_plus_nav=Decimal(net_cash_plus_nav),
        recomputed=recomputed,
    )


def fund_history(document: dict[str, Any]) -> tuple[HistoryPoint, ...]:
    """The fund at each stored year-end (recomputed when the run was made) and at the run."""
    history = document["history"]
    points = [
        _point(p["as_of"], p, p["net_cash_plus_nav"], recomputed=True) for p in history["year_ends"]
    ]
    stored = _point(document["as_of"], document["fund"], history["net_cash_plus_nav"], False)
    return (*points, stored)


def cumulative_cash(document: dict[str, Any]) -> tuple[CashPoint, ...]:
    """The J-curve's steps: the investors' running net cash, flow date by flow date."""
    return tuple(
        CashPoint(dt.date.fromisoformat(c["date"]), Decimal(c["cumulative_net"]))
        for c in document["history"]["cumulative_cash"]
    )
