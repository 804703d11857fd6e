"""The run document as a workbook: one sheet per table, money as numbers with a £ format."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from passu.portfolio.store.runs import get_run
from passu.reports.workbook import MONEY_FORMAT, MULTIPLE_FORMAT, RATE_FORMAT, write_value_workbook

from .builders import AS_OF

FIXTURE = Path(__file__).parent / "fixtures" / "run-2026-10-31-ALL.json"


def _header(sheet):
    return [c.value for c in sheet[1]]


def test_every_table_has_a_sheet_with_typed_cells(tmp_path):
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "run.xlsx"
    write_value_workbook(document, path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "run",
        "fund",
        "funds",
        "projects",
        "holdings",
        "investors",
        "share_classes",
        "pari_passu_breaches",
        "forecast_vs_actual",
        "social_value_by_area",
        "social_value_per_pound",
        "claims",
    ]
    projects = book["projects"]
    columns = _header(projects)
    invested = projects.cell(row=2, column=columns.index("invested") + 1)
    assert invested.value == 1850000  # a number, not the text "1850000.00"
    assert invested.number_format == MONEY_FORMAT
    irr = projects.cell(row=2, column=columns.index("irr") + 1)
    assert (irr.value, irr.number_format) == (0.0612, RATE_FORMAT)
    moic = projects.cell(row=2, column=columns.index("moic") + 1)
    assert moic.number_format == MULTIPLE_FORMAT
    fund = {row[0].value: row[1] for row in book["fund"].iter_rows(min_row=2)}
    assert fund["nav"].value == 4550000 and fund["nav"].number_format == MONEY_FORMAT
    assert fund["net_irr"].number_format == RATE_FORMAT
    assert fund["funds"].value == "SOF1, SOF2"
    breaches = book["pari_passu_breaches"]
    assert breaches.max_row == 2
    difference = breaches.cell(row=2, column=_header(breaches).index("difference") + 1)
    assert difference.value == -2000
    assert len(list(book["projects"].iter_rows(min_row=2))) == len(document["projects"])


def test_a_stored_run_round_trips_to_the_penny(sample_engine, tmp_path):
    document = get_run(sample_engine, AS_OF).document
    path = tmp_path / "run.xlsx"
    write_value_workbook(document, path)
    sheet = load_workbook(path)["holdings"]
    column = _header(sheet).index("invested") + 1
    cells = [r[column - 1].value for r in sheet.iter_rows(min_row=2)]
    total = sum(Decimal(str(v)) for v in cells)
    assert total == sum(Decimal(h["invested"]) for h in document["holdings"])


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    # A project named =HYPERLINK("x") (and an investor id beginning "=") are written as
    # text cells (openpyxl's type "s"), never a formula a spreadsheet would run (issue 18).
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["projects"][0]["name"] = '=HYPERLINK("x")'
    document["investors"][0]["investor_id"] = "=1+1"
    document["fund"]["fund_id"] = "=SUM(A1:A9)"
    document["scope"] = "@cmd"
    path = tmp_path / "run.xlsx"
    write_value_workbook(document, path)
    book = load_workbook(path)
    projects = book["projects"]
    name = projects.cell(row=2, column=_header(projects).index("name") + 1)
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")
    investors = book["investors"]
    investor = investors.cell(row=2, column=_header(investors).index("investor_id") + 1)
    assert (investor.value, investor.data_type) == ("=1+1", "s")
    fund = {row[0].value: row[1] for row in book["fund"].iter_rows(min_row=2)}
    assert (fund["fund_id"].value, fund["fund_id"].data_type) == ("=SUM(A1:A9)", "s")
    # numbers stay numbers
    invested = projects.cell(row=2, column=_header(projects).index("invested") + 1)
    assert invested.data_type == "n"
    # no formula anywhere in the workbook
    assert not [
        c.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
