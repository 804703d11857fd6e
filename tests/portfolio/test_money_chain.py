"""Numbers never drift through the whole chain: import → value → JSON → report data.

The large synthetic portfolio of test_money_drift (thousands of flows with
amounts a float adds badly) is imported and valued; every money figure of the
valuation document that is a sum of input rows is checked, to the penny,
against Decimal sums of the CSV files, and the workbook built for reports
carries the same figures.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.value import value_document
from passu.reports.workbook import write_value_workbook

from .builders import write_csvs
from .test_money_drift import a_large_portfolio

AS_OF = "2026-06-30"  # the shipped gilt yields run to 2026Q2


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle)]


def _sum(rows: list[dict[str, str]], kinds: tuple[str, ...], date: str = "date") -> Decimal:
    return sum(
        (Decimal(r["amount"]) for r in rows if r["kind"] in kinds and r[date] <= AS_OF),
        Decimal(0),
    )


def test_every_summed_figure_matches_the_input_files(engine: Engine, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "large", a_large_portfolio())
    import_portfolio(engine, folder, user="t")
    document = value_document(engine, dt.date.fromisoformat(AS_OF), "F1")
    investor_flows = _rows(folder, "investor_flows")
    project_flows = _rows(folder, "project_flows")
    fund = document["fund"]

    assert Decimal(fund["paid_in"]) == _sum(investor_flows, ("call",))
    assert Decimal(fund["distributed"]) == _sum(investor_flows, ("distribution",))
    assert Decimal(fund["expenses"]) == _sum(
        _rows(folder, "fund_expenses"), ("management_fee", "expense")
    )
    invested = sum((Decimal(h["invested"]) for h in document["holdings"]), Decimal(0))
    realised = sum((Decimal(h["realised"]) for h in document["holdings"]), Decimal(0))
    assert invested == _sum(project_flows, ("drawdown",))
    assert realised == _sum(project_flows, ("repayment", "interest", "dividend"))
    payments = sum(
        (Decimal(r["amount"]) for r in _rows(folder, "outcome_payments") if r["date"] <= AS_OF),
        Decimal(0),
    )
    assert Decimal(document["outcomes"]["payments"]) == payments
    # the fund's own cash: calls − its drawdowns + its receipts − distributions − expenses
    own = [r for r in project_flows if r["holder_id"] == "F1"]
    cash = (
        _sum(investor_flows, ("call",))
        - _sum(own, ("drawdown",))
        + _sum(own, ("repayment", "interest", "dividend"))
        - _sum(investor_flows, ("distribution",))
        - Decimal(fund["expenses"])
    )
    assert Decimal(fund["cash"]) == cash
    # capital accounts add up exactly to the fund
    accounts = document["investors"]
    for figure in ("paid_in", "distributed", "nav"):
        assert sum((Decimal(a[figure]) for a in accounts), Decimal(0)) == Decimal(fund[figure])

    # report data: the workbook a committee pastes from carries the same money
    book_path = tmp_path / "valuation.xlsx"
    write_value_workbook(document, book_path)
    book = load_workbook(book_path, read_only=True)
    fund_cells = {row[0]: row[1] for row in book["fund"].iter_rows(min_row=2, values_only=True)}
    investor_rows = list(book["investors"].iter_rows(values_only=True))
    book.close()
    penny = Decimal("0.01")
    for figure in ("committed", "paid_in", "distributed", "nav", "cash", "expenses"):
        assert Decimal(str(fund_cells[figure])).quantize(penny) == Decimal(fund[figure])
    header, *records = investor_rows
    nav_column = header.index("nav")
    total_nav = sum((Decimal(str(r[nav_column])) for r in records), Decimal(0))
    assert total_nav.quantize(penny) == Decimal(fund["nav"])
