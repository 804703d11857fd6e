"""Issue 18 where people read it: the CLI table, the pack's headline and the workbook."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from passu.portfolio.value_view import headline, tables
from passu.reports.headline import headline_groups
from passu.reports.workbook import write_value_workbook
from passu.valuation.valuer import value

from ..valuation.test_run_edges import ANNUAL, YIELDS, T, short_fund

GREEN_BOOK = "no GDP deflator for 2025 in the annual table: no nominal equivalent"
BENCHMARK = (
    "no 5-year gilt yield for 2025Q4: drawdowns on projects under 7.5 years priced at the "
    "10-year yield"
)


def _document() -> dict:
    ledger = short_fund()
    run = value(
        ledger, T, "F1", gilt_yields=YIELDS, annual_benchmarks=ANNUAL,
        unit_values=ledger.unit_values,
    )  # fmt: skip
    return json.loads(run.to_json())


def test_the_cli_table_shows_the_period_return_and_the_notes() -> None:
    document = _document()
    figures = headline(document)
    shown = {f.name: f.value for f in figures.figures}
    # 101 / 100 − 1 = 1% over 92 days, marked as not annualised; no IRR.
    assert shown["net_period_return"] == 0.01 and shown["net_irr"] is None
    assert "net IRR: less than a year: not annualised" in figures.notes
    assert f"Green Book note: {GREEN_BOOK}" in figures.notes
    assert f"HM Treasury benchmark note: {BENCHMARK}" in figures.notes
    # The note figures are notes, not rows.
    assert "green_book_note" not in shown and "benchmark_note" not in shown
    holdings = next(t for t in tables(document) if t.title == "Holdings")
    names = [c.name for c in holdings.columns]
    row = dict(zip(names, holdings.rows[0], strict=True))
    assert (row["irr"], row["period_return"]) == (None, 0.01)
    heading = next(c for c in holdings.columns if c.name == "period_return").heading
    assert heading == "period return (not annualised)"


def test_the_pack_headline_shows_the_period_return_and_the_notes() -> None:
    groups = {g.title: g for g in headline_groups(_document())}
    returns = {f.label: f for f in groups["Returns"].figures}
    assert returns["Net return for the period (not annualised)"].text == "1.0%"
    assert returns["Net IRR (to investors)"].note == "less than a year: not annualised"
    cost = {f.label: f for f in groups["Cost of capital against HM Treasury's cost of financing"]
            .figures}  # fmt: skip
    assert GREEN_BOOK in (cost["Green Book discount rate (STPR), real"].note or "")
    assert BENCHMARK in (cost["HM Treasury benchmark (gilts)"].note or "")


def test_a_long_run_shows_no_period_return_in_the_pack() -> None:
    document = _document()
    document["fund"]["net_period_return"] = None
    labels = [f.label for f in headline_groups(document)[1].figures]
    assert "Net return for the period (not annualised)" not in labels


def test_the_workbook_holds_the_notes_and_the_period_return(tmp_path: Path) -> None:
    path = tmp_path / "run.xlsx"
    write_value_workbook(_document(), path)
    book = load_workbook(path)
    fund = {row[0]: row[1] for row in book["fund"].iter_rows(min_row=2, values_only=True)}
    assert fund["green_book_note"] == GREEN_BOOK
    assert fund["benchmark_note"] == BENCHMARK
    assert fund["net_period_return"] == 0.01
    assert book["fund"]["B" + str(list(fund).index("net_period_return") + 2)].number_format == (
        "0.00%"
    )
    sheet = book["holdings"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("period_return") + 1)
    assert (cell.value, cell.number_format) == (0.01, "0.00%")
