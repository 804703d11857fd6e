from __future__ import annotations

import datetime as dt
import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.returns import (
    NOTE_ALL_INFLOWS,
    NOTE_ALL_OUTFLOWS,
    NOTE_NETS_TO_NIL,
    NOTE_NO_FLOWS,
    NOTE_NO_ROOT,
    IrrResult,
    periodic_irr,
    periodic_npv,
    xirr,
    xirr_grouped,
)


def test_spreadsheet_documentation_example() -> None:
    # The XIRR example from the spreadsheet documentation: 37.34% (0.373362535).
    result = xirr(
        ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"],
        [-10_000, 2_750, 4_250, 3_250, 2_750],
    )
    assert result.rate == pytest.approx(0.373362535, abs=1e-8)
    assert result.note is None
    assert result.multiple_sign_changes is False


def test_one_year_of_365_days() -> None:
    # 2021-01-01 → 2022-01-01 is 365 days, one Actual/365 year: 110/100 − 1 = 10%.
    result = xirr([dt.date(2021, 1, 1), dt.date(2022, 1, 1)], [-100, 110])
    assert result.rate == pytest.approx(0.10, abs=1e-12)


def test_leap_year_counts_366_days_over_365() -> None:
    # 2020 is a leap year: 366 days is 366/365 years, so 100·(1+r)^(366/365) = 110
    # and r = 1.1^(365/366) − 1 = 0.0997135859...
    result = xirr([dt.date(2020, 1, 1), dt.date(2021, 1, 1)], [-100, 110])
    assert result.rate == pytest.approx(1.1 ** (365 / 366) - 1, abs=1e-12)
    assert result.rate == pytest.approx(0.0997135859, abs=1e-10)


def test_half_year_compounds_annually() -> None:
    # 182.5 days is impossible; 2021-01-01 → 2021-07-02 is 182 days:
    # 100·(1+r)^(182/365) = 105 → r = 1.05^(365/182) − 1.
    result = xirr(["2021-01-01", "2021-07-02"], [-100, 105])
    assert result.rate == pytest.approx(1.05 ** (365 / 182) - 1, abs=1e-12)


