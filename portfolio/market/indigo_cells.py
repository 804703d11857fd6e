"""Reading INDIGO's cells: currencies spelt several ways, amounts as ranges, partial dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

_CURRENCY_NAMES = {
    "£": "GBP", "$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "€": "EUR",
    "RUSSIAN RUBLE": "RUB", "RUSSIAN RUBLES": "RUB", "JAPANESE YEN": "JPY",
    "ISRAELI NEW SHEKELS": "ILS", "SOUTH AFRICAN RAND": "ZAR", "SOUTH KOREAN WON": "KRW",
    "SWEDISH": "SEK", "SWEDISH KRONA": "SEK", "SWISS FRANCS": "CHF", "NZ DOLLAR": "NZD",
}  # fmt: skip


def normalise_currency(text: str) -> str | None:
    """An ISO 4217 code for INDIGO's currency spellings; "" for blank; None if unknown."""
    key = " ".join(text.split()).upper()
    if not key:
        return ""
    if re.fullmatch(r"[A-Z]{3}", key):
        return key
    return _CURRENCY_NAMES.get(key)


_MULTIPLIERS = {"": 1, "K": 10**3, "THOUSAND": 10**3, "M": 10**6, "MN": 10**6,
                "MILLION": 10**6, "BN": 10**9, "B": 10**9, "BILLION": 10**9}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?)\s*(k|thousand|mn|m|million|bn|b|billion)?"
_RANGE = re.compile(rf"^{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?$", re.IGNORECASE)
_SYMBOL = re.compile(r"^(US\$|C\$|A\$|£|\$|€|[A-Z]{3}\s)\s*")


def parse_amount(text: str) -> tuple[Decimal, Decimal] | None:
    """``(low, high)`` for an amount cell (equal for a single amount); None if unreadable.

    Accepts plain numbers ("1250000", "102978.0679"), thousands separators ("1,350,000"),
    a leading currency symbol or code ("£5m", "$11.712M"), and ranges ("1-2m", "1m to 2m";
    a multiplier on the high end alone applies to both). Blank cells are handled by callers.
    """
    cleaned = _SYMBOL.sub("", text.strip())
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", cleaned)  # thousands separators only
    match = _RANGE.match(cleaned)
    if not match:
        return None
    low_num, low_unit, high_num, high_unit = match.groups()
    scale = _MULTIPLIERS[(low_unit or "").upper()]
    if high_num is None:
        return Decimal(low_num) * scale, Decimal(low_num) * scale
    high_scale = _MULTIPLIERS[(high_unit or "").upper()]
    low = Decimal(low_num) * (scale if low_unit else high_scale)
    high = Decimal(high_num) * high_scale
    return (low, high) if low <= high else None


def parse_date(text: str) -> date | None:
    """ISO dates "2019-11-04"; "2019-11" (INDIGO's usual month precision) as the 1st of the
    month and a bare year "2018" as 1 January: the frames hold dates, not precisions."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return date.fromisoformat(value + "-01")
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1)
    except ValueError:  # "2023-28"
        pass
    return None
