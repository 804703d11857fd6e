"""PME against 10-year gilts: every expected value is worked by hand in the comments.

Frames are built here rather than with ``builders`` so the tests stand alone.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import pyxirr
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.pme import Pme, fund_pme
from passu.valuation.returns import NOTE_NO_ROOT, NOTE_SHORT

D = dt.date


def flows_frame(rows: list[tuple[str, int]]) -> pd.DataFrame:
    """(ISO date, amount in pence) rows: calls negative, distributions positive."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in rows]).astype("datetime64[ns]"),
            "amount_pence": np.array([a for _, a in rows], dtype=np.int64),
        }
    )


def yields_frame(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """(quarter end, tenor in years, yield) rows."""
    return pd.DataFrame(
        {
            "quarter_end": pd.to_datetime([q for q, _, _ in rows]).astype("datetime64[ns]"),
            "tenor_years": [t for _, t, _ in rows],
            "yield_": [y for _, _, y in rows],
        }
    )


def flat_yields(first_year: int, last_year: int, rate: float) -> pd.DataFrame:
    """The same 10-year yield in every quarter of the years given (and a decoy 5-year one)."""
    ends = pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31", freq="QE")
    rows = [(str(e.date()), 10, rate) for e in ends]
    # The 5-year yield must never be read: set it far from the 10-year one.
    rows += [(str(e.date()), 5, 0.25) for e in ends]
    return yields_frame(rows)


# --- 1. one call, NAV a year later, constant 5% ------------------------------


def test_one_year_at_a_constant_yield() -> None:
    # Call £100 on 2021-01-01; NAV £110 on 2022-01-01, 365 days on (2021 is not leap).
    # index(T) = Π over 365 days of 1.05^(1/365) = 1.05^(365/365) = 1.05.
    # KS-PME = (110 / 1.05) / (100 / 1) = 104.7619047619… / 100 = 1.047619047619…
    # Direct alpha: the call carried to T is −100 × 1.05 = −105; NAV +110 at T.
    # 105 × (1 + α)^(365/365) = 110 → α = 110/105 − 1 = 5/105 = 0.047619047619…
    # Yields are given for 2021 only: T's own quarter (2022Q1) is not needed because
    # the day T is not compounded.
    pme = fund_pme(
        flows_frame([("2021-01-01", -10_000)]), 11_000, D(2022, 1, 1), flat_yields(2021, 2021, 0.05)
    )
    assert pme.ks_pme == pytest.approx(1.047619047619, abs=1e-9)
    assert pme.ks_pme == pytest.approx(110 / 105, abs=1e-12)
    assert pme.direct_alpha == pytest.approx(0.047619047619, abs=1e-9)
    assert pme.direct_alpha == pytest.approx(5 / 105, abs=1e-12)
    assert pme.benchmark == "gilts_10y"
    assert pme.note is None


def test_rows_sharing_a_date_and_rows_after_t() -> None:
    # As test 1 with the £100 call split £60 + £40 on the same day, and a £1,000
    # distribution after T that must be ignored: Σ|calls| = 100 still, so the same
    # KS-PME 110/105 and direct alpha 5/105.
    flows = flows_frame([("2021-01-01", -6_000), ("2021-01-01", -4_000), ("2022-06-01", 100_000)])
    pme = fund_pme(flows, 11_000, D(2022, 1, 1), flat_yields(2021, 2021, 0.05))
    assert pme == Pme(
        pytest.approx(110 / 105, abs=1e-12), pytest.approx(5 / 105, abs=1e-12), "gilts_10y", None
    )


# --- 2. a distribution in between --------------------------------------------


def test_distribution_in_between() -> None:
    # y = 5% throughout. Call £100 on 2021-01-01 (day 0), distribution £60 on
    # 2022-01-01 (day 365), NAV £60 on 2023-01-01 (day 730; 2021 and 2022 not leap).
    # index(day 365) = 1.05, index(day 730) = 1.05² = 1.1025.
    # KS-PME = (60/1.05 + 60/1.1025) / 100 = (57.142857142857 + 54.421768707483) / 100
    #        = 1.115646258503…
    # Direct alpha: carried to T the flows are −100 × 1.1025 = −110.25 at day 0,
    # +60 × 1.1025/1.05 = +63 at day 365, +60 at day 730. With x = 1/(1 + α):
    #   −110.25 + 63x + 60x² = 0 → x = (−63 + √(63² + 4·60·110.25)) / 120
    #                               = (−63 + √30429) / 120,  √30429 = 174.439101121…
    # so x = 0.928659176… and α = 1/x − 1 = 120 / (√30429 − 63) − 1 = 0.076821320…
    flows = flows_frame([("2021-01-01", -10_000), ("2022-01-01", 6_000)])
    pme = fund_pme(flows, 6_000, D(2023, 1, 1), flat_yields(2021, 2022, 0.05))
    assert pme.ks_pme == pytest.approx(1.115646258503, abs=1e-9)
    assert pme.ks_pme == pytest.approx((60 / 1.05 + 60 / 1.1025) / 100, abs=1e-12)
    assert pme.direct_alpha == pytest.approx(0.076821320, abs=1e-9)
    assert pme.direct_alpha == pytest.approx(120 / (math.sqrt(30429) - 63) - 1, abs=1e-10)
    assert pme.note is None


# --- 3. nothing to compare ---------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("2021-06-01", 5_000)],  # a distribution but no call
        [("2021-06-01", 0)],  # a nil row is no call
        [("2023-01-01", -10_000)],  # the only call is after T
    ],
)
def test_no_calls(rows: list[tuple[str, int]]) -> None:
    pme = fund_pme(flows_frame(rows), 11_000, D(2022, 1, 1), flat_yields(2021, 2021, 0.05))
    assert pme == Pme(None, None, "gilts_10y", "no calls yet")


