"""``passu db backup`` and ``passu db restore``: a whole database, consistently, in one file.

Every table passu owns is in the backup: the portfolio, valuation runs and their
history, the audit log, loaded gilt yields and the INDIGO market tables
(``OWN_TABLES`` is every stored table the interchange format does not hold, so a
new table cannot be left out).

SQLite: the backup is an SQLite file made with the online backup API
(``sqlite3.Connection.backup``), which copies a consistent snapshot even while
another process writes; a ``passu_backup`` table inside it holds each table's
row count and SHA-256. PostgreSQL: a zip holding the interchange export
(``portfolio/<table>.csv``, what ``passu export`` writes, so a person can read
it or ``passu import`` it) and every other table (``passu/<table>.json``), all
read in one REPEATABLE READ transaction, with a ``manifest.json`` naming the
schema revision and each table's row count and SHA-256 (of its file's bytes).

Restore verifies every count and checksum before it writes anything (an edited
or damaged backup is refused, naming the table), works only into an empty
database (exit 3 naming the tables with rows), inside one writer transaction,
keeps every audit row as it was and adds one recording the restore. A zip
restores on either backend; an SQLite file on SQLite. Backups made before
checksums (zip version 1, SQLite files without ``passu_backup``) still restore,
checked by row count only, with a notice saying so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, exists, insert, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from passu.portfolio.errors import ConflictError, InputError, UsageError
from passu.portfolio.interchange.canonical import read_canonical, to_records
from passu.portfolio.interchange.exporter import csv_bytes, table_rows
from passu.portfolio.interchange.parse import canonical_frame
from passu.portfolio.interchange.reader import parse_csv_bytes
from passu.portfolio.interchange.tables import SPECS
from passu.portfolio.store import audit
from passu.portfolio.store.database import head_revision, make_engine, require_schema, writing
from passu.portfolio.store.models import Base

FORMAT = "passu-backup"
VERSION = 2  # 2: every table, each with its row count and SHA-256; 1: row counts only
_INTERCHANGE = {spec.table.name for spec in SPECS}
# Everything the interchange format does not hold, parents before children.
OWN_TABLES: tuple[Table, ...] = tuple(
    t for t in Base.metadata.sorted_tables if t.name not in _INTERCHANGE
)
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_MANIFEST = "passu_backup"  # inside an SQLite backup: (table_name, rows, sha256)
UNVERIFIED = (
    "{path}: made before backups carried checksums: restored after checking row "
    "counts only (make a new backup to have every table's contents verified)"
)


@dataclass(frozen=True)
class BackupReport:
    path: str
    backend: str
    tables: tuple[tuple[str, int], ...]  # (table, rows)
    notices: tuple[str, ...] = ()  # e.g. that an old backup could not be verified


def _all_tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _row_counts(conn: Connection) -> tuple[tuple[str, int], ...]:
    counts = []
    for table in _all_tables():
        counts.append(
            (table.name, conn.execute(select(text("count(*)")).select_from(table)).scalar_one())
        )
    return tuple(counts)


def _altered(path: Path, table: str, what: str) -> UsageError:
    return UsageError(
        f"{path}: table {table}: {what}; the backup was changed or damaged after it was "
        "made, nothing restored"
    )


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


def _sqlite_digest(
    execute: Callable[[str], Iterable[Any]], schema: str, table: Table
) -> tuple[int, str]:
    """Row count and SHA-256 of one table of an SQLite file, as stored (raw values).

    Rows in primary-key order, one JSON array per line: the same file gives the same
    digest whichever connection reads it, and any edited cell changes it.
    """
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    digest = hashlib.sha256()
    rows = 0
    for row in execute(f'SELECT {names} FROM {schema}."{table.name}" ORDER BY {order}'):
        line = json.dumps(list(row), ensure_ascii=False, default=_raw_json)
        digest.update(line.encode("utf-8") + b"\n")
        rows += 1
    return rows, digest.hexdigest()


def _raw_json(value: Any) -> Any:
    if isinstance(value, bytes):  # passu stores no blobs; a hand-edited cell might be one
        return {"blob": value.hex()}
    raise TypeError(f"cannot checksum a {type(value).__name__}")


def _backup_sqlite(engine: Engine, target: Path) -> tuple[tuple[str, int], ...]:
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            # pages=-1 (the default): one step, so the copy is one snapshot of the source
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            # a self-contained file: no -wal/-shm beside it when it is opened later
            destination.execute("PRAGMA journal_mode = DELETE")
            sums = [
                (t.name, *_sqlite_digest(destination.execute, "main", t)) for t in _all_tables()
            ]
            destination.execute(
                f'CREATE TABLE "{SQLITE_MANIFEST}" '
                "(table_name TEXT PRIMARY KEY, rows INTEGER NOT NULL, sha256 TEXT NOT NULL)"
            )
            destination.executemany(f'INSERT INTO "{SQLITE_MANIFEST}" VALUES (?, ?, ?)', sums)
            destination.commit()
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
    files: dict[str, tuple[str, bytes, int]] = {}  # table → (member, bytes, rows)
    with snapshot as conn, conn.begin():
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        for spec in SPECS:
            frame = read_canonical(conn, spec)
            if frame.empty and not spec.required:
                continue
            header, rows = table_rows(spec, frame)
            files[spec.name] = (f"portfolio/{spec.name}.csv", csv_bytes(header, rows), len(rows))
        for table in OWN_TABLES:
            order = list(table.primary_key.columns)
            stored = conn.execute(select(table).order_by(*order)).mappings().all()
            records = [{k: _json_value(v) for k, v in row.items()} for row in stored]
            data = json.dumps(records, indent=1, sort_keys=True).encode("utf-8")
            files[table.name] = (f"passu/{table.name}.json", data, len(records))
        counts = _row_counts(conn)
    listed: dict[str, dict[str, Any]] = {}
    for name, count in counts:
        entry: dict[str, Any] = {"rows": count}
        if name in files:
            member, data, _ = files[name]
            entry.update(file=member, sha256=hashlib.sha256(data).hexdigest())
        listed[name] = entry
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": audit.now().isoformat(),
        "backend": engine.dialect.name,
        "tables": listed,
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        for member, data, _ in files.values():
            archive.writestr(member, data)
    return counts


# --- restore ----------------------------------------------------------------------


def restore(engine: Engine, path: Path, *, user: str) -> BackupReport:
    """Verify a backup, then restore it into this empty database in one transaction."""
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
    conn: Connection,
    path: Path,
    digest: str,
    user: str,
    tables: tuple[tuple[str, int], ...],
    verified: bool,
) -> None:
    audit.record(
        conn,
        user=user,
        command="db restore",
        details={
            "source": str(path.resolve()),
            "tables": dict(tables),
            "verified": "row counts and SHA-256" if verified else "row counts only",
        },
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
            verified = _verify_sqlite(conn, path)
            _refuse_unless_empty(conn)
            for table in _all_tables():
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                conn.exec_driver_sql(
                    f'INSERT INTO main."{table.name}" ({names}) '
                    f'SELECT {names} FROM backup."{table.name}"'
                )
            tables = _row_counts(conn)
            _audit_restore(conn, path, digest, user, tables, verified)
    finally:
        attached.dispose()
    notices = () if verified else (UNVERIFIED.format(path=path),)
    return BackupReport(str(path), "sqlite", tables, notices)


def _verify_sqlite(conn: Connection, path: Path) -> bool:
    """Every table's count and digest against ``passu_backup``; False for an old backup."""
    held = conn.exec_driver_sql(
        "SELECT 1 FROM backup.sqlite_master WHERE type = 'table' AND name = ?",
        (SQLITE_MANIFEST,),
    ).scalar()
    if not held:
        return False
    listed = {
        name: (rows, sha)
        for name, rows, sha in conn.exec_driver_sql(
            f'SELECT table_name, rows, sha256 FROM backup."{SQLITE_MANIFEST}"'
        )
    }
    for table in _all_tables():
        if table.name not in listed:
            raise _altered(path, table.name, "not in the backup's checksums")
        rows, sha = _sqlite_digest(conn.exec_driver_sql, "backup", table)
        if rows != listed[table.name][0]:
            raise _altered(path, table.name, f"{rows} rows, but {listed[table.name][0]} backed up")
        if sha != listed[table.name][1]:
            raise _altered(path, table.name, "its contents do not match their SHA-256")
    return True


