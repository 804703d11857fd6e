from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from passu.valuation.money import (
    allocate_largest_remainder,
    decimal_to_pence,
    pence_to_decimal,
    round_half_up,
)


def test_pence_to_decimal_is_exact_with_two_decimals() -> None:
    assert str(pence_to_decimal(123456789)) == "1234567.89"
    assert str(pence_to_decimal(0)) == "0.00"
    assert str(pence_to_decimal(-5)) == "-0.05"
    assert pence_to_decimal(np.int64(250)) == Decimal("2.50")


def test_pence_to_decimal_refuses_floats() -> None:
    with pytest.raises(TypeError):
        pence_to_decimal(1.5)  # type: ignore[arg-type]


def test_decimal_to_pence_accepts_whole_pence_only() -> None:
    assert decimal_to_pence(Decimal("12.34")) == 1234
    assert decimal_to_pence(Decimal("1.500")) == 150  # trailing zeros are still whole pence
    assert decimal_to_pence(7) == 700
    with pytest.raises(ValueError, match="more than two decimals"):
        decimal_to_pence(Decimal("1.005"))
    with pytest.raises(ValueError):
        decimal_to_pence(Decimal("NaN"))


def test_round_half_up_rounds_halves_away_from_zero() -> None:
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")
    assert round_half_up(Decimal("2.344")) == Decimal("2.34")
    assert round_half_up(Decimal("-2.345")) == Decimal("-2.35")


def test_allocation_gives_left_over_pennies_to_largest_remainders() -> None:
    # 1000p over 1:2:3 → quotas 166.67, 333.33, 500; floors 166+333+500 = 999;
    # the one penny left goes to the largest remainder (0.67, the first).
    assert allocate_largest_remainder(1000, [1, 2, 3], ["a", "b", "c"]) == [167, 333, 500]


def test_allocation_breaks_ties_by_key_not_by_position() -> None:
    # 100p over three equal weights: 33 each, one penny left, all remainders equal,
    # so the smallest tie key ("a", in the middle) gets it.
    assert allocate_largest_remainder(100, [1, 1, 1], ["b", "a", "c"]) == [33, 34, 33]
    assert allocate_largest_remainder(101, [1, 1, 1], ["b", "a", "c"]) == [34, 34, 33]


def test_allocation_of_a_negative_total_mirrors_the_positive() -> None:
    assert allocate_largest_remainder(-100, [1, 1, 1], ["b", "a", "c"]) == [-33, -34, -33]


def test_allocation_edge_cases() -> None:
    assert allocate_largest_remainder(0, [0, 0], ["a", "b"]) == [0, 0]
    assert allocate_largest_remainder(500, [0, 3], ["a", "b"]) == [0, 500]
    with pytest.raises(ValueError):
        allocate_largest_remainder(1, [0, 0], ["a", "b"])
    with pytest.raises(ValueError):
        allocate_largest_remainder(1, [-1, 2], ["a", "b"])


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**10), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocation_always_adds_up_and_stays_within_a_penny(total: int, weights: list[int]) -> None:
    keys = [f"k{i:02d}" for i in range(len(weights))]
    shares = allocate_largest_remainder(total, weights, keys)
    assert sum(shares) == total
    for share, weight in zip(shares, weights, strict=True):
        exact = Decimal(total) * weight / sum(weights)
        assert abs(Decimal(share) - exact) < 1
