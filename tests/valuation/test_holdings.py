from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.holdings import (
    holding_positions,
    value_groups,
    value_holdings,
    value_pool,
    value_projects,
)
from passu.valuation.returns import (
    NOTE_NETS_TO_NIL,
    NOTE_NO_FLOWS,
    NOTE_SHORT,
    NOTE_TOTAL_LOSS,
)

from .builders import a_holding, holding_frames

D = Decimal
AS_OF = dt.date(2022, 1, 1)


def value_one(holding, as_of=AS_OF):
    frames = holding_frames(holding)
    [value] = value_holdings(frames.holdings, frames.project_flows, frames.marks, as_of)
    return value


def npv(rate: float, flows: list[tuple[dt.date, float]]) -> float:
    start = min(d for d, _ in flows)
    return sum(a / (1 + rate) ** ((d - start).days / 365) for d, a in flows)


def test_marked_holding_a_year_on_earns_ten_percent() -> None:
    # £100 drawn 2021-01-01, marked £110 on 2021-12-31; T = 2022-01-01 is 365 days on.
    # NAV = 110 (no flows after the mark); IRR: −100 now, +110 in a year = 10%.
    value = value_one(a_holding(drawdowns=[("2021-01-01", 100)], marks=[("2021-12-31", 110)]))
    assert (value.invested, value.realised, value.nav) == (D("100.00"), D("0.00"), D("110.00"))
    assert value.moic == pytest.approx(1.1)
    assert value.irr == pytest.approx(0.10, abs=1e-12)
    assert value.irr_note is None and value.multiple_sign_changes is False


def test_mark_is_rolled_forward_with_later_flows() -> None:
    # Mark £105 on 2021-06-30; then +£50 drawn and £10 interest received before T:
    # NAV = 105 + 50 − 10 = 145. invested = 100 + 50 = 150, realised = 10,
    # MOIC = (10 + 145) / 150 = 1.0333…
    value = value_one(
        a_holding(
            drawdowns=[("2021-01-01", 100), ("2021-09-30", 50)],
            interest=[("2021-12-01", 10)],
            marks=[("2021-06-30", 105)],
        )
    )
    assert value.invested == D("150.00")
    assert value.realised == D("10.00")
    assert value.nav == D("145.00")
    assert value.cost_outstanding == D("150.00")
    assert value.moic == pytest.approx(155 / 150)
    # The rate solves NPV = 0 for −100, −50, +10 and NAV +145 at T.
    flows = [
        (dt.date(2021, 1, 1), -100.0),
        (dt.date(2021, 9, 30), -50.0),
        (dt.date(2021, 12, 1), 10.0),
        (AS_OF, 145.0),
    ]
    assert value.irr is not None
    assert npv(value.irr, flows) == pytest.approx(0, abs=1e-9)
    assert value.multiple_sign_changes is False  # −, −, +, +


def test_flows_on_the_mark_date_are_in_the_mark() -> None:
    # The £20 drawn on the mark date is already in the £120 mark: NAV stays 120.
    value = value_one(
        a_holding(drawdowns=[("2021-01-01", 100), ("2021-06-30", 20)], marks=[("2021-06-30", 120)])
    )
    assert value.nav == D("120.00")


def test_latest_mark_wins_and_rows_after_as_of_are_ignored() -> None:
    value = value_one(
        a_holding(
            drawdowns=[("2021-01-01", 100), ("2022-03-01", 900)],
            repayments=[("2022-02-01", 40)],
            marks=[("2021-03-31", 90), ("2021-09-30", 95), ("2022-03-31", 5000)],
        )
    )
    # Only the 2021 rows count: invested 100, NAV = latest mark ≤ T = 95.
    assert (value.invested, value.realised, value.nav) == (D("100.00"), D("0.00"), D("95.00"))


def test_no_mark_values_a_holding_at_cost() -> None:
    # £100 drawn, £30 repaid, no mark: NAV = 0 + 100 − 30 = 70; cost outstanding
    # = 100 − 30 = 70; MOIC = (30 + 70) / 100 = 1; cash back equals cash in, IRR 0.
    value = value_one(a_holding(drawdowns=[("2021-01-01", 100)], repayments=[("2021-07-01", 30)]))
    assert (value.nav, value.cost_outstanding) == (D("70.00"), D("70.00"))
    assert value.moic == pytest.approx(1.0)
    assert value.irr == pytest.approx(0.0, abs=1e-12)


def test_nav_never_goes_below_nil() -> None:
    # Mark £20, then £50 repaid: 20 − 50 < 0, so NAV is 0.
    value = value_one(
        a_holding(
            drawdowns=[("2021-01-01", 100)],
            repayments=[("2021-09-30", 50)],
            marks=[("2021-06-30", 20)],
        )
    )
    assert value.nav == D("0.00")
    assert value.realised == D("50.00")


def test_write_off_moves_no_cash_but_lowers_cost_outstanding() -> None:
    # £100 drawn, £30 repaid, £70 written off and marked nil: invested stays 100,
    # realised 30, cost outstanding = 100 − 30 − 70 = 0, MOIC = 30/100 = 0.3.
    value = value_one(
        a_holding(
            drawdowns=[("2021-01-01", 100)],
            repayments=[("2021-03-01", 30)],
            write_offs=[("2021-06-30", 70)],
            marks=[("2021-06-30", 0)],
        )
    )
    assert (value.invested, value.realised, value.nav) == (D("100.00"), D("30.00"), D("0.00"))
    assert value.cost_outstanding == D("0.00")
    assert value.moic == pytest.approx(0.3)
    # Flows span 2021-01-01 → 2021-03-01 (59 days): not annualised; 30 / 100 − 1 = −0.7.
    assert (value.irr, value.irr_note) == (None, NOTE_SHORT)
    assert value.period_return == pytest.approx(-0.7, abs=1e-15)


