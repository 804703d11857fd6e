from __future__ import annotations

import datetime as dt
import math

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
    NOTE_SHORT,
    NOTE_TOTAL_LOSS,
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
    result = xirr(["2021-01-01", "2021-07-02"], [-100, 105], annualise_short=True)
    assert result.rate == pytest.approx(1.05 ** (365 / 182) - 1, abs=1e-12)


def test_less_than_a_year_is_not_annualised() -> None:
    # Issue 18: 1% over three days would annualise to 1.01^(365/3) − 1 = 235.6%.
    # GIPS: no rate; the period's simple return 101 / 100 − 1 = 0.01 instead.
    three_days = xirr(["2021-01-01", "2021-01-04"], [-100, 101])
    assert three_days == IrrResult(None, NOTE_SHORT, False, pytest.approx(0.01, abs=1e-15))
    # 5% over one day (54,211,840% annualised): period return 105 / 100 − 1 = 0.05.
    one_day = xirr(["2021-01-01", "2021-01-02"], [-100, 105])
    assert (one_day.rate, one_day.period_return) == (None, pytest.approx(0.05, abs=1e-15))
    # Several flows: out 100 + 50, in 30 + 130 over 364 days → 160 / 150 − 1 = 0.0666…
    days = ["2021-01-01", "2021-03-01", "2021-06-01", "2021-12-31"]
    several = xirr(days, [-100, -50, 30, 130])
    assert several.note == NOTE_SHORT
    assert several.period_return == pytest.approx(160 / 150 - 1, abs=1e-15)
    # 365 days is a year: annualised as before, 110 / 100 − 1 = 10%.
    year = xirr(["2021-01-01", "2022-01-01"], [-100, 110])
    assert (year.rate, year.note, year.period_return) == (pytest.approx(0.1), None, None)


def test_accepts_timestamps_and_datetime64() -> None:
    dates = pd.to_datetime(["2021-01-01", "2022-01-01"])
    assert xirr(dates, [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)
    assert xirr(list(dates), [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)
    assert xirr(dates.to_numpy(), [-100, 110]).rate == pytest.approx(0.10, abs=1e-12)


def test_inflows_only_have_no_rate() -> None:
    result = xirr(["2021-01-01", "2022-01-01"], [100, 50])
    assert result == IrrResult(None, NOTE_ALL_INFLOWS, False)


@pytest.mark.parametrize(
    ("dates", "amounts"),
    [
        (["2021-01-01", "2022-01-01"], [-100, -50]),
        (["2021-01-01", "2022-01-01"], [-100, 0]),  # a nil NAV at T: nothing held
        (["2021-01-01", "2021-01-04"], [-100, -1]),  # three days: −100% needs no annualising
        (["2021-01-01", "2021-01-01"], [-100, 40]),  # netted on its one date: −60
    ],
)
def test_a_total_loss_is_minus_100_percent(dates: list[str], amounts: list[int]) -> None:
    # Money went in, nothing came back, nothing is held: Σ cf / (1 + r)^t → 0 only as
    # r → −1, the market convention's −100% (issue 18), not null.
    assert xirr(dates, amounts) == IrrResult(-1.0, NOTE_TOTAL_LOSS, False)
    assert NOTE_TOTAL_LOSS == "total loss"
    # A plain solve (a model's calibration rate) has no root to give: null with the reason.
    plain = xirr(dates, amounts, annualise_short=True)
    assert plain == IrrResult(None, NOTE_ALL_OUTFLOWS, False)


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


def _netted(flows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(day from the first flow, amount) netted per day, nil days dropped, in date order."""
    first = min(d for d, _ in flows)
    by_day: dict[int, int] = {}
    for d, a in flows:
        by_day[d - first] = by_day.get(d - first, 0) + a
    return sorted((d, a) for d, a in by_day.items() if a)


def _sign_changes_in_window(flows: list[tuple[int, int]]) -> np.ndarray:
    """Rates where NPV changes sign on a dense grid over −98.5%..+1,000%, scanned
    independently of passu's own solver."""
    grid = np.linspace(-0.985, 10, 20001)
    t = np.array([d / 365 for d, _ in flows])
    a = np.array([a for _, a in flows], dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        values = ((1 + grid[:, None]) ** -t[None, :] * a).sum(axis=1)
    return grid[:-1][np.sign(values[:-1]) * np.sign(values[1:]) < 0]


def _relative_npv(flows: list[tuple[int, int]], rate: float) -> float:
    """NPV at ``rate`` relative to its largest discounted term, in logs: the rate can be huge."""
    terms = [
        (math.copysign(1, a), math.log(abs(a)) - (d / 365) * math.log1p(rate)) for d, a in flows
    ]
    top = max(e for _, e in terms)
    return sum(s * math.exp(e - top) for s, e in terms)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=4000), st.integers(-1000, 1000)),
        min_size=2,
        max_size=8,
    )
)
def test_a_rate_solves_npv_and_no_rate_is_explained_by_the_flows(
    flows: list[tuple[int, int]],
) -> None:
    start = dt.date(2010, 1, 1)
    result = xirr(
        [start + dt.timedelta(days=d) for d, _ in flows],
        [a for _, a in flows],
        annualise_short=True,
    )
    netted = _netted(flows)
    signs = {a > 0 for _, a in netted}
    if result.rate is None:
        # No rate: the reason matches the netted flows, checked here independently.
        if not netted:
            assert result.note == NOTE_NETS_TO_NIL
        elif signs == {False}:
            assert result.note == NOTE_ALL_OUTFLOWS
        elif signs == {True}:
            assert result.note == NOTE_ALL_INFLOWS
        else:
            # Both signs, yet no rate: then none may lie in the window either.
            assert result.note == NOTE_NO_ROOT
            assert _sign_changes_in_window(netted).size == 0
        return
    assert signs == {True, False}  # a rate needs money both out and in
    assert result.rate > -1
    if result.rate >= -0.99:
        # (nearer −100% a float cannot hold 1 + r precisely enough to check NPV)
        assert _relative_npv(netted, result.rate) == pytest.approx(0, abs=1e-9)
    if result.note is None:
        # No warning: the dense scan finds no other sign change in the window away from
        # the reported rate.
        crossings = _sign_changes_in_window(netted)
        assert crossings[np.abs(crossings - result.rate) > 2e-3].size == 0


