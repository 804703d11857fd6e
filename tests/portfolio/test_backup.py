"""``passu db backup`` / ``db restore``: round trips on both backends, refusals, snapshots."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import Engine, insert, select

from passu.cli.main import cli
from passu.portfolio.errors import ConflictError, UsageError
from passu.portfolio.interchange.backup import OWN_TABLES, backup, restore
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.tables import SPECS
from passu.portfolio.store import audit
from passu.portfolio.store.database import make_engine, upgrade
from passu.portfolio.store.models import Base, GiltYield, ValuationRun, ValuationRunHistory
from tests.conftest import PG_ADMIN_URL

from .builders import a_portfolio, write_csvs
from .terms_builders import a_blended_portfolio

AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second migrated, empty database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    template = request.getfixturevalue("pg_template")
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"passu_fresh_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def own_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """passu's own tables, every column, in key order."""
    out = {}
    with engine.connect() as conn:
        for model in (ValuationRun, ValuationRunHistory, GiltYield):
            table = model.__table__
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(_utc(v) for v in row) for row in rows]
    return out


def _utc(value: object) -> object:
    # SQLite hands back naive datetimes; passu writes UTC
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def a_database_in_use(engine: Engine, tmp_path: Path) -> None:
    """The small portfolio imported, a stored run, a superseded run and a loaded gilt yield."""
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="alice")
    with engine.begin() as conn:
        conn.execute(
            insert(ValuationRun),
            {
                "run_id": 7,
                "as_of": dt.date(2014, 12, 31),
                "scope": "ALL",
                "status": "approved",
                "fingerprint": "a" * 64,
                "figures": '{"nav": "61000.00"}',
                "created_at": AT,
                "created_by": "alice",
                "approved_at": AT,
                "approved_by": "bob",
            },
        )
        conn.execute(
            insert(ValuationRunHistory),
            {
                "run_id": 7,
                "as_of": dt.date(2014, 12, 31),
                "scope": "ALL",
                "status": "draft",
                "fingerprint": "b" * 64,
                "figures": '{"nav": "60000.00"}',
                "created_at": AT,
                "created_by": "alice",
                "approved_at": None,
                "approved_by": None,
                "superseded_at": AT,
                "superseded_by": "alice",
                "reason": "marks corrected",
            },
        )
        conn.execute(
            insert(GiltYield),
            {
                "quarter_end": dt.date(2026, 9, 30),
                "tenor_years": 10,
                "yield": Decimal("0.04512345"),
                "source": "BoE IUQAMNPY",
            },
        )
        audit.record(conn, user="bob", command="runs approve", details={"as_of": "2014-12-31"})


def test_round_trip_keeps_everything_and_audits_the_restore(
    engine: Engine, fresh_url: str, tmp_path: Path
) -> None:
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "backup.bak"
    report = backup(engine, file)
    counts = dict(report.tables)
    # 4 project flows, 2 audit records (the import and the approval), 1 run
    assert (counts["project_flows"], counts["audit_log"], counts["valuation_runs"]) == (4, 2, 1)

    target = make_engine(fresh_url)
    restored = restore(target, file, user="carol")
    assert read_tables(target) == read_tables(engine)
    assert own_rows(target) == own_rows(engine)
    before, after = audit.entries(engine), audit.entries(target)
    assert [_entry(e) for e in after[:-1]] == [_entry(e) for e in before]
    last = after[-1]
    assert (last.user, last.command) == ("carol", "db restore")
    assert last.input_sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    assert last.details["tables"]["project_flows"] == 4
    assert dict(restored.tables)["audit_log"] == 2  # counted before the restore's own record

    # ids carry on after the restored ones: a later import is audited as the 4th record
    import_portfolio(target, write_csvs(tmp_path / "again", a_portfolio()), user="dave")
    assert [e.id for e in audit.entries(target)] == [1, 2, 3, 4]
    target.dispose()


def _entry(e: audit.AuditEntry) -> tuple[object, ...]:
    return (e.id, _utc(e.at), e.user, e.command, e.details, e.input_sha256)


def test_restore_refuses_a_database_with_rows(engine: Engine, db_url: str, tmp_path: Path) -> None:
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "backup.bak"
    backup(engine, file)
    before = read_tables(engine)
    result = CliRunner().invoke(cli, ["--database", db_url, "db", "restore", str(file)])
    assert result.exit_code == 3
    assert (
        "error: the database is not empty (audit_log, funds, gilt_yields, investors, projects"
        in (result.stderr)
    )
    assert read_tables(engine) == before
    assert len(audit.entries(engine)) == 2


