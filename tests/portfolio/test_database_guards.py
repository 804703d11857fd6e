"""Issue 17, item 7: the database itself enforces what passu promises.

On PostgreSQL, plain SQL as the writer role cannot undo an approval, rewrite an approved
run, delete run history, change rows in a locked period or forge an audit entry; the
audit log is a hash chain on both databases, and ``passu audit --verify`` names the
first broken link.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner, Result
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from passu.cli.main import cli
from passu.portfolio.interchange.backup import backup, restore
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import audit, runs
from passu.portfolio.store.database import _alembic_config, make_engine, upgrade
from passu.portfolio.store.roles import apply_roles, role_sql
from tests.conftest import PG_ADMIN_URL

from .builders import a_portfolio, write_csvs
from .test_roles import add_login, login, team  # noqa: F401  (team is a fixture)

OCT = dt.date(2014, 10, 31)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, *args])


def refused(engine: Engine, sql: str) -> str:
    """The database's one-line refusal of ``sql`` (the test fails if it is accepted)."""
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    except DBAPIError as error:
        return str(error.orig).splitlines()[0]
    raise AssertionError(f"accepted: {sql}")


def approved_portfolio(engine: Engine, tmp_path: Path) -> None:
    """a_portfolio, a run for 2014-10-31 approved, reopened and approved again."""
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="alice")
    runs.save_run(
        engine,
        as_of=OCT,
        scope="ALL",
        fingerprint="f" * 64,
        figures='{"nav": "1.00"}',
        user="alice",
    )
    runs.approve_run(engine, OCT, user="bob")
    runs.reopen_run(engine, OCT, reason="a late mark", user="carol")
    runs.approve_run(engine, OCT, user="bob")


@pytest.fixture
def second_pg(pg_template: str) -> Iterator[str]:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"passu_guard_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.postgres
def test_the_writer_role_cannot_undo_what_passu_keeps(
    pg_url: str,
    team: dict[str, str],  # noqa: F811
    second_pg: str,
    tmp_path: Path,
) -> None:
    owner = make_engine(pg_url)
    apply_roles(owner, reader=team["reader"], writer=team["writer"], user="dba")
    add_login(pg_url, team["manager"], team["writer"])
    writer = login(pg_url, team["manager"])
    approved_portfolio(writer, tmp_path)  # passu's own flows work as the writer

    # approved runs and their history
    assert "is approved" in refused(writer, "UPDATE valuation_runs SET status = 'draft'")
    assert "is approved" in refused(
        writer, "UPDATE valuation_runs SET status = 'draft', approved_at = NULL, approved_by = NULL"
    )
    assert "is approved" in refused(writer, "UPDATE valuation_runs SET figures = '{}'")
    assert "is approved" in refused(writer, "DELETE FROM valuation_runs")
    assert "run history" in refused(writer, "DELETE FROM valuation_run_history")
    assert "run history" in refused(writer, "UPDATE valuation_run_history SET reason = 'x'")
    # rows in the locked period (to 2014-10-31), whichever way they would move
    locked = "is locked by an approved run"
    assert locked in refused(writer, "UPDATE project_flows SET amount = amount + 1")
    assert locked in refused(writer, "DELETE FROM investor_flows WHERE date <= '2014-10-31'")
    assert locked in refused(
        writer,
        "INSERT INTO investor_flows (fund_id, investor_id, date, kind, amount) "
        "VALUES ('F1', 'DEPT', '2014-05-01', 'call', 1)",
    )
    assert locked in refused(writer, "UPDATE outcomes SET achieved = achieved + 1")
    assert locked in refused(
        writer, "UPDATE marks SET date = '2014-01-01' WHERE date > '2014-10-31'"
    )
    # the audit log: no edits, and no entry with a time, login or hash of the writer's choosing
    assert "permission denied" in refused(writer, "UPDATE audit_log SET \"user\" = 'x'")
    assert "permission denied" in refused(writer, "DELETE FROM audit_log")
    assert "set by the database" in refused(
        writer,
        'INSERT INTO audit_log (at, "user", command, details, sha256) VALUES '
        "('2001-01-01', 'ceo', 'runs approve', '{}', repeat('0', 64))",
    )
    with writer.begin() as conn:  # accepted, but stamped with the truth
        conn.exec_driver_sql(
            'INSERT INTO audit_log (id, at, "user", command, details, login) VALUES '
            "(1, '2001-01-01', 'ceo', 'runs approve', '{}', 'postgres')"
        )
    forged = audit.entries(owner)[-1]
    assert forged.user == "ceo"  # the name typed, shown beside the login that typed it
    assert forged.login == team["manager"]
    assert forged.at.date() != dt.date(2001, 1, 1)
    assert forged.id > 1
    assert run(pg_url, "audit", "--verify").exit_code == 0
    # every entry passu wrote as the writer names the writer's database login
    assert {e.login for e in audit.entries(owner)[1:]} == {team["manager"]}

    # after an audited reopen the period is open again, through passu
    runs.reopen_run(writer, OCT, reason="restated", user="carol")
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE project_flows SET amount = amount + 1")

    # a restore into a new database works as the writer, and its chain holds
    file = tmp_path / "team.zip"
    backup(writer, file)
    target_owner = make_engine(second_pg)
    with target_owner.begin() as conn:  # `passu db roles | psql`: grants, and no entry yet
        for statement in role_sql(target_owner, reader=team["reader"], writer=team["writer"]):
            conn.exec_driver_sql(statement)
    target = login(second_pg, team["manager"])
    restore(target, file, user="carol")
    verified = run(second_pg, "audit", "--verify")
    assert verified.exit_code == 0, verified.stderr
    # a restored entry cannot be slipped in afterwards
    assert "set by the database" in refused(
        target,
        'INSERT INTO audit_log (at, "user", command, details, sha256) VALUES '
        "(now(), 'x', 'x', '{}', repeat('0', 64))",
    )
    for engine in (writer, target, owner, target_owner):
        engine.dispose()


