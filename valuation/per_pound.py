"""Amounts per £1 committed: how accounts of any size compare (a statement's comparison).

    per £1 committed = amount ÷ commitment, to four decimal places (half even, as Decimal
    quantizes), so £0.8110 paid in per £1 reads the same for a £1m and a £10m account.

Undefined (None) when nothing is committed: a ratio to zero says nothing.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["PER_POUND_PLACES", "per_pound_committed"]

PER_POUND_PLACES = Decimal("0.0001")


def per_pound_committed(amount: Decimal, committed: Decimal) -> Decimal | None:
    """``amount`` per £1 of ``committed``, to 4 decimal places; None when nothing is committed."""
    if not committed:
        return None
    return (amount / committed).quantize(PER_POUND_PLACES)
