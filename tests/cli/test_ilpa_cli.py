"""`passu report ilpa`: the workbook opens in openpyxl, holds values (no formulas), and its
capital account lines reconcile to `passu capital-account --format json` and to
`passu value --format json` (issue 13)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.cli.test_capital_account_cli import _imported, _run, _statement, equalised

ROOT = Path(__file__).parents[2]


def _workbook(url: str, tmp_path: Path, quarter: str, *more: str) -> Any:
    path = tmp_path / f"ilpa-{quarter}.xlsx"
    result = _run(url, "report", "ilpa", "--quarter", quarter, "-o", str(path), *more)
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["about", "capital_account", "fees_and_expenses", "fund_cash_flows"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    return book


def _money(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}"


def _capital_rows(book: Any) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """(fund, investor) → column → line → money text, from the capital_account sheet."""
    sheet = book["capital_account"]
    header = [c.value for c in sheet[1]]
    out: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, row, strict=True))
        account = out.setdefault((record["fund_id"], record["investor_id"]), {})
        for column in ("period", "year_to_date", "since_inception"):
            account.setdefault(column, {})[record["line"]] = _money(record[column])
    return out


def test_the_workbook_reconciles_to_the_statement_and_the_run(tmp_path: Path) -> None:
    url = _imported(tmp_path, equalised())
    book = _workbook(url, tmp_path, "2020-Q2")
    accounts = _capital_rows(book)
    assert set(accounts) == {("F1", "A"), ("F1", "B"), ("F1", "FUND TOTAL")}
    for investor in ("A", "B"):
        statement = _statement(url, investor, "2020-04-01", "2020-06-30")["accounts"][0]
        for column in ("period", "year_to_date", "since_inception"):
            assert accounts[("F1", investor)][column] == statement[column], (investor, column)
    run = json.loads(_run(url, "value", "--as-of", "2020-06-30", "--format", "json").stdout)
    for investor in run["investors"]:
        mine = accounts[("F1", investor["investor_id"])]["since_inception"]
        assert {k: v for k, v in mine.items() if k != "committed"} == investor["capital_account"]
    # The fund's total: its ending balance is the fund's NAV, £66,000; the quarter's
    # beginning is A's £60,000 alone; A's 25,498.63 out and B's 25,498.63 in net to nil.
    total = accounts[("F1", "FUND TOTAL")]
    assert total["since_inception"]["ending"] == run["fund"]["nav"] == "66000.00"
    assert total["period"]["beginning"] == "60000.00"
    assert total["period"]["income"] == "0.00"  # 498.63 received by A, paid by B


def test_the_cash_flows_sheet_is_the_funds_flows_with_its_multiples(tmp_path: Path) -> None:
    url = _imported(tmp_path, equalised())
    sheet = _workbook(url, tmp_path, "2020-Q2")["fund_cash_flows"]
    rows = list(sheet.iter_rows(values_only=True))
    # Q1: £50,000 called and drawn into P1, NAV the £60,000 mark; Q2: B's £25,498.63 in
    # and out again to A, NAV £66,000.
    assert [(*r[:2], *map(_money, r[2:7])) for r in rows[1:3]] == [
        ("F1", "2020-Q1", "-50000.00", "0.00", "50000.00", "0.00", "60000.00"),
        ("F1", "2020-Q2", "0.00", "0.00", "25498.63", "-25498.63", "66000.00"),
    ]
    summary = dict(zip(rows[4], rows[5], strict=True))
    run = json.loads(_run(url, "value", "--as-of", "2020-06-30", "--format", "json").stdout)
    # TVPI (25,498.63 + 66,000) / 75,498.63 = 1.211943…; DPI 25,498.63 / 75,498.63
    assert summary["tvpi"] == pytest.approx(91_498.63 / 75_498.63)
    assert round(summary["tvpi"], 6) == run["fund"]["tvpi"]
    assert summary["dpi"] == pytest.approx(25_498.63 / 75_498.63)
    # under a year of flows: no IRR, as in the run
    assert summary["net_irr"] is None and run["fund"]["net_irr"] is None


def test_fees_and_expenses_by_quarter(tmp_path: Path) -> None:
    from tests.cli.test_capital_account_cli import fee_portfolio

    url = _imported(tmp_path, fee_portfolio("7000.00"))
    sheet = _workbook(url, tmp_path, "2020-Q2")["fees_and_expenses"]
    rows = list(sheet.iter_rows(values_only=True))
    # charged: what fund_expenses recorded; from the terms: 9,972.60 and 6,630.14
    # (test_capital_account_cli's arithmetic); no other income, so no offset.
    assert [(*r[:2], *map(_money, r[2:])) for r in rows[1:]] == [
        ("F1", "2020-Q1", "9972.60", "9972.60", "0.00", "9972.60", "0.00"),
        ("F1", "2020-Q2", "7000.00", "6630.14", "0.00", "6630.14", "0.00"),
    ]


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ilpa') / 'passu.db'}"
    for args in (["init"], ["import", str(ROOT / "sample")]):
        result = _run(url, *args)
        assert result.exit_code == 0, result.output
    return url


def test_the_samples_quarter_reconciles_to_its_run(sample_url: str, tmp_path: Path) -> None:
    book = _workbook(sample_url, tmp_path, "2026-Q3")
    accounts = _capital_rows(book)
    run = json.loads(_run(sample_url, "value", "--as-of", "2026-09-30", "--format", "json").stdout)
    for investor in run["investors"]:
        mine = accounts[(investor["fund_id"], investor["investor_id"])]["since_inception"]
        assert mine["ending"] == investor["nav"]
        assert {k: v for k, v in mine.items() if k != "committed"} == investor["capital_account"]
    funds = {f["fund_id"]: f for f in run["funds"]}
    for fund_id, fund in funds.items():
        assert accounts[(fund_id, "FUND TOTAL")]["since_inception"]["ending"] == fund["nav"]
    rows = list(book["fund_cash_flows"].iter_rows(values_only=True))
    at = rows.index(("fund_id", "as_of", "paid_in", "distributed", "nav", "net_irr",
                     "gross_irr", "tvpi", "dpi"))  # fmt: skip
    for row in rows[at + 1 :]:
        summary = dict(zip(rows[at], row, strict=True))
        fund = funds[summary["fund_id"]]
        assert round(summary["net_irr"], 10) == fund["net_irr"]
        assert round(summary["gross_irr"], 10) == fund["gross_irr"]
        assert (round(summary["tvpi"], 6), round(summary["dpi"], 6)) == (fund["tvpi"], fund["dpi"])
        assert _money(summary["nav"]) == fund["nav"]


def test_a_bad_quarter_is_one_line_and_exit_2(sample_url: str, tmp_path: Path) -> None:
    result = _run(sample_url, "report", "ilpa", "--quarter", "2026-Q5", "-o",
                  str(tmp_path / "x.xlsx"))  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --quarter: expected a quarter as YYYY-QN (e.g. 2026-Q3), found '2026-Q5'"
    )
    assert not (tmp_path / "x.xlsx").exists()