@settings(max_examples=80, deadline=None)
@given(
    outflows=st.lists(st.tuples(st.integers(0, 364), st.integers(1, 1000)), min_size=1, max_size=4),
    inflows=st.lists(
        st.tuples(st.integers(730, 4000), st.integers(1, 1000)), min_size=1, max_size=4
    ),
    ratio=st.floats(min_value=0.2, max_value=5.0),
)
def test_a_conventional_series_always_has_its_one_rate(
    outflows: list[tuple[int, int]], inflows: list[tuple[int, int]], ratio: float
) -> None:
    # Money out in the first year, back from the third on: one sign change, so NPV has
    # exactly one root (Descartes), and with inflows 0.2 to 5 times the outflows at
    # least a year later that root lies between −80% and +400%: a rate must be found.
    paid = sum(a for _, a in outflows)
    scale = ratio * paid / sum(a for _, a in inflows)
    flows = [(d, -a) for d, a in outflows] + [(d, max(1, round(a * scale))) for d, a in inflows]
    start = dt.date(2010, 1, 1)
    result = xirr([start + dt.timedelta(days=d) for d, _ in flows], [a for _, a in flows])
    assert result.rate is not None
    assert result.note is None and not result.multiple_sign_changes
    assert -0.8 - 1e-9 <= result.rate <= 4.0 + 1e-9
    assert _relative_npv(_netted(flows), result.rate) == pytest.approx(0, abs=1e-9)
    # more back than paid in ⇔ a positive rate; exactly as much ⇔ 0
    back = sum(a for _, a in flows if a > 0)
    if back == paid:
        assert result.rate == pytest.approx(0, abs=1e-12)
    else:
        assert (result.rate > 0) == (back > paid)


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


def test_periodic_helpers() -> None:
    # −100 now, +110 in one period: 10%; NPV at 10% of −100, +110 is 0.
    assert periodic_irr([-100, 110]) == pytest.approx(0.10)
    assert periodic_npv(0.10, [-100, 110]) == pytest.approx(0.0)
    # numpy-financial leaves values[0] undiscounted: 100 + 110/1.1 = 200.
    assert periodic_npv(0.10, [100, 110]) == pytest.approx(200.0)
    assert periodic_irr([-100, -110]) is None
