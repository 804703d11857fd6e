"""Valuation runs: saved, approved (locking their period), reopened with a reason.

A run is keyed by (as_of, scope). Saving a key that already has a run fails
(exit 3) unless ``replace`` is asked and the run is a draft; an approved run is
never replaced. Replaced and reopened figures are kept in the history table.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from passu.portfolio.errors import ConflictError, UsageError
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema, writing
from passu.portfolio.store.models import ValuationRun, ValuationRunHistory
from passu.portfolio.store.run_info import RunInfo, StoredRun

# Characters that take no space on the page though Unicode calls them letters or symbols.
_BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
# Separators, controls, format characters (zero-width, direction marks), unassigned,
# private use and combining marks with nothing to combine with.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})


def visible(text: str) -> bool:
    """Whether ``text`` holds at least one character a reader can see."""
    return any(
        ch not in _BLANK_LETTERS and unicodedata.category(ch) not in _INVISIBLE for ch in text
    )


def _info(row: Any) -> RunInfo:
    return RunInfo(
        row.run_id,
        row.as_of,
        row.scope,
        row.status,
        row.fingerprint,
        row.created_at,
        row.created_by,
        row.approved_at,
        row.approved_by,
    )


_INFO_COLUMNS = (
    ValuationRun.run_id,
    ValuationRun.as_of,
    ValuationRun.scope,
    ValuationRun.status,
    ValuationRun.fingerprint,
    ValuationRun.created_at,
    ValuationRun.created_by,
    ValuationRun.approved_at,
    ValuationRun.approved_by,
)


def _existing(conn: Connection, as_of: dt.date, scope: str) -> Any:
    return conn.execute(
        select(ValuationRun).where(ValuationRun.as_of == as_of, ValuationRun.scope == scope)
    ).first()


def _to_history(conn: Connection, run: Any, *, user: str, reason: str) -> None:
    conn.execute(
        insert(ValuationRunHistory),
        {
            "run_id": run.run_id,
            "as_of": run.as_of,
            "scope": run.scope,
            "status": run.status,
            "fingerprint": run.fingerprint,
            "figures": run.figures,
            "created_at": run.created_at,
            "created_by": run.created_by,
            "approved_at": run.approved_at,
            "approved_by": run.approved_by,
            "superseded_at": audit.now(),
            "superseded_by": user,
            "reason": reason,
        },
    )


def save_run(
    engine: Engine,
    *,
    as_of: dt.date,
    scope: str,
    fingerprint: str,
    figures: str,
    user: str,
    replace: bool = False,
) -> RunInfo:
    """Store a run's JSON document; the writer lock makes the existence check race-free."""
    with writing(engine) as conn:
        existing = _existing(conn, as_of, scope)
        if existing is not None:
            if existing.status == "approved":
                raise ConflictError(
                    f"run {existing.run_id} for {as_of} ({scope}) is approved and locked: "
                    "it is never replaced (reopen it first with `passu runs reopen`)"
                )
            if not replace:
                raise ConflictError(
                    f"a run for {as_of} ({scope}) already exists: run {existing.run_id}, "
                    f"a draft saved by {existing.created_by} "
                    f"at {existing.created_at:%Y-%m-%d %H:%M}; use --replace to replace the draft"
                )
            _to_history(conn, existing, user=user, reason="replaced by a new draft")
            conn.execute(delete(ValuationRun).where(ValuationRun.run_id == existing.run_id))
        try:
            conn.execute(
                insert(ValuationRun),
                {
                    "as_of": as_of,
                    "scope": scope,
                    "status": "draft",
                    "fingerprint": fingerprint,
                    "figures": figures,
                    "created_at": audit.now(),
                    "created_by": user,
                    "approved_at": None,
                    "approved_by": None,
                },
            )
        except IntegrityError:  # pragma: no cover - the writer lock makes this a safety net
            raise ConflictError(f"a run for {as_of} ({scope}) was saved meanwhile") from None
        audit.record(
            conn,
            user=user,
            command="value --save" + (" --replace" if replace else ""),
            details={"as_of": as_of.isoformat(), "scope": scope, "fingerprint": fingerprint},
        )
        row = _existing(conn, as_of, scope)
    return _info(row)


