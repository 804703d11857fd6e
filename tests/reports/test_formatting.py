from decimal import Decimal

import pytest

from passu.reports.formatting import (
    basis_points,
    long_date,
    money_full,
    money_short,
    multiple,
    per_pound,
    percent,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("72200000.00", "£72.2m"),
        ("72249999.99", "£72.2m"),
        ("72250000.00", "£72.3m"),  # half up, not to even
        ("999950.00", "£1.0m"),  # rounds first, then picks the unit: never £1000k
        ("999499.99", "£999k"),
        ("832000005.80", "£832.0m"),
        ("1234567890.00", "£1.2bn"),
        ("849.50", "£850"),
        ("0.00", "£0"),
        ("-2000.00", "−£2k"),
        (None, "–"),
    ],
)
def test_money_short(amount, text):
    assert money_short(amount) == text


def test_money_full_keeps_every_penny():
    assert money_full("1075216.82") == "£1,075,216.82"
    assert money_full("-0.50") == "−£0.50"


def test_rates_multiples_and_spreads():
    assert percent(0.0734) == "7.3%"
    assert percent(0.029134891) == "2.9%"
    assert percent(0.0094117314, 2) == "0.94%"
    assert percent(-0.021) == "−2.1%"
    assert percent(None) == "–"
    assert multiple(1.45) == "1.45x"
    assert multiple(1.111341) == "1.11x"
    assert basis_points(370.3907) == "+370 bp"
    assert basis_points(-12.4) == "−12 bp"
    assert per_pound(Decimal("11.52")) == "£11.52"
    assert long_date("2026-10-31") == "31 October 2026"
