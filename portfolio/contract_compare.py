"""``passu outcomes compare``: pay for inputs against pay for outcomes for one service.

A service is designed for ``people`` at ``success_rate``; it turned out as
``actual_people`` at ``actual_success_rate``. A pay-for-inputs contract pays
``input_budget`` whatever happens; a pay-for-outcomes contract pays ``price``
per outcome; an optional over-performance case repriced at ``over_price``.
The sums are ``valuation/compare.py``'s; this module names the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Listing
from passu.valuation.compare import ContractComparison, ContractScenario, compare_contracts


@dataclass(frozen=True)
class ServiceVolumes:
    """People treated and success rate (a fraction) of one case."""

    people: int
    success_rate: Decimal


def _performance(actual: ServiceVolumes, design: ServiceVolumes) -> str:
    achieved = actual.people * actual.success_rate
    planned = design.people * design.success_rate
    if achieved < planned:
        return "under-performance"
    return "over-performance" if achieved > planned else "as designed"


def _check(name: str, volumes: ServiceVolumes) -> None:
    if volumes.people < 0:
        raise UsageError(f"{name}: people treated must be 0 or more, found {volumes.people}")
    if not Decimal(0) <= volumes.success_rate <= Decimal(1):
        raise UsageError(
            f"{name}: expected a success rate between 0 and 1 (0.6 = 60%), "
            f"found {volumes.success_rate}"
        )


def compare_service(
    *,
    design: ServiceVolumes,
    actual: ServiceVolumes,
    input_budget: Decimal | None,
    price: Decimal | None,
    over: ServiceVolumes | None = None,
    over_price: Decimal | None = None,
) -> Listing:
    """The worked-example table: one row per contract type and case.

    Rows: pay for inputs (design, actual) when input_budget is given; pay for
    outcomes (design, actual, and over-performance when ``over`` is given,
    priced at over_price or else price) when price is given.
    """
    if input_budget is None and price is None:
        raise UsageError("give --input-budget, --price or both: there is no contract to compare")
    if over is not None and price is None:
        raise UsageError("the over-performance case prices outcomes: give --price too")
    for name, volumes in (("design", design), ("actual", actual), ("over-performance", over)):
        if volumes is not None:
            _check(name, volumes)
    for name, money in (("--input-budget", input_budget), ("--price", price)):
        if money is not None and money < 0:
            raise UsageError(f"{name}: expected an amount of 0 or more, found {money}")

    scenarios: list[tuple[str, ContractScenario]] = []
    if input_budget is not None:
        basis = f"£{input_budget:,.2f} of inputs"
        for case, volumes in (("design", design), ("actual", actual)):
            scenarios.append(
                (
                    basis,
                    ContractScenario(
                        f"pay for inputs, {case}",
                        "inputs",
                        volumes.people,
                        volumes.success_rate,
                        input_budget=input_budget,
                    ),
                )
            )
    if price is not None:
        cases = [("design", design, price), (_performance(actual, design), actual, price)]
        if over is not None:
            cases.append(("over-performance", over, over_price if over_price else price))
        for case, volumes, unit_price in cases:
            scenarios.append(
                (
                    f"£{unit_price:,.2f} per outcome",
                    ContractScenario(
                        f"pay for outcomes, {case}",
                        "outcomes",
                        volumes.people,
                        volumes.success_rate,
                        price_per_outcome=unit_price,
                    ),
                )
            )
    results = compare_contracts(s for _, s in scenarios)
    whole = all(r.outcomes == r.outcomes.to_integral_value() for r in results)
    return Listing(
        "Pay for inputs against pay for outcomes",
        (
            Column("contract"),
            Column("basis"),
            Column("people_treated", "count", "people treated"),
            Column("success_rate", "rate", "success rate"),
            Column("outcomes", "count" if whole else "fraction"),
            Column("cost_per_outcome", "money", "cost per outcome"),
            Column("total_paid", "money", "total paid"),
        ),
        tuple(_row(basis, r, whole) for (basis, _), r in zip(scenarios, results, strict=True)),
        (
            "Exact arithmetic: outcomes = people × success rate; cost per outcome = "
            "total paid ÷ outcomes, to the penny.",
        ),
    )


def _row(basis: str, result: ContractComparison, whole: bool) -> tuple[object, ...]:
    return (
        result.name,
        basis,
        result.people_treated,
        float(result.success_rate),
        # Always a number in JSON and CSV (a fractional count as a float, not text).
        int(result.outcomes) if whole else float(result.outcomes),
        result.cost_per_outcome,
        result.total_paid,
    )
