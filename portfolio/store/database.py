"""Engines, schema migrations and the one-writer-at-a-time lock.

The URL comes from ``--database``, else ``PASSU_DATABASE_URL``, else
``sqlite:///passu.db`` in the current folder. SQLite and PostgreSQL run the same
code and the same Alembic migrations.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from passu.portfolio.errors import ConflictError, UsageError

DEFAULT_URL = "sqlite:///passu.db"
WRITER_LOCK_KEY = 7_305_112  # any fixed bigint: passu's advisory lock on PostgreSQL
DEFAULT_WAIT_SECONDS = 30.0
LONGEST_WAIT_SECONDS = 86_400.0  # a day: beyond it a writer is stuck, not waiting


def writer_wait_seconds() -> float:
    """How long a writer waits for the lock: ``PASSU_LOCK_TIMEOUT`` seconds, default 30.

    Read when a database is opened, so a bad value is one line (exit 2), never a
    traceback at start-up: it must be a number from 0 to a day (not nan, not inf).
    """
    raw = os.environ.get("PASSU_LOCK_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= LONGEST_WAIT_SECONDS:  # false for nan too
        raise UsageError(
            f"PASSU_LOCK_TIMEOUT: expected seconds from 0 to {LONGEST_WAIT_SECONDS:g}, "
            f"found {raw!r}"
        )
    return seconds


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get("PASSU_DATABASE_URL") or DEFAULT_URL


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, a regular dependency."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, *, must_exist: bool = False) -> Engine:
    """An engine for ``url``; with ``must_exist``, a SQLite file that is not there is an
    error (SQLite would make an empty one, and a mistyped path would leave it behind)."""
    resolved = normalise_url(resolve_url(url))
    try:
        parsed = make_url(resolved)
    except Exception:
        raise UsageError(f"database URL {resolved!r}: expected e.g. sqlite:///passu.db") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if must_exist and path and path != ":memory:" and not Path(path).exists():
            raise UsageError(f"no database at {path}: run `passu init` first")
        engine = create_engine(resolved, connect_args={"timeout": writer_wait_seconds()})
        _sqlite_pragmas(engine)
    elif parsed.get_backend_name() == "postgresql":
        writer_wait_seconds()  # a bad PASSU_LOCK_TIMEOUT is refused before any work
        engine = create_engine(resolved, pool_pre_ping=True)
    else:
        raise UsageError(f"database URL {resolved!r}: passu supports sqlite and postgresql")
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so writers can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        writer = conn.get_execution_options().get("passu_writer", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


# --- schema -------------------------------------------------------------------


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    location = resources.files("passu.portfolio.store") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> str:
    """Create or upgrade the schema to the newest migration; returns the revision."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@cache
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    with make_engine("sqlite://").connect() as connection:
        script = ScriptDirectory.from_config(_alembic_config(connection))
    return script.get_current_head() or ""


def require_schema(engine: Engine) -> None:
    try:
        revision = current_revision(engine)
    except OperationalError as error:
        raise UsageError(f"cannot open the database: {error.orig}") from None
    if revision is None:
        raise UsageError("the database has no passu schema yet: run `passu init` first")
    if revision != head_revision():
        raise UsageError(
            f"the database schema is at {revision}, passu needs {head_revision()}: "
            "run `passu init` to upgrade it"
        )


# --- transactions ---------------------------------------------------------------


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction holding passu's single writer lock; waits its turn, then gives up.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock up front (the busy
    timeout is the wait). PostgreSQL: a transaction-scoped advisory lock, so writers
    queue in the server and a crashed writer's lock dies with its connection.
    """
    connection = engine.connect().execution_options(passu_writer=True)
    try:
        try:
            transaction = connection.begin()
        except OperationalError as error:
            if "locked" in str(error.orig).lower():
                raise ConflictError(_busy()) from None
            raise
        try:
            if engine.dialect.name == "postgresql":
                millis = max(1, int(writer_wait_seconds() * 1000))  # 0 would mean never
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {millis}")
                try:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY}
                    )
                except OperationalError as error:
                    if "lock timeout" in str(error.orig).lower():
                        raise ConflictError(_busy()) from None
                    raise
                connection.exec_driver_sql("SET LOCAL lock_timeout = 0")
            yield connection
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
    finally:
        connection.close()


def refusal(error: BaseException) -> str | None:
    """One line for a database's refusal (a read-only role, a lost connection), or None.

    Nothing was written when this happens: every writer runs in one transaction.
    """
    if not isinstance(error, DBAPIError):
        return None
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return f"the database refused: {reason}; nothing was written"


def _busy() -> str:
    return (
        f"another passu writer held the database for over {writer_wait_seconds():g} s; "
        "nothing was written: try again when it has finished"
    )