def test_undefined_returns_carry_a_reason() -> None:
    nothing = value_one(a_holding(commitment=500))
    assert nothing.invested == D("0.00") and nothing.moic is None
    assert (nothing.irr, nothing.irr_note) == (None, NOTE_NO_FLOWS)

    written_off = value_one(
        a_holding(
            drawdowns=[("2021-01-01", 100)],
            write_offs=[("2021-06-30", 100)],
            marks=[("2021-06-30", 0)],
        )
    )
    # −100 in, written off and marked nil: nothing back, nothing held, a total loss.
    assert (written_off.irr, written_off.irr_note) == (-1.0, NOTE_TOTAL_LOSS)
    assert written_off.moic == 0.0

    # Drawn on T itself, unmarked: −100 and NAV +100 on one date net to nothing.
    drawn_today = value_one(a_holding(drawdowns=[("2022-01-01", 100)]))
    assert (drawn_today.irr, drawn_today.irr_note) == (None, NOTE_NETS_TO_NIL)


def test_holdings_sorted_and_projects_pooled() -> None:
    # Two holders in P1 tranche A: F1 £100 and C1 £300 drawn 2021-01-01, marked
    # 10% up a year later. Pooled: invested 400, NAV 440, MOIC 1.1, IRR 10%.
    frames = holding_frames(
        a_holding("P2", "F1", drawdowns=[("2021-01-01", 50)]),
        a_holding("P1", "F1", drawdowns=[("2021-01-01", 100)], marks=[("2022-01-01", 110)]),
        a_holding("P1", "C1", drawdowns=[("2021-01-01", 300)], marks=[("2022-01-01", 330)]),
    )
    holdings = value_holdings(frames.holdings, frames.project_flows, frames.marks, AS_OF)
    assert [(h.project_id, h.holder_id) for h in holdings] == [
        ("P1", "C1"),
        ("P1", "F1"),
        ("P2", "F1"),
    ]
    projects = value_projects(frames.holdings, frames.project_flows, frames.marks, AS_OF)
    assert [p.project_id for p in projects] == ["P1", "P2"]
    p1 = projects[0]
    assert (p1.invested, p1.nav) == (D("400.00"), D("440.00"))
    assert p1.moic == pytest.approx(1.1)
    assert p1.irr == pytest.approx(0.10, abs=1e-12)

    # F1's own holdings pooled: −150 on 2021-01-01, +110 + 50 at T: 160/150 − 1.
    gross = value_pool(
        frames.holdings, frames.project_flows, frames.marks, AS_OF, label="F1", holder_ids={"F1"}
    )
    assert (gross.label, gross.invested, gross.nav) == ("F1", D("150.00"), D("160.00"))
    assert gross.irr == pytest.approx(160 / 150 - 1, abs=1e-12)

    tranches = value_groups(
        frames.holdings, frames.project_flows, frames.marks, AS_OF, ["project_id", "tranche"]
    )
    assert tranches[("P1", "A")].label == "P1/A"
    assert tranches[("P1", "A")].nav == D("440.00")


def test_empty_pool() -> None:
    frames = holding_frames(a_holding())
    pool = value_pool(
        frames.holdings, frames.project_flows, frames.marks, AS_OF, label="X", holder_ids={"X"}
    )
    assert (pool.invested, pool.moic, pool.irr, pool.irr_note) == (
        D("0.00"),
        None,
        None,
        NOTE_NO_FLOWS,
    )


def test_positions_include_commitments() -> None:
    frames = holding_frames(a_holding(commitment=1000, drawdowns=[("2021-01-01", 400)]))
    positions = holding_positions(frames.holdings, frames.project_flows, frames.marks, AS_OF)
    row = positions.iloc[0]
    assert (row["commitment_pence"], row["invested_pence"], row["nav_pence"]) == (
        100_000,
        40_000,
        40_000,
    )


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(min_value=2, max_value=10_000),
    drawn=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=4),
    received=st.integers(min_value=0, max_value=10**6),
    mark=st.integers(min_value=0, max_value=10**7),
)
def test_scaling_a_holders_flows_leaves_its_irr_unchanged(
    k: int, drawn: list[int], received: int, mark: int
) -> None:
    dates = ["2019-03-31", "2019-09-30", "2020-03-31", "2020-09-30"]
    plain = a_holding(
        drawdowns=list(zip(dates, drawn, strict=False)),
        interest=[("2021-03-31", received)] if received else [],
        marks=[("2021-06-30", mark)],
    )
    scaled = a_holding(
        drawdowns=[(d, a * k) for d, a in zip(dates, drawn, strict=False)],
        interest=[("2021-03-31", received * k)] if received else [],
        marks=[("2021-06-30", mark * k)],
    )
    a, b = value_one(plain), value_one(scaled)
    assert b.nav == a.nav * k
    assert (a.irr is None) == (b.irr is None)
    if a.irr is not None:
        assert b.irr == pytest.approx(a.irr, rel=1e-9, abs=1e-9)
    assert b.moic == pytest.approx(a.moic)
