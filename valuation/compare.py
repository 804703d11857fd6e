"""Pay for inputs against pay for outcomes: who carries the risk of under-performance.

A pay-for-inputs contract pays its budget whatever the outcomes; a pay-for-
outcomes contract pays a price per outcome achieved. The arithmetic is exact
Decimal; the loose rounding of published tables (£17k, £13m) is display only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .money import round_half_up

Basis = Literal["inputs", "outcomes"]


@dataclass(frozen=True)
class ContractScenario:
    """One way of contracting a service, and how it turned out.

    basis "inputs" needs input_budget (paid whatever happens); basis "outcomes"
    needs price_per_outcome. success_rate is a fraction (0.6 = 60%).
    """

    name: str
    basis: Basis
    people_treated: int
    success_rate: Decimal
    price_per_outcome: Decimal | None = None
    input_budget: Decimal | None = None

    def __post_init__(self) -> None:
        if self.basis == "inputs" and self.input_budget is None:
            raise ValueError(f"{self.name}: a pay-for-inputs contract needs an input_budget")
        if self.basis == "outcomes" and self.price_per_outcome is None:
            raise ValueError(f"{self.name}: a pay-for-outcomes contract needs a price_per_outcome")
        if self.basis not in ("inputs", "outcomes"):
            raise ValueError(f"{self.name}: basis must be 'inputs' or 'outcomes', not {self.basis}")
        if not Decimal(0) <= self.success_rate <= Decimal(1):
            raise ValueError(f"{self.name}: success_rate must be between 0 and 1")


@dataclass(frozen=True)
class ContractComparison:
    """What a scenario achieved and what it cost."""

    name: str
    basis: Basis
    people_treated: int
    success_rate: Decimal
    outcomes: Decimal  # people_treated × success_rate, exact (may be fractional)
    total_paid: Decimal  # the budget, or price × outcomes (to the penny)
    cost_per_outcome: Decimal | None  # total_paid ÷ outcomes to the penny; None with no outcomes


def contract_outcome(scenario: ContractScenario) -> ContractComparison:
    """Outcomes, total paid and cost per outcome of one scenario.

    outcomes = people treated × success rate
    total paid = input budget (inputs) or price per outcome × outcomes (outcomes)
    cost per outcome = total paid ÷ outcomes

    Money figures are rounded once to the penny, half up (a whole number of
    outcomes at a price in pence needs no rounding).
    """
    outcomes = Decimal(scenario.people_treated) * scenario.success_rate
    if scenario.basis == "inputs":
        total_paid = scenario.input_budget
    else:
        total_paid = scenario.price_per_outcome * outcomes  # type: ignore[operator]
    assert total_paid is not None  # __post_init__ guarantees it for each basis
    cost = None if outcomes == 0 else round_half_up(total_paid / outcomes)
    total_paid = round_half_up(total_paid)
    return ContractComparison(
        name=scenario.name,
        basis=scenario.basis,
        people_treated=scenario.people_treated,
        success_rate=scenario.success_rate,
        outcomes=outcomes,
        total_paid=total_paid,
        cost_per_outcome=cost,
    )


def compare_contracts(scenarios: Iterable[ContractScenario]) -> tuple[ContractComparison, ...]:
    """One row per scenario, in the order given (see contract_outcome for the sums)."""
    return tuple(contract_outcome(scenario) for scenario in scenarios)