def _python(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise TypeError(f"expected a number, found {value!r}"[:120])
        return Decimal(value)
    if kind in (str, int, bool) and (type(value) is not kind):
        raise TypeError(f"expected {kind.__name__}, found {value!r}"[:120])
    return value


def _read_member(archive: zipfile.ZipFile, path: Path, table: str, member: str) -> bytes:
    try:
        return archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError) as error:  # missing, or a bad CRC
        raise _altered(path, table, f"{member} cannot be read ({error})") from None


def _verified_files(
    archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]
) -> dict[str, tuple[str, bytes, int]]:
    """Each table's (member, bytes, rows the manifest says): checksums checked, version 2."""
    listed = manifest.get("tables")
    if not isinstance(listed, dict):
        raise UsageError(f"{path}: manifest.json lists no tables")
    members = set(archive.namelist()) - {"manifest.json"}
    named = {e.get("file") for e in listed.values() if isinstance(e, dict)}
    strays = sorted(members - named)
    if strays:
        raise UsageError(
            f"{path}: holds {strays[0]}, which its manifest does not list; nothing restored"
        )
    files: dict[str, tuple[str, bytes, int]] = {}
    for table in _all_tables():
        entry = listed.get(table.name)
        if not isinstance(entry, dict) or not isinstance(entry.get("rows"), int):
            raise _altered(path, table.name, "not in the manifest")
        member = entry.get("file")
        if member is None:
            if entry["rows"] != 0:
                raise _altered(path, table.name, f"{entry['rows']} rows listed but no file")
            continue
        data = _read_member(archive, path, table.name, str(member))
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise _altered(path, table.name, f"{member} does not match its SHA-256")
        files[table.name] = (str(member), data, entry["rows"])
    return files


