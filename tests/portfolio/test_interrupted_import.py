"""An import killed mid-write (SIGKILL: no cleanup at all) leaves the database as it was.

The import is one transaction; a killed process never commits it. SQLite rolls
the unfinished write-ahead log back when the database is next opened;
PostgreSQL aborts the transaction and frees the advisory lock with the
connection. Either way the next reader sees what was there before, and the
next writer can take the lock.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import audit
from passu.portfolio.store.database import make_engine, upgrade

from .builders import a_portfolio, write_csvs

FLOWS = 300_000


def big_portfolio(folder: Path) -> Path:
    """The small portfolio with 300,000 more interest receipts on F1's holding."""
    write_csvs(folder, a_portfolio())
    with (folder / "project_flows.csv").open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i in range(FLOWS):
            day = 1 + i % 28
            writer.writerow(["P1", "F1", "A", f"2016-02-{day:02d}", "interest", f"{i + 1}.37"])
    return folder


def start_import(url: str, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "passu", "--database", url, "--quiet", "import", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PASSU_USER": "interrupted"},
    )


def kill_when(
    process: subprocess.Popen[bytes], writing: Callable[[], bool], settle: float = 0.2
) -> None:
    """SIGKILL the import once it is writing (``settle`` seconds after it is seen to);
    fail if it finished or never got there."""
    deadline = time.monotonic() + 120
    while not writing():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.01)
    time.sleep(settle)  # inside the write: the rows are moved in a second or so
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def assert_as_before(engine: Engine, before: dict[str, object], audit_rows: int) -> None:
    assert read_tables(engine) == before
    entries = audit.entries(engine)
    assert len(entries) == audit_rows
    assert all(e.user != "interrupted" for e in entries)


def test_killed_import_leaves_sqlite_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "passu.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    import_portfolio(engine, write_csvs(tmp_path / "small", a_portfolio()), user="alice")
    before = read_tables(engine)
    engine.dispose()  # no connection of ours is open while the import runs

    wal = Path(f"{path}-wal")
    process = start_import(url, big_portfolio(tmp_path / "big"))
    # the write-ahead log grows past 1 MB only once the import is moving its staged rows
    # into project_flows (staging is in SQLite's temporary file): that one statement
    # takes under a second, so the kill follows at once
    kill_when(process, lambda: wal.exists() and wal.stat().st_size > 1_000_000, settle=0)

    engine = make_engine(url)
    assert_as_before(engine, before, 1)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # the lock died with the process: the next import goes through
    report = import_portfolio(engine, write_csvs(tmp_path / "again", a_portfolio()), user="bob")
    assert report.unchanged
    engine.dispose()


@pytest.mark.postgres
def test_killed_import_leaves_postgresql_as_it_was(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    import_portfolio(engine, write_csvs(tmp_path / "small", a_portfolio()), user="alice")
    before = read_tables(engine)
    watcher = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")

    def inserting_flows() -> bool:
        with watcher.connect() as conn:
            return bool(
                conn.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND state = 'active' AND query LIKE 'INSERT INTO project_flows%'"
                    )
                ).scalar()
            )

    process = start_import(pg_url, big_portfolio(tmp_path / "big"))
    kill_when(process, inserting_flows)

    # the server notices the dead client and rolls back; wait for its backend to go
    deadline = time.monotonic() + 30
    while inserting_flows():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert_as_before(engine, before, 1)
    report = import_portfolio(engine, write_csvs(tmp_path / "again", a_portfolio()), user="bob")
    assert report.unchanged
    watcher.dispose()
    engine.dispose()
