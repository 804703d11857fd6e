"""``passu db roles``: a reader that can only read, a writer that cannot rewrite the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.exc import ProgrammingError

from passu.cli.main import cli
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import audit
from passu.portfolio.store.database import make_engine
from passu.portfolio.store.roles import apply_roles
from tests.conftest import PG_ADMIN_URL

from .builders import a_portfolio, write_csvs


def test_roles_on_sqlite_is_a_usage_error(sqlite_url: str) -> None:
    assert CliRunner().invoke(cli, ["--database", sqlite_url, "init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--database", sqlite_url, "db", "roles"])
    assert result.exit_code == 2
    assert "error: roles are a PostgreSQL feature: SQLite has no users" in result.stderr


@pytest.fixture
def team(pg_url: str) -> Iterator[dict[str, str]]:
    """Unique role names (roles are server-wide; tests run in parallel), dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    names = {
        "reader": f"passu_reader_{tag}",
        "writer": f"passu_writer_{tag}",
        "committee": f"committee_{tag}",
        "manager": f"manager_{tag}",
    }
    yield names
    database = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with database.connect() as conn:
        for role in names.values():
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if exists:
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
    database.dispose()
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in names.values():
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    admin.dispose()


def login(pg_url: str, user: str) -> Engine:
    """The same database, connected as ``user`` (the test server trusts local logins)."""
    url = sa.engine.make_url(pg_url).set(username=user, password=None)
    return make_engine(url.render_as_string(hide_password=False))


def add_login(pg_url: str, user: str, role: str) -> None:
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{user}" LOGIN IN ROLE "{role}"')
    admin.dispose()


def denied(engine: Engine, sql: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    except ProgrammingError as error:
        assert "permission denied" in str(error.orig)
        return True
    return False


@pytest.mark.postgres
def test_sql_is_printed_with_the_names_given(pg_url: str, team: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["--database", pg_url, "db", "roles", "--reader", team["reader"]]
    )
    assert result.exit_code == 0, result.stderr
    assert f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{team["reader"]}";' in result.stdout
    assert 'GRANT SELECT, INSERT ON "audit_log" TO "passu_writer";' in result.stdout
    # printing changes nothing: the role does not exist yet
    admin = make_engine(pg_url)
    with admin.connect() as conn:
        found = conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": team["reader"]}
        ).first()
    admin.dispose()
    assert found is None


@pytest.mark.postgres
def test_bad_role_names_are_refused(pg_url: str) -> None:
    for args in (["--reader", "Robert'); DROP TABLE funds;--"], ["--writer", "passu_reader"]):
        result = CliRunner().invoke(cli, ["--database", pg_url, "db", "roles", *args])
        assert result.exit_code == 2, result.stdout
        assert "error: " in result.stderr


@pytest.mark.postgres
def test_reader_can_select_but_not_change(
    pg_url: str, team: dict[str, str], tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="alice")
    result = CliRunner().invoke(
        cli,
        [
            "--database", pg_url, "--user", "dba", "db", "roles", "--apply",
            "--reader", team["reader"], "--writer", team["writer"],
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert audit.entries(engine)[-1].command == "db roles --apply"
    add_login(pg_url, team["committee"], team["reader"])

    reader = login(pg_url, team["committee"])
    with reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM project_flows").scalar() == 4
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == 2
    assert denied(reader, "INSERT INTO funds VALUES ('F9', 'x', 'GBP', 2020, 'm', NULL)")
    assert denied(reader, "UPDATE project_flows SET amount = 1")
    assert denied(reader, "DELETE FROM marks")
    assert denied(reader, "UPDATE audit_log SET \"user\" = 'nobody'")
    # and through passu: an import as the reader is refused by the database
    with pytest.raises(ProgrammingError, match="permission denied"):
        import_portfolio(reader, write_csvs(tmp_path / "q", a_portfolio()), user="committee")
    # and from the command line: one line, exit 2, no traceback
    reader_url = reader.url.render_as_string(hide_password=False)
    refused = CliRunner().invoke(cli, ["--database", reader_url, "import", str(tmp_path / "q")])
    assert refused.exit_code == 2
    assert "error: the database refused: permission denied" in refused.stderr
    assert "Traceback" not in refused.stderr
    reader.dispose()
    engine.dispose()


@pytest.mark.postgres
def test_writer_can_import_but_not_rewrite_the_audit_log(
    pg_url: str, team: dict[str, str], tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    apply_roles(engine, reader=team["reader"], writer=team["writer"], user="dba")
    apply_roles(engine, reader=team["reader"], writer=team["writer"], user="dba")  # idempotent
    add_login(pg_url, team["manager"], team["writer"])

    writer = login(pg_url, team["manager"])
    tables = a_portfolio()
    import_portfolio(writer, write_csvs(tmp_path / "p", tables), user="manager")
    tables["projects"][0]["name"] = "Renamed"
    report = import_portfolio(writer, write_csvs(tmp_path / "q", tables), user="manager")
    assert [t.changed for t in report.tables if t.table == "projects"] == [1]  # UPDATE works
    assert [e.command for e in audit.entries(writer)] == [
        "db roles --apply",
        "db roles --apply",
        "import",
        "import",
    ]
    assert denied(writer, "UPDATE audit_log SET \"user\" = 'nobody'")
    assert denied(writer, "DELETE FROM audit_log")
    assert denied(writer, "TRUNCATE audit_log")
    assert denied(writer, "UPDATE alembic_version SET version_num = 'x'")
    assert len(audit.entries(engine)) == 4
    writer.dispose()
    engine.dispose()
