"""The fund over time (valuation/history.py), per £1 committed and the what-if gain, by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pandas as pd

from passu.valuation.history import (
    FundTotals,
    bridge_between_runs,
    cumulative_cash,
    first_call,
    net_cash_at,
    year_ends,
)
from passu.valuation.per_pound import per_pound_committed
from passu.valuation.what_if import what_if_profiles

from .test_economics import cash_frames

FLOWS = pd.DataFrame(
    {
        "fund_id": ["F", "F", "F", "F", "G"],
        "investor_id": ["A", "B", "A", "A", "A"],
        "date": pd.to_datetime(
            ["2020-03-31", "2020-03-31", "2021-06-30", "2022-01-15", "2019-01-01"]
        ),
        "kind": ["call", "call", "distribution", "call", "call"],
        "amount_pence": [100_000, 50_000, 30_000, 20_000, 999_999],
    }
)


def test_cumulative_cash_is_distributions_less_calls_day_by_day():
    cash = cumulative_cash(FLOWS, ["F"], dt.date(2021, 12, 31))
    # 31 Mar 2020: −£1,000 − £500 = −£1,500; 30 Jun 2021: −1,500 + 300 = −£1,200;
    # the 2022 call is after the date, fund G is out of scope
    assert [(c.date, c.cumulative_net) for c in cash] == [
        (dt.date(2020, 3, 31), D("-1500.00")),
        (dt.date(2021, 6, 30), D("-1200.00")),
    ]
    assert net_cash_at(cash, dt.date(2020, 12, 31)) == D("-1500.00")
    assert net_cash_at(cash, dt.date(2019, 12, 31)) == D("0.00")  # before any flow
    assert first_call(FLOWS, ["F"]) == dt.date(2020, 3, 31)
    assert first_call(FLOWS, ["H"]) is None


def test_year_ends_run_from_the_first_flows_year_to_before_the_date():
    assert year_ends(dt.date(2020, 3, 31), dt.date(2022, 12, 31)) == (
        dt.date(2020, 12, 31),
        dt.date(2021, 12, 31),
    )  # 31 Dec 2022 is the as-of date itself: the run, not a history point


def test_bridge_between_runs_from_their_stored_totals():
    opening = FundTotals(dt.date(2025, 12, 31), D("1000.00"), D("5000.00"), D("200.00"))
    closing = FundTotals(dt.date(2026, 10, 31), D("1300.00"), D("5600.00"), D("450.00"))
    bridge = bridge_between_runs("F", opening, closing)
    # contributions 5,600 − 5,000 = 600; distributions 450 − 200 = 250;
    # value change 1,300 − 1,000 − 600 + 250 = −50
    assert (bridge.contributions, bridge.distributions, bridge.value_change) == (
        D("600.00"),
        D("250.00"),
        D("-50.00"),
    )
    assert (bridge.start, bridge.end, bridge.opening_nav, bridge.closing_nav) == (
        dt.date(2025, 12, 31),
        dt.date(2026, 10, 31),
        D("1000.00"),
        D("1300.00"),
    )


def test_per_pound_committed_to_four_places():
    # £811,000 paid in on £1,000,000 committed: 0.811 → £0.8110 per £1
    assert per_pound_committed(D("811000.00"), D("1000000.00")) == D("0.8110")
    # £1 of £3: 0.33333… → 0.3333
    assert per_pound_committed(D("1.00"), D("3.00")) == D("0.3333")
    assert per_pound_committed(D("5.00"), D("0.00")) is None


def test_what_if_profiles_drop_innovation_and_divide_receipts_by_1_8():
    profiles = what_if_profiles(**cash_frames(), as_of=dt.date(2024, 9, 30), project_ids=["CP"])
    q1, _, q3 = profiles["CP"]
    # the default gain is the published programme's 80%: Q1 without the £10k innovation,
    # 100k − 30k = 70k; Q3 receipts 90k ÷ 1.8 = 50k, 50k − 20k − 50k = −20k, cumulative 50k
    assert (q1.innovation, q1.net) == (D("0.00"), D("70000.00"))
    assert (q3.outcome_receipts, q3.cumulative_net) == (D("50000.00"), D("50000.00"))
    assert what_if_profiles(**cash_frames(), as_of=dt.date(2024, 9, 30), project_ids=[]) == {}