def list_runs(engine: Engine) -> list[RunInfo]:
    require_schema(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_INFO_COLUMNS).order_by(ValuationRun.as_of, ValuationRun.scope)
        ).all()
    return [_info(r) for r in rows]


def get_run(engine: Engine, as_of: dt.date, scope: str = "ALL") -> StoredRun:
    require_schema(engine)
    with engine.connect() as conn:
        row = _existing(conn, as_of, scope)
    if row is None:
        raise UsageError(
            f"no saved run for {as_of} ({scope}): run `passu value --as-of {as_of}"
            f"{'' if scope == 'ALL' else ' --fund ' + scope} --save` first"
        )
    return StoredRun(_info(row), row.figures)


def previous_approved(engine: Engine, before: dt.date, scope: str) -> StoredRun | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(ValuationRun)
            .where(
                ValuationRun.scope == scope,
                ValuationRun.status == "approved",
                ValuationRun.as_of < before,
            )
            .order_by(ValuationRun.as_of.desc())
        ).first()
    return None if row is None else StoredRun(_info(row), row.figures)


def approve_run(engine: Engine, as_of: dt.date, *, user: str) -> list[RunInfo]:
    """Approve every draft run dated as_of: the period up to as_of is locked."""
    with writing(engine) as conn:
        rows = conn.execute(select(ValuationRun).where(ValuationRun.as_of == as_of)).all()
        if not rows:
            raise UsageError(f"no saved run for {as_of}: save one with `passu value --save`")
        drafts = [r for r in rows if r.status == "draft"]
        if not drafts:
            raise ConflictError(f"the run(s) for {as_of} are already approved")
        conn.execute(
            update(ValuationRun)
            .where(ValuationRun.as_of == as_of, ValuationRun.status == "draft")
            .values(status="approved", approved_at=audit.now(), approved_by=user)
        )
        audit.record(
            conn,
            user=user,
            command="runs approve",
            details={
                "as_of": as_of.isoformat(),
                "runs": [r.run_id for r in drafts],
                "scopes": [r.scope for r in drafts],
            },
        )
        rows = conn.execute(select(ValuationRun).where(ValuationRun.as_of == as_of)).all()
    return [_info(r) for r in rows]


def reopen_run(engine: Engine, as_of: dt.date, *, reason: str, user: str) -> list[RunInfo]:
    """Return the run(s) of as_of and every later approved run to draft, keeping history."""
    if not visible(reason):
        raise UsageError(
            f"--reason must say why the period is reopened: found {reason!r}, "
            "which has no visible character"
        )
    with writing(engine) as conn:
        rows = conn.execute(
            select(ValuationRun)
            .where(ValuationRun.as_of >= as_of, ValuationRun.status == "approved")
            .order_by(ValuationRun.as_of)
        ).all()
        if not any(r.as_of == as_of for r in rows):
            raise UsageError(f"no approved run for {as_of} to reopen")
        for row in rows:
            _to_history(conn, row, user=user, reason=reason)
        ids = [r.run_id for r in rows]
        # audited before the update: on PostgreSQL the database lets an approved run
        # return to draft only with its history and this entry in the same transaction
        audit.record(
            conn,
            user=user,
            command="runs reopen",
            details={"as_of": as_of.isoformat(), "runs": ids, "reason": reason},
        )
        conn.execute(
            update(ValuationRun)
            .where(ValuationRun.run_id.in_(ids))
            .values(status="draft", approved_at=None, approved_by=None)
        )
        reopened = conn.execute(
            select(ValuationRun).where(ValuationRun.run_id.in_(ids)).order_by(ValuationRun.as_of)
        ).all()
    return [_info(r) for r in reopened]
