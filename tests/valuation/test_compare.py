"""Pay for inputs against pay for outcomes: the seed-figures worked example, exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from passu.valuation.compare import ContractComparison, ContractScenario, compare_contracts

D = Decimal


def seed_table() -> tuple[ContractComparison, ...]:
    return compare_contracts(
        [
            ContractScenario("inputs, design", "inputs", 1000, D("0.60"), input_budget=D("10e6")),
            ContractScenario("inputs, actual", "inputs", 800, D("0.40"), input_budget=D("10e6")),
            ContractScenario(
                "outcomes, design", "outcomes", 1000, D("0.60"), price_per_outcome=D("17000")
            ),
            ContractScenario(
                "outcomes, under", "outcomes", 800, D("0.40"), price_per_outcome=D("17000")
            ),
            ContractScenario(
                "outcomes, over", "outcomes", 1200, D("0.72"), price_per_outcome=D("15000")
            ),
        ]
    )


def published(amount: Decimal, unit: str) -> Decimal:
    """The loose rounding of the published table: to the nearest unit (display only)."""
    return (amount / D(unit)).quantize(D(1), rounding=ROUND_HALF_UP)


def test_pay_for_inputs_design():
    row = seed_table()[0]
    # 1000 × 60% = 600 outcomes; £10m / 600 = £16,666.666… -> £16,666.67 (published "£17k")
    assert (row.outcomes, row.total_paid, row.cost_per_outcome) == (
        D(600),
        D("10000000.00"),
        D("16666.67"),
    )
    assert published(row.cost_per_outcome, "1000") == 17


def test_pay_for_inputs_under_performs_and_still_costs_the_budget():
    row = seed_table()[1]
    # 800 × 40% = 320 outcomes; £10m / 320 = £31,250.00 (published "£31k")
    assert (row.outcomes, row.total_paid, row.cost_per_outcome) == (
        D(320),
        D("10000000.00"),
        D("31250.00"),
    )


def test_pay_for_outcomes_design():
    row = seed_table()[2]
    # 600 × £17,000 = £10,200,000 (published "£10m"); £17,000 each
    assert (row.outcomes, row.total_paid, row.cost_per_outcome) == (
        D(600),
        D("10200000.00"),
        D("17000.00"),
    )
    assert published(row.total_paid, "1e6") == 10


def test_pay_for_outcomes_under_performance_pays_less():
    row = seed_table()[3]
    # 320 × £17,000 = £5,440,000 (published "£5m"); the price per outcome holds
    assert (row.total_paid, row.cost_per_outcome) == (D("5440000.00"), D("17000.00"))
    assert published(row.total_paid, "1e6") == 5


def test_pay_for_outcomes_over_performance():
    row = seed_table()[4]
    # 1200 × 72% = 864 outcomes (published "860"); 864 × £15,000 = £12,960,000 ("£13m")
    assert (row.outcomes, row.total_paid, row.cost_per_outcome) == (
        D(864),
        D("12960000.00"),
        D("15000.00"),
    )
    assert published(row.total_paid, "1e6") == 13
    assert published(row.outcomes, "10") * 10 == 860


def test_no_outcomes_means_no_cost_per_outcome():
    (row,) = compare_contracts(
        [ContractScenario("nothing", "inputs", 100, D("0"), input_budget=D("5000"))]
    )
    assert (row.outcomes, row.total_paid, row.cost_per_outcome) == (D(0), D("5000.00"), None)


def test_a_scenario_must_say_what_it_pays_for():
    with pytest.raises(ValueError, match="input_budget"):
        ContractScenario("x", "inputs", 10, D("0.5"))
    with pytest.raises(ValueError, match="price_per_outcome"):
        ContractScenario("x", "outcomes", 10, D("0.5"))
    with pytest.raises(ValueError, match="success_rate"):
        ContractScenario("x", "outcomes", 10, D("1.5"), price_per_outcome=D(1))
