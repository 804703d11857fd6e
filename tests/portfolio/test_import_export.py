"""Import and export as FORMAT.md says, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.exporter import export_portfolio, read_tables
from passu.portfolio.interchange.importer import import_portfolio

from .builders import a_generated_portfolio, a_portfolio, write_csvs


def snapshot(engine: Engine) -> dict[str, tuple[list[str], list[list[str]]]]:
    return read_tables(engine)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_export_import_export_is_byte_identical(
    engine: Engine, db_url: str, tmp_path: Path, seed: int | None
) -> None:
    tables = a_portfolio() if seed is None else a_generated_portfolio(seed)
    import_portfolio(engine, write_csvs(tmp_path / "in", tables), user="t")
    export_portfolio(engine, tmp_path / "first")
    # into an empty SQLite database, whatever the first one was
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(other, "init")[0] == 0
    assert run(other, "import", str(tmp_path / "first"))[0] == 0
    assert run(other, "export", str(tmp_path / "second"))[0] == 0
    assert files(tmp_path / "first") == files(tmp_path / "second")


def test_export_format_details(engine: Engine, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "out")
    commitments = (tmp_path / "out" / "commitments.csv").read_bytes()
    # money with exactly two decimals, LF endings, no BOM, rows sorted by key
    assert commitments == (
        b"fund_id,investor_id,share_class,amount,date\n"
        b"F1,BANK,A,1200000.50,2014-01-15\n"
        b"F1,DEPT,A,300000.00,2014-01-15\n"
        b"F1,FDN,A,500000.00,2014-01-15\n"
    )
    flows = (tmp_path / "out" / "project_flows.csv").read_text().splitlines()
    # two identical interest rows are two real payments: both kept
    assert flows.count("P1,F1,A,2015-04-15,interest,3000.00") == 2


def test_reimport_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "in", a_portfolio())
    first = import_portfolio(engine, folder, user="t")
    assert sum(t.added for t in first.tables) > 0
    second = import_portfolio(engine, folder, user="t")
    assert second.unchanged


def test_import_states_its_tables_added_changed_removed(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    import_portfolio(engine, write_csvs(tmp_path / "one", tables), user="t")
    tables["projects"][0]["status"] = "active"
    tables["project_flows"].pop()  # one of the two identical interest rows
    tables["delivery_partners"].append({"project_id": "P1", "organisation": "Charity Three"})
    only = {
        k: tables[k]
        for k in ("funds", "investors", "projects", "project_flows", "delivery_partners")
    }
    report = import_portfolio(engine, write_csvs(tmp_path / "two", only), user="t")
    changes = {t.table: (t.added, t.changed, t.removed) for t in report.tables}
    assert changes["projects"] == (0, 1, 0)
    assert changes["project_flows"] == (0, 0, 1)
    assert changes["delivery_partners"] == (1, 0, 0)
    # tables absent from the import are left as they were
    assert len(snapshot(engine)["marks"][1]) == 1


def test_header_only_file_empties_its_table(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    import_portfolio(engine, write_csvs(tmp_path / "one", tables), user="t")
    folder = write_csvs(
        tmp_path / "two", {k: tables[k] for k in ("funds", "investors", "projects")}
    )
    (folder / "evaluations.csv").write_text("project_id,date,evaluator,kind,summary,link\n")
    report = import_portfolio(engine, folder, user="t")
    assert {t.table: t.removed for t in report.tables}["evaluations"] == 1
    assert "evaluations" not in snapshot(engine)


def test_append_adds_flow_rows_only(engine: Engine, db_url: str, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "one", a_portfolio()), user="t")
    new = {
        "project_flows": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2015-04-15",
                "kind": "interest",
                "amount": "3000",
            },
        ]
    }
    report = import_portfolio(engine, write_csvs(tmp_path / "new", new), append=True, user="t")
    assert [(t.table, t.added) for t in report.tables] == [("project_flows", 1)]
    rows = snapshot(engine)["project_flows"][1]
    assert rows.count(["P1", "F1", "A", "2015-04-15", "interest", "3000.00"]) == 3
    # a register table is refused with --append
    write_csvs(tmp_path / "bad", {"projects": a_portfolio()["projects"]})
    code, _, err = run(db_url, "import", "--append", str(tmp_path / "bad"))
    assert code == 2 and "only flow tables with --append" in err


def test_workbook_round_trip(engine: Engine, db_url: str, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "book.xlsx")
    export_portfolio(engine, tmp_path / "csv")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(other, "init")[0] == 0
    code, _, err = run(other, "import", str(tmp_path / "book.xlsx"))
    assert code == 0, err
    assert run(other, "export", str(tmp_path / "again"))[0] == 0
    assert files(tmp_path / "csv") == files(tmp_path / "again")


def test_extra_columns_are_kept_as_attributes(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["projects"][0]["sector_code"] = "HOU-7"
    import_portfolio(engine, write_csvs(tmp_path / "in", tables), user="t")
    export_portfolio(engine, tmp_path / "out")
    lines = (tmp_path / "out" / "projects.csv").read_text().splitlines()
    assert lines[0].endswith(",status,sector_code")
    assert lines[1].endswith(",completed,HOU-7")