def test_a_missing_quarter_is_named() -> None:
    # The index from 2021-01-01 to T = 2022-01-01 compounds the days of 2021Q1…Q4;
    # 2021Q3 has only a 5-year yield, which does not count.
    gilts = yields_frame(
        [
            ("2021-03-31", 10, 0.05),
            ("2021-06-30", 10, 0.05),
            ("2021-09-30", 5, 0.05),
            ("2021-12-31", 10, 0.05),
        ]
    )
    pme = fund_pme(flows_frame([("2021-01-01", -10_000)]), 11_000, D(2022, 1, 1), gilts)
    assert pme == Pme(None, None, "gilts_10y", "no 10-year gilt yield for 2021Q3")


def test_missing_quarters_are_named_in_runs() -> None:
    # Span 2020-01-01 … 2021-12-31 (T = 2022-01-01): eight quarters; only 2020Q1,
    # 2020Q4 and 2021Q2 have a 10-year yield (2021Q2's given as NaN in one row too).
    gilts = yields_frame(
        [
            ("2020-03-31", 10, 0.05),
            ("2020-12-31", 10, 0.05),
            ("2021-06-30", 10, 0.05),
            ("2021-09-30", 10, float("nan")),
        ]
    )
    pme = fund_pme(flows_frame([("2020-01-01", -10_000)]), 11_000, D(2022, 1, 1), gilts)
    assert pme.note == "no 10-year gilt yield for 2020Q2–2020Q3, 2021Q1, 2021Q3–2021Q4"
    assert (pme.ks_pme, pme.direct_alpha) == (None, None)


def test_t_itself_needs_no_yield_but_the_day_before_does() -> None:
    # T = 2022-01-02 compounds 2022-01-01, a day of 2022Q1, for which there is no yield.
    pme = fund_pme(
        flows_frame([("2021-01-01", -10_000)]), 11_000, D(2022, 1, 2), flat_yields(2021, 2021, 0.05)
    )
    assert pme.note == "no 10-year gilt yield for 2022Q1"


def test_no_receipts_is_a_total_loss_against_gilts_too() -> None:
    # Call £100, NAV nil: KS-PME = (0 + 0/1.05) / 100 = 0. The carried flows are one
    # outflow: money went in, nothing came back, nothing is held, so direct alpha is
    # the total loss's −100%, as every IRR passu reports (issue 18), not null.
    pme = fund_pme(
        flows_frame([("2021-01-01", -10_000)]), 0, D(2022, 1, 1), flat_yields(2021, 2021, 0.05)
    )
    assert pme == Pme(0.0, -1.0, "gilts_10y", None)


def test_xirr_without_a_root() -> None:
    # y = 0, so the index is 1 throughout and nothing is rescaled. Call £100 on
    # 2021-01-01, distribution £300 a year on, call £300 a year after that, NAV nil.
    # KS-PME = 300 / (100 + 300) = 0.75. With x = 1/(1 + r) (365-day years):
    # −100 + 300x − 300x² = 0 has discriminant 300² − 4·300·100 = −30,000 < 0: no rate.
    flows = flows_frame([("2021-01-01", -10_000), ("2022-01-01", 30_000), ("2023-01-01", -30_000)])
    pme = fund_pme(flows, 0, D(2023, 1, 1), flat_yields(2021, 2022, 0.0))
    assert pme == Pme(
        pytest.approx(0.75, abs=1e-12), None, "gilts_10y", f"direct alpha: {NOTE_NO_ROOT}"
    )


# --- 4. the yield changes between quarters ------------------------------------

# 4% in 2021Q1, 6% in 2021Q2 (decoy 5-year yields of 25%, and a 2021Q3 yield that
# no compounded day reaches).
STEP = yields_frame(
    [
        ("2021-03-31", 10, 0.04),
        ("2021-06-30", 10, 0.06),
        ("2021-09-30", 10, 0.50),
        ("2021-03-31", 5, 0.25),
        ("2021-06-30", 5, 0.25),
    ]
)
# Call on 2021-02-14, T = 2021-05-15: 90 days compounded, 2021-02-14 … 2021-05-14.
#   2021Q1: 14–28 Feb (15 days, 2021 not leap) + 31 March days = 46 days at 4%
#   2021Q2: 30 April days + 1–14 May (14 days)                 = 44 days at 6%
# A = 1.04^(46/365) = 1.004955120…, B = 1.06^(44/365) = 1.007048924…
# index(2021-04-01) = A: 1 April is the first day of 2021Q2 and is not yet compounded.
# index(T) = A·B = 1.012038973…
# One day moved between the quarters changes index(T) by 1.06^(1/365)/1.04^(1/365)
# − 1 ≈ 5.2e-5, and compounding T itself by 1.06^(1/365) − 1 ≈ 1.6e-4: both far
# above the tolerances below.
A = 1.04 ** (46 / 365)
B = 1.06 ** (44 / 365)


