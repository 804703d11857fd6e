"""The audit trail: who changed what, when, with which input. Rows are only ever added."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from passu.portfolio.store.models import AuditRecord


def current_user(explicit: str | None = None) -> str:
    """``--user``, else ``PASSU_USER``, else the operating-system user."""
    if explicit:
        return explicit
    if os.environ.get("PASSU_USER"):
        return os.environ["PASSU_USER"]
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def record(
    conn: Connection,
    *,
    user: str,
    command: str,
    details: dict[str, Any],
    input_sha256: str | None = None,
) -> None:
    conn.execute(
        insert(AuditRecord),
        {
            "at": now(),
            "user": user,
            "command": command,
            "details": json.dumps(details, sort_keys=True, default=str),
            "input_sha256": input_sha256,
        },
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    command: str
    details: dict[str, Any]
    input_sha256: str | None


def entries(engine: Engine, since: dt.date | None = None) -> list[AuditEntry]:
    query = select(AuditRecord).order_by(AuditRecord.id)
    if since is not None:
        query = query.where(AuditRecord.at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        AuditEntry(r.id, r.at, r.user, r.command, json.loads(r.details), r.input_sha256)
        for r in rows
    ]
