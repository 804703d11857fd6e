"""Small helpers shared by the sample generator: pence, allocation, dates.

Money is handled as integer pence inside the generator and written as pounds
with exactly two decimals, so nothing ever passes through a float.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CUTOFF = date(2026, 6, 30)
"""No row of the sample is dated after this day (forecasts of later periods aside)."""
FORECASTS_AFTER = date(2026, 10, 31)
"""The demo's valuation date: active contracts' forecasts of periods after it are written
(achieved 0), so that the valuation at this date, which leaves them out, does not move."""

Row = dict[str, str]


def pounds(pence: int) -> str:
    """Format integer pence as pounds with exactly two decimals (``1250000.50``)."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


def to_pence(amount: Decimal | int | str) -> int:
    """Pounds (a Decimal, int or string) to integer pence, half up."""
    value = (Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(value)


def allocate(total: int, weights: Sequence[tuple[Hashable, Decimal | int]]) -> dict:
    """Split an integer ``total`` pro rata to ``weights`` by largest remainder.

    Ties go to the earlier key in ``weights``; the parts add up to ``total``
    exactly and each is within one unit of its exact share.
    """
    weight_sum = sum(Decimal(w) for _, w in weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    exact = [(key, Decimal(total) * Decimal(w) / weight_sum) for key, w in weights]
    parts = {key: int(share.to_integral_value(rounding="ROUND_FLOOR")) for key, share in exact}
    left = total - sum(parts.values())
    order = sorted(
        range(len(exact)),
        key=lambda i: (-(exact[i][1] - parts[exact[i][0]]), i),
    )
    for i in order[:left]:
        parts[exact[i][0]] += 1
    return parts


def cumulative_split(amounts: Sequence[int], weights: Sequence[tuple[str, int]]) -> list[dict]:
    """Split a sequence of amounts so every holder's running total stays pro rata.

    Each running total is allocated by largest remainder and each part is the
    difference from the previous running total, so a holder's cumulative share
    never drifts more than a penny from its exact pro-rata share.
    """
    running = 0
    before = {key: 0 for key, _ in weights}
    parts = []
    for amount in amounts:
        running += amount
        now = allocate(running, weights)
        parts.append({key: now[key] - before[key] for key, _ in weights})
        before = now
    return parts


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clipped to the month's end."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter containing ``day``."""
    month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def next_quarter_end(day: date) -> date:
    """The first quarter end strictly after ``day``."""
    end = quarter_end(day)
    return end if end > day else quarter_end(end + timedelta(days=1))


def quarter_ends(first: date, last: date) -> list[date]:
    """Quarter ends from the one containing ``first`` to the one on or before ``last``."""
    ends = []
    current = quarter_end(first)
    while current <= last:
        ends.append(current)
        current = quarter_end(current + timedelta(days=1))
    return ends


def quarter_label(day: date) -> str:
    """``2016Q3`` for any day in that quarter."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def fraction(value: Decimal) -> str:
    """A fraction or decimal written without trailing zeros (``0.25``, ``1``)."""
    text = format(value.normalize(), "f")
    return text
