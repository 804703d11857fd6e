"""``passu check`` and ``passu audit``: the reviews a fund accountant runs.

``check_portfolio`` loads the portfolio as of a date and runs every check of
the one registry, ``valuation/checks.py: CHECKS``; ``audit_trail`` lists the
audit log. Both return :class:`Listing` objects for the CLI to print.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine

from passu.portfolio.listing import Column, Listing
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.frames import load_frames
from passu.valuation.checks import CHECKS, Finding
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


def check_portfolio(engine: Engine, as_of: dt.date) -> CheckReport:
    """Load the portfolio as of ``as_of`` (rows dated after it left out) and check it."""
    require_schema(engine)
    with engine.connect() as conn:
        ledger = load_frames(conn, as_of)
    return run_checks(ledger, as_of)


# --- the audit trail ----------------------------------------------------------------


def _summary(details: dict[str, object]) -> str:
    """Compact JSON of an entry's details, keys sorted, so CSV and JSON stay one cell."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), default=str)


def audit_trail(engine: Engine, since: dt.date | None = None) -> Listing:
    """Audit records from ``since`` (00:00 UTC) on, oldest first."""
    require_schema(engine)
    entries = audit.entries(engine, since)
    columns = (
        Column("id", "count"),
        Column("at"),
        Column("user"),
        Column("command"),
        Column("details"),
        Column("input_sha256"),
    )
    rows = tuple(
        (
            e.id,
            _utc(e.at).isoformat(),
            e.user,
            e.command,
            _summary(e.details),
            e.input_sha256,
        )
        for e in entries
    )
    title = "Audit trail" + (f" since {since.isoformat()}" if since else "")
    return Listing(title, columns, rows)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; passu writes UTC, so say so either way."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
