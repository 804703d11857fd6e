"""Issue 18 in the run document: short periods, Green Book gaps and the 5-year stand-in."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from passu.valuation.ledger import Ledger
from passu.valuation.run import Run
from passu.valuation.valuer import value

T = dt.date(2026, 1, 1)


def short_fund() -> Ledger:
    """F1: one £100 call and a £100 drawdown into P1 (a 5-year project) on 2025-10-01,
    marked £101 on 2025-12-31; valued on 2026-01-01, 92 days on."""
    return Ledger.from_records(
        funds=[{"fund_id": "F1", "name": "F", "currency": "GBP", "vintage": 2025, "manager": "M"}],
        investors=[{"investor_id": "I1", "name": "I", "kind": "foundation"}],
        commitments=[
            {"fund_id": "F1", "investor_id": "I1", "share_class": "A", "amount": "100.00"}
        ],
        investor_flows=[
            {"fund_id": "F1", "investor_id": "I1", "date": "2025-10-01", "kind": "call",
             "amount": "100.00"},
        ],
        projects=[{"project_id": "P1", "name": "One", "policy_area": "housing",
                   "region": "London", "status": "active", "start_date": "2025-01-01",
                   "end_date": "2030-01-01"}],
        holdings=[{"project_id": "P1", "holder_id": "F1", "tranche": "A", "instrument": "loan",
                   "commitment": "100.00"}],
        project_flows=[{"project_id": "P1", "holder_id": "F1", "tranche": "A",
                        "date": "2025-10-01", "kind": "drawdown", "amount": "100.00"}],
        marks=[{"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2025-12-31",
                "fair_value": "101.00", "method": "cost"}],
    )  # fmt: skip


# Only a 10-year yield for 2025Q4 (4%): the 5-year project's drawdown takes it.
YIELDS = pd.DataFrame(
    {
        "quarter_end": pd.to_datetime(["2025-12-31"]).astype("datetime64[ns]"),
        "tenor_years": [10],
        "yield_": [0.04],
    }
)
# 2025 has the real rate but no deflator (blank, as in the shipped table).
ANNUAL = pd.DataFrame(
    {"year": [2024, 2025], "stpr_real": [0.035, 0.035],
     "stpr_nominal_equivalent": [0.0753, float("nan")]}
)  # fmt: skip


@pytest.fixture(scope="module")
def run() -> Run:
    ledger = short_fund()
    return value(
        ledger, T, "F1", gilt_yields=YIELDS, annual_benchmarks=ANNUAL,
        unit_values=ledger.unit_values,
    )  # fmt: skip


def test_a_short_period_gives_its_simple_return_not_an_irr(run: Run) -> None:
    # 2025-10-01 → 2026-01-01 is 92 days: no IRR (1.01^(365/92) − 1 ≈ 4.0% would be
    # annualised). Holding: −100, NAV +101 → 101 / 100 − 1 = 0.01. Fund: call −100,
    # NAV at T = holding 101 + cash (100 − 100) = 101 → 0.01 net; the same pooled
    # cost of capital (one holder).
    [holding] = run.holdings
    assert (holding.irr, holding.irr_note) == (None, "less than a year: not annualised")
    assert holding.period_return == 0.01
    [project] = run.projects
    assert (project.irr, project.period_return) == (None, 0.01)
    fund = run.fund
    assert (fund.net_irr, fund.net_irr_note) == (None, "less than a year: not annualised")
    assert fund.net_period_return == 0.01
    assert fund.gross_irr is None and fund.cost_of_capital is None
    assert fund.cost_of_capital_period_return == 0.01
    [investor] = run.investors
    assert (investor.irr, investor.irr_note) == (None, "less than a year: not annualised")
    document = json.loads(run.to_json())
    assert document["holdings"][0]["period_return"] == 0.01
    assert document["fund"]["net_period_return"] == 0.01


def test_green_book_gap_and_5_year_stand_in_are_noted(run: Run) -> None:
    # The only drawdown year, 2025, has no deflator: no nominal equivalent, a note.
    assert run.fund.green_book_nominal is None
    assert run.fund.green_book_note == (
        "no GDP deflator for 2025 in the annual table: no nominal equivalent"
    )
    assert run.fund.green_book_real == 0.035
    # £100 in 2025Q4 on a 5-year project, no 5-year yield: the 10-year 4% stands in.
    assert run.fund.hmt_benchmark == 0.04
    assert run.fund.benchmark_note == (
        "no 5-year gilt yield for 2025Q4: drawdowns on projects under 7.5 years priced "
        "at the 10-year yield"
    )
    # Round trip: the stored text reads back to the same bytes.
    assert Run.from_json(run.to_json()).to_json() == run.to_json()
