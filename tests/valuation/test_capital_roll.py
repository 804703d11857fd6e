"""Capital accounts rolled forward (valuation/capital_roll.py), worked by hand.

Amounts in the comments are pounds; the frames hold pence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.book import HoldingBook
from passu.valuation.capital_accounts import capital_accounts
from passu.valuation.capital_roll import (
    capital_roll,
    fund_month_ends,
    month_ends,
    movements,
    window_lines,
)
from passu.valuation.fund import value_fund_in
from passu.valuation.ledger import Ledger
from passu.valuation.money import allocate_largest_remainder
from tests.portfolio.builders import a_portfolio, write_csvs
from tests.valuation.builders import (
    a_holding,
    commitments_frame,
    fund_expenses_frame,
    holding_frames,
    investor_flows_frame,
    pence,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample"
KEYS = ["fund_id", "investor_id", "share_class"]


def flows(*rows: tuple[str, str, str, str | int, str, bool]) -> pd.DataFrame:
    """(investor, date, kind, £, purpose, recallable) rows of fund F1."""
    frame = investor_flows_frame([("F1", i, d, k, a) for i, d, k, a, _, _ in rows])
    frame["purpose"] = [p for *_, p, _ in rows]
    frame["recallable"] = [r for *_, r in rows]
    return frame


def roll(
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    *holdings: object,
    as_of: str,
    basis: str = "paid_in",
    expenses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    h = holding_frames(*holdings)  # type: ignore[arg-type]
    return capital_roll(
        commitments,
        investor_flows,
        fund_expenses_frame() if expenses is None else expenses,
        h.project_flows,
        h.marks,
        as_of,
        allocation_basis=basis,
    )


def at(result: pd.DataFrame, day: str, investor: str, line: str = "ending") -> int:
    row = result.loc[
        (result["period_end"] == pd.Timestamp(day)) & (result["investor_id"] == investor)
    ]
    assert len(row) == 1
    return int(row[line].iloc[0])


def reconciles(result: pd.DataFrame) -> None:
    assert (result["beginning"] + movements(result) == result["ending"]).all()


# --- month-ends and the fund's split ---------------------------------------------------


def test_month_ends_run_from_the_first_calls_month_to_t_with_a_short_final_period() -> None:
    ends = month_ends("2020-01-10", "2020-04-15")
    assert [d.date().isoformat() for d in ends] == [
        "2020-01-31",
        "2020-02-29",
        "2020-03-31",
        "2020-04-15",
    ]
    assert list(month_ends("2020-01-10", "2020-02-29"))[-1] == pd.Timestamp("2020-02-29")
    assert len(month_ends("2020-01-10", "2020-02-29")) == 2


def test_fund_split_into_income_realised_and_unrealised() -> None:
    # Fund F1 called £100 (Jan), drew £100 (Jan), received £5 interest (Feb) and a £60
    # repayment (Mar), was marked at £30 on 30 Apr, then repaid £50 (May).
    h = holding_frames(
        a_holding(
            drawdowns=[("2020-01-15", 100)],
            interest=[("2020-02-15", 5)],
            repayments=[("2020-03-15", 60), ("2020-05-15", 50)],
            marks=[("2020-04-30", 30)],
        )
    )
    calls = investor_flows_frame([("F1", "A", "2020-01-10", "call", 100)])
    ends = month_ends("2020-01-10", "2020-05-31")
    f = fund_month_ends(["F1"], calls, fund_expenses_frame(), h.project_flows, h.marks, ends)
    got = f.set_index("date")[
        ["nav_pence", "income_pence", "realised_pence", "unrealised_pence", "cash_pence"]
    ]
    expected = {
        # NAV = holding + cash; cost outstanding = 100 − repayments
        "2020-01-31": (100, 0, 0, 0, 0),  # at cost 100, cash 100 − 100
        "2020-02-29": (105, 5, 0, 0, 5),  # interest is income and cash
        "2020-03-31": (105, 5, 0, 0, 65),  # cost 40 + cash 65
        "2020-04-30": (95, 5, 0, -10, 65),  # mark 30 against cost 40: −10
        # repaid 50 more: 110 repaid on 100 drawn → cost 0, realised gain 10; the mark
        # rolled 30 − 50 floored at nil, so unrealised 0 − 0; cash 115
        "2020-05-31": (115, 5, 10, 0, 115),
    }
    for day, values in expected.items():
        assert tuple(int(v) for v in got.loc[pd.Timestamp(day)]) == tuple(pence(v) for v in values)
    # NAV = calls − distributions + income + realised + unrealised − fees − expenses
    assert (
        f["nav_pence"]
        == f["calls_pence"] + f["income_pence"] + f["realised_pence"] + f["unrealised_pence"]
    ).all()


# --- closings -----------------------------------------------------------------------------


def _late_closer(*more: tuple[str, str, str, str | int, str, bool]) -> pd.DataFrame:
    return flows(("A", "2020-01-10", "call", 100_000, "investment", False), *more)


def test_a_late_closer_without_equalisation_shares_from_its_contributions() -> None:
    # A commits £100,000 (1 Jan) and pays it in (10 Jan); the fund lends it to P1. B
    # commits £100,000 on 1 Jun and has paid nothing by 30 Jun, when P1 is marked at
    # £120,000: the £20,000 gain is A's alone on paid-in (B paid nothing).
    commitments = commitments_frame(
        [("F1", "A", "A", 100_000, "2020-01-01"), ("F1", "B", "A", 100_000, "2020-06-01")]
    )
    p1 = a_holding(
        drawdowns=[("2020-01-15", 100_000), ("2020-07-15", 100_000)],
        marks=[("2020-06-30", 120_000), ("2020-07-31", 231_000)],
    )
    investor_flows = _late_closer(("B", "2020-07-10", "call", 100_000, "investment", False))
    result = roll(commitments, investor_flows, p1, as_of="2020-07-31")
    reconciles(result)
    assert (at(result, "2020-06-30", "A"), at(result, "2020-06-30", "B")) == (
        pence(120_000),
        0,
    )
    assert at(result, "2020-06-30", "B", "unfunded") == pence(100_000)
    # July: B pays £100,000 in, the fund lends it on (NAV 220,000), and the mark of
    # £231,000 is an £11,000 gain, shared 100,000 : 100,000 → £5,500 each.
    assert at(result, "2020-07-31", "A") == pence(125_500)  # 120,000 + 5,500
    assert at(result, "2020-07-31", "B") == pence(105_500)  # 100,000 + 5,500
    assert at(result, "2020-07-31", "B", "contributions_investment") == pence(100_000)
    assert at(result, "2020-07-31", "B", "unrealised") == pence(5_500)
    # Since inception, A: 100,000 in + 25,500 unrealised = 125,500.
    a = window_lines(result, "2020-01-01", "2020-07-31").set_index("investor_id").loc["A"]
    assert (a["beginning"], a["contributions_investment"], a["unrealised"], a["ending"]) == (
        0,
        pence(100_000),
        pence(25_500),
        pence(125_500),
    )


def test_on_the_commitment_basis_an_admitted_investor_shares_before_paying() -> None:
    # The same fund to 30 Jun on the commitment basis: B is admitted on 1 Jun, so June's
    # £20,000 gain is split 100,000 : 100,000 → A 100,000 + 10,000, B 0 + 10,000.
    commitments = commitments_frame(
        [("F1", "A", "A", 100_000, "2020-01-01"), ("F1", "B", "A", 100_000, "2020-06-01")]
    )
    p1 = a_holding(drawdowns=[("2020-01-15", 100_000)], marks=[("2020-06-30", 120_000)])
    result = roll(commitments, _late_closer(), p1, as_of="2020-06-30", basis="commitment")
    reconciles(result)
    assert (at(result, "2020-06-30", "A"), at(result, "2020-06-30", "B")) == (
        pence(110_000),
        pence(10_000),
    )


def test_a_late_closer_with_equalisation_and_interest() -> None:
    # A commits £100,000 (1 Jan), pays £50,000 (10 Jan), lent to P1; marked £60,000 on
    # 31 Mar (A's £10,000 gain). B commits £100,000 at the second closing (1 Apr): 25% of
    # the £200,000 now committed has been called, so B pays £25,000 of equalisation plus
    # 8% interest for the 91 days from 10 Jan to 10 Apr: 25,000 × 0.08 × 91/365 =
    # 498.630… → £498.63; B's call is £25,498.63. The fund pays A the £25,000 back
    # (recallable) and the £498.63 interest. P1 is marked £66,000 on 30 Jun.
    commitments = commitments_frame(
        [("F1", "A", "A", 100_000, "2020-01-01"), ("F1", "B", "A", 100_000, "2020-04-01")]
    )
    p1 = a_holding(
        drawdowns=[("2020-01-15", 50_000)], marks=[("2020-03-31", 60_000), ("2020-06-30", 66_000)]
    )
    investor_flows = flows(
        ("A", "2020-01-10", "call", 50_000, "investment", False),
        ("B", "2020-04-10", "call", "25498.63", "equalisation", False),
        ("A", "2020-04-10", "distribution", 25_000, "equalisation", True),
        ("A", "2020-04-10", "distribution", "498.63", "equalisation", False),
    )
    for basis in ("paid_in", "commitment"):
        result = roll(commitments, investor_flows, p1, as_of="2020-06-30", basis=basis)
        reconciles(result)
        # April: A 60,000 − 25,498.63 distributed + 498.63 interest income = 35,000;
        # B 25,498.63 contributed − 498.63 interest paid = 25,000. Σ 60,000 = NAV.
        assert at(result, "2020-04-30", "A") == pence(35_000)
        assert at(result, "2020-04-30", "B") == pence(25_000)
        assert at(result, "2020-04-30", "A", "income") == pence("498.63")
        assert at(result, "2020-04-30", "B", "income") == -pence("498.63")
        assert at(result, "2020-04-30", "A", "equalisation_interest") == pence("498.63")
        # Each has paid 25,000 of capital: June's £6,000 gain splits 3,000 each.
        assert at(result, "2020-06-30", "A") == pence(38_000)
        assert at(result, "2020-06-30", "B") == pence(28_000)
        # A's unfunded rises by the 25,000 returned: 100,000 − 50,000 + 25,000, all of
        # it but the never-called 50,000 recallable; B: 100,000 − 25,000 = 75,000.
        assert at(result, "2020-06-30", "A", "unfunded") == pence(75_000)
        assert at(result, "2020-06-30", "A", "recallable") == pence(25_000)
        assert at(result, "2020-06-30", "B", "unfunded") == pence(75_000)
        assert at(result, "2020-06-30", "B", "recallable") == 0


def test_an_excused_investor_pays_less_and_shares_by_the_basis() -> None:
    # A, B and C commit £100,000 each and pay £30,000 each (10 Jan) for P1 (£90,000,
    # unmarked: at cost). C is excused from the £30,000 call for P2 (10 Feb): A and B
    # pay £15,000 each (purpose excused). P2 is marked £36,000 on 31 Mar: a £6,000 gain.
    commitments = commitments_frame(
        [("F1", i, "A", 100_000, "2020-01-01") for i in ("A", "B", "C")]
    )
    p1 = a_holding("P1", drawdowns=[("2020-01-15", 90_000)])
    p2 = a_holding("P2", drawdowns=[("2020-02-15", 30_000)], marks=[("2020-03-31", 36_000)])
    investor_flows = flows(
        *[(i, "2020-01-10", "call", 30_000, "investment", False) for i in ("A", "B", "C")],
        ("A", "2020-02-10", "call", 15_000, "excused", False),
        ("B", "2020-02-10", "call", 15_000, "excused", False),
    )
    paid_in = roll(commitments, investor_flows, p1, p2, as_of="2020-03-31")
    reconciles(paid_in)
    # Paid in 45,000 : 45,000 : 30,000 of 120,000 → 2,250, 2,250, 1,500.
    assert [at(paid_in, "2020-03-31", i) for i in "ABC"] == [
        pence(47_250),
        pence(47_250),
        pence(31_500),
    ]
    assert at(paid_in, "2020-02-29", "A", "contributions_excused") == pence(15_000)
    assert at(paid_in, "2020-03-31", "C", "unfunded") == pence(70_000)
    # On commitments, 1 : 1 : 1 → 2,000 each.
    committed = roll(commitments, investor_flows, p1, p2, as_of="2020-03-31", basis="commitment")
    assert [at(committed, "2020-03-31", i) for i in "ABC"] == [
        pence(47_000),
        pence(47_000),
        pence(32_000),
    ]


def test_a_recallable_distribution_adds_to_unfunded_until_recalled() -> None:
    # A and B commit £100,000 each and pay £40,000 each (10 Jan); the fund lends
    # £80,000, £20,000 is repaid (15 Mar) and returned, £10,000 each, recallable
    # (20 Mar). Calls of £6,000 each (10 May) and £9,000 each (10 Jun) are lent on.
    commitments = commitments_frame([("F1", i, "A", 100_000, "2020-01-01") for i in "AB"])
    p1 = a_holding(
        drawdowns=[("2020-01-15", 80_000), ("2020-05-15", 12_000), ("2020-06-15", 18_000)],
        repayments=[("2020-03-15", 20_000)],
    )
    investor_flows = flows(
        *[(i, "2020-01-10", "call", 40_000, "investment", False) for i in "AB"],
        *[(i, "2020-03-20", "distribution", 10_000, "return_of_capital", True) for i in "AB"],
        *[(i, "2020-05-10", "call", 6_000, "investment", False) for i in "AB"],
        *[(i, "2020-06-10", "call", 9_000, "investment", False) for i in "AB"],
    )
    result = roll(commitments, investor_flows, p1, as_of="2020-06-30")
    reconciles(result)
    expected = {
        "2020-01-31": (60_000, 0),  # 100,000 − 40,000
        "2020-03-31": (70_000, 10_000),  # + 10,000 returned, recallable
        "2020-05-31": (64_000, 4_000),  # 6,000 called: 6,000 of the 10,000 recalled
        "2020-06-30": (55_000, 0),  # 9,000 called: the last 4,000 recalled, 5,000 new
    }
    for day, (unfunded, recallable) in expected.items():
        for investor in "AB":
            assert at(result, day, investor, "unfunded") == pence(unfunded)
            assert at(result, day, investor, "recallable") == pence(recallable)
    # 40,000 + 6,000 + 9,000 − 10,000 = 45,000 each, the NAV of 90,000 (at cost, no cash).
    assert at(result, "2020-06-30", "A") == pence(45_000)
    assert at(result, "2020-06-30", "A", "distributions_return_of_capital") == 0
    assert at(result, "2020-03-31", "A", "distributions_return_of_capital") == pence(10_000)


def test_a_fee_called_from_one_investor_is_its_own_and_pooled_fees_are_shared() -> None:
    # A and B commit and pay £50,000 each, lent on at cost. In February A alone is called
    # £1,000 for its management fee, which the fund pays (fund_expenses); the fund also
    # pays a £600 expense for everyone. A: 50,000 + 1,000 − 1,000 fee − 300 = 49,700;
    # B: 50,000 − 300 = 49,700. NAV 100,000 − 600 = 99,400.
    commitments = commitments_frame([("F1", i, "A", 50_000, "2020-01-01") for i in "AB"])
    p1 = a_holding(drawdowns=[("2020-01-15", 100_000)])
    investor_flows = flows(
        *[(i, "2020-01-10", "call", 50_000, "investment", False) for i in "AB"],
        ("A", "2020-02-10", "call", 1_000, "management_fee", False),
    )
    expenses = fund_expenses_frame(
        [("F1", "2020-02-11", "management_fee", 1_000), ("F1", "2020-02-12", "expense", 600)]
    )
    result = roll(commitments, investor_flows, p1, as_of="2020-02-29", expenses=expenses)
    reconciles(result)
    assert at(result, "2020-02-29", "A") == pence(49_700)
    assert at(result, "2020-02-29", "B") == pence(49_700)
    assert at(result, "2020-02-29", "A", "management_fees") == pence(1_000)
    assert at(result, "2020-02-29", "B", "management_fees") == 0
    assert at(result, "2020-02-29", "A", "expenses") == pence(300)
    # the fee call counts against commitment but not as capital: unfunded 50,000 − 51,000
    assert at(result, "2020-02-29", "A", "unfunded") == -pence(1_000)


# --- today's figures where flows are pro rata --------------------------------------------


def _today(ledger: Ledger, as_of: dt.date) -> dict[tuple[str, str, str], int]:
    book = HoldingBook(ledger.holdings, ledger.project_flows, ledger.marks, as_of)
    funds = sorted(set(ledger.investor_flows["fund_id"]))
    navs = {
        f: value_fund_in(
            book, (f,), f, ledger.commitments, ledger.investor_flows, ledger.fund_expenses
        ).nav
        for f in funds
    }
    accounts = capital_accounts(navs, ledger.commitments, ledger.investor_flows, as_of)
    return {(a.fund_id, a.investor_id, a.share_class): int(a.nav * 100) for a in accounts}


def _rolled(ledger: Ledger, as_of: dt.date, basis: str) -> pd.DataFrame:
    return capital_roll(
        ledger.commitments,
        ledger.investor_flows,
        ledger.fund_expenses,
        ledger.project_flows,
        ledger.marks,
        as_of,
        allocation_basis=basis,
    )


def _endings(result: pd.DataFrame, as_of: dt.date) -> dict[tuple[str, str, str], int]:
    last = result.loc[result["period_end"] == pd.Timestamp(as_of)]
    return {
        (r.fund_id, r.investor_id, r.share_class): int(r.ending)
        for r in last.itertuples(index=False)
    }


@pytest.fixture(scope="module")
def sample() -> Ledger:
    return Ledger.from_csv(SAMPLE).as_of(dt.date(2026, 10, 31))


@pytest.mark.parametrize("basis", ["paid_in", "commitment"])
def test_the_sample_keeps_todays_capital_accounts(sample: Ledger, basis: str) -> None:
    t = dt.date(2026, 10, 31)
    result = _rolled(sample, t, basis)
    assert _endings(result, t) == _today(sample, t)
    reconciles(result)
    # SOF2's NAV at T is £1,130,724.91 (README), its accounts add up to it.
    assert result.loc[result["period_end"] == pd.Timestamp(t)].groupby("fund_id")[
        "ending"
    ].sum().to_dict() == {"SOF1": 0, "SOF2": 113_072_491}


def test_the_sample_keeps_todays_accounts_at_past_year_ends(sample: Ledger) -> None:
    result = _rolled(sample, dt.date(2026, 10, 31), "paid_in")
    for day in (dt.date(2016, 12, 31), dt.date(2020, 12, 31), dt.date(2025, 12, 31)):
        assert _endings(result, day) == _today(sample.as_of(day), day)


def test_the_sample_reconciles_over_windows(sample: Ledger) -> None:
    result = _rolled(sample, dt.date(2026, 10, 31), "paid_in")
    for start in ("2026-07-01", "2026-01-01", "2013-01-01"):
        lines = window_lines(result, start, "2026-10-31")
        assert (lines["beginning"] + movements(lines) == lines["ending"]).all()
    since = window_lines(result, "2013-01-01", "2026-10-31")
    assert (since["beginning"] == 0).all()
    # the sample's paid-in and distributed (README): £19,900,000.00 and £19,449,481.43
    assert since["contributions_investment"].sum() == 1_990_000_000
    assert since["distributions_gain"].sum() == 1_944_948_143


def test_the_sample_fund_navs_match_value_fund_at_month_ends(sample: Ledger) -> None:
    ends = month_ends("2013-07-01", dt.date(2026, 10, 31))
    f = fund_month_ends(
        ["SOF1", "SOF2"],
        sample.investor_flows,
        sample.fund_expenses,
        sample.project_flows,
        sample.marks,
        ends,
    ).set_index(["fund_id", "date"])
    for day in (dt.date(2015, 3, 31), dt.date(2019, 6, 30), dt.date(2026, 10, 31)):
        past = sample.as_of(day)
        book = HoldingBook(past.holdings, past.project_flows, past.marks, day)
        for fund in ("SOF1", "SOF2"):
            v = value_fund_in(
                book, (fund,), fund, past.commitments, past.investor_flows, past.fund_expenses
            )
            row = f.loc[(fund, pd.Timestamp(day))]
            assert row["nav_pence"] == int(v.nav * 100)
            assert row["cash_pence"] == int(v.cash * 100)


@pytest.mark.parametrize("basis", ["paid_in", "commitment"])
def test_the_test_portfolio_keeps_todays_capital_accounts(tmp_path: Path, basis: str) -> None:
    ledger = Ledger.from_csv(write_csvs(tmp_path / "p", a_portfolio()))
    for t in (dt.date(2014, 6, 30), dt.date(2016, 12, 31)):
        past = ledger.as_of(t)
        assert _endings(_rolled(past, t, basis), t) == _today(past, t)


# --- properties ---------------------------------------------------------------------------


@st.composite
def portfolios(draw: st.DrawFn, pro_rata: bool) -> tuple[pd.DataFrame, ...]:
    investors = draw(st.integers(2, 4))
    units = [draw(st.integers(1, 5)) for _ in range(investors)]
    commitments = commitments_frame(
        [("F1", f"I{i}", "A", 10_000 * u, "2020-01-01") for i, u in enumerate(units)]
    )
    rows = []
    months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
    for m in sorted(months):
        day = f"2020-{m:02d}-10"
        per_unit = draw(st.integers(1, 50_000))  # pence per commitment unit
        kind = "call" if m == min(months) else draw(st.sampled_from(["call", "distribution"]))
        for i, u in enumerate(units):
            amount = per_unit * u if pro_rata else draw(st.integers(1, 300_000))
            rows.append(("F1", f"I{i}", day, kind, Decimal(amount) / 100))
    investor_flows = investor_flows_frame(rows)
    drawdowns = [
        (f"2020-{draw(st.integers(1, 12)):02d}-15", Decimal(draw(st.integers(1, 500_000))) / 100)
        for _ in range(draw(st.integers(1, 3)))
    ]
    receipts = [
        (f"2020-{draw(st.integers(1, 12)):02d}-20", Decimal(draw(st.integers(1, 200_000))) / 100)
        for _ in range(draw(st.integers(0, 2)))
    ]
    marks = [
        (f"2020-{m:02d}-28", Decimal(draw(st.integers(0, 900_000))) / 100)
        for m in draw(st.lists(st.integers(1, 12), max_size=3, unique=True))
    ]
    h = holding_frames(a_holding(drawdowns=drawdowns, repayments=receipts, marks=marks))
    expenses = fund_expenses_frame(
        [("F1", "2020-05-05", "expense", Decimal(draw(st.integers(0, 99_999)) + 1) / 100)]
    )
    return commitments, investor_flows, expenses, h.holdings, h.project_flows, h.marks


def _check(case: tuple[pd.DataFrame, ...], basis: str) -> pd.DataFrame:
    commitments, investor_flows, expenses, holdings, project_flows, marks = case
    t = dt.date(2020, 12, 31)
    result = capital_roll(
        commitments, investor_flows, expenses, project_flows, marks, t, allocation_basis=basis
    )
    reconciles(result)
    ends = sorted(set(result["period_end"]))
    fund = fund_month_ends(["F1"], investor_flows, expenses, project_flows, marks, ends)
    sums = result.groupby("period_end")["ending"].sum()
    assert sums.tolist() == fund["nav_pence"].tolist()
    book = HoldingBook(holdings, project_flows, marks, t)
    nav = value_fund_in(book, ("F1",), "F1", commitments, investor_flows, expenses).nav
    assert int(sums.iloc[-1]) == int(nav * 100)
    return result


@settings(max_examples=25, deadline=None)
@given(case=portfolios(pro_rata=False), basis=st.sampled_from(["paid_in", "commitment"]))
def test_balances_add_up_to_fund_nav_at_every_month_end(
    case: tuple[pd.DataFrame, ...], basis: str
) -> None:
    _check(case, basis)


@settings(max_examples=25, deadline=None)
@given(case=portfolios(pro_rata=True), basis=st.sampled_from(["paid_in", "commitment"]))
def test_with_pro_rata_flows_every_balance_is_its_commitment_share(
    case: tuple[pd.DataFrame, ...], basis: str
) -> None:
    result = _check(case, basis)
    commitments = case[0]
    weights = [int(c) for c in commitments.sort_values("investor_id")["amount_pence"]]
    ids = sorted(commitments["investor_id"])
    for _, month in result.groupby("period_end"):
        month = month.sort_values("investor_id")
        nav = int(month["ending"].sum())
        expected = allocate_largest_remainder(nav, weights, ids) if nav >= 0 else None
        if expected is not None:
            assert month["ending"].tolist() == expected
    assert np.all(result["investor_id"].isin(ids))
