"""Issue 18, point 6 and 7: the roll-forward of NAV at its edges, hand-worked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passu.valuation.holdings import value_holdings, value_projects

from .builders import a_holding, holding_frames

D = Decimal
AS_OF = dt.date(2022, 1, 1)


def value_one(holding, as_of=AS_OF):
    frames = holding_frames(holding)
    [value] = value_holdings(frames.holdings, frames.project_flows, frames.marks, as_of)
    return value


def test_a_drawdown_after_nav_reached_the_floor_is_held_at_cost() -> None:
    # Marked £100 on 2020-06-30; £150 repaid on 2020-09-30 takes NAV to
    # max(0, 100 − 150) = 0 (not −50); £80 drawn on 2021-03-31 is then held at cost:
    # max(0, 0 + 80) = £80. (Rolled forward in one sum it was max(0, 100 − 150 + 80) = £30.)
    value = value_one(
        a_holding(
            drawdowns=[("2020-01-01", 100), ("2021-03-31", 80)],
            repayments=[("2020-09-30", 150)],
            marks=[("2020-06-30", 100)],
        )
    )
    assert value.nav == D("80.00")


def test_receipts_on_one_date_net_before_the_floor() -> None:
    # Marked £50; on 2021-05-01 £70 repaid and £40 drawn: one date, net −30,
    # so NAV = max(0, 50 − 30) = £20 (the floor is applied per date, not per row).
    value = value_one(
        a_holding(
            drawdowns=[("2020-01-01", 50), ("2021-05-01", 40)],
            repayments=[("2021-05-01", 70)],
            marks=[("2020-12-31", 50)],
        )
    )
    assert value.nav == D("20.00")


def test_a_flow_on_the_marks_own_date_is_already_in_the_mark() -> None:
    # The mark is the value at the end of its date: £100 drawn on 2021-06-30 and a
    # mark of £100 that day give NAV £100 (not 100 + 100 = £200); invested £100.
    value = value_one(a_holding(drawdowns=[("2021-06-30", 100)], marks=[("2021-06-30", 100)]))
    assert (value.invested, value.nav) == (D("100.00"), D("100.00"))


def test_an_unmarked_loan_is_at_cost_and_its_interest_is_income() -> None:
    # A 5% loan: £1,000 drawn 2020-01-01, £50 interest on 2020-12-31 and 2021-12-31,
    # no mark. NAV = cost outstanding = 1,000 − 0 repaid − 0 written off = £1,000
    # (it was 1,000 − 100 = £900). MOIC = (100 + 1,000) / 1,000 = 1.1.
    # IRR: −1,000, +50 after 365 days, +50 + 1,000 after 731 days (2022-01-01 is T):
    # 5% per year exactly on these flows but for the leap day; checked by NPV below.
    value = value_one(
        a_holding(
            drawdowns=[("2020-01-01", 1000)],
            interest=[("2020-12-31", 50), ("2021-12-31", 50)],
        )
    )
    assert (value.nav, value.realised) == (D("1000.00"), D("100.00"))
    assert value.moic == pytest.approx(1.1, abs=1e-15)
    r = value.irr
    assert r is not None and r == pytest.approx(0.05, abs=2e-4)
    npv = -1000 + 50 / (1 + r) ** (365 / 365) + 50 / (1 + r) ** (730 / 365)
    npv += 1000 / (1 + r) ** (731 / 365)
    assert npv == pytest.approx(0, abs=1e-7)


def test_an_unmarked_holding_with_repayments_and_write_offs_is_at_cost_outstanding() -> None:
    # £1,000 drawn, £300 repaid, £200 written off, £40 dividend, no mark:
    # NAV = 1,000 − 300 − 200 = £500 (the dividend is income, not a return of cost).
    value = value_one(
        a_holding(
            drawdowns=[("2020-01-01", 1000)],
            repayments=[("2020-06-30", 300)],
            write_offs=[("2020-09-30", 200)],
            dividends=[("2021-03-31", 40)],
        )
    )
    assert (value.nav, value.cost_outstanding) == (D("500.00"), D("500.00"))


def test_repayments_beyond_cost_are_a_realised_gain_not_negative_cost() -> None:
    # £100 drawn, £130 repaid: cost outstanding max(0, 100 − 130) = £0 (was −£30),
    # and the £30 over cost is the realised gain. Marked nil after the repayment.
    value = value_one(
        a_holding(
            drawdowns=[("2020-01-01", 100)],
            repayments=[("2020-12-31", 130)],
            marks=[("2020-12-31", 0)],
        )
    )
    assert (value.cost_outstanding, value.realised_gain) == (D("0.00"), D("30.00"))
    # A project pools its holdings' floored figures: a second holder with £50 drawn
    # and nothing repaid adds £50 of cost and no gain → £50 and £30.
    frames = holding_frames(
        a_holding(drawdowns=[("2020-01-01", 100)], repayments=[("2020-12-31", 130)],
                  marks=[("2020-12-31", 0)]),
        a_holding(holder_id="C1", drawdowns=[("2020-01-01", 50)]),
    )  # fmt: skip
    [project] = value_projects(frames.holdings, frames.project_flows, frames.marks, AS_OF)
    assert (project.cost_outstanding, project.realised_gain) == (D("50.00"), D("30.00"))
