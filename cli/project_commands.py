"""passu project economics, passu project cash-profile and passu innovations."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import click

from passu.portfolio.economics import cash_profile_report, project_economics_report
from passu.portfolio.innovations import innovations_report

from .context import Settings, pass_settings
from .options import as_of_option
from .outcomes_commands import NUMBER
from .output import dumps, emit_listings, format_option
from .sections import emit_parts


@click.group("project")
def project() -> None:
    """One project's economics and cash.

    \b
    Examples:
      passu project economics FT-LONDON
      passu project cash-profile FT-LONDON --without-innovation --productivity-gain 0.8
    """


@project.command("economics")
@click.argument("project_id")
@as_of_option()
@format_option()
@pass_settings
def economics(settings: Settings, project_id: str, as_of: dt.date, fmt: str) -> None:
    """The cost stack of a project, line by line, then its innovation register.

    Delivery, innovation (at bid and in delivery) and other costs make the
    project expenditure; with the cost of financing (what the holders earned)
    and anything unexplained they reconcile to the cost to government (all
    outcome payments into the project); then cost per beneficiary and per payer.

    \b
    Examples:
      passu project economics FT-LONDON --as-of 2025-09-30
      passu project economics FT-LONDON --format json
    """
    view = project_economics_report(settings.engine, project_id, as_of)
    if fmt == "json":
        sys.stdout.write(dumps(view.document))
        return
    emit_parts([("stack", view.stack), ("innovations", view.register)], fmt)


@project.command("cash-profile")
@click.argument("project_id")
@as_of_option()
@click.option(
    "--without-innovation",
    is_flag=True,
    help="Add a what-if beside the actual: no innovation spending, outcome receipts "
    "divided by (1 + productivity gain).",
)
@click.option(
    "--productivity-gain",
    type=NUMBER,
    default=Decimal(0),
    metavar="G",
    help="The productivity the innovations bought (0.8 = 80%); needs --without-innovation.",
)
@format_option()
@pass_settings
def cash_profile(
    settings: Settings,
    project_id: str,
    as_of: dt.date,
    without_innovation: bool,
    productivity_gain: Decimal,
    fmt: str,
) -> None:
    """A project's cash by calendar quarter: drawdowns, spending, receipts, returns.

    With --without-innovation the what-if columns sit beside the actual ones
    and the assumptions are printed under the table (on stderr with json/csv).

    \b
    Examples:
      passu project cash-profile FT-LONDON --as-of 2025-09-30
      passu project cash-profile FT-LONDON --without-innovation --productivity-gain 0.8
    """
    listing = cash_profile_report(
        settings.engine,
        project_id,
        as_of,
        without_innovation=without_innovation,
        productivity_gain=productivity_gain,
    )
    emit_listings([listing], fmt)
    if fmt != "table":
        for note in listing.notes:
            click.echo(note, err=True)


@click.command("innovations")
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund together).")
@as_of_option()
@format_option()
@pass_settings
def innovations(settings: Settings, fund_id: str | None, as_of: dt.date, fmt: str) -> None:
    """Innovations across projects: by theme and stage, the project × theme matrix, the register.

    Estimated cost is what the innovation was expected to cost; actual the
    cost rows recorded against it to the as-of date.

    \b
    Examples:
      passu innovations --as-of 2025-09-30
      passu innovations --fund SOF1 --format json
    """
    listings = innovations_report(settings.engine, fund_id, as_of)
    keys = ("by_theme_and_stage", "project_theme", "register")
    emit_parts(list(zip(keys, listings, strict=True)), fmt)


COMMANDS = (project, innovations)
