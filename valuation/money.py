"""Money helpers: integer pence inside, ``Decimal`` pounds at the edges.

Frames carry money as int64 pence so that sums are exact and vectorised; the
figures handed to reports carry ``Decimal`` pounds with two decimals. These
helpers are the only place the two meet.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Integral, Rational

PENNY = Decimal("0.01")

__all__ = [
    "PENNY",
    "allocate_largest_remainder",
    "decimal_to_pence",
    "money_text",
    "pence_to_decimal",
    "round_half_up",
]


def pence_to_decimal(pence: int) -> Decimal:
    """Return ``pence`` as pounds with exactly two decimals (``1234`` → ``Decimal('12.34')``).

    Exact for any integer: ``Decimal(int)`` is exact and ``scaleb`` only moves the
    exponent. Accepts NumPy integers too (they are converted with ``int`` first,
    because ``Decimal(np.int64(...))`` is not supported on every NumPy).
    """
    if not isinstance(pence, Integral):
        raise TypeError(f"pence must be an integer, not {type(pence).__name__}: {pence!r}")
    return Decimal(int(pence)).scaleb(-2)


def money_text(amount: Decimal | None) -> str | None:
    """Money as the documents write it: pounds with exactly two decimals, no separators.

    ``Decimal('1234.5')`` → ``'1234.50'``; ``None`` stays ``None`` (an undefined figure).
    The one text form of money in the run document, the workbook and CSV, so that the
    same pence always read the same.
    """
    return None if amount is None else f"{amount:.2f}"


def decimal_to_pence(amount: Decimal | int) -> int:
    """Return ``amount`` pounds as integer pence, refusing anything finer than a penny.

    ``Decimal('12.34')`` → ``1234``; ``Decimal('1.500')`` → ``150`` (trailing zeros are
    still whole pence); ``Decimal('1.005')`` raises ``ValueError`` because converting
    it would silently move money.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be a Decimal or int, not {type(amount).__name__}")
    if isinstance(amount, int):
        return amount * 100
    if not amount.is_finite():
        raise ValueError(f"amount is not a finite number: {amount}")
    pence = amount.scaleb(2)
    if pence != pence.to_integral_value():
        raise ValueError(f"amount has more than two decimals: {amount}")
    return int(pence)


def round_half_up(amount: Decimal) -> Decimal:
    """Round ``amount`` to the penny, halves away from zero (``2.345`` → ``2.35``).

    Used once per reported figure; money that moved is already whole pence.
    """
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def allocate_largest_remainder(
    total_pence: int,
    weights: Sequence[int | Decimal | float | Fraction],
    tie_keys: Sequence[Hashable],
) -> list[int]:
    """Split ``total_pence`` over ``weights`` so the shares add up to it exactly.

    Each share starts as floor(total × wᵢ / Σw); the pennies left over go one each
    to the largest remainders, ties broken by ``tie_keys`` ascending (so the result
    does not depend on input order). A negative total is split as its magnitude
    and negated, which keeps the split symmetric. The arithmetic is exact
    (``Fraction``), so no float can tip a remainder.

    >>> allocate_largest_remainder(100, [1, 1, 1], ["b", "a", "c"])
    [33, 34, 33]
    """
    if len(weights) != len(tie_keys):
        raise ValueError("weights and tie_keys must have the same length")
    if not isinstance(total_pence, Integral):
        raise TypeError("total_pence must be an integer")
    total = int(total_pence)
    exact = [_fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact, Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return [0] * len(exact)
        raise ValueError(f"cannot allocate {total} pence over weights that sum to 0")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    quotas = [magnitude * w / weight_sum for w in exact]
    shares = [q.numerator // q.denominator for q in quotas]
    left_over = magnitude - sum(shares)
    order = sorted(
        range(len(exact)),
        key=lambda i: (-(quotas[i] - shares[i]), tie_keys[i]),
    )
    for i in order[:left_over]:
        shares[i] += 1
    return [sign * s for s in shares]


def _fraction(weight: int | Decimal | float | Fraction) -> Fraction:
    if isinstance(weight, Decimal):
        if not weight.is_finite():
            raise ValueError(f"weight is not finite: {weight}")
        return Fraction(weight)
    if isinstance(weight, Integral):
        return Fraction(int(weight))
    if isinstance(weight, Rational):
        return Fraction(weight)
    value = float(weight)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"weight is not finite: {weight}")
    return Fraction(value)