def test_step_factors_as_worked() -> None:
    # The hand values of A and B above, so the comments below can use them.
    q1, q2 = A, B
    assert q1 == pytest.approx(1.004955120, abs=1e-9)
    assert q2 == pytest.approx(1.007048924, abs=1e-9)


def test_step_in_yield_call_and_nav() -> None:
    # Call £100 on 2021-02-14, NAV £102 at T.
    # KS-PME = (102 / AB) / 100 = 1.02 / 1.012038973… = 1.007866324…
    # Direct alpha: −100·AB carried to T, +102 at T, 90 days apart: annualised it would
    #   be (102 / (100·AB))^(365/90) − 1 = 0.0323 (3.2% a year from 0.79% in 90 days),
    #   but 90 days is under a year: not annualised (issue 18), null with the note.
    pme = fund_pme(flows_frame([("2021-02-14", -10_000)]), 10_200, D(2021, 5, 15), STEP)
    assert pme.ks_pme == pytest.approx(1.007866324, abs=1e-9)
    assert pme.ks_pme == pytest.approx(1.02 / (A * B), abs=1e-12)
    assert pme.direct_alpha is None
    assert pme.note == f"direct alpha: {NOTE_SHORT}"


def test_step_in_yield_distribution_on_the_quarter_boundary() -> None:
    # Call £100 on 2021-02-14, distribution £30 on 2021-04-01, NAV £72 at T.
    # KS-PME = (30/A + 72/(AB)) / 100 = (29.852079… + 71.143505…) / 100 = 1.009955846…
    # Direct alpha would solve −100·AB·(1 + α)^(90/365) + 30·B·(1 + α)^(44/365) + 72 = 0
    # (flows carried to T), but the flows span 90 days, under a year: not annualised
    # (issue 18), null with the note, as every IRR passu reports.
    flows = flows_frame([("2021-02-14", -10_000), ("2021-04-01", 3_000)])
    pme = fund_pme(flows, 7_200, D(2021, 5, 15), STEP)
    assert pme.ks_pme == pytest.approx((30 / A + 72 / (A * B)) / 100, abs=1e-12)
    assert pme.ks_pme == pytest.approx(1.009955846, abs=1e-9)
    assert (pme.direct_alpha, pme.note) == (None, f"direct alpha: {NOTE_SHORT}")


# --- property: a nil yield is no benchmark at all -----------------------------

BASE = D(2021, 1, 1)
AS_OF = BASE + dt.timedelta(days=2_100)
NIL = flat_yields(2020, 2027, 0.0)
money = st.integers(min_value=1_000_000, max_value=100_000_000)  # £10,000 – £1m


@settings(max_examples=60, deadline=None)
@given(
    calls=st.lists(st.tuples(st.integers(0, 365), money), min_size=1, max_size=4),
    distributions=st.lists(st.tuples(st.integers(730, 2_000), money), max_size=4),
    nav=money,
)
def test_nil_yield_gives_tvpi_and_the_plain_xirr(
    calls: list[tuple[int, int]], distributions: list[tuple[int, int]], nav: int
) -> None:
    # index ≡ 1, so KS-PME = (Σ dist + NAV) / Σ |calls| (TVPI) and the carried flows
    # are the flows themselves: direct alpha is their XIRR. Calls all come before
    # distributions and NAV > 0, so the flows change sign once and the rate is unique.
    rows = [(BASE + dt.timedelta(days=d), -a) for d, a in calls]
    rows += [(BASE + dt.timedelta(days=d), a) for d, a in distributions]
    flows = flows_frame([(d.isoformat(), a) for d, a in rows])
    pme = fund_pme(flows, nav, AS_OF, NIL)
    paid_in = sum(a for _, a in calls)
    tvpi = (sum(a for _, a in distributions) + nav) / paid_in
    assert pme.ks_pme == pytest.approx(tvpi, rel=1e-12)
    plain = pyxirr.xirr([d for d, _ in rows] + [AS_OF], [a for _, a in rows] + [nav])
    assert plain is not None
    assert pme.direct_alpha == pytest.approx(plain, rel=1e-8, abs=1e-10)
    assert pme.note is None


def test_bad_yield_data_raises() -> None:
    doubled = yields_frame([("2021-03-31", 10, 0.04), ("2021-03-31", 10, 0.05)])
    with pytest.raises(ValueError, match="more than one 10-year gilt yield for 2021Q1"):
        fund_pme(flows_frame([("2021-01-01", -10_000)]), 11_000, D(2021, 3, 1), doubled)
