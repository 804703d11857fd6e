"""How figures read in a PDF: £1.2m, 7.3%, 1.45x, 366 bp, 31 Oct 2026.

One function per kind of figure, so the pack, the statements and the tests
that compare the PDF with the stored run all format a number the same way.
Terminal tables print money in full; these short forms belong in PDFs only
(DESIGN.md §4). An undefined figure (``None``) reads as an en dash, and the
report says why beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"
_MINUS = "−"  # a real minus sign: a hyphen looks like a dash in tables


def to_decimal(value: str | int | float | Decimal | None) -> Decimal | None:
    """A document's money (a string with two decimals) as Decimal; None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _signed(text: str, negative: bool) -> str:
    return f"{_MINUS}{text}" if negative else text


def money_short(value: str | int | Decimal | None) -> str:
    """£72.2m, £1.2bn, £850k, £420: one decimal for millions and billions, none below.

    The unit follows the amount's size, except that an amount which rounds up to the
    next unit takes it: £999,500 reads £1.0m, never £1000k. Rounding is half up, once.
    """
    amount = to_decimal(value)
    if amount is None:
        return MISSING
    size = abs(amount)
    pounds = _rounded(size, 0)
    text = f"£{pounds:,}"
    if pounds >= 1000:
        for scale, suffix, places in ((1000, "k", 0), (10**6, "m", 1), (10**9, "bn", 1)):
            shown = _rounded(size / Decimal(scale), places)
            if shown < 1000 or suffix == "bn":
                break
        text = f"£{shown:,}{suffix}"
    return _signed(text, amount < 0 and pounds != 0)


def money_millions(value: str | int | Decimal | None) -> str:
    """£0.3m: millions with one decimal, for a table read in one unit (a cost stack).

    An amount too small to show as a tenth of a million (under £50,000, which would
    read £0.0m) reads as :func:`money_short` gives it (£12k), never as a false zero.
    """
    amount = to_decimal(value)
    if amount is None:
        return MISSING
    shown = _rounded(abs(amount) / Decimal(10**6), 1)
    if shown == 0:
        return money_short(amount)
    return _signed(f"£{shown:,}m", amount < 0)


def money_change(value: str | int | Decimal | None) -> str:
    """A variance, signed both ways: +£10k, −£30k, £0."""
    amount = to_decimal(value)
    text = money_short(amount)
    return f"+{text}" if amount is not None and text != "£0" and amount > 0 else text


def money_full(value: str | int | Decimal | None) -> str:
    """£1,234,567.89: for capital accounts, where an investor checks every penny."""
    amount = to_decimal(value)
    if amount is None:
        return MISSING
    return _signed(f"£{_rounded(abs(amount), 2):,}", amount < 0)


def per_pound(value: str | Decimal | float | None) -> str:
    """£11.52 of value (or paid in) per £1: two decimals, never abbreviated."""
    amount = to_decimal(value)
    if amount is None:
        return MISSING
    return _signed(f"£{_rounded(abs(amount), 2):,}", amount < 0)


def percent(rate: float | Decimal | None, places: int = 1) -> str:
    """A fraction as a percentage: 0.0734 → 7.3%."""
    fraction = to_decimal(rate)
    if fraction is None:
        return MISSING
    value = _rounded(fraction * 100, places)
    return _signed(f"{abs(value)}%", value < 0)


def multiple(value: float | Decimal | None) -> str:
    """A multiple of invested or paid-in capital: 1.45x."""
    if value is None:
        return MISSING
    return f"{_rounded(to_decimal(value), 2)}x"  # type: ignore[arg-type]


def basis_points(value: float | Decimal | None) -> str:
    """A spread in basis points, signed: +366 bp, −12 bp."""
    if value is None:
        return MISSING
    points = _rounded(to_decimal(value), 0)  # type: ignore[arg-type]
    if points == 0:
        return "0 bp"
    return f"+{points:,} bp" if points > 0 else f"{_MINUS}{abs(points):,} bp"


def count(value: int | Decimal | None) -> str:
    """1,234; a measure that is not whole (a count of 12.5 families) keeps its decimals."""
    if value is None:
        return MISSING
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():,f}"
    return f"{int(value):,}"


def days(value: float | Decimal | None) -> str:
    """A median wait in days: 35 days, 35.5 days (a median of an even count may be a half)."""
    if value is None:
        return MISSING
    amount = _rounded(to_decimal(value), 1)  # type: ignore[arg-type]
    whole = amount == amount.to_integral_value()
    return f"{amount.quantize(Decimal(1)) if whole else amount:,} days"


def long_date(value: dt.date | str | None) -> str:
    """31 October 2026."""
    if value is None:
        return MISSING
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def short_date(value: dt.date | str | None) -> str:
    """31 Oct 2026."""
    if value is None:
        return MISSING
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%b %Y}"


def label(name: str) -> str:
    """A document key or a stored category as words: "outcomes_payers" → "Outcomes payers"."""
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]
