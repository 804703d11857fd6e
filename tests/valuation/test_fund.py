"""A small fund worked by hand: three investors in class A, one project, a co-investor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.capital_accounts import capital_accounts, combine_accounts
from passu.valuation.fund import value_fund
from passu.valuation.fund_cash import fund_cash, fund_cash_movements
from passu.valuation.multiples import Multiples, multiples, total_multiple

from .builders import (
    a_holding,
    commitments_frame,
    fund_expenses_frame,
    holding_frames,
    investor_flows_frame,
)

D = Decimal
AS_OF = dt.date(2022, 1, 1)


def npv(rate: float, flows: list[tuple[str, float]]) -> float:
    dates = [dt.date.fromisoformat(d) for d, _ in flows]
    start = min(dates)
    return sum(
        a / (1 + rate) ** ((d - start).days / 365) for d, (_, a) in zip(dates, flows, strict=True)
    )


COMMITMENTS = commitments_frame(
    [
        ("F1", "GOV", "A", 600, "2020-01-01"),
        ("F1", "FDN", "A", 300, "2020-01-01"),
        ("F1", "BANK", "A", 100, "2020-01-01"),
        ("F1", "LATE", "A", 1000, "2022-06-30"),  # after T: not yet committed
    ]
)
F1_FLOWS = [
    ("F1", "GOV", "2021-01-01", "call", 300),
    ("F1", "FDN", "2021-01-01", "call", 150),
    ("F1", "BANK", "2021-01-01", "call", 50),
    ("F1", "GOV", "2021-12-01", "distribution", 30),
    ("F1", "FDN", "2021-12-01", "distribution", 15),
    ("F1", "BANK", "2021-12-01", "distribution", 5),
    ("F1", "GOV", "2022-03-01", "call", 999),  # after T
]
INVESTOR_FLOWS = investor_flows_frame(F1_FLOWS)
EXPENSES = fund_expenses_frame([("F1", "2021-06-30", "management_fee", 10)])
HOLDINGS = holding_frames(
    a_holding(
        "P1",
        "F1",
        commitment=600,
        drawdowns=[("2021-01-01", 400)],
        interest=[("2021-07-01", 40)],
        marks=[("2021-12-31", 420)],
    ),
    a_holding("P1", "C1", commitment=300, drawdowns=[("2021-01-01", 200)]),
)


def f1():
    return value_fund(
        {"F1"},
        "F1",
        COMMITMENTS,
        INVESTOR_FLOWS,
        EXPENSES,
        HOLDINGS.holdings,
        HOLDINGS.project_flows,
        HOLDINGS.marks,
        AS_OF,
    )


def test_fund_figures_by_hand() -> None:
    fund = f1()
    # committed 600 + 300 + 100 = 1,000 (LATE's commitment is dated after T).
    assert fund.committed == D("1000.00")
    assert (fund.paid_in, fund.distributed, fund.unfunded) == (D("500.00"), D("50.00"), D("500.00"))
    # cash = calls 500 − drawdowns 400 + receipts 40 − distributions 50 − expenses 10 = 80.
    assert fund.cash == D("80.00")
    assert fund.expenses == D("10.00")
    # holdings NAV = F1's mark 420 (the co-investor's holding is not the fund's);
    # fund NAV = 420 + 80 = 500.
    assert (fund.holdings_nav, fund.nav) == (D("420.00"), D("500.00"))
    # DPI = 50/500, RVPI = 500/500, TVPI = 0.1 + 1.0.
    assert fund.dpi == pytest.approx(0.1)
    assert fund.rvpi == pytest.approx(1.0)
    assert fund.tvpi == pytest.approx(1.1)
    # undrawn holding commitments = 600 − 400; liquidity = cash 80 + unfunded 500.
    assert fund.undrawn_holding_commitments == D("200.00")
    assert fund.available_liquidity == D("580.00")
    # gross MOIC = (40 + 420) / 400 = 1.15.
    assert fund.gross_moic == pytest.approx(1.15)
    assert fund.gross_irr is not None
    assert npv(fund.gross_irr, [("2021-01-01", -400), ("2021-07-01", 40), ("2022-01-01", 420)]) == (
        pytest.approx(0, abs=1e-9)
    )
    assert fund.net_irr is not None
    assert npv(fund.net_irr, [("2021-01-01", -500), ("2021-12-01", 50), ("2022-01-01", 500)]) == (
        pytest.approx(0, abs=1e-9)
    )


def test_fund_before_any_call_has_no_multiples() -> None:
    fund = value_fund(
        {"F1"},
        "F1",
        COMMITMENTS,
        INVESTOR_FLOWS,
        EXPENSES,
        HOLDINGS.holdings,
        HOLDINGS.project_flows,
        HOLDINGS.marks,
        dt.date(2020, 6, 30),
    )
    assert fund.paid_in == D("0.00")
    assert (fund.dpi, fund.rvpi, fund.tvpi, fund.net_irr) == (None, None, None, None)
    assert fund.net_irr_note is not None


def test_all_funds_pool_their_flows() -> None:
    # F2: one investor calls £100 on 2021-01-01 and holds it as cash; pooled with F1
    # the calls are 600, NAV 600, distributions 50.
    commitments = commitments_frame(
        [
            ("F1", "GOV", "A", 600, "2020-01-01"),
            ("F1", "FDN", "A", 300, "2020-01-01"),
            ("F1", "BANK", "A", 100, "2020-01-01"),
            ("F2", "GOV", "A", 200, "2020-01-01"),
        ]
    )
    flows = investor_flows_frame([*F1_FLOWS, ("F2", "GOV", "2021-01-01", "call", 100)])
    fund = value_fund(
        {"F1", "F2"},
        "ALL",
        commitments,
        flows,
        EXPENSES,
        HOLDINGS.holdings,
        HOLDINGS.project_flows,
        HOLDINGS.marks,
        AS_OF,
    )
    assert fund.fund_id == "ALL"
    assert (fund.committed, fund.paid_in, fund.nav) == (D("1200.00"), D("600.00"), D("600.00"))
    assert fund.tvpi == pytest.approx((50 + 600) / 600)


def test_capital_accounts_by_hand() -> None:
    fund = f1()
    accounts = capital_accounts({"F1": fund.nav}, COMMITMENTS, INVESTOR_FLOWS, AS_OF)
    assert [(a.investor_id, a.share_class) for a in accounts] == [
        ("BANK", "A"),
        ("FDN", "A"),
        ("GOV", "A"),
    ]
    bank, fdn, gov = accounts
    # NAV 500 over commitments 100:300:600 → 50, 150, 300.
    assert (bank.nav, fdn.nav, gov.nav) == (D("50.00"), D("150.00"), D("300.00"))
    assert (gov.committed, gov.paid_in, gov.distributed, gov.unfunded) == (
        D("600.00"),
        D("300.00"),
        D("30.00"),
        D("300.00"),
    )
    assert gov.dpi == pytest.approx(0.1)
    assert gov.tvpi == pytest.approx(1.1)
    # Each account is the fund in miniature, so its IRR is the fund's net IRR.
    for account in accounts:
        assert account.irr == pytest.approx(fund.net_irr, abs=1e-12)

    [everyone] = [
        c
        for c in combine_accounts(accounts, COMMITMENTS, INVESTOR_FLOWS, AS_OF)
        if c.investor_id == "GOV"
    ]
    assert (everyone.fund_id, everyone.nav) == ("ALL", D("300.00"))


def test_nav_pennies_go_to_the_largest_remainders_then_investor_id() -> None:
    commitments = commitments_frame([("F1", i, "A", 100, "2020-01-01") for i in ("C", "A", "B")])
    accounts = capital_accounts({"F1": D("100.00")}, commitments, investor_flows_frame([]), AS_OF)
    # 10,000p / 3 = 3,333 each and one penny over, to the first investor_id, A.
    assert [(a.investor_id, a.nav) for a in accounts] == [
        ("A", D("33.34")),
        ("B", D("33.33")),
        ("C", D("33.33")),
    ]


def test_an_investor_in_two_classes_has_its_flows_split_by_commitment() -> None:
    commitments = commitments_frame(
        [("F1", "GOV", "A", 300, "2020-01-01"), ("F1", "GOV", "B", 100, "2020-01-01")]
    )
    flows = investor_flows_frame([("F1", "GOV", "2021-01-01", "call", "100.01")])
    accounts = capital_accounts({"F1": D("0")}, commitments, flows, AS_OF)
    # 10,001p split 3:1 → 7,500.75 and 2,500.25: floors 7,500 + 2,500, the penny
    # to the larger remainder (A's 0.75).
    assert [(a.share_class, a.paid_in) for a in accounts] == [("A", D("75.01")), ("B", D("25.00"))]


@settings(max_examples=50, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=2, max_size=6),
    calls=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=4),
    distribution=st.integers(min_value=0, max_value=5000),
    nav_unit=st.integers(min_value=0, max_value=20_000),
)
def test_pro_rata_investors_have_equal_irrs(
    weights: list[int], calls: list[int], distribution: int, nav_unit: int
) -> None:
    investors = [f"I{i}" for i in range(len(weights))]
    commitments = commitments_frame(
        [("F1", i, "A", w * 100, "2019-01-01") for i, w in zip(investors, weights, strict=True)]
    )
    call_dates = ["2019-03-31", "2019-09-30", "2020-03-31", "2020-09-30"]
    rows = [
        ("F1", i, d, "call", D(c * w).scaleb(-2))
        for d, c in zip(call_dates, calls, strict=False)
        for i, w in zip(investors, weights, strict=True)
    ]
    if distribution:
        rows += [
            ("F1", i, "2021-03-31", "distribution", D(distribution * w).scaleb(-2))
            for i, w in zip(investors, weights, strict=True)
        ]
    nav = D(nav_unit * sum(weights)).scaleb(-2)  # divides exactly pro rata
    accounts = capital_accounts({"F1": nav}, commitments, investor_flows_frame(rows), AS_OF)
    rates = [a.irr for a in accounts]
    if rates[0] is None:
        assert all(r is None for r in rates)
    else:
        assert all(r == pytest.approx(rates[0], abs=1e-10) for r in rates)


@settings(max_examples=100, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=8).filter(
        lambda w: sum(w) > 0
    ),
    nav_pence=st.integers(min_value=-(10**11), max_value=10**11),
)
def test_nav_shares_sum_exactly_to_fund_nav(weights: list[int], nav_pence: int) -> None:
    commitments = commitments_frame(
        [("F1", f"I{i}", "A", D(w).scaleb(-2), "2019-01-01") for i, w in enumerate(weights)]
    )
    nav = D(nav_pence).scaleb(-2)
    accounts = capital_accounts({"F1": nav}, commitments, investor_flows_frame([]), AS_OF)
    assert sum((a.nav for a in accounts), D("0")) == nav


# --- one definition each: the multiples and fund cash --------------------------------


def test_multiples_by_hand() -> None:
    # £1,000 paid in, £250 distributed, £1,000 NAV: DPI 250/1,000 = 0.25,
    # RVPI 1,000/1,000 = 1.0, TVPI (250 + 1,000)/1,000 = 1.25
    assert multiples(100_000, 25_000, 100_000) == Multiples(0.25, 1.0, 1.25)
    # a holding: £800 invested, £100 realised, £900 NAV: MOIC (100 + 900)/800 = 1.25
    assert total_multiple(80_000, 10_000, 90_000) == 1.25
    # nothing paid in: no multiple at all, not 0 or infinity
    assert multiples(0, 5_000, 7_000) == Multiples(None, None, None)
    assert total_multiple(0, 5_000, 7_000) is None


def test_tvpi_is_one_division_of_pence_not_dpi_plus_rvpi() -> None:
    # DPI 1/10 + RVPI 2/10 is 0.30000000000000004 in floats; (1 + 2)/10 is 0.3
    ratios = multiples(10, 1, 2)
    assert (ratios.dpi, ratios.rvpi, ratios.tvpi) == (0.1, 0.2, 0.3)


def test_fund_cash_by_hand() -> None:
    # £1,000 called − £600 drawn + £50 interest − £100 distributed − £20 fees = £330
    assert (
        fund_cash(
            calls=100_000, drawdowns=60_000, receipts=5_000, distributions=10_000, expenses=2_000
        )
        == 33_000
    )


def test_fund_cash_day_by_day_counts_only_the_funds_own_holdings() -> None:
    calls = investor_flows_frame(
        [
            ("F1", "GOV", "2020-01-01", "call", 1_000),
            ("F1", "GOV", "2020-06-30", "distribution", 100),
        ]
    )
    fees = fund_expenses_frame([("F1", "2020-03-31", "management_fee", 20)])
    flows = holding_frames(
        a_holding(
            "P1",
            "F1",
            "A",
            commitment=1_000,
            drawdowns=[("2020-01-01", 600)],
            interest=[("2020-03-31", 50)],
            write_offs=[("2020-04-30", 100)],  # moves no cash
        ),
        # a co-investor's drawdown is not the fund's cash
        a_holding("P1", "CO1", "A", commitment=500, drawdowns=[("2020-01-01", 500)]),
    ).project_flows
    daily = fund_cash_movements(["F1"], calls, fees, flows)
    # 2020-01-01: +1,000 called − 600 drawn = +400; 2020-03-31: +50 interest − 20 fee = +30
    # → 430; 2020-06-30: −100 distributed → 330 (the write-off's day has no movement row
    # of its own: it moves nothing, and it is not in the frame at all)
    assert daily[["fund_id", "date", "pence", "cash"]].astype({"date": str}).values.tolist() == [
        ["F1", "2020-01-01", 40_000, 40_000],
        ["F1", "2020-03-31", 3_000, 43_000],
        ["F1", "2020-06-30", -10_000, 33_000],
    ]