def tamper(engine: Engine, sql: str) -> None:
    """Change the audit log as the database owner could (PostgreSQL: triggers switched
    off with session_replication_role, which only a superuser may set)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(sql)


def test_audit_verify_names_the_first_broken_link(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    approved_portfolio(engine, tmp_path)
    intact = run(db_url, "audit", "--verify")
    assert intact.exit_code == 0, intact.stderr
    assert intact.stdout.startswith("audit chain intact: 5 entries, last hash ")
    ids = [e.id for e in audit.entries(engine)]

    tamper(engine, f"UPDATE audit_log SET \"user\" = 'mallory' WHERE id = {ids[2]}")
    broken = run(db_url, "audit", "--verify")
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"audit chain broken at entry {ids[2]}: ")
    assert "the 2 entries before it are intact" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_removing_an_entry_breaks_the_chain_at_the_next(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    approved_portfolio(engine, tmp_path)
    ids = [e.id for e in audit.entries(engine)]
    tamper(engine, f"DELETE FROM audit_log WHERE id = {ids[1]}")
    broken = run(db_url, "audit", "--verify")
    assert broken.exit_code == 1
    assert f"broken at entry {ids[2]}" in broken.stderr


def test_an_upgrade_chains_the_entries_already_there(engine: Engine, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="alice")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0002")
    with engine.begin() as conn:  # entries written by an older passu
        old = sa.table(
            "audit_log",
            sa.column("at", sa.DateTime(timezone=True)),
            sa.column("user", sa.String()),
            sa.column("command", sa.Text()),
            sa.column("details", sa.Text()),
        )
        for who in ("bob", "carol\u00e9 \U0001f600"):
            at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
            conn.execute(sa.insert(old).values(at=at, user=who, command="import", details="{}"))
    upgrade(engine)
    assert audit.verify(engine).entries == 3
    assert audit.verify(engine).intact
    runs.save_run(engine, as_of=OCT, scope="ALL", fingerprint="f" * 64, figures="{}", user="alice")
    result = audit.verify(engine)
    assert (result.entries, result.intact) == (4, True)