def _unverified_files(
    archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]
) -> dict[str, tuple[str, bytes, int]]:
    """A version 1 backup's files: no checksums; counts are checked as the rows are read."""
    counts = manifest.get("tables", {})
    members = set(archive.namelist())
    files: dict[str, tuple[str, bytes, int]] = {}
    for table in _all_tables():
        folder, suffix = ("portfolio", "csv") if table.name in _INTERCHANGE else ("passu", "json")
        member = f"{folder}/{table.name}.{suffix}"
        expected = counts.get(table.name)
        if member in members:
            data = _read_member(archive, path, table.name, member)
            files[table.name] = (member, data, expected if isinstance(expected, int) else -1)
        elif isinstance(expected, int) and expected > 0:
            # version 1 left the market tables out of PostgreSQL backups but counted them
            raise UsageError(
                f"{path}: table {table.name}: its manifest counts {expected} rows but the "
                "backup holds none (a version 1 backup, made before every table was "
                "included); nothing restored"
            )
    return files


def _rows_of(path: Path, table: Table, member: str, data: bytes) -> list[dict[str, Any]]:
    if table.name in _INTERCHANGE:
        spec = next(s for s in SPECS if s.table.name == table.name)
        raw = parse_csv_bytes(spec.name, f"{path.name}[{member}]", data)
        frame, problems = canonical_frame(raw, spec)
        if problems:
            raise InputError(problems)
        return to_records(spec, frame)
    try:
        stored = json.loads(data)
    except ValueError:
        raise _altered(path, table.name, f"{member} is not JSON") from None
    if not isinstance(stored, list):
        raise _altered(path, table.name, f"{member} holds no list of rows")
    kinds = {c.name: c.type.python_type for c in table.columns}
    rows = []
    for number, row in enumerate(stored, start=1):
        if not isinstance(row, dict):
            raise _altered(path, table.name, f"{member} row {number} is not an object")
        unknown = sorted(set(row) - set(kinds))
        if unknown:
            raise _altered(path, table.name, f"{member} row {number} has no column {unknown[0]}")
        try:
            rows.append({k: _python(v, kinds[k]) for k, v in row.items()})
        except (ValueError, TypeError, ArithmeticError) as error:
            raise _altered(
                path, table.name, f"{member} row {number} holds an impossible value ({error})"
            ) from None
    return rows


def _restore_zip(engine: Engine, path: Path, digest: str, user: str) -> BackupReport:
    try:
        manifest, files = _read_zip(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        # a flipped bit or a cut-off file: the zip's own structure no longer holds
        raise UsageError(f"{path}: a damaged zip ({error}); nothing restored") from None
    verified = manifest.get("version", 1) >= 2
    records: dict[str, list[dict[str, Any]]] = {}
    for table in _all_tables():
        if table.name in files:
            member, data, rows = files[table.name]
            records[table.name] = _rows_of(path, table, member, data)
            if rows >= 0 and len(records[table.name]) != rows:
                raise _altered(
                    path, table.name, f"{len(records[table.name])} rows, but {rows} backed up"
                )
    with writing(engine) as conn:
        _refuse_unless_empty(conn)
        for table in _all_tables():  # parents before children
            if records.get(table.name):
                try:
                    conn.execute(insert(table), records[table.name])
                except StatementError as error:
                    if isinstance(error, DBAPIError):
                        raise  # the database's own refusal: one line from the CLI
                    raise _altered(
                        path, table.name, f"a value passu cannot store ({error.orig})"
                    ) from None
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
        tables = _row_counts(conn)
        expected = manifest.get("tables", {})
        short = [n for n, count in tables if _listed_rows(expected.get(n), count) != count]
        if short:
            raise UsageError(f"{path}: restored row counts differ from the manifest for {short}")
        _audit_restore(conn, path, digest, user, tables, verified)
    notices = () if verified else (UNVERIFIED.format(path=path),)
    return BackupReport(str(path), engine.dialect.name, tables, notices)


def _read_zip(path: Path) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, int]]]:
    """The manifest and each table's file, checked against it."""
    with zipfile.ZipFile(path) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError):
            manifest = {}
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise UsageError(f"{path}: a zip, but not a passu backup (no passu manifest.json)")
        _check_revision(path, manifest.get("schema_revision"))
        version = manifest.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool):
            raise UsageError(f"{path}: manifest.json: expected a whole version, found {version!r}")
        if not isinstance(manifest.get("tables", {}), dict):
            raise UsageError(f"{path}: manifest.json lists no tables")
        if version >= 2:
            return manifest, _verified_files(archive, path, manifest)
        return manifest, _unverified_files(archive, path, manifest)


def _listed_rows(entry: Any, otherwise: int) -> int:
    """The manifest's count for a table (version 2: a dict; version 1: a number)."""
    if isinstance(entry, dict):
        return int(entry["rows"])
    return entry if isinstance(entry, int) else otherwise


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
