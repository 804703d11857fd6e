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


def test_investors_classes_gross_irr_and_pme_are_not_annualised_either(run: Run) -> None:
    # The same 92 days. Investor I1: call −100 on 2025-10-01, NAV share +101 at T (the
    # fund's whole NAV, one investor) → 101 / 100 − 1 = 0.01; its class A pools the same
    # flows → 0.01. Gross: the fund's one holding, −100 and NAV +101 → 0.01.
    [investor] = run.investors
    assert (investor.irr, investor.period_return) == (None, 0.01)
    [share_class] = run.share_classes
    assert (share_class.irr, share_class.irr_note) == (None, "less than a year: not annualised")
    assert share_class.period_return == 0.01
    assert run.fund.gross_irr_note == "less than a year: not annualised"
    assert run.fund.gross_period_return == 0.01
    # PME: 4% through 2025Q4, 92 days compounded, index(T) = 1.04^(92/365) = 1.009934…;
    # KS-PME = (101 / 1.04^(92/365)) / 100 = 1.000065…; direct alpha would annualise
    # 92 days, so it is null with the note.
    assert run.fund.pme["ks_pme"] == pytest.approx(1.01 / 1.04 ** (92 / 365), abs=1e-6)
    assert run.fund.pme["direct_alpha"] is None
    assert run.fund.pme_note == "direct alpha: less than a year: not annualised"
    document = json.loads(run.to_json())
    assert list(document["investors"][0])[-2:] == ["period_return", "capital_account"]
    assert document["investors"][0]["period_return"] == 0.01
    assert list(document["share_classes"][0])[-1] == "period_return"
    assert document["share_classes"][0]["period_return"] == 0.01
    assert list(document["fund"])[-1] == "gross_period_return"
    assert document["fund"]["gross_period_return"] == 0.01


def lost_fund() -> Ledger:
    """F1: a £100 call and a £100 drawdown into P1 on 2020-01-02, written off and marked
    at nil on 2021-06-30; nothing ever received. Valued on 2026-01-01."""
    return Ledger.from_records(
        funds=[{"fund_id": "F1", "name": "F", "currency": "GBP", "vintage": 2020, "manager": "M"}],
        investors=[{"investor_id": "I1", "name": "I", "kind": "foundation"}],
        commitments=[
            {"fund_id": "F1", "investor_id": "I1", "share_class": "A", "amount": "100.00"}
        ],
        investor_flows=[
            {"fund_id": "F1", "investor_id": "I1", "date": "2020-01-02", "kind": "call",
             "amount": "100.00"},
        ],
        projects=[{"project_id": "P1", "name": "One", "policy_area": "housing",
                   "region": "London", "status": "written_off", "start_date": "2020-01-01",
                   "end_date": "2030-01-01"}],
        holdings=[{"project_id": "P1", "holder_id": "F1", "tranche": "A", "instrument": "loan",
                   "commitment": "100.00"}],
        project_flows=[
            {"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2020-01-02",
             "kind": "drawdown", "amount": "100.00"},
            {"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2021-06-30",
             "kind": "write_off", "amount": "100.00"},
        ],
        marks=[{"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2021-06-30",
                "fair_value": "0.00", "method": "written off"}],
    )  # fmt: skip


def test_a_total_loss_is_minus_100_percent_everywhere() -> None:
    # Money went in (−100 on 2020-01-02), nothing came back, nothing is held (NAV nil,
    # fund cash 100 − 100 = 0): every IRR is −100% with the note "total loss", not null.
    yields = pd.DataFrame(
        {
            "quarter_end": pd.date_range("2020-03-31", "2025-12-31", freq="QE").astype(
                "datetime64[ns]"
            ),
            "tenor_years": 10,
            "yield_": 0.04,
        }
    )
    annual = pd.DataFrame({"year": [2020], "stpr_real": [0.035], "stpr_nominal_equivalent": [0.06]})
    ledger = lost_fund()
    run = value(
        ledger, T, "F1", gilt_yields=yields, annual_benchmarks=annual,
        unit_values=ledger.unit_values,
    )  # fmt: skip
    loss = (-1.0, "total loss")
    [holding] = run.holdings
    assert (holding.irr, holding.irr_note, holding.period_return) == (*loss, None)
    assert holding.moic == 0.0
    [project] = run.projects
    assert (project.irr, project.irr_note) == loss
    [investor] = run.investors
    assert (investor.irr, investor.irr_note) == loss
    [share_class] = run.share_classes
    assert (share_class.irr, share_class.irr_note) == loss
    fund = run.fund
    assert (fund.net_irr, fund.net_irr_note) == loss
    assert (fund.gross_irr, fund.gross_irr_note) == loss
    assert (fund.cost_of_capital, fund.cost_of_capital_note) == loss
    # KS-PME = (0 + 0) / (100 / 1) = 0; direct alpha, the IRR of −100 carried to T, −100%.
    assert fund.pme == {"ks_pme": 0.0, "direct_alpha": -1.0, "benchmark": "gilts_10y"}
    assert run.pari_passu.ok is True
    assert '"irr": -1.0,\n      "irr_note": "total loss"' in run.to_json()
