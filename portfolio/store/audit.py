"""The audit trail: who changed what, when, with which input. Rows are only ever added.

Every entry is chained to the one before it: its ``sha256`` is the SHA-256 of the
previous entry's ``sha256`` (64 zeros before the first) followed by the entry's
:func:`canonical` content. On SQLite passu computes the link as it writes (writers
hold the database's one write lock, so links never fork); on PostgreSQL a trigger
(migration 0003) stamps each entry with the server's time, the database login and
its link, whatever the INSERT said. :func:`verify` walks the chain and names the
first entry whose hash does not match: one edited, inserted or removed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from passu.portfolio.store.models import AuditRecord

GENESIS = "0" * 64


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


def _field(value: str | None) -> str:
    """One field, length-prefixed (UTF-8 bytes) so no two entries read the same; None is '-'."""
    return "-" if value is None else f"{len(value.encode('utf-8'))}:{value}"


def _moment(at: dt.datetime) -> str:
    """UTC to the microsecond; SQLite gives naive datetimes back, and passu writes UTC."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def canonical(
    id_: int,
    at: dt.datetime,
    login: str | None,
    user: str,
    command: str,
    details: str,
    input_sha256: str | None,
) -> str:
    """An entry's content as hashed: the same text PostgreSQL's ``passu_audit_hash`` builds."""
    fields = (str(id_), _moment(at), login, user, command, details, input_sha256)
    return "".join(_field(value) for value in fields)


def link(previous: str, content: str) -> str:
    return hashlib.sha256((previous + content).encode("utf-8")).hexdigest()


def record(
    conn: Connection,
    *,
    user: str,
    command: str,
    details: dict[str, Any],
    input_sha256: str | None = None,
) -> None:
    values: dict[str, Any] = {
        "at": now(),
        "user": user,
        "command": command,
        "details": json.dumps(details, sort_keys=True, default=str),
        "input_sha256": input_sha256,
    }
    if conn.dialect.name == "postgresql":
        # the trigger sets id, at, login and sha256 (migration 0003)
        conn.execute(insert(AuditRecord), values)
        return
    last = conn.execute(
        select(AuditRecord.id, AuditRecord.sha256).order_by(AuditRecord.id.desc()).limit(1)
    ).first()
    id_ = 1 if last is None else last.id + 1
    previous = GENESIS if last is None or last.sha256 is None else last.sha256
    content = canonical(id_, values["at"], None, user, command, values["details"], input_sha256)
    conn.execute(
        insert(AuditRecord), {**values, "id": id_, "login": None, "sha256": link(previous, content)}
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    command: str
    details: dict[str, Any]
    input_sha256: str | None
    login: str | None = None
    sha256: str | None = None


def _details(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"text": text}  # an entry written by hand: shown as it is
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def entries(engine: Engine, since: dt.date | None = None) -> list[AuditEntry]:
    query = select(AuditRecord).order_by(AuditRecord.id)
    if since is not None:
        query = query.where(AuditRecord.at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        AuditEntry(
            r.id,
            r.at,
            r.user,
            r.command,
            _details(r.details),
            r.input_sha256,
            r.login,
            r.sha256,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Verification:
    """The chain walked from the first entry: how many hold, and the first that does not."""

    entries: int
    broken_at: int | None  # the id of the first entry whose hash does not match
    reason: str = ""
    last_sha256: str = GENESIS

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(engine: Engine) -> Verification:
    """Recompute every link in id order; stop at the first that does not match."""
    query = select(
        AuditRecord.id,
        AuditRecord.at,
        AuditRecord.login,
        AuditRecord.user,
        AuditRecord.command,
        AuditRecord.details,
        AuditRecord.input_sha256,
        AuditRecord.sha256,
    ).order_by(AuditRecord.id)
    previous = GENESIS
    count = 0
    with engine.connect() as conn:
        for row in conn.execute(query):
            content = canonical(
                row.id, row.at, row.login, row.user, row.command, row.details, row.input_sha256
            )
            expected = link(previous, content)
            if row.sha256 != expected:
                return Verification(
                    count,
                    row.id,
                    "its content or the entry before it was changed, or an entry was "
                    "inserted or removed here",
                    previous,
                )
            previous = expected
            count += 1
    return Verification(count, None, "", previous)