def test_accepts_timestamps_and_datetime64() -> None:
    dates = pd.to_datetime(["2021-01-01", "2022-01-01"])
    assert xirr(dates, [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)
    assert xirr(list(dates), [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)
    assert xirr(dates.to_numpy(), [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)


@pytest.mark.parametrize(
    ("amounts", "note"),
    [
        ([-100, -50], NOTE_ALL_OUTFLOWS),
        ([100, 50], NOTE_ALL_INFLOWS),
        ([-100, 0], NOTE_ALL_OUTFLOWS),
    ],
)
def test_no_sign_change_has_no_rate(amounts: list[int], note: str) -> None:
    result = xirr(["2021-01-01", "2022-01-01"], amounts)
    assert result == IrrResult(None, note, False)


def test_no_flows_has_no_rate() -> None:
    assert xirr([], []) == IrrResult(None, NOTE_NO_FLOWS, False)


def test_flows_on_one_date_are_netted_first() -> None:
    # −100 and +30 on day 0 net to −70; +77 a 365-day year later: 77/70 − 1 = 10%.
    result = xirr(["2021-01-01", "2021-01-01", "2022-01-01"], [-100, 30, 77])
    assert result.rate == pytest.approx(0.10, abs=1e-12)
    assert result.multiple_sign_changes is False  # −70, +77 after netting
    # A drawdown and a receipt that cancel on the only date leave nothing.
    assert xirr(["2021-01-01", "2021-01-01"], [-5, 5]) == IrrResult(None, NOTE_NETS_TO_NIL, False)


def test_unordered_dates_are_sorted() -> None:
    result = xirr(["2022-01-01", "2021-01-01"], [110, -100])
    assert result.rate == pytest.approx(0.10, abs=1e-12)


def test_no_root() -> None:
    # −100 then +1e-300: NPV = −100 + 1e-300·(1+r)^−1 < 0 for every r > −100% a
    # float can hold, so there is no rate to report.
    assert xirr(["2021-01-01", "2022-01-01"], [-100, 1e-300]) == IrrResult(
        None, NOTE_NO_ROOT, False
    )


def test_multiple_sign_changes_with_a_unique_root_has_no_warning() -> None:
    # −100, +10, −50, +120: three sign changes, but the partial sums from the end
    # (120, 70, 80, −20) change sign once and those from the start (−100, −90,
    # −140, −20) never, so there is exactly one root: flagged, no warning.
    result = xirr(["2020-01-01", "2021-01-01", "2021-06-01", "2022-01-01"], [-100, 10, -50, 120])
    assert result.multiple_sign_changes is True
    assert result.note is None
    assert result.rate is not None and result.rate < 0


def test_two_real_roots_get_the_warning() -> None:
    # −100, +230, −132 a 365-day year apart: with x = 1/(1+r),
    # −100 + 230x − 132x² = 0 → x = (230 ± √(52900 − 52800)) / 264 = (230 ± 10)/264,
    # x = 10/11 or 5/6, so r = 10% or 20%. The one nearer 10% is reported.
    dates = ["2021-01-01", "2022-01-01", "2023-01-01"]
    result = xirr(dates, [-100, 230, -132])
    assert result.rate == pytest.approx(0.10, abs=1e-12)
    assert result.multiple_sign_changes is True
    assert result.note is not None
    assert "one of several rates" in result.note
    assert "20.00%" in result.note


def test_second_root_outside_the_window_gives_no_warning() -> None:
    # −1, +(a+b+2)... built from roots 10% and 2,000% (growth 1.1 and 21):
    # NPV·(1+r)² ∝ −(g − 1.1)(g − 21) = −g² + 22.1g − 23.1 with g = 1 + r,
    # i.e. flows −1, +22.1, −23.1 a year apart. 2,000% is beyond +1,000%.
    dates = ["2021-01-01", "2022-01-01", "2023-01-01"]
    result = xirr(dates, [-1, 22.1, -23.1])
    assert result.rate == pytest.approx(0.10, abs=1e-9)
    assert result.multiple_sign_changes is True
    assert result.note is None


@settings(max_examples=60, deadline=None)
@given(
    k=st.floats(min_value=1e-3, max_value=1e6),
    profit=st.integers(min_value=-90, max_value=400),
    # at least a year: a 30-day series returning 3.5x has a rate of ~5e7, beyond the
    # range (−99% to +1,000%) that DESIGN.md asks passu to search and warn about
    gap=st.integers(min_value=365, max_value=3000),
)
def test_scaling_every_flow_leaves_the_rate_unchanged(k: float, profit: int, gap: int) -> None:
    dates = [
        dt.date(2015, 3, 31),
        dt.date(2015, 3, 31) + dt.timedelta(days=gap // 2),
        dt.date(2015, 3, 31) + dt.timedelta(days=gap),
    ]
    base = [-100.0, -50.0, 150.0 + profit]
    plain = xirr(dates, base)
    scaled = xirr(dates, [k * a for a in base])
    assert plain.rate is not None and scaled.rate is not None
    assert scaled.rate == pytest.approx(plain.rate, rel=1e-9, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=4000), st.integers(-1000, 1000)),
        min_size=2,
        max_size=8,
    )
)
def test_a_reported_rate_solves_npv_and_a_clean_rate_is_the_only_root_in_the_window(
    flows: list[tuple[int, int]],
) -> None:
    start = dt.date(2010, 1, 1)
    dates = [start + dt.timedelta(days=d) for d, _ in flows]
    amounts = [a for _, a in flows]
    result = xirr(dates, amounts)
    if result.rate is None or result.rate < -0.99:
        return  # near −100% a float cannot hold 1 + r precisely enough to check
    first = min(d for d, _ in flows)
    # NPV relative to its largest discounted term, in logs: the rate can be huge.
    netted: dict[int, float] = {}
    for d, a in flows:
        netted[d - first] = netted.get(d - first, 0.0) + a
    terms = [
        (math.copysign(1, a), math.log(abs(a)) - (d / 365) * math.log1p(result.rate))
        for d, a in netted.items()
        if a
    ]
    top = max(e for _, e in terms)
    assert sum(s * math.exp(e - top) for s, e in terms) == pytest.approx(0, abs=1e-9)
    if result.note is None:
        # No warning: a dense independent scan finds no other sign change in the window
        # away from the reported rate.
        grid = np.linspace(-0.985, 10, 20001)
        t = np.array([(d - first) / 365 for d, _ in flows])
        a = np.array(amounts, dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            values = ((1 + grid[:, None]) ** -t[None, :] * a).sum(axis=1)
        crossings = grid[:-1][np.sign(values[:-1]) * np.sign(values[1:]) < 0]
        far = crossings[np.abs(crossings - result.rate) > 2e-3]
        assert far.size == 0


def _frame(groups: dict[str, list[tuple[str, float]]]) -> pd.DataFrame:
    rows = [(k, pd.Timestamp(d), a) for k, flows in groups.items() for d, a in flows]
    return pd.DataFrame(rows, columns=["holder_id", "date", "amount_pence"])


def test_grouped_equals_one_by_one() -> None:
    groups = {
        "B": [
            ("2008-01-01", -10_000),
            ("2008-03-01", 2_750),
            ("2008-10-30", 4_250),
            ("2009-02-15", 3_250),
            ("2009-04-01", 2_750),
        ],
        "A": [("2021-01-01", -100), ("2021-01-01", 30), ("2022-01-01", 77)],
        "C": [("2021-01-01", -100), ("2022-01-01", 230), ("2023-01-01", -132)],
        "D": [("2021-01-01", -100)],
        "E": [("2021-01-01", -5), ("2021-01-01", 5)],
    }
    grouped = xirr_grouped(_frame(groups), ["holder_id"])
    assert list(grouped) == [("A",), ("B",), ("C",), ("D",), ("E",)]
    for key, flows in groups.items():
        assert grouped[(key,)] == xirr([d for d, _ in flows], [a for _, a in flows])


def test_grouped_with_two_keys() -> None:
    frame = pd.DataFrame(
        [
            ("F1", "A", pd.Timestamp("2021-01-01"), -100),
            ("F1", "A", pd.Timestamp("2021-01-01"), -100),
            ("F1", "A", pd.Timestamp("2022-01-01"), 231),
            ("F1", "B", pd.Timestamp("2022-01-01"), 110),
        ],
        columns=["holder_id", "tranche", "date", "amount_pence"],
    )
    grouped = xirr_grouped(frame, ["holder_id", "tranche"])
    assert set(grouped) == {("F1", "A"), ("F1", "B")}
    # Tranche A nets to −200 on day 0 and +231 a 365-day year later: 231/200 − 1 = 15.5%.
    assert grouped[("F1", "A")].rate == pytest.approx(0.155, abs=1e-12)
    assert grouped[("F1", "B")] == IrrResult(None, NOTE_ALL_INFLOWS, False)


def test_grouped_is_batched_fast_enough() -> None:
    # 10,000 holdings × 120 flows: 40 drawdowns, then receipts and NAV.
    rng = np.random.default_rng(7)
    groups, per_group = 10_000, 120
    offsets = np.sort(rng.integers(0, 5_000, (groups, per_group)), axis=1).ravel()
    signs = np.tile(np.where(np.arange(per_group) < 40, -1, 1), groups)
    frame = pd.DataFrame(
        {
            "holding": np.repeat(np.arange(groups), per_group),
            "date": pd.Timestamp("2010-01-01") + pd.to_timedelta(offsets, unit="D"),
            "amount_pence": signs * rng.integers(1, 100_000, groups * per_group),
        }
    )
    started = time.perf_counter()
    results = xirr_grouped(frame, ["holding"])
    elapsed = time.perf_counter() - started
    assert len(results) == groups
    assert all(r.rate is not None for r in results.values())
    assert elapsed < 5.0  # typically ~0.5 s; generous for slow CI machines


def test_periodic_helpers() -> None:
    # −100 now, +110 in one period: 10%; NPV at 10% of −100, +110 is 0.
    assert periodic_irr([-100, 110]) == pytest.approx(0.10)
    assert periodic_npv(0.10, [-100, 110]) == pytest.approx(0.0)
    # numpy-financial leaves values[0] undiscounted: 100 + 110/1.1 = 200.
    assert periodic_npv(0.10, [100, 110]) == pytest.approx(200.0)
    assert periodic_irr([-100, -110]) is None
