"""The Monte Carlo over the fair-value model (valuation/scenarios.py), worked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest

from passu.valuation.fair_value import ModelInputs, propose_fair_values
from passu.valuation.fair_value_engine import group_sum
from passu.valuation.ledger import Ledger
from passu.valuation.returns import xirr
from passu.valuation.scenarios import (
    MoneyBand,
    irr_paths,
    portfolio_dispersion,
    run_scenarios,
)
from tests.valuation.test_fair_value import (
    contract,
    discounted_project,
    flow,
    holding,
    one_metric_project,
    project,
)

T2 = dt.date(2022, 1, 1)


def funded_project() -> ModelInputs:
    """discounted_project (P2, calibrated at 10%) with fund F1: its investor I1 paid £60,000
    in on 2021-01-01, all drawn into P2 that day; P2 paid F1 a £33,000 dividend on
    2022-01-01. At T = 2022-01-01: fund cash 60,000 − 60,000 + 33,000 = £33,000."""
    base = discounted_project()
    ledger = dataclasses.replace(
        base,
        investor_flows=Ledger.from_records(
            investor_flows=[
                {
                    "fund_id": "F1",
                    "investor_id": "I1",
                    "date": "2021-01-01",
                    "kind": "call",
                    "amount": "60000",
                }
            ]
        ).investor_flows,
        project_flows=Ledger.from_records(
            project_flows=[
                flow("P2", "F1", "E", "2021-01-01", "drawdown", "60000"),
                flow("P2", "C9", "E", "2021-01-01", "drawdown", "40000"),
                flow("P2", "F1", "E", "2022-01-01", "dividend", "33000"),
            ]
        ).project_flows,
    )
    return ModelInputs.from_ledger(ledger)


def flat(band: MoneyBand) -> set[Decimal]:
    return {band.p5, band.p25, band.p50, band.p75, band.p95}


def test_dispersion_zero_is_the_deterministic_model() -> None:
    inputs = funded_project()
    result = run_scenarios(inputs, T2, paths=200, seed=3, dispersion=0.0, fund_ids=["F1"])
    model = propose_fair_values(inputs, T2)
    # to come: 121 × £500 = £60,500 on 2023-01-01; P2 worth 60,500 ÷ 1.1 = £55,000.00
    assert flat(result.payments_to_come) == {Decimal("60500.00")}
    assert flat(result.projects[0].value) == {model.projects[0].value} == {Decimal("55000.00")}
    # fund NAV = cash 33,000 + F1's 60% of 55,000 = 33,000 + 33,000 = £66,000.00
    f1 = next(h for h in model.holdings if h.holder_id == "F1")
    assert flat(result.fund_nav) == {Decimal("33000.00") + f1.proposed} == {Decimal("66000.00")}
    # net IRR: −60,000 (2021-01-01), +33,000 (2022-01-01), +60% × 60,500 = 36,300
    # (2023-01-01): 33,000 ÷ 1.1 + 36,300 ÷ 1.21 = 30,000 + 30,000 = 60,000, so 10%
    band = result.fund_net_irr
    assert band is not None and band.undefined == 0
    assert {band.p5, band.p25, band.p50, band.p75, band.p95} == {band.p50}
    assert band.p50 == pytest.approx(0.10, abs=1e-9)
    reference = xirr(["2021-01-01", "2022-01-01", "2023-01-01"], [-60_000, 33_000, 36_300])
    assert band.p50 == pytest.approx(reference.rate, abs=1e-9)
    # back 33,000 + 36,300 = 69,300 ≥ 60,000 paid in, on every path
    assert result.less_than_paid_in == 0.0
    assert result.contracts[0].cap_reached == 0.0
    # government: (55,000 paid + 60,500 to come) ÷ (110 + 121 outcomes) = £500.00
    assert flat(result.government_cost_per_outcome) == {Decimal("500.00")}
    assert [(y.year, flat(y.payments)) for y in result.payments_by_year] == [
        (2023, {Decimal("60500.00")})
    ]


def test_dispersion_zero_with_a_binding_cap_and_arrears() -> None:
    inputs = one_metric_project()
    t = dt.date(2024, 12, 31)
    result = run_scenarios(inputs, t, paths=50, dispersion=0.0, rate=0.10)
    model = propose_fair_values(inputs, t, rate=0.10)
    assert flat(result.payments_to_come) == {model.projects[0].expected_payments}
    assert flat(result.projects[0].value) == {model.projects[0].value} == {Decimal("5165.29")}
    assert result.contracts[0].cap_reached == 1.0


def test_same_seed_same_result_other_seed_other_result() -> None:
    inputs = funded_project()
    one = run_scenarios(inputs, T2, paths=500, seed=11, dispersion=0.4, fund_ids=["F1"])
    again = run_scenarios(inputs, T2, paths=500, seed=11, dispersion=0.4, fund_ids=["F1"])
    other = run_scenarios(inputs, T2, paths=500, seed=12, dispersion=0.4, fund_ids=["F1"])
    assert one == again
    assert one.payments_to_come != other.payments_to_come
    assert one.payments_to_come.p5 < one.payments_to_come.p95


def test_p50_of_a_lognormal_metric_is_its_analytic_median() -> None:
    # ratio to date 80 ÷ 100 = 0.8, the £800 achieved paid; 1,000 forecast at £10 → median
    # 1,000 × 0.8 × £10 = £8,000;
    # with D = 0.25 the 5th and 95th percentiles are 8,000 × e^(∓1.6449 × 0.25) = £5,302.30
    # and £12,070.31
    ledger = Ledger.from_records(
        projects=[project("P4")],
        outcome_contracts=[contract("P4", "K4", "1000000")],
        outcome_metrics=[{"metric_id": "N4", "contract_id": "K4", "name": "n", "price": "10"}],
        outcomes=[
            {"metric_id": "N4", "period_end": "2024-12-31", "forecast": 100, "achieved": 80},
            {"metric_id": "N4", "period_end": "2025-12-31", "forecast": 1000, "achieved": 0},
        ],
        outcome_payments=[
            {"contract_id": "K4", "payer": "DCMS", "date": "2024-12-31", "amount": "800"}
        ],
        holdings=[holding("P4", "F1", "E", "equity", "1000")],
        project_flows=[flow("P4", "F1", "E", "2024-01-01", "drawdown", "1000")],
    )
    result = run_scenarios(
        ModelInputs.from_ledger(ledger),
        dt.date(2024, 12, 31),
        paths=10_000,
        dispersion=0.25,
        rate=0.0,
    )
    band = result.payments_to_come
    assert abs(band.p50 - Decimal(8000)) / Decimal(8000) < Decimal("0.01")
    assert float(band.p5) == pytest.approx(8000 * math.exp(-1.6449 * 0.25), rel=0.03)
    assert float(band.p95) == pytest.approx(8000 * math.exp(1.6449 * 0.25), rel=0.03)


def test_default_dispersion_from_completed_contracts() -> None:
    # three contracts ended by T achieved 5/10, 10/10 and 20/10: ln ratios −ln 2, 0, ln 2;
    # sample standard deviation √((ln²2 + 0 + ln²2) ÷ 2) = ln 2 = 0.693147; a fourth,
    # still running (ends after T), does not count
    contracts, metrics, outcomes = [], [], []
    for i, (achieved, end) in enumerate(
        [(5, "2023-12-31"), (10, "2023-12-31"), (20, "2024-06-30"), (1, "2026-12-31")]
    ):
        contracts.append(contract("P5", f"K{i}", "1000", end))
        metrics.append({"metric_id": f"N{i}", "contract_id": f"K{i}", "name": "n", "price": "1"})
        outcomes.append(
            {"metric_id": f"N{i}", "period_end": "2023-12-31", "forecast": 10, "achieved": achieved}
        )
    ledger = Ledger.from_records(
        outcome_contracts=contracts, outcome_metrics=metrics, outcomes=outcomes
    )
    inputs = ModelInputs.from_ledger(ledger)
    spread, count, note = portfolio_dispersion(inputs, dt.date(2024, 12, 31))
    assert (count, note) == (3, "from 3 completed contracts")
    assert spread == pytest.approx(math.log(2), abs=1e-12)
    # at 2023-12-31 only the first two have ended: −ln 2 and 0, mean −ln 2 ÷ 2, so the
    # deviation is √(2 × (ln 2 ÷ 2)² ÷ 1) = ln 2 ÷ √2 = 0.490129
    spread, count, note = portfolio_dispersion(inputs, dt.date(2023, 12, 31))
    assert count == 2
    assert spread == pytest.approx(math.log(2) / math.sqrt(2), abs=1e-12)
    # at 2023-06-30 none has: dispersion 0, and the note says why
    assert portfolio_dispersion(inputs, dt.date(2023, 6, 30)) == (
        0.0,
        0,
        "fewer than two completed contracts: dispersion 0",
    )


def test_irr_paths_matches_xirr() -> None:
    # the spreadsheet documentation's example (0.373362535, as returns.xirr solves it)
    days = np.array(
        [
            np.datetime64(d, "D").astype(np.int64)
            for d in ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
        ],
        dtype=np.float64,
    )
    flows = np.array([[-10_000, 2_750, 4_250, 3_250, 2_750], [-1, -1, -1, -1, -1]], dtype=float)
    rates = irr_paths(days, flows)
    assert rates[0] == pytest.approx(0.373362535, abs=2e-9)
    reference = xirr(
        ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"],
        [-10_000, 2_750, 4_250, 3_250, 2_750],
    )
    assert rates[0] == pytest.approx(reference.rate, abs=1e-10)
    assert np.isnan(rates[1])


def test_group_sum_of_nothing_is_float_pence() -> None:
    # a fund whose projects have no cash to come (every period past) sums no values:
    # bincount then gives int64, which the float paths could not be added into
    summed = group_sum(np.zeros((3, 0)), np.zeros(0, dtype=np.int64), 4)
    assert summed.dtype == np.float64 and summed.shape == (3, 4)
    assert not summed.any()
