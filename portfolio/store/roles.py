"""``passu db roles``: PostgreSQL roles for a team (DESIGN.md §5: audit rows only grow).

- reader (default ``passu_reader``), for committee members and shareholders:
  CONNECT, USAGE on the schema, SELECT on every table, and by default on tables
  later migrations add.
- writer (default ``passu_writer``), for fund managers: SELECT, INSERT, UPDATE,
  DELETE on the data tables, only SELECT and INSERT on ``audit_log``, SELECT on
  ``alembic_version`` (a writer cannot change the schema), and the sequences
  (UPDATE too: a restore moves them past the ids it restored).

What no role but a superuser can do whatever its grants (undo an approval, touch run
history, move a locked period's rows, edit or back-date an audit entry) is refused by
triggers, not grants: migration 0003 and docs/team.md.

The roles are NOLOGIN groups; people get login users in them. SQLite has no
users, so there this is a usage error.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema, writing
from passu.portfolio.store.models import AuditRecord, Base

READER = "passu_reader"
WRITER = "passu_writer"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
AUDIT = AuditRecord.__tablename__


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _require_postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise UsageError(
            "roles are a PostgreSQL feature: SQLite has no users (protect the database "
            "file with file permissions, or run passu on PostgreSQL for a team)"
        )


def _create(role: str) -> str:
    # CREATE ROLE has no IF NOT EXISTS; running the SQL twice must be harmless.
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {_quote(role)} NOLOGIN; END IF; END $$;"
    )


def role_sql(engine: Engine, *, reader: str = READER, writer: str = WRITER) -> list[str]:
    """The statements creating both roles and their grants, for this database."""
    _require_postgres(engine)
    for role in (reader, writer):
        if not ROLE_NAME.fullmatch(role):
            raise UsageError(
                f"role name {role!r}: expected lower-case letters, digits and _ "
                "(starting with a letter or _)"
            )
    if reader == writer:
        raise UsageError(f"--reader and --writer must differ, found {reader!r} for both")
    require_schema(engine)
    database = _quote(str(engine.url.database))
    r, w = _quote(reader), _quote(writer)
    data = [t.name for t in Base.metadata.sorted_tables if t.name != AUDIT]
    tables = ", ".join(_quote(name) for name in data)
    return [
        "-- read-only: committee members and shareholders",
        _create(reader),
        f"GRANT CONNECT ON DATABASE {database} TO {r};",
        f"GRANT USAGE ON SCHEMA public TO {r};",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r};",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {r};",
        "-- writer: fund managers; the audit log can only grow",
        _create(writer),
        f"GRANT CONNECT ON DATABASE {database} TO {w};",
        f"GRANT USAGE ON SCHEMA public TO {w};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {w};",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(AUDIT)} FROM {w};",
        f"GRANT SELECT, INSERT ON {_quote(AUDIT)} TO {w};",
        f'GRANT SELECT ON "alembic_version" TO {w};',
        # UPDATE: a restore moves each id sequence past the ids it restored (setval)
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {w};",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {w};",
    ]


def apply_roles(
    engine: Engine, *, reader: str = READER, writer: str = WRITER, user: str
) -> list[str]:
    """Execute :func:`role_sql` in one transaction and audit it; returns the statements."""
    statements = [s for s in role_sql(engine, reader=reader, writer=writer) if s[:2] != "--"]
    with writing(engine) as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
        audit.record(
            conn,
            user=user,
            command="db roles --apply",
            details={"reader": reader, "writer": writer},
        )
    return statements
