"""``passu db backup`` and ``passu db restore``: a whole database, consistently, in one file.

SQLite: the backup is an SQLite file made with the online backup API
(``sqlite3.Connection.backup``), which copies a consistent snapshot even while
another process writes. PostgreSQL: a zip holding the interchange export
(``portfolio/<table>.csv``, what ``passu export`` writes, so a person can read
it or ``passu import`` it) and passu's own tables (``passu/<table>.json``: runs,
run history, audit log, loaded gilt yields), all read in one REPEATABLE READ
transaction, with a ``manifest.json`` naming the schema revision.

Restore works only into an empty database (exit 3 naming the tables with rows),
inside one writer transaction, keeps every audit row as it was and adds one
recording the restore. A zip restores on either backend; an SQLite file on SQLite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, exists, insert, select, text

from passu.portfolio.errors import ConflictError, InputError, UsageError
from passu.portfolio.interchange.canonical import read_canonical, to_records
from passu.portfolio.interchange.exporter import csv_bytes, table_rows
from passu.portfolio.interchange.parse import canonical_frame
from passu.portfolio.interchange.reader import parse_csv_bytes
from passu.portfolio.interchange.tables import SPECS
from passu.portfolio.store import audit
from passu.portfolio.store.database import head_revision, make_engine, require_schema, writing
from passu.portfolio.store.models import (
    AuditRecord,
    Base,
    GiltYield,
    ValuationRun,
    ValuationRunHistory,
)

FORMAT = "passu-backup"
VERSION = 1
OWN_TABLES: tuple[Table, ...] = tuple(
    m.__table__  # type: ignore[misc]
    for m in (ValuationRun, ValuationRunHistory, AuditRecord, GiltYield)
)
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupReport:
    path: str
    backend: str
    tables: tuple[tuple[str, int], ...]  # (table, rows)


def _all_tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _row_counts(conn: Connection) -> tuple[tuple[str, int], ...]:
    counts = []
    for table in _all_tables():
        counts.append(
            (table.name, conn.execute(select(text("count(*)")).select_from(table)).scalar_one())
        )
    return tuple(counts)


# --- backup ----------------------------------------------------------------------


def backup(engine: Engine, path: Path) -> BackupReport:
    """Write the whole database to ``path`` (never overwriting a file already there)."""
    require_schema(engine)
    if path.exists():
        raise UsageError(f"{path}: already exists; a backup never overwrites a file")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    partial = path.with_name(path.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            tables = _backup_sqlite(engine, partial)
        else:
            tables = _backup_zip(engine, partial)
        os.replace(partial, path)  # a failed backup leaves no half-written FILE
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(str(path), engine.dialect.name, tables)


def _backup_sqlite(engine: Engine, target: Path) -> tuple[tuple[str, int], ...]:
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            # pages=-1 (the default): one step, so the copy is one snapshot of the source
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            # a self-contained file: no -wal/-shm beside it when it is opened later
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        raw.close()
    copy = make_engine(f"sqlite:///{target}")
    try:
        with copy.connect() as conn:
            return _row_counts(conn)
    finally:
        copy.dispose()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _backup_zip(engine: Engine, target: Path) -> tuple[tuple[str, int], ...]:
    snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with snapshot as conn, conn.begin():
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        portfolio = {}
        for spec in SPECS:
            frame = read_canonical(conn, spec)
            if frame.empty and not spec.required:
                continue
            portfolio[spec.name] = table_rows(spec, frame)
        own = {}
        for table in OWN_TABLES:
            order = list(table.primary_key.columns)
            stored = conn.execute(select(table).order_by(*order)).mappings().all()
            own[table.name] = [{k: _json_value(v) for k, v in row.items()} for row in stored]
        counts = _row_counts(conn)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": audit.now().isoformat(),
        "backend": engine.dialect.name,
        "tables": dict(counts),
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        for name, (header, rows) in portfolio.items():
            archive.writestr(f"portfolio/{name}.csv", csv_bytes(header, rows))
        for name, records in own.items():
            archive.writestr(f"passu/{name}.json", json.dumps(records, indent=1, sort_keys=True))
    return counts


# --- restore ----------------------------------------------------------------------


def restore(engine: Engine, path: Path, *, user: str) -> BackupReport:
    """Restore a backup into this empty database, in one transaction, and audit it."""
    require_schema(engine)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(SQLITE_MAGIC):
        if engine.dialect.name != "sqlite":
            raise UsageError(
                f"{path}: an SQLite backup restores into an SQLite database only "
                "(to move to PostgreSQL: `passu export` there, `passu import` here)"
            )
        return _restore_sqlite(engine, path, digest, user)
    if zipfile.is_zipfile(path):
        return _restore_zip(engine, path, digest, user)
    raise UsageError(f"{path}: not a passu backup (expected an SQLite file or a zip)")


def _refuse_unless_empty(conn: Connection) -> None:
    busy = [t.name for t in _all_tables() if conn.execute(select(exists().select_from(t))).scalar()]
    if busy:
        named = ", ".join(busy[:5]) + (f" and {len(busy) - 5} more" if len(busy) > 5 else "")
        raise ConflictError(
            f"the database is not empty ({named} hold rows): restore only into "
            "an empty database, e.g. a new one made with `passu init`"
        )


def _audit_restore(
    conn: Connection, path: Path, digest: str, user: str, tables: tuple[tuple[str, int], ...]
) -> None:
    audit.record(
        conn,
        user=user,
        command="db restore",
        details={"source": str(path.resolve()), "tables": dict(tables)},
        input_sha256=digest,
    )


def _check_revision(path: Path, revision: str | None) -> None:
    if revision != head_revision():
        raise UsageError(
            f"{path}: a backup of schema revision {revision}, but this passu needs "
            f"{head_revision()}: restore it with the passu version that made it"
        )


def _restore_sqlite(engine: Engine, path: Path, digest: str, user: str) -> BackupReport:
    # ATTACH is not allowed inside a transaction, so a dedicated engine attaches the
    # backup as each of its connections opens; the restore is then one transaction.
    attached = make_engine(str(engine.url))

    @event.listens_for(attached, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("ATTACH DATABASE ? AS backup", (str(path),))

    try:
        with writing(attached) as conn:
            try:
                revision = conn.execute(
                    text("SELECT version_num FROM backup.alembic_version")
                ).scalar()
            except Exception:
                raise UsageError(f"{path}: an SQLite file, but not a passu backup") from None
            _check_revision(path, revision)
            _refuse_unless_empty(conn)
            for table in _all_tables():
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                conn.exec_driver_sql(
                    f'INSERT INTO main."{table.name}" ({names}) '
                    f'SELECT {names} FROM backup."{table.name}"'
                )
            tables = _row_counts(conn)
            _audit_restore(conn, path, digest, user, tables)
    finally:
        attached.dispose()
    return BackupReport(str(path), "sqlite", tables)


def _python(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    return value


def _restore_zip(engine: Engine, path: Path, digest: str, user: str) -> BackupReport:
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError):
            manifest = {}
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise UsageError(f"{path}: a zip, but not a passu backup (no passu manifest.json)")
        _check_revision(path, manifest.get("schema_revision"))
        portfolio = {}
        for spec in SPECS:
            member = f"portfolio/{spec.name}.csv"
            if member in members:
                raw = parse_csv_bytes(spec.name, f"{path.name}[{member}]", archive.read(member))
                frame, problems = canonical_frame(raw, spec)
                if problems:
                    raise InputError(problems)
                portfolio[spec.name] = to_records(spec, frame)
        own = {}
        for table in OWN_TABLES:
            member = f"passu/{table.name}.json"
            rows = json.loads(archive.read(member)) if member in members else []
            kinds = {c.name: c.type.python_type for c in table.columns}
            own[table.name] = [{k: _python(v, kinds[k]) for k, v in row.items()} for row in rows]
    with writing(engine) as conn:
        _refuse_unless_empty(conn)
        for spec in SPECS:
            if portfolio.get(spec.name):
                conn.execute(insert(spec.table), portfolio[spec.name])
        for table in OWN_TABLES:
            if own[table.name]:
                conn.execute(insert(table), own[table.name])
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
        tables = _row_counts(conn)
        expected = manifest.get("tables", {})
        short = [n for n, count in tables if n in expected and expected[n] != count]
        if short:
            raise UsageError(f"{path}: restored row counts differ from the manifest for {short}")
        _audit_restore(conn, path, digest, user, tables)
    return BackupReport(str(path), engine.dialect.name, tables)


def _reset_sequences(conn: Connection) -> None:
    """Ids were restored as they were: move each serial past the largest one."""
    for table in _all_tables():
        keys = list(table.primary_key.columns)
        if (
            len(keys) == 1
            and keys[0].autoincrement in (True, "auto")
            and keys[0].type.python_type is int
        ):
            column = keys[0].name
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table.name}"'
                ),
                {"table": table.name, "column": column},
            )
