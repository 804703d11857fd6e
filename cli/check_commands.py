"""passu check and passu audit."""

from __future__ import annotations

import datetime as dt
import sys

import click

from passu.portfolio import checks

from .context import Settings, pass_settings
from .options import DATE, as_of_option
from .output import dumps, emit_listings, format_option
from .progress import progress_bar


@click.command("check")
@as_of_option()
@format_option()
@pass_settings
def check(settings: Settings, as_of: dt.date, fmt: str) -> None:
    """Run the reconciliations a fund accountant would: exit 1 when any finding exists.

    \b
    Checks, over rows dated on or before --as-of:
      drawdowns beyond a holding's commitment; an investor's calls beyond its
      commitment; fund cash negative at the end of a day; distributions before
      the fund's first receipt from a project; marks before any drawdown;
      outcome payments beyond a contract's cap; payer shares not summing to 1;
      outcome payments before any outcome achieved; completed projects still
      marked above zero a year after their end; projects without a contract;
      payments on unverified or rejected claims, or beyond the verified amount.
    And, whatever --as-of, flows, expenses, marks, claims, payments and costs
    dated after today's date (a mistyped year such as 2199).
    Exit codes: 0 clean, 1 findings, 2 bad usage.

    \b
    Examples:
      passu check
      passu check --as-of 2025-03-31 --format csv > findings.csv
    """
    with progress_bar(settings, "checking"):
        report = checks.check_portfolio(settings.engine, as_of)
    emit_listings([report.listing], fmt)
    if fmt != "table":
        for note in report.listing.notes:
            settings.say(note)
    if not report.clean:
        settings.say(f"{len(report.findings)} findings")
        sys.exit(1)


@click.command("audit")
@click.option(
    "--since",
    type=DATE,
    default=None,
    help="Only entries on or after this date (00:00 UTC); default: every entry.",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Check the hash chain instead of listing: exit 1 naming the first broken link.",
)
@format_option()
@pass_settings
def audit(settings: Settings, since: dt.date | None, verify: bool, fmt: str) -> None:
    """List the audit trail: who changed what, when, with which input (SHA-256).

    Every import, approval, reopening, benchmark load and restore adds an
    entry; no passu command edits or deletes one. Each entry is chained to
    the one before by a SHA-256 hash; --verify recomputes the chain and names
    the first entry that does not match (edited, inserted or removed): exit 0
    when intact, 1 when broken. On PostgreSQL "login" is the database login
    that wrote the entry, "user" the --user name given beside it.

    \b
    Examples:
      passu audit
      passu audit --since 2026-01-01 --format json
      passu audit --verify
    """
    if verify:
        result = checks.verify_audit(settings.engine)
        if result.intact:
            click.echo(
                f"audit chain intact: {result.entries} entries, last hash {result.last_sha256}"
            )
            return
        click.echo(
            f"audit chain broken at entry {result.broken_at}: {result.reason}; "
            f"the {result.entries} entries before it are intact",
            err=True,
        )
        sys.exit(1)
    listing = checks.audit_trail(settings.engine, since)
    if fmt == "json":
        sys.stdout.write(dumps(checks.audit_documents(listing)))
        return
    emit_listings([listing], fmt)


COMMANDS = (check, audit)
