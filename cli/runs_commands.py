"""passu runs: list, approve and reopen stored valuation runs."""

from __future__ import annotations

import datetime as dt

import click

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.store import runs
from passu.portfolio.value import nav_bridge

from .context import Settings, pass_settings
from .options import DATE
from .output import emit_figures, emit_listings, format_option


def _listing(title: str, infos: list[runs.RunInfo]) -> Listing:
    cols = (
        Column("run_id", "count"),
        Column("as_of", "date"),
        Column("scope"),
        Column("status"),
        Column("fingerprint"),
        Column("created_by"),
        Column("created_at"),
        Column("approved_by"),
        Column("approved_at"),
    )
    rows = tuple(
        (
            r.run_id,
            r.as_of,
            r.scope,
            r.status,
            r.fingerprint[:12],
            r.created_by,
            r.created_at.isoformat(timespec="seconds"),
            r.approved_by,
            r.approved_at.isoformat(timespec="seconds") if r.approved_at else None,
        )
        for r in infos
    )
    return Listing(title, cols, rows)


@click.group("runs")
def runs_group() -> None:
    """Stored valuation runs: drafts, approvals (which lock the period) and reopening."""


@runs_group.command("list")
@format_option()
@pass_settings
def list_(settings: Settings, fmt: str) -> None:
    """List every stored run with its status and input fingerprint.

    \b
    Example:
      passu runs list
    """
    emit_listings([_listing("Valuation runs", runs.list_runs(settings.engine))], fmt)


@runs_group.command("approve")
@click.argument("date", type=DATE)
@pass_settings
def approve(settings: Settings, date: dt.date) -> None:
    """Approve the run(s) of DATE: every row dated on or before DATE is then locked.

    \b
    Example:
      passu runs approve 2026-10-31
    """
    approved = runs.approve_run(settings.engine, date, user=settings.who)
    for run in approved:
        click.echo(
            f"run {run.run_id} ({run.scope}, {run.as_of}) approved by {run.approved_by}; "
            f"rows dated on or before {run.as_of} are locked"
        )


@runs_group.command("reopen")
@click.argument("date", type=DATE)
@click.option("--reason", required=True, help="Why the period is reopened (recorded).")
@pass_settings
def reopen(settings: Settings, date: dt.date, reason: str) -> None:
    """Return the run of DATE, and every later approved run, to draft.

    Their figures stay in the run history; who, when and why are audited.

    \b
    Example:
      passu runs reopen 2026-09-30 --reason "late marks from the administrator"
    """
    for run in runs.reopen_run(settings.engine, date, reason=reason, user=settings.who):
        click.echo(f"run {run.run_id} ({run.scope}, {run.as_of}) is a draft again")


@runs_group.command("bridge")
@click.argument("start", type=DATE)
@click.argument("end", type=DATE)
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: all funds together).")
@format_option()
@pass_settings
def bridge(settings: Settings, start: dt.date, end: dt.date, fund_id: str | None, fmt: str) -> None:
    """The NAV bridge from START to END: opening NAV + contributions − distributions
    + value change = closing NAV, to the penny.

    \b
    Example:
      passu runs bridge 2026-09-30 2026-10-31
    """
    if start > end:
        raise UsageError(
            f"runs bridge: START {start} is after END {end}: expected the earlier date first, "
            f"e.g. passu runs bridge {end} {start}"
        )
    result = nav_bridge(settings.engine, fund_id or "ALL", start, end)
    figures = Figures(
        f"NAV bridge, {result.fund_id}, {result.start} to {result.end}",
        (
            Figure("fund_id", result.fund_id),
            Figure("start", result.start, "date"),
            Figure("end", result.end, "date"),
            Figure("opening_nav", result.opening_nav, "money", "opening NAV"),
            Figure("contributions", result.contributions, "money", "+ contributions (calls)"),
            Figure("distributions", result.distributions, "money", "− distributions"),
            Figure("value_change", result.value_change, "money", "+ value change"),
            Figure("closing_nav", result.closing_nav, "money", "= closing NAV"),
        ),
    )
    emit_figures(figures, fmt)


COMMANDS = (runs_group,)
