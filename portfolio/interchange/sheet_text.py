"""Writing workbook cells so that text stays text: never a formula a spreadsheet would run.

openpyxl takes any string beginning ``=`` for a formula and writes it as one, so a
project named ``=HYPERLINK("http://…")`` would become a live link in the committee's
workbook (and passu's own import refuses formula cells). Every workbook passu
writes appends its rows here: each ``str`` value becomes a text cell, exactly as it
is. Numbers, dates and ``None`` are left to openpyxl.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["append_row", "as_text"]


def as_text(cell: Any) -> None:
    """Make one cell holding a ``str`` a text cell (openpyxl's type ``s``), never a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, with every ``str`` value written as text, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        as_text(cell)
