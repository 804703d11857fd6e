"""Listings (typed tables) as a workbook: one sheet per listing, money and rates as numbers.

For the commands whose ``--format xlsx`` writes the tables they print
(``passu marks propose``, ``passu scenarios``). Every row goes through
``sheet_text.append_row``, so text stays text (never a formula).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from passu.portfolio.interchange.sheet_text import append_row
from passu.portfolio.listing import Listing

from .workbook import MONEY_FORMAT, MULTIPLE_FORMAT, RATE_FORMAT

_FORMATS = {"money": MONEY_FORMAT, "rate": RATE_FORMAT, "multiple": MULTIPLE_FORMAT}
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def write_listings_workbook(listings: Sequence[Listing], path: Path) -> None:
    """One sheet per listing (its title, cut to Excel's 31 characters), notes below it."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for listing in listings:
        name = _SHEET_NAME.sub(" ", listing.title)[:31]
        while name in used:
            name = name[:28] + f" {len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        append_row(sheet, [c.heading for c in listing.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in listing.rows:
            append_row(
                sheet,
                [
                    float(v) if c.kind in ("rate", "multiple") and v is not None else v
                    for c, v in zip(listing.columns, row, strict=True)
                ],
            )
            for cell, column in zip(sheet[sheet.max_row], listing.columns, strict=True):
                number_format = _FORMATS.get(column.kind)
                if number_format and isinstance(cell.value, int | float | Decimal):
                    cell.number_format = number_format
        for note in listing.notes:
            append_row(sheet, [note])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(listing.columns, start=1):
            width = max(12, min(40, len(column.heading) + 4))
            sheet.column_dimensions[get_column_letter(i)].width = width
    book.save(path)
