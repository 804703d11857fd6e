"""A long table cut to its largest rows, for the fund-level pack of a large ledger.

``passu report committee --summary`` is the pack of a fund of thousands of projects: its
per-project and per-holding tables would run to hundreds of pages (10,000 holdings:
580 pages, two minutes of layout), which no committee reads. In that pack each such
table keeps its largest rows by the measure that matters (NAV, innovation spending),
in the table's own order, and says how many it left out; its total row is still of
every row. The pack without ``--summary`` lists every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from .model import Table

# Rows a table of the fund-level pack keeps: about two pages of the portfolio table.
SUMMARY_ROWS = 50


def weight_of(value: Any) -> Decimal:
    """A stored run's money or count (text, number or null) as a weight; null weighs nil."""
    return Decimal(0) if value is None else Decimal(str(value))


def largest_rows(
    table: Table, weights: Sequence[Decimal], keep: int | None, rows_are: str, by: str
) -> Table:
    """``table`` with only the ``keep`` rows of largest ``weights`` (size, whatever the
    sign; ties to the earlier row), in the table's order, and a note saying so; the
    whole table when ``keep`` is None or it has no more rows than that."""
    if keep is None or len(table.rows) <= keep:
        return table
    if len(weights) != len(table.rows):
        raise ValueError(f"table {table.caption!r}: a weight per row is needed")
    ranked = sorted(range(len(weights)), key=lambda i: (-abs(weights[i]), i))[:keep]
    total = len(table.rows)
    note = (
        f"The {keep} {rows_are} of largest {by}, of {total:,}"
        + ("; the total row is of all of them" if table.total is not None else "")
        + ". The pack without --summary lists every one."
    )
    return replace(
        table,
        rows=tuple(table.rows[i] for i in sorted(ranked)),
        caption=f"{table.caption}: the {keep} of largest {by}" if table.caption else None,
        notes=(note, *table.notes),
    )
