"""``passu check`` and ``passu audit``: the reviews a fund accountant runs.

``check_portfolio`` loads the portfolio as of a date and runs every check of
the one registry, ``valuation/checks.py: CHECKS``; ``audit_trail`` lists the
audit log. Both return :class:`Listing` objects for the CLI to print.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from passu.portfolio.interchange.tables import BY_NAME
from passu.portfolio.listing import Column, Listing
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.frames import load_frames
from passu.valuation.checks import (
    CHECKS,
    FUTURE_DATED,
    Finding,
    dated_after_today,
)
from passu.valuation.checks import run_checks as run_every_check
from passu.valuation.ledger import Ledger


@dataclass(frozen=True)
class CheckReport:
    as_of: dt.date
    findings: tuple[Finding, ...]
    checks_run: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def listing(self) -> Listing:
        """One row per finding; ``rows`` joined with '; ' so CSV and JSON keep one cell."""
        columns = (Column("check"), Column("message"), Column("rows"))
        rows = tuple((f.check, f.message, "; ".join(f.rows)) for f in self.findings)
        notes = () if self.findings else (f"{len(self.checks_run)} checks, no findings",)
        return Listing(f"Checks as of {self.as_of.isoformat()}", columns, rows, notes)


def run_checks(ledger: Ledger, as_of: dt.date) -> CheckReport:
    """Every check over a ledger already read as of ``as_of`` (usable from a notebook)."""
    findings = tuple(run_every_check(ledger, as_of))
    return CheckReport(as_of, findings, tuple(check.name for check in CHECKS))


def check_portfolio(engine: Engine, as_of: dt.date, today: dt.date | None = None) -> CheckReport:
    """Load the portfolio as of ``as_of`` (rows dated after it left out) and check it;
    then, whatever the as-of date, look for flows, marks, claims and costs dated after
    ``today`` (default: today's date in UTC), which no ledger should hold."""
    require_schema(engine)
    today = today or dt.datetime.now(dt.UTC).date()
    with engine.connect() as conn:
        ledger = load_frames(conn, as_of)
        future = _rows_after(conn, today)
    report = run_checks(ledger, as_of)
    return replace(report, findings=report.findings + tuple(dated_after_today(future, today)))


def _rows_after(conn: Connection, today: dt.date) -> dict[str, pd.DataFrame]:
    """Each :data:`FUTURE_DATED` table's rows dated after ``today``: id columns and date."""
    out = {}
    for name in FUTURE_DATED:
        spec = BY_NAME[name]
        column = spec.dated_by
        assert column is not None
        ids = [c.name for c in spec.columns if c.kind == "id" and c.required]
        table = spec.table
        rows = conn.execute(
            select(*(table.c[c] for c in ids), table.c[column])
            .where(table.c[column] > today)
            .order_by(table.c[column])
        ).all()
        if not rows:
            continue
        frame = pd.DataFrame.from_records(rows, columns=[*ids, column])
        # second resolution: a year such as 9999 is past what nanoseconds can hold
        frame[column] = pd.Series([pd.Timestamp(d) for d in frame[column]], dtype="datetime64[s]")
        out[name] = frame
    return out


# --- the audit trail ----------------------------------------------------------------


def _summary(details: dict[str, object]) -> str:
    """Compact JSON of an entry's details, keys sorted, so CSV and JSON stay one cell."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), default=str)


def audit_trail(engine: Engine, since: dt.date | None = None) -> Listing:
    """Audit records from ``since`` (00:00 UTC) on, oldest first.

    ``login`` is the database login that wrote the entry (PostgreSQL; empty on SQLite),
    ``user`` the name passu was given (``--user``, ``PASSU_USER`` or the system login).
    ``sha256`` is the entry's link in the hash chain (``passu audit --verify``).
    ``details`` is compact JSON text here, so a table and CSV keep it in one cell;
    :func:`audit_documents` gives it as an object.
    """
    require_schema(engine)
    entries = audit.entries(engine, since)
    columns = (
        Column("id", "count"),
        Column("at"),
        Column("login"),
        Column("user"),
        Column("command"),
        Column("details"),
        Column("input_sha256"),
        Column("sha256", title="chain sha256"),
    )
    rows = tuple(
        (
            e.id,
            _utc(e.at).isoformat(),
            e.login,
            e.user,
            e.command,
            _summary(e.details),
            e.input_sha256,
            e.sha256,
        )
        for e in entries
    )
    title = "Audit trail" + (f" since {since.isoformat()}" if since else "")
    return Listing(title, columns, rows)


def audit_documents(listing: Listing) -> list[dict[str, Any]]:
    """The audit listing as JSON records, each entry's ``details`` an object, not a string."""
    out = []
    for record in listing.records():
        out.append({**record, "details": json.loads(record["details"])})
    return out


def verify_audit(engine: Engine) -> audit.Verification:
    """Walk the audit log's hash chain (``passu audit --verify``)."""
    require_schema(engine)
    return audit.verify(engine)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; passu writes UTC, so say so either way."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
