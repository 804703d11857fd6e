"""``passu value --format xlsx``: the run document as a workbook, one sheet per table.

Money (the document's two-decimal strings) becomes numeric cells with a £
number format, so an analyst can add them up; rates get a % format and
multiples an "x" format. Cells hold exactly the document's values: the sheet
formats them, nothing is rounded again. Every row is written through
``sheet_text.append_row``, so text stays text: a project or investor named
``=HYPERLINK(…)`` is a text cell, never a formula.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from passu.portfolio.interchange.sheet_text import append_row
from passu.valuation.registry import kinds

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
RATE_FORMAT = "0.00%"
MULTIPLE_FORMAT = '0.00"x"'
PER_POUND_FORMAT = '"£"0.00'
_MONEY_TEXT = re.compile(r"^-?\d+\.\d{2}$")
# Number formats by key, from the figure registry (a new figure's key is formatted by its
# kind without a line here); the keys of sections the registry does not list by name
# (each project's, holding's and account's returns) are the same keys.
_KINDS = kinds()
RATE_KEYS = frozenset(_KINDS.get("rate", set()) | {"irr"})
MULTIPLE_KEYS = frozenset(_KINDS.get("multiple", set()) | {"dpi", "tvpi", "moic"})


def _cell_value(key: str, value: Any) -> tuple[Any, str | None]:
    """A document value as a cell value and its number format."""
    if isinstance(value, str) and _MONEY_TEXT.match(value):
        return Decimal(value), MONEY_FORMAT
    if isinstance(value, bool) or value is None:
        return value, None
    if isinstance(value, float) and key in RATE_KEYS:
        return value, RATE_FORMAT
    if isinstance(value, float) and key in MULTIPLE_KEYS:
        return value, MULTIPLE_FORMAT
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value), None
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items()), None
    return value, None


def _records_sheet(book: Workbook, title: str, records: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    columns: list[str] = []
    for record in records:
        columns += [k for k in record if k not in columns]
    if not columns:
        append_row(sheet, ["(no rows)"])
        return
    append_row(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        row = []
        for key in columns:
            value, number_format = _cell_value(key, record.get(key))
            row.append((value, number_format))
        append_row(sheet, [v for v, _ in row])
        for cell, (_v, number_format) in zip(sheet[sheet.max_row], row, strict=True):
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    for i, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(key) + 4))


def _fields_sheet(book: Workbook, title: str, record: dict[str, Any]) -> None:
    """One record (the fund, the claims) as rows of field and value."""
    sheet = book.create_sheet(title)
    append_row(sheet, ["field", "value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for key, raw in _flattened(record):
        value, number_format = _cell_value(key.rsplit(".", 1)[-1], raw)
        append_row(sheet, [key, value])
        if number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 22


def _flattened(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """A grouped figure (an object, e.g. ``pme``) as one row per member, ``pme.ks_pme``."""
    rows: list[tuple[str, Any]] = []
    for key, raw in record.items():
        if isinstance(raw, dict):
            rows += [(f"{key}.{k}", v) for k, v in raw.items()]
        else:
            rows.append((key, raw))
    return rows


def _per_pound_rows(value: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for basis in ("per_pound_paid", "per_pound_invested"):
        figure = value.get(basis)
        if isinstance(figure, dict):
            rows.append({"basis": basis, **figure})
        elif figure is not None:
            rows.append({"basis": basis, "total": figure})
    return rows


def _without_waterfall(fund: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fund.items() if k != "waterfall"}


def _waterfall_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per fund with terms, class and tier: to date and at liquidation."""
    funds = document.get("funds") or [document["fund"]]
    return [
        {"fund_id": f["fund_id"], "share_class": c["share_class"], "tier": tier, **amounts}
        for f in funds
        if f.get("waterfall")
        for c in f["waterfall"]["classes"]
        for tier, amounts in c["tiers"].items()
    ]


def write_value_workbook(document: dict[str, Any], path: Path) -> None:
    """Write the run document (docs/run-document.md) to an .xlsx workbook at ``path``."""
    book = Workbook()
    about = book.active
    about.title = "run"
    for key in ("format", "as_of", "scope", "fingerprint", "illustrative"):
        append_row(about, [key, document.get(key)])
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 70

    _fields_sheet(book, "fund", _without_waterfall(document["fund"]))
    _records_sheet(book, "funds", [_without_waterfall(f) for f in document.get("funds", [])])
    _records_sheet(book, "projects", document["projects"])
    _records_sheet(book, "holdings", document["holdings"])
    _records_sheet(book, "investors", document["investors"])
    _records_sheet(book, "share_classes", document["share_classes"])
    _records_sheet(book, "pari_passu_breaches", document["pari_passu"]["breaches"])
    # funds with share-class terms (issue 14): the waterfall's tiers, the cost to government
    tiers = _waterfall_rows(document)
    if tiers:
        _records_sheet(book, "waterfall", tiers)
    if document["pari_passu"].get("government"):
        _records_sheet(book, "pari_passu_government", document["pari_passu"]["government"])
    _records_sheet(book, "forecast_vs_actual", document["outcomes"]["forecast_vs_actual"])
    value = document["social_value"]
    _records_sheet(book, "social_value_by_area", value["by_policy_area"])
    per_pound = _per_pound_rows(value)
    _records_sheet(book, "social_value_per_pound", per_pound)
    for row in book["social_value_per_pound"].iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = PER_POUND_FORMAT
    _fields_sheet(book, "claims", document["claims"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
