from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passu.valuation.nav_bridge import fund_nav_bridge, holdings_nav_bridge

from .builders import (
    a_holding,
    commitments_frame,
    fund_expenses_frame,
    holding_frames,
    investor_flows_frame,
)

D = Decimal
COMMITMENTS = commitments_frame([("F1", "GOV", "A", 1000, "2020-01-01")])
FLOWS = investor_flows_frame(
    [
        ("F1", "GOV", "2021-01-01", "call", 500),
        ("F1", "GOV", "2021-12-31", "call", 100),  # on t1: inside (t0, t1]
        ("F1", "GOV", "2021-06-30", "distribution", 40),
        ("F1", "GOV", "2020-12-31", "call", 50),  # on t0: before the bridge
    ]
)
EXPENSES = fund_expenses_frame([("F1", "2021-03-31", "expense", 5)])
HOLDINGS = holding_frames(
    a_holding(
        "P1",
        "F1",
        drawdowns=[("2021-02-01", 400)],
        interest=[("2021-06-01", 20)],
        marks=[("2021-09-30", 450)],
    ),
)


def test_fund_bridge_by_hand() -> None:
    bridge = fund_nav_bridge(
        {"F1"},
        "F1",
        COMMITMENTS,
        FLOWS,
        EXPENSES,
        HOLDINGS.holdings,
        HOLDINGS.project_flows,
        HOLDINGS.marks,
        dt.date(2020, 12, 31),
        dt.date(2021, 12, 31),
    )
    # At t0: cash = the £50 call; nothing held: NAV 50.
    # At t1: cash = calls 650 − drawdown 400 + interest 20 − distribution 40 − expense 5
    # = 225; holding marked 450; NAV 675.
    assert (bridge.opening_nav, bridge.closing_nav) == (D("50.00"), D("675.00"))
    # contributions 500 + 100; distributions 40;
    # value change = 675 − 50 − 600 + 40 = 65 (the 50 of gain on the mark, 20 of
    # interest, less 5 of expenses).
    assert (bridge.contributions, bridge.distributions) == (D("600.00"), D("40.00"))
    assert bridge.value_change == D("65.00")
    assert (
        bridge.opening_nav + bridge.contributions - bridge.distributions + bridge.value_change
        == bridge.closing_nav
    )


def test_holdings_bridge_by_hand() -> None:
    bridge = holdings_nav_bridge(
        HOLDINGS.holdings,
        HOLDINGS.project_flows,
        HOLDINGS.marks,
        dt.date(2021, 3, 31),
        dt.date(2021, 12, 31),
        label="F1",
        holder_ids={"F1"},
    )
    # At t0 the £400 drawn is unmarked: NAV 400. At t1 the mark is 450.
    # In between: interest 20 received, no drawdowns; value change = 450 − 400 + 20 = 70.
    assert (bridge.opening_nav, bridge.closing_nav) == (D("400.00"), D("450.00"))
    assert (bridge.drawdowns, bridge.receipts, bridge.value_change) == (
        D("0.00"),
        D("20.00"),
        D("70.00"),
    )


def test_bridge_runs_forwards() -> None:
    with pytest.raises(ValueError, match="forwards"):
        holdings_nav_bridge(
            HOLDINGS.holdings,
            HOLDINGS.project_flows,
            HOLDINGS.marks,
            dt.date(2022, 1, 1),
            dt.date(2021, 1, 1),
            label="F1",
        )
