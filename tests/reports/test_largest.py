"""The fund-level pack (--summary) cuts its long tables to their largest rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from passu.portfolio.reporting import committee_bundle
from passu.reports import committee, largest
from passu.reports.committee import build_committee_pack
from passu.reports.largest import largest_rows
from passu.reports.model import Table

from .builders import AS_OF


def _table(names: list[str]) -> Table:
    return Table(
        headers=("Project", "NAV"),
        numeric=(False, True),
        rows=tuple((n, "") for n in names),
        total=("All", "£10"),
        caption="Every project",
        notes=("a note",),
    )


def test_the_largest_rows_stay_in_the_tables_order_with_a_note():
    table = _table(["a", "b", "c", "d", "e"])
    # sizes 1, -7, 3, 7, 2: the three largest are b (7, a loss counts by its size), d (7,
    # tied, after b) and c (3); they keep the table's order b, c, d
    weights = [Decimal(1), Decimal(-7), Decimal(3), Decimal(7), Decimal(2)]
    cut = largest_rows(table, weights, 3, "projects", "NAV")
    assert [r[0] for r in cut.rows] == ["b", "c", "d"]
    assert cut.total == table.total  # of every row
    assert cut.caption == "Every project: the 3 of largest NAV"
    assert cut.notes == (
        "The 3 projects of largest NAV, of 5; the total row is of all of them. "
        "The pack without --summary lists every one.",
        "a note",
    )


@pytest.mark.parametrize("keep", [None, 5, 9])
def test_a_table_no_longer_than_that_is_whole(keep):
    table = _table(["a", "b", "c", "d", "e"])
    assert largest_rows(table, [Decimal(1)] * 5, keep, "projects", "NAV") is table


def test_a_weight_per_row_is_needed():
    with pytest.raises(ValueError, match="a weight per row"):
        largest_rows(_table(["a", "b"]), [Decimal(1)], 1, "projects", "NAV")


def test_the_summary_pack_has_no_project_pages_and_its_largest_projects(sample_engine, monkeypatch):
    monkeypatch.setattr(committee, "SUMMARY_ROWS", 4)
    bundle = committee_bundle(sample_engine, AS_OF, None)
    full = build_committee_pack(bundle)
    summary = build_committee_pack(bundle, summary=True)
    assert full.projects and not summary.projects
    assert {s.anchor for s in summary.contents} == {s.anchor for s in full.contents} - {
        p.anchor for p in full.projects
    }
    navs = {
        f"{p['name']} ({p['project_id']})": largest.weight_of(p["nav"])
        for p in bundle.run.document["projects"]
    }
    kept = [row[0] for row in summary.portfolio.rows]
    assert len(kept) == 4 < len(full.portfolio.rows)
    # the four of largest NAV, in the full table's order; the total is the full table's
    assert sorted(navs, key=lambda n: -abs(navs[n]))[:4] == sorted(kept, key=lambda n: -navs[n])
    assert kept == [row[0] for row in full.portfolio.rows if row[0] in kept]
    assert summary.portfolio.total == full.portfolio.total
    assert len(summary.holders.rows) == 4 < len(full.holders.rows)
    assert summary.holders.notes[0].startswith("The 4 holdings of largest NAV, of ")
    assert len(summary.pipeline.matrix.rows) == 4 < len(full.pipeline.matrix.rows)
    for page in summary.fair_value:
        assert len(page.marks.rows) <= 4
