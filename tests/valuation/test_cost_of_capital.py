from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passu.valuation.cost_of_capital import (
    MissingTermError,
    MissingYieldError,
    cost_of_capital,
    project_tenors,
)

from .builders import (
    a_holding,
    benchmark_frame,
    gilt_yields_frame,
    holding_frames,
    outcome_contracts_frame,
    projects_frame,
)

D = Decimal
AS_OF = dt.date(2016, 12, 31)
NAN = float("nan")

# P1 runs 5 years (2014-01-01 → 2019-01-01): 5-year gilts. P2 has no end date;
# its outcome contracts end at the latest 2025-06-30, 10.5 years on: 10-year gilts.
PROJECTS = projects_frame(
    [("P1", "2014-01-01", "2019-01-01"), ("P2", "2015-01-01", None), ("P3", "2014-01-01", None)]
)
CONTRACTS = outcome_contracts_frame(
    [("C1", "P2", "2020-12-31"), ("C2", "P2", "2025-06-30"), ("C3", "P3", None)]
)
GILTS = gilt_yields_frame(
    [
        ("2014-03-31", 5, 0.018),
        ("2014-03-31", 10, 0.028),
        ("2015-09-30", 5, 0.015),
        ("2015-09-30", 10, 0.020),
    ]
)
ANNUAL = benchmark_frame(
    [(2014, 0.035, 0.016, 0.0515), (2015, 0.035, 0.0067, 0.0419), (2016, 0.035, NAN, NAN)]
)
# F1 drew £100 into P1 in 2014Q1; in P2 the fund has committed but only its
# co-investor C1 has drawn (£300 in 2015Q3): every holder's drawdown counts.
# P3 is not one of the fund's projects.
HOLDINGS = holding_frames(
    a_holding("P1", "F1", drawdowns=[("2014-02-15", 100)], marks=[("2016-12-31", 120)]),
    a_holding("P2", "F1", commitment=500),
    a_holding("P2", "C1", drawdowns=[("2015-08-01", 300)], marks=[("2016-12-31", 330)]),
    a_holding("P3", "C1", drawdowns=[("2014-05-01", 999)]),
)


def run(holdings=HOLDINGS, gilts=GILTS, payments: int | None = 100_000):
    return cost_of_capital(
        {"F1"},
        "F1",
        holdings.holdings,
        holdings.project_flows,
        holdings.marks,
        PROJECTS,
        CONTRACTS,
        gilts,
        ANNUAL,
        AS_OF,
        outcome_payments_pence=payments,
    )


def test_benchmark_is_the_amount_weighted_gilt_yield() -> None:
    result = run()
    assert result.project_ids == ("P1", "P2")
    # (100 × 1.8% [2014Q1, 5y] + 300 × 2.0% [2015Q3, 10y]) / 400 = 7.8 / 400 = 0.0195
    assert result.benchmark == pytest.approx(0.0195, abs=1e-15)
    # Green Book: real 3.5% in both years; nominal (100 × 5.15% + 300 × 4.19%) / 400
    # = (5.15 + 12.57) / 400 = 0.0443.
    assert result.green_book_stpr_real == pytest.approx(0.035)
    assert result.green_book_nominal_equivalent == pytest.approx(0.0443, abs=1e-15)
    assert result.green_book_years_missing == ()
    assert (result.green_book_note, result.benchmark_note) == (None, None)


def test_cost_of_capital_pools_every_holder_in_the_funds_projects() -> None:
    result = run()
    # invested 100 + 300, NAV 120 + 330; cost of financing = 0 + 450 − 400 = 50,
    # a 5% share of £1,000 of outcome payments.
    assert (result.invested, result.nav, result.cost_of_financing) == (
        D("400.00"),
        D("450.00"),
        D("50.00"),
    )
    assert result.outcome_payments == D("1000.00")
    assert result.cost_of_financing_share == pytest.approx(0.05)
    # The rate solves −100 on 2014-02-15, −300 on 2015-08-01, +450 on 2016-12-31.
    rate = result.cost_of_capital
    assert rate is not None
    npv = (
        -100
        - 300 / (1 + rate) ** ((dt.date(2015, 8, 1) - dt.date(2014, 2, 15)).days / 365)
        + 450 / (1 + rate) ** ((dt.date(2016, 12, 31) - dt.date(2014, 2, 15)).days / 365)
    )
    assert npv == pytest.approx(0, abs=1e-9)
    assert result.spread_bps == pytest.approx((rate - 0.0195) * 10_000)


