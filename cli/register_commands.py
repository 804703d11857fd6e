"""passu list and passu show: the register."""

from __future__ import annotations

import datetime as dt

import click

from passu.portfolio import register

from .context import Settings, pass_settings
from .options import as_of_option
from .output import emit_figures, emit_listings, format_option


@click.command("list")
@click.argument("what", type=click.Choice(register.LISTABLE))
@format_option()
@pass_settings
def list_(settings: Settings, what: str, fmt: str) -> None:
    """List funds, investors, projects, holdings or contracts.

    \b
    Examples:
      passu list projects
      passu list holdings --format csv > holdings.csv
    """
    emit_listings([register.list_table(settings.engine, what)], fmt)


@click.group("show")
def show() -> None:
    """Show one project or fund in full."""


@show.command("project")
@click.argument("project_id")
@format_option()
@pass_settings
def show_project(settings: Settings, project_id: str, fmt: str) -> None:
    """A project's holdings, flows, marks, contracts, payers, partners and evaluations.

    \b
    Example:
      passu show project FT-LONDON
    """
    emit_listings(register.show_project(settings.engine, project_id), fmt, keyed=True)


@show.command("fund")
@click.argument("fund_id", required=False)
@as_of_option()
@format_option()
@pass_settings
def show_fund(settings: Settings, fund_id: str | None, as_of: dt.date, fmt: str) -> None:
    """One fund, or every fund together when no FUND_ID is given (the ALL scope).

    Shows commitments and docs/format.md's derived counts: outcomes contracts,
    outcomes payers, delivery partners, direct co-investors, and outcome
    payments to the as-of date.

    \b
    Examples:
      passu show fund
      passu show fund SOF1 --as-of 2025-03-31 --format json
    """
    emit_figures(register.show_fund(settings.engine, fund_id, as_of), fmt)


COMMANDS = (list_, show)
