"""``passu check`` and ``passu audit``: the reviews a fund accountant runs.

``check_portfolio`` loads the portfolio as of a date and runs every
reconciliation in ``valuation/checks.py``; ``audit_trail`` lists the audit log.
Both return :class:`Listing` objects for the CLI to print.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from passu.portfolio.listing import Column, Listing
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.frames import Ledger, load_frames
from passu.valuation import checks as rules
from passu.valuation.checks import Finding

Check = Callable[[Ledger, dt.date], list[Finding]]

# Every check, in the order findings are listed: capital first, then outcomes, then claims.
CHECKS: tuple[tuple[str, Check], ...] = (
    (
        "drawdowns_over_commitment",
        lambda f, _: rules.drawdowns_over_commitment(f.holdings, f.project_flows),
    ),
    (
        "calls_over_commitment",
        lambda f, _: rules.calls_over_commitment(f.commitments, f.investor_flows),
    ),
    (
        "negative_fund_cash",
        lambda f, _: rules.negative_fund_cash(
            f.funds, f.investor_flows, f.fund_expenses, f.project_flows
        ),
    ),
    (
        "distribution_before_receipt",
        lambda f, _: rules.distribution_before_receipt(f.investor_flows, f.project_flows),
    ),
    ("mark_before_drawdown", lambda f, _: rules.mark_before_drawdown(f.marks, f.project_flows)),
    ("stale_mark", lambda f, as_of: rules.stale_mark(f.projects, f.marks, as_of)),
    (
        "payments_over_cap",
        lambda f, _: rules.payments_over_cap(f.outcome_contracts, f.outcome_payments),
    ),
    ("payer_shares", lambda f, _: rules.payer_shares(f.outcome_contracts, f.contract_payers)),
    (
        "payment_before_outcome",
        lambda f, _: rules.payment_before_outcome(
            f.outcome_metrics, f.outcomes, f.outcome_payments
        ),
    ),
    (
        "project_without_contract",
        lambda f, _: rules.project_without_contract(f.projects, f.outcome_contracts),
    ),
    (
        "payment_on_unverified_claim",
        lambda f, as_of: rules.payment_on_unverified_claim(
            f.outcome_payments, f.outcome_claims, as_of
        ),
    ),
    (
        "payment_on_rejected_claim",
        lambda f, as_of: rules.payment_on_rejected_claim(
            f.outcome_payments, f.outcome_claims, as_of
        ),
    ),
    (
        "paid_over_verified",
        lambda f, as_of: rules.paid_over_verified(f.outcome_payments, f.outcome_claims, as_of),
    ),
)


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


def run_checks(frames: Ledger, as_of: dt.date) -> CheckReport:
    """Every check over frames already loaded as of ``as_of`` (usable from a notebook)."""
    findings: list[Finding] = []
    for _name, check in CHECKS:
        findings.extend(check(frames, as_of))
    return CheckReport(as_of, tuple(findings), tuple(name for name, _ in CHECKS))


def check_portfolio(engine: Engine, as_of: dt.date) -> CheckReport:
    """Load the portfolio as of ``as_of`` (rows dated after it left out) and check it."""
    require_schema(engine)
    with engine.connect() as conn:
        frames = load_frames(conn, as_of)
    return run_checks(frames, as_of)


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
