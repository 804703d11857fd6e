"""Bad input: one line per problem naming file, row and column; exit 2; nothing written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio

from .builders import Table, a_portfolio, write_csvs

Tables = dict[str, Table]


def _drop(name: str) -> Callable[[Tables], None]:
    return lambda t: t.pop(name)


def _set(table: str, row: int, column: str, value: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        t[table][row][column] = value

    return change


def _dup(table: str, row: int) -> Callable[[Tables], None]:
    return lambda t: t[table].append(dict(t[table][row]))


CASES: dict[str, tuple[Callable[[Tables], None], str]] = {
    "missing required table": (
        _drop("projects"),
        "error: projects.csv: expected this required table in the import",
    ),
    "unknown column": (
        _set("project_flows", 0, "amout", "1"),
        "error: project_flows.csv, header, column amout: expected only the columns",
    ),
    "bad date": (
        _set("project_flows", 1, "date", "2014-02-30"),
        "error: project_flows.csv, row 2, column date: expected a real calendar date as "
        "YYYY-MM-DD, found '2014-02-30'",
    ),
    "date in another layout": (
        _set("investor_flows", 0, "date", "31/03/2014"),
        "error: investor_flows.csv, row 1, column date: expected a date as YYYY-MM-DD, "
        "found '31/03/2014'",
    ),
    "negative amount": (
        _set("project_flows", 0, "amount", "-60000"),
        "error: project_flows.csv, row 1, column amount: expected a positive amount in pounds",
    ),
    "non-numeric amount": (
        _set("commitments", 2, "amount", "£1,200,000"),
        "error: commitments.csv, row 3, column amount: expected an amount in pounds such as "
        "1250000.50 (no £ or commas, under £1 trillion), found '£1,200,000'",
    ),
    "three-decimal money": (
        _set("holdings", 0, "commitment", "150000.005"),
        "error: holdings.csv, row 1, column commitment: expected money with at most two "
        "decimals, found '150000.005'",
    ),
    "zero flow": (
        _set("fund_expenses", 0, "amount", "0.00"),
        "error: fund_expenses.csv, row 1, column amount: expected an amount above zero",
    ),
    "unknown reference": (
        _set("project_flows", 2, "holder_id", "NOBODY"),
        "error: project_flows.csv, row 3, column tranche: expected a reference to holdings.csv "
        "(project_id, holder_id, tranche), found unknown 'P1/NOBODY/A'",
    ),
    "duplicate key": (
        _dup("commitments", 1),
        "error: commitments.csv, row 4, column share_class: expected a key used once, "
        "found fund_id=F1, investor_id=FDN, share_class=A",
    ),
    "payer shares not summing to 1": (
        _set("contract_payers", 2, "share", "0.3"),
        "error: contract_payers.csv, row 1, column share: expected shares of contract C1 "
        "summing to 1 (within 0.0001), found a total of 0.966666",
    ),
    "unknown kind": (
        _set("investors", 1, "kind", "ministry"),
        "error: investors.csv, row 2, column kind: expected one of government, foundation",
    ),
    "claim verified before claimed": (
        _set("outcome_claims", 0, "verified_on", "2014-10-01"),
        "error: outcome_claims.csv, row 1, column verified_on: expected a date on or after "
        "claimed_on 2014-10-10, found 2014-10-01",
    ),
    "claim both verified and rejected": (
        _set("outcome_claims", 0, "rejected_on", "2014-11-01"),
        "error: outcome_claims.csv, row 1, column rejected_on: expected a claim either verified "
        "or rejected, not both, found verified 2014-10-30 and rejected 2014-11-01",
    ),
    "verified count above the count claimed": (
        _set("outcome_claims", 0, "verified_count", "13"),
        "error: outcome_claims.csv, row 1, column verified_count: expected at most the count "
        "claimed (12), found 13",
    ),
    "payment naming an unknown claim": (
        _set("outcome_payments", 0, "claim_id", "CL9"),
        "error: outcome_payments.csv, row 1, column claim_id: expected a reference to "
        "outcome_claims.csv (claim_id), found unknown 'CL9'",
    ),
    "innovation cost without innovation": (
        _set("project_costs", 1, "innovation_id", ""),
        "error: project_costs.csv, row 2, column innovation_id: expected the innovation this "
        "cost is for",
    ),
}


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "good", a_portfolio()), user="t")
    return engine


def _import(url: str, path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--database", url, "import", str(path)])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_and_nothing_written(
    case: str, loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    mutate, message = CASES[case]
    tables = copy.deepcopy(a_portfolio())
    tables["projects"][0]["name"] = "Renamed, which must not be written"
    mutate(tables)
    before = read_tables(loaded)
    code, err = _import(db_url, write_csvs(tmp_path / "bad", tables))
    assert code == 2, err
    assert message in err, err
    assert "Traceback" not in err
    assert read_tables(loaded) == before


def test_empty_file(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "bad", a_portfolio())
    (folder / "marks.csv").write_bytes(b"")
    before = read_tables(loaded)
    code, err = _import(db_url, folder)
    assert code == 2
    assert "error: marks.csv: expected a header row, found an empty (0-byte) file" in err
    assert read_tables(loaded) == before


def test_wrong_encoding(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "bad", a_portfolio())
    text = (folder / "delivery_partners.csv").read_text().replace("Charity Two", "Café Two")
    (folder / "delivery_partners.csv").write_bytes(text.encode("latin-1"))
    code, err = _import(db_url, folder)
    assert code == 2
    assert "error: delivery_partners.csv, row 2: expected UTF-8 text, found byte 0xe9" in err


def test_misspelt_table_is_refused(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "bad", a_portfolio())
    (folder / "project_flow.csv").write_text("a\n1\n")
    (folder / "NOTES.txt").write_text("ignored")
    code, err = _import(db_url, folder)
    assert code == 2
    assert "error: project_flow.csv: expected a table of the format" in err


def test_removing_a_project_that_stored_flows_name(
    loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    tables = a_portfolio()
    tables["projects"][0]["project_id"] = "P9"
    only = {k: tables[k] for k in ("funds", "investors", "projects")}
    before = read_tables(loaded)
    code, err = _import(db_url, write_csvs(tmp_path / "bad", only))
    assert code == 2
    assert "projects.csv, column project_id: expected every projects row that stored" in err
    assert read_tables(loaded) == before


def _workbook(path: Path, tables: Tables, poison: Callable[[Workbook], None]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    poison(book)
    book.save(path)
    return path


def test_formula_cell_in_workbook(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    def formula(book: Workbook) -> None:
        book["project_flows"]["F2"] = "=50000+10000"

    before = read_tables(loaded)
    code, err = _import(db_url, _workbook(tmp_path / "b.xlsx", a_portfolio(), formula))
    assert code == 2
    assert "b.xlsx[project_flows], row 1, column cell F2: expected a value, not a formula" in err
    assert read_tables(loaded) == before


def test_error_cell_in_workbook(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    def error_cell(book: Workbook) -> None:
        cell = book["holdings"]["E2"]
        cell.value = "#DIV/0!"
        cell.data_type = "e"

    code, err = _import(db_url, _workbook(tmp_path / "b.xlsx", a_portfolio(), error_cell))
    assert code == 2
    assert "b.xlsx[holdings], row 1, column cell E2: expected a value, found the error cell" in err


def test_every_problem_is_reported_together(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["project_flows"][0]["date"] = "yesterday"
    tables["marks"][0]["fair_value"] = "lots"
    code, err = _import(db_url, write_csvs(tmp_path / "bad", tables))
    assert code == 2
    assert "project_flows.csv, row 1, column date" in err
    assert "marks.csv, row 1, column fair_value" in err
