"""Format version 2 end to end: the new tables and columns round-trip through export and
import (CSV, workbook, backup) on SQLite and PostgreSQL; a portfolio that does not use
them exports and hashes exactly as under version 1."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.backup import backup, restore
from passu.portfolio.interchange.exporter import export_portfolio, read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reference.benchmarks import yields_with
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.store.database import _alembic_config, make_engine, upgrade
from passu.portfolio.store.frames import load_frames, stored_gilt_yields
from passu.valuation.ledger import Ledger
from passu.valuation.schema import BY_NAME, SCHEMAS

from .builders import a_portfolio, write_csvs
from .terms_builders import a_blended_portfolio

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample"
NEW_TABLES = ("fund_terms", "class_terms", "waterfalls", "cost_forecasts", "holding_terms")
# What the code at commit e4c6564 (format version 1, before these tables and columns)
# gives for the sample as of 2026-10-31 with the shipped gilt yields: run there, in a
# separate git worktree, on that commit's sample (and tests/data/golden's runs carry it).
SAMPLE_FINGERPRINT_V1 = "ee538d0a3d7f823ec658f7cac4c17154f1ab45757643a16f4598ec44738a6b13"
SAMPLE_AS_OF = dt.date(2026, 10, 31)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    return result.exit_code, result.stderr


def fresh_sqlite(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    assert run(url, "init")[0] == 0
    return url


def no_stored_yields() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quarter_end": pd.Series([], dtype="datetime64[ns]"),
            "tenor_years": pd.Series([], dtype="int64"),
            "yield_": pd.Series([], dtype=float),
            "source": pd.Series([], dtype=object),
        }
    )


def test_the_declarations_hang_together() -> None:
    later = [s.name for s in SCHEMAS if s.since > 1]
    assert later == list(NEW_TABLES)
    # the ledger holds every table of the format, and nothing else
    assert [f.name for f in fields(Ledger)] == [s.name for s in SCHEMAS]
    flows = BY_NAME["investor_flows"]
    assert [c.name for c in flows.columns if c.since > 1] == ["purpose", "recallable"]
    # a later column of a version-1 table is optional, so version-1 files still import
    for spec in SCHEMAS:
        for col in spec.columns:
            if col.since > 1 and spec.since == 1:
                assert not col.required and col.name in spec.optional_columns


def test_every_new_table_and_column_round_trips_byte_for_byte(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_blended_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "first")
    first = files(tmp_path / "first")
    assert {f"{name}.csv" for name in NEW_TABLES} <= set(first)
    flows = first["investor_flows.csv"].decode().splitlines()
    assert flows[0] == "fund_id,investor_id,date,kind,amount,purpose,recallable"
    assert "F1,FDN,2015-06-30,distribution,4000.00,return_of_capital,true" in flows
    assert "F1,DEPT,2014-03-31,call,30000.00,,false" in flows  # no purpose: the kind's default
    assert first["cost_forecasts.csv"] == (
        b"project_id,period_end,category,amount\n"
        b"P1,2016-03-31,delivery,12500.50\n"
        b"P1,2016-03-31,management,0.00\n"
        b"P1,2016-06-30,delivery,9000.00\n"
    )
    assert first["waterfalls.csv"] == (
        b"fund_id,style,hurdle,catch_up,carry,carry_holder,applies_to\n"
        b"F1,european,0.08,1,0.2,MGR,A;B\n"
    )
    # into an empty SQLite database (whichever backend exported first): the same bytes
    other = fresh_sqlite(tmp_path, "other.db")
    assert run(other, "import", str(tmp_path / "first")) == (0, "")
    assert run(other, "export", str(tmp_path / "second")) == (0, "")
    assert files(tmp_path / "second") == first
    # and importing the export again changes nothing
    report = import_portfolio(engine, tmp_path / "first", user="t")
    assert report.unchanged


def test_the_workbook_round_trips_every_new_table(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_blended_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "book.xlsx")
    export_portfolio(engine, tmp_path / "csv")
    other = fresh_sqlite(tmp_path, "other.db")
    assert run(other, "import", str(tmp_path / "book.xlsx")) == (0, "")
    assert run(other, "export", str(tmp_path / "again")) == (0, "")
    assert files(tmp_path / "again") == files(tmp_path / "csv")


def test_backup_and_restore_keep_every_new_table(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_blended_portfolio()), user="t")
    backup(engine, tmp_path / "backup.bak")
    # SQLite's file restores on SQLite; PostgreSQL's zip (portfolio/*.csv) restores anywhere
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(target)
    restore(target, tmp_path / "backup.bak", user="carol")
    assert read_tables(target) == read_tables(engine)
    assert {name for name in NEW_TABLES} <= set(read_tables(target))
    target.dispose()


def test_a_version_1_portfolio_exports_as_it_did(engine: Engine, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "out")
    out = files(tmp_path / "out")
    # a_portfolio's three calls, sorted by every column; no purpose, no recallable
    assert out["investor_flows.csv"] == (
        b"fund_id,investor_id,date,kind,amount\n"
        b"F1,BANK,2014-03-31,call,120000.05\n"
        b"F1,DEPT,2014-03-31,call,30000.00\n"
        b"F1,FDN,2014-03-31,call,50000.00\n"
    )
    assert not {f"{name}.csv" for name in NEW_TABLES} & set(out)


def test_a_later_column_is_written_once_a_row_uses_it(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    # DEPT's call becomes a recallable distribution ("TRUE" reads as true); the other
    # rows leave the cell empty: not recallable
    tables["investor_flows"][0].update(kind="distribution", recallable="TRUE")
    import_portfolio(engine, write_csvs(tmp_path / "in", tables), user="t")
    export_portfolio(engine, tmp_path / "out")
    # recallable is used, purpose is not: only recallable is written
    assert files(tmp_path / "out")["investor_flows.csv"] == (
        b"fund_id,investor_id,date,kind,amount,recallable\n"
        b"F1,BANK,2014-03-31,call,120000.05,false\n"
        b"F1,DEPT,2014-03-31,distribution,30000.00,true\n"
        b"F1,FDN,2014-03-31,call,50000.00,false\n"
    )
    other = fresh_sqlite(tmp_path, "other.db")
    assert run(other, "import", str(tmp_path / "out")) == (0, "")
    assert run(other, "export", str(tmp_path / "again")) == (0, "")
    assert files(tmp_path / "again") == files(tmp_path / "out")


def test_from_csv_is_the_imported_portfolio_read_back(engine: Engine, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "in", a_blended_portfolio())
    import_portfolio(engine, folder, user="t")
    with engine.connect() as conn:
        stored = load_frames(conn)
        yields = yields_with(stored_gilt_yields(conn))
    ledger = Ledger.from_csv(folder)
    for name in (*NEW_TABLES, "investor_flows"):
        pd.testing.assert_frame_equal(
            getattr(ledger, name), getattr(stored, name), check_exact=True, obj=name
        )
    assert ledger.fingerprint(yields) == stored.fingerprint(yields)
    flows = ledger.investor_flows
    # 11 flows; three recallable-or-not columns checked by hand: two distributions flagged
    assert len(flows) == 11 and int(flows["recallable"].sum()) == 2
    assert flows["recallable"].dtype == bool
    terms = ledger.fund_terms.set_index("share_class")
    assert str(terms.loc["A", "management_fee_rate"]) == "0.02"
    assert pd.isna(terms.loc["B", "fee_step_down_date"])


def test_the_samples_fingerprint_is_the_one_version_1_gave() -> None:
    ledger = Ledger.from_csv(SAMPLE, library_codes=unit_cost_codes())
    # the sample may gain forecasts and terms (issue 15); without them, and as of its
    # valuation date, it is the version-1 sample and must hash as it did
    as_v1 = replace(ledger, **{name: BY_NAME[name].empty_frame() for name in NEW_TABLES})
    yields = yields_with(no_stored_yields())
    assert as_v1.as_of(SAMPLE_AS_OF).fingerprint(yields) == SAMPLE_FINGERPRINT_V1


def test_a_later_column_or_table_enters_the_fingerprint_once_used(tmp_path: Path) -> None:
    yields = yields_with(no_stored_yields())
    plain = Ledger.from_csv(write_csvs(tmp_path / "plain", a_portfolio()))
    # the columns present but unused (every purpose empty, every flag false): as before
    tables = a_portfolio()
    for row in tables["investor_flows"]:
        row.update(purpose="", recallable="false")
    unused = Ledger.from_csv(write_csvs(tmp_path / "unused", tables))
    assert unused.fingerprint(yields) == plain.fingerprint(yields)
    hashes = {plain.fingerprint(yields)}
    changes = (
        {"purpose": "investment"},  # the default said out loud is still a use
        {"kind": "distribution", "recallable": "true"},
    )
    for number, change in enumerate(changes):
        changed = a_portfolio()
        changed["investor_flows"][0].update(change)
        folder = write_csvs(tmp_path / f"changed{number}", changed)
        hashes.add(Ledger.from_csv(folder).fingerprint(yields))
    blended = Ledger.from_csv(write_csvs(tmp_path / "blended", a_blended_portfolio()))
    hashes.add(blended.fingerprint(yields))
    # each use is seen: four different hashes
    assert len(hashes) == 4


@pytest.mark.parametrize("table", NEW_TABLES)
def test_a_header_only_new_table_empties_it(engine: Engine, tmp_path: Path, table: str) -> None:
    tables = a_blended_portfolio()
    import_portfolio(engine, write_csvs(tmp_path / "one", tables), user="t")
    tables[table] = []
    report = import_portfolio(engine, write_csvs(tmp_path / "two", tables), user="t")
    assert {t.table: t.removed for t in report.tables}[table] > 0
    assert table not in read_tables(engine)


def test_a_version_1_database_upgrades_in_place_and_back(engine: Engine, tmp_path: Path) -> None:
    """Migration 0004 adds the columns in place: stored flows read as before (no purpose,
    not recallable), and a downgrade to 0003 keeps them too."""
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="t")
    export_portfolio(engine, tmp_path / "before")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0003")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("investor_flows")}
        assert not {"purpose", "recallable"} & columns
        assert not {"fund_terms", "waterfalls"} & set(sa.inspect(conn).get_table_names())
    upgrade(engine)
    export_portfolio(engine, tmp_path / "after")
    assert files(tmp_path / "after") == files(tmp_path / "before")
    with engine.connect() as conn:
        stored = load_frames(conn).investor_flows
    assert stored["purpose"].isna().all() and not stored["recallable"].any()
