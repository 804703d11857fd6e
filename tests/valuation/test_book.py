"""HoldingBook: one pass over the holdings gives the same figures as grouping the flows.

The reference is the long way round: ``holding_cash_flows`` (the IRR flows of each
holding) grouped by ``xirr_grouped`` on the key columns, as every figure was built
before the book.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from passu.valuation.book import HOLDING_KEYS, NO_FLOWS, HoldingBook
from passu.valuation.holdings import (
    holding_cash_flows,
    holding_positions,
    holding_values,
    project_values,
    restrict_holdings,
    value_holdings,
    value_projects,
)
from passu.valuation.returns import NOTE_NETS_TO_NIL, xirr_grouped, xirr_netted

from .builders import a_holding, holding_frames

AS_OF = dt.date(2022, 6, 30)


def portfolio():
    return holding_frames(
        # Two holders side by side in P1/A (identical flows: solved once), one in P1/B.
        a_holding("P1", "F1", "A", commitment=100, drawdowns=[("2020-01-31", 100)],
                  interest=[("2021-01-31", 8)], marks=[("2021-12-31", 104)]),
        a_holding("P1", "CO1", "A", commitment=100, drawdowns=[("2020-01-31", 100)],
                  interest=[("2021-01-31", 8)], marks=[("2021-12-31", 104)]),
        a_holding("P1", "F1", "B", commitment=50, drawdowns=[("2020-03-31", 50)],
                  repayments=[("2022-06-30", 20)], write_offs=[("2022-01-31", 5)]),
        # A drawdown and a repayment of the same amount on one day: nets to nil.
        a_holding("P2", "F1", "A", commitment=10, drawdowns=[("2021-05-31", 10)],
                  repayments=[("2021-05-31", 10)]),
        # Flows only after T, and a holding with a commitment but no flows yet.
        a_holding("P3", "CO2", "A", commitment=70, drawdowns=[("2023-01-31", 70)]),
        a_holding("P4", "F2", "A", commitment=30),
    )  # fmt: skip


@pytest.mark.parametrize(
    "by", [HOLDING_KEYS, ("project_id",), ("project_id", "tranche"), ("holder_id",), ("tranche",)]
)
def test_pooled_irrs_match_grouping_the_cash_flows(by: tuple[str, ...]) -> None:
    f = portfolio()
    positions = holding_positions(f.holdings, f.project_flows, f.marks, AS_OF)
    expected = xirr_grouped(holding_cash_flows(f.project_flows, positions, AS_OF), list(by))
    book = HoldingBook(f.holdings, f.project_flows, f.marks, AS_OF)
    pools, keys = book.pools_by(by)
    got = dict(zip(keys, book.irrs(pools)[0], strict=True))
    assert got == {key: expected.get(key, NO_FLOWS) for key in got}
    assert set(expected) <= set(got)


def test_a_pool_whose_flows_net_to_nil_is_not_a_pool_without_flows() -> None:
    f = portfolio()
    book = HoldingBook(f.holdings, f.project_flows, f.marks, AS_OF)
    pools, keys = book.pools_by(("project_id",))
    irrs = dict(zip(keys, book.irrs(pools)[0], strict=True))
    assert irrs[("P2",)].note == NOTE_NETS_TO_NIL
    assert irrs[("P4",)] == NO_FLOWS


def test_masked_figures_match_the_restricted_frames() -> None:
    f = portfolio()
    book = HoldingBook(f.holdings, f.project_flows, f.marks, AS_OF)
    for holders, projects in [(["F1"], None), (None, ["P1", "P3"]), (["CO1", "F2"], ["P1"])]:
        frames = [
            restrict_holdings(x, holders, projects) for x in (f.holdings, f.project_flows, f.marks)
        ]
        mask = book.select(holder_ids=holders, project_ids=projects)
        assert holding_values(book, mask) == value_holdings(*frames, AS_OF)
        assert project_values(book, mask) == value_projects(*frames, AS_OF)


def test_projects_of_counts_flows_after_t_but_not_a_mark_alone() -> None:
    f = portfolio()
    marked = holding_frames(a_holding("P9", "CO2", "A", marks=[("2021-12-31", 1)]))
    marks = pd.concat([f.marks, marked.marks], ignore_index=True)
    book = HoldingBook(f.holdings, f.project_flows, marks, AS_OF)
    assert book.projects_of(["CO2"]) == {"P3"}
    assert book.projects_of(["F1"]) == {"P1", "P2"}


def test_identical_series_are_solved_once_with_the_same_answer() -> None:
    days = np.array([0, 365, 0, 365, 0, 200, 365], dtype=np.int64) + 18_000
    netted = np.array([-100.0, 110.0, -100.0, 110.0, -50.0, 5.0, 50.0])
    bounds = np.array([0, 2, 4, 7])
    memo: dict[bytes, object] = {}
    first, again, other = xirr_netted(days, netted, bounds, memo)  # type: ignore[arg-type]
    assert first == again and first.rate == pytest.approx(0.10, abs=1e-12)
    assert len(memo) == 2
    assert xirr_netted(days, netted, bounds) == [first, again, other]