def test_restore_refuses_when_only_the_audit_log_has_rows(
    engine: Engine, fresh_url: str, tmp_path: Path
) -> None:
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "backup.bak"
    backup(engine, file)
    target = make_engine(fresh_url)
    with target.begin() as conn:
        audit.record(conn, user="x", command="runs reopen", details={})
    with pytest.raises(ConflictError, match=r"not empty \(audit_log hold rows\)"):
        restore(target, file, user="carol")
    target.dispose()


def test_backup_never_overwrites(engine: Engine, db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "exists.bak"
    file.write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["--database", db_url, "db", "backup", str(file)])
    assert result.exit_code == 2
    assert f"error: {file}: already exists; a backup never overwrites a file" in result.stderr
    assert file.read_bytes() == b"precious"


def test_restore_refuses_what_is_not_a_backup(engine: Engine, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(UsageError, match="not a passu backup"):
        restore(engine, text, user="x")
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(UsageError, match="a zip, but not a passu backup"):
        restore(engine, other_zip, user="x")
    with pytest.raises(UsageError, match="no such file"):
        restore(engine, tmp_path / "missing.zip", user="x")


@pytest.mark.postgres
def test_zip_from_another_schema_revision_is_refused(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "b.zip"
    backup(engine, file)
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(altered, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_revision"] = "9999"
                data = json.dumps(manifest).encode()
            target.writestr(member, data)
    # the revision is checked before anything else, so the same database serves
    with pytest.raises(UsageError, match="a backup of schema revision 9999"):
        restore(engine, altered, user="x")
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_backup_is_a_readable_zip_and_restores_on_sqlite(
    pg_url: str, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "team.zip"
    backup(engine, file)
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        flows = archive.read("portfolio/project_flows.csv").decode()
    assert {"manifest.json", "portfolio/funds.csv", "passu/audit_log.json"} <= names
    # the interchange export, as `passu export` writes it
    assert flows.splitlines()[0] == "project_id,holder_id,tranche,date,kind,amount"
    assert "P1,F1,A,2014-04-15,drawdown,60000.00" in flows

    sqlite = make_engine(f"sqlite:///{tmp_path / 'moved.db'}")
    upgrade(sqlite)
    restore(sqlite, file, user="carol")
    assert read_tables(sqlite) == read_tables(engine)
    assert own_rows(sqlite) == own_rows(engine)
    engine.dispose()
    sqlite.dispose()


WRITER = """
import sys
from pathlib import Path
from passu.portfolio.store.database import make_engine
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.tables import SPECS
engine = make_engine(sys.argv[1])
for _ in range(int(sys.argv[3])):
    import_portfolio(engine, Path(sys.argv[2]), append=True, user="writer")
"""


def test_sqlite_backup_is_one_snapshot_while_another_process_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    upgrade(engine)
    import_portfolio(engine, write_csvs(tmp_path / "base", a_portfolio()), user="alice")
    batch = 2_000
    flows = [
        {
            "project_id": "P1",
            "holder_id": "F1",
            "tranche": "A",
            "date": "2016-01-01",
            "kind": "interest",
            "amount": f"{i + 1}.01",
        }
        for i in range(batch)
    ]
    folder = write_csvs(tmp_path / "append", {"project_flows": flows})
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url, str(folder), "40"])
    snapshots = []
    try:
        while len(snapshots) < 4 and writer.poll() is None:
            time.sleep(0.3)
            file = tmp_path / f"snap{len(snapshots)}.db"
            backup(engine, file)
            snapshots.append(file)
    finally:
        writer.kill()
        writer.wait()
    assert len(snapshots) >= 2, "the writer finished before the backups ran"
    for file in snapshots:
        copy = sqlite3_rows(file)
        # each append adds 2,000 flows and one audit record in one transaction: a snapshot
        # holds whole appends only, and the same number of each
        appended, extra = divmod(copy["project_flows"] - 4, batch)
        assert extra == 0
        assert copy["audit_log"] == 1 + appended
        assert copy["integrity"] == "ok"
    engine.dispose()


def sqlite3_rows(file: Path) -> dict[str, object]:
    import sqlite3

    with sqlite3.connect(file) as conn:
        return {
            "project_flows": conn.execute("SELECT count(*) FROM project_flows").fetchone()[0],
            "audit_log": conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }


# --- every table, and checksums (issue 17, items 1 and 3) ----------------------------

INDIGO_EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"


def cli_ok(url: str, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    assert result.exit_code == 0, result.stderr


def every_table_filled(url: str, tmp_path: Path) -> None:
    """The portfolio, an approved run with a reopened one in its history, the INDIGO
    excerpt and a loaded gilt quarter: a row in every table passu has."""
    cli_ok(url, "import", str(write_csvs(tmp_path / "in", a_blended_portfolio())))
    cli_ok(url, "value", "--as-of", "2015-12-31", "--save")
    cli_ok(url, "runs", "approve", "2015-12-31")
    cli_ok(url, "runs", "reopen", "2015-12-31", "--reason", "a mark corrected")
    cli_ok(url, "runs", "approve", "2015-12-31")
    cli_ok(url, "market", "import", str(INDIGO_EXCERPT))
    gilts = tmp_path / "gilts.csv"
    gilts.write_text("quarter_end,tenor_years,yield_pct\n2026-12-31,10,4.5\n")
    cli_ok(url, "benchmark", "load", str(gilts))


def every_row(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every table passu has, every column, in key order."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(_utc(v) for v in row) for row in rows]
    return out


def test_every_table_is_backed_up_and_restored(db_url: str, fresh_url: str, tmp_path: Path) -> None:
    every_table_filled(db_url, tmp_path)
    source = make_engine(db_url)
    before = every_row(source)
    empty = [name for name, rows in before.items() if not rows]
    assert empty == [], "the test should fill every table"
    file = tmp_path / "backup.bak"
    backup(source, file)
    target = make_engine(fresh_url)
    report = restore(target, file, user="carol")  # PostgreSQL failed here: market tables
    assert report.notices == ()
    after = every_row(target)
    restore_record = after["audit_log"].pop()
    assert restore_record[3] == "db restore"
    assert after == before
    source.dispose()
    target.dispose()


@pytest.mark.postgres
def test_a_postgresql_backup_of_every_table_restores_on_sqlite(pg_url: str, tmp_path: Path) -> None:
    every_table_filled(pg_url, tmp_path)
    source = make_engine(pg_url)
    file = tmp_path / "team.zip"
    backup(source, file)
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "passu/market_projects.json" in archive.namelist()
    assert manifest["version"] == 2
    assert set(manifest["tables"]) == {t.name for t in Base.metadata.sorted_tables}
    sqlite = make_engine(f"sqlite:///{tmp_path / 'moved.db'}")
    upgrade(sqlite)
    restore(sqlite, file, user="carol")
    assert read_tables(sqlite) == read_tables(source)
    moved = every_row(sqlite)
    moved["audit_log"].pop()
    assert moved == every_row(source)
    source.dispose()
    sqlite.dispose()


def _rewrite_zip(source: Path, target: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for member in old.namelist():
            new.writestr(member, change.get(member, old.read(member)))


def _is_empty(url: str) -> bool:
    engine = make_engine(url)
    try:
        return all(rows == [] for rows in every_row(engine).values())
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("member", "table"),
    [
        ("portfolio/project_flows.csv", "project_flows"),
        ("passu/valuation_runs.json", "valuation_runs"),
    ],
)
def test_an_edited_zip_is_refused_naming_the_table(
    pg_url: str, tmp_path: Path, member: str, table: str
) -> None:
    engine = make_engine(pg_url)
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "b.zip"
    backup(engine, file)
    engine.dispose()
    with zipfile.ZipFile(file) as archive:
        data = archive.read(member)
    # one amount or one stored figure changed, the manifest left as it was
    edited = data.replace(b"60000.00", b"60001.00", 1).replace(b"61000.00", b"61001.00", 1)
    assert edited != data
    altered = tmp_path / "altered.zip"
    _rewrite_zip(file, altered, {member: edited})
    target = f"sqlite:///{tmp_path / 'target.db'}"
    upgrade(make_engine(target))
    result = CliRunner().invoke(cli, ["--database", target, "db", "restore", str(altered)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {altered}: table {table}: {member} does not match its SHA-256; the backup "
        "was changed or damaged after it was made, nothing restored\n"
    )
    assert _is_empty(target)


@pytest.mark.postgres
def test_a_zip_with_a_row_removed_and_its_checksum_redone_is_refused_on_the_count(
    pg_url: str, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "b.zip"
    backup(engine, file)
    engine.dispose()
    member = "portfolio/project_flows.csv"
    with zipfile.ZipFile(file) as archive:
        lines = archive.read(member).splitlines(keepends=True)
        manifest = json.loads(archive.read("manifest.json"))
    shorter = b"".join(lines[:-1])
    manifest["tables"]["project_flows"]["sha256"] = hashlib.sha256(shorter).hexdigest()
    altered = tmp_path / "altered.zip"
    _rewrite_zip(file, altered, {member: shorter, "manifest.json": json.dumps(manifest).encode()})
    target = f"sqlite:///{tmp_path / 'target.db'}"
    upgrade(make_engine(target))
    with pytest.raises(UsageError, match=r"table project_flows: 3 rows, but 4 backed up"):
        restore(make_engine(target), altered, user="x")
    assert _is_empty(target)


def test_an_edited_sqlite_backup_is_refused_naming_the_table(tmp_path: Path) -> None:
    import sqlite3

    source = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade(source)
    a_database_in_use(source, tmp_path)
    file = tmp_path / "b.db"
    backup(source, file)
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE project_flows SET amount = amount + 1 WHERE rowid = 1")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    upgrade(make_engine(target))
    result = CliRunner().invoke(cli, ["--database", target, "db", "restore", str(file)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {file}: table project_flows: its contents do not match their SHA-256; the "
        "backup was changed or damaged after it was made, nothing restored\n"
    )
    assert _is_empty(target)
    with sqlite3.connect(file) as conn:
        conn.execute("DELETE FROM gilt_yields")
    with pytest.raises(UsageError, match="table gilt_yields: 0 rows, but 1 backed up"):
        restore(make_engine(target), file, user="x")
    source.dispose()


def test_an_sqlite_backup_made_before_checksums_restores_with_a_notice(tmp_path: Path) -> None:
    import sqlite3

    source = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade(source)
    a_database_in_use(source, tmp_path)
    file = tmp_path / "old.db"
    backup(source, file)
    with sqlite3.connect(file) as conn:
        conn.execute("DROP TABLE passu_backup")  # what a backup made before checksums holds
    target = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    upgrade(target)
    report = restore(target, file, user="carol")
    assert report.notices == (
        f"{file}: made before backups carried checksums: restored after checking row "
        "counts only (make a new backup to have every table's contents verified)",
    )
    assert read_tables(target) == read_tables(source)
    assert audit.entries(target)[-1].details["verified"] == "row counts only"
    source.dispose()
    target.dispose()


def _as_version_1(file: Path, target: Path, *, drop: str = "") -> None:
    """A version 1 backup: the manifest counts rows, no checksums (and, as version 1
    did on PostgreSQL, maybe without a table it counts)."""
    with zipfile.ZipFile(file) as source:
        manifest = json.loads(source.read("manifest.json"))
        manifest["version"] = 1
        manifest["tables"] = {n: e["rows"] for n, e in manifest["tables"].items()}
        with zipfile.ZipFile(target, "w") as new:
            new.writestr("manifest.json", json.dumps(manifest))
            for member in source.namelist():
                if member not in ("manifest.json", drop):
                    new.writestr(member, source.read(member))


@pytest.mark.postgres
def test_a_version_1_zip_restores_with_a_notice(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    a_database_in_use(engine, tmp_path)
    file = tmp_path / "b.zip"
    backup(engine, file)
    old = tmp_path / "old.zip"
    _as_version_1(file, old, drop="passu/market_projects.json")  # empty: counted as 0
    target = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    upgrade(target)
    report = restore(target, old, user="carol")
    assert report.notices[0].startswith(f"{old}: made before backups carried checksums")
    assert read_tables(target) == read_tables(engine)
    assert audit.entries(target)[-1].details["verified"] == "row counts only"
    engine.dispose()
    target.dispose()


@pytest.mark.postgres
def test_a_version_1_zip_without_the_market_rows_it_counts_is_refused(
    pg_url: str, tmp_path: Path
) -> None:
    every_table_filled(pg_url, tmp_path)
    engine = make_engine(pg_url)
    file = tmp_path / "b.zip"
    backup(engine, file)
    engine.dispose()
    old = tmp_path / "old.zip"
    _as_version_1(file, old, drop="passu/market_investments.json")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    upgrade(make_engine(target))
    with pytest.raises(UsageError, match="table market_investments: its manifest counts"):
        restore(make_engine(target), old, user="x")
    assert _is_empty(target)


def test_every_table_is_in_the_backup_either_as_interchange_or_as_passus_own() -> None:
    interchange = {spec.table.name for spec in SPECS}
    own = {t.name for t in OWN_TABLES}
    assert interchange.isdisjoint(own)
    assert interchange | own == {t.name for t in Base.metadata.sorted_tables}
    assert {"market_projects", "market_imports", "gilt_yields", "audit_log"} <= own
