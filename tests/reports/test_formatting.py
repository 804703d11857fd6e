from decimal import Decimal

import pytest

from passu.reports.formatting import (
    basis_points,
    count,
    days,
    long_date,
    money_change,
    money_full,
    money_millions,
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


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("300000.00", "£0.3m"),  # the seed's cost of financing, beside £6.6m
        ("6600000.00", "£6.6m"),
        ("50000.00", "£0.1m"),  # half up
        ("49999.99", "£50k"),  # would read £0.0m: shown as it is, never a false zero
        ("12000.00", "£12k"),
        ("0.00", "£0"),
        ("-300000.00", "−£0.3m"),
        (None, "–"),
    ],
)
def test_money_millions_reads_a_stack_in_one_unit(amount, text):
    assert money_millions(amount) == text


def test_variances_counts_and_days():
    assert money_change("10000.00") == "+£10k"
    assert money_change("-30000.00") == "−£30k"
    assert money_change("0.20") == "£0"  # rounds to nothing: no sign
    assert count(Decimal(410)) == "410"
    assert count(Decimal("12.50")) == "12.5"
    assert count(1234) == "1,234"
    assert days(35.0) == "35 days"
    assert days(Decimal("35.5")) == "35.5 days"  # the median of an even count
    assert days(None) == "–"