def test_no_outcome_payments_gives_no_share() -> None:
    assert run(payments=None).cost_of_financing_share is None
    assert run(payments=0).cost_of_financing_share is None


def test_a_drawdown_in_a_quarter_without_a_yield_names_the_quarter() -> None:
    holdings = holding_frames(
        a_holding("P1", "F1", drawdowns=[("2014-02-15", 100), ("2014-05-20", 50)]),
    )
    with pytest.raises(MissingYieldError) as caught:
        run(holdings)
    assert (caught.value.quarter, caught.value.tenor) == ("2014Q2", 5)
    assert "2014Q2" in str(caught.value)


def test_years_without_a_nominal_equivalent_are_listed() -> None:
    gilts = gilt_yields_frame([("2014-03-31", 5, 0.018), ("2016-03-31", 5, 0.01)])
    holdings = holding_frames(
        a_holding("P1", "F1", drawdowns=[("2014-02-15", 100), ("2016-02-15", 100)]),
    )
    result = run(holdings, gilts)
    # 2016 has no nominal equivalent: no partial average of 2014 alone (5.15%), but
    # no figure, and a note naming the year (issue 18).
    assert result.green_book_nominal_equivalent is None
    assert result.green_book_years_missing == (2016,)
    assert result.green_book_note == (
        "no GDP deflator for 2016 in the annual table: no nominal equivalent"
    )
    # (100 × 1.8% + 100 × 1.0%) / 200 = 1.4%
    assert result.benchmark == pytest.approx(0.014)


def test_tenor_by_term_and_missing_terms() -> None:
    assert project_tenors(PROJECTS, CONTRACTS, ["P1", "P2"]) == {"P1": 5, "P2": 10}
    # 7 years 6 months and a day is past 7.5 years (2,739.4 days): 10-year gilts.
    long = projects_frame([("L", "2014-01-01", "2021-07-03"), ("S", "2014-01-01", "2021-06-30")])
    assert project_tenors(long, CONTRACTS, ["L", "S"]) == {"L": 10, "S": 5}
    with pytest.raises(MissingTermError, match="P3"):
        project_tenors(PROJECTS, CONTRACTS, ["P3"])


def test_a_quarter_without_a_5_year_yield_takes_the_10_year_one() -> None:
    # P1 (5 years: 5-year gilts) draws £100 in 2014Q1 (5-year 1.8%) and £300 in
    # 2015Q3, which has only a 10-year yield here (2.0%, as the 5-year series has
    # nothing before 2009): (100 × 1.8% + 300 × 2.0%) / 400 = (1.8 + 6.0) / 400 = 1.95%.
    gilts = gilt_yields_frame(
        [("2014-03-31", 5, 0.018), ("2014-03-31", 10, 0.028), ("2015-09-30", 10, 0.020)]
    )
    holdings = holding_frames(
        a_holding("P1", "F1", drawdowns=[("2014-02-15", 100), ("2015-08-01", 300)]),
    )
    result = run(holdings, gilts)
    assert result.benchmark == pytest.approx(0.0195, abs=1e-15)
    assert result.benchmark_note == (
        "no 5-year gilt yield for 2015Q3: drawdowns on projects under 7.5 years priced "
        "at the 10-year yield"
    )
    # Neither series has 2014Q2: still an error, naming the quarter and both tenors.
    gap = holding_frames(a_holding("P1", "F1", drawdowns=[("2014-05-20", 50)]))
    with pytest.raises(MissingYieldError, match="no 5-year or 10-year gilt yield for 2014Q2"):
        run(gap, gilts)
