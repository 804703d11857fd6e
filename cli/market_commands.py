"""passu market import and passu market summary: the INDIGO Impact Bond Dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from passu.portfolio.market.store import import_market, market_view
from passu.valuation.market import GROUPINGS

from .context import Settings, pass_settings
from .output import dumps, format_option
from .sections import emit_parts


@click.group("market")
def market() -> None:
    """The impact-bond market from the GO Lab INDIGO dataset.

    \b
    Examples:
      passu market import ~/Downloads/indigo_impact_bonds_2025-05
      passu market summary --country GB
    """


@market.command("import")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@pass_settings
def import_(settings: Settings, directory: Path) -> None:
    """Load an INDIGO Impact Bond Dataset export folder, replacing earlier market data.

    Every readable row is loaded; each row that could not be is listed on
    stderr with the reason, and the command still succeeds. It fails (exit 2)
    only when DIRECTORY is not the INDIGO export.

    \b
    Example:
      passu market import ~/Downloads/indigo_impact_bonds_2025-05
    """
    report = import_market(settings.engine, directory, user=settings.who)
    for skipped in report.skipped:
        click.echo(f"skipped {skipped}", err=True)
    for warning in report.warnings:
        settings.say(f"note {warning}")
    for table, rows in report.rows:
        settings.say(f"{table}: {rows} rows")
    if report.planned_payments_excluded:
        settings.say(
            f"{report.planned_payments_excluded} Planned payment rows left out (projections)"
        )
    for name in report.missing_files:
        settings.say(f"{name}: not in the folder, its table is empty")
    settings.say(f"imported {report.source}; {len(report.skipped)} rows skipped")


@market.command("summary")
@click.option("--country", metavar="CODE", help="ISO country code, e.g. GB (UK works too).")
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="policy_sector",
    show_default=True,
    help="Break the totals down by policy sector or stage of development.",
)
@format_option()
@pass_settings
def summary(settings: Settings, country: str | None, by: str, fmt: str) -> None:
    """Projects, capital raised and outcome payments in the market, in GBP.

    Amounts in other currencies are not converted: those projects are counted
    as other-currency projects and left out of the sums.

    \b
    Examples:
      passu market summary --country GB
      passu market summary --country GB --by stage --format json
    """
    view = market_view(settings.engine, country, by)  # type: ignore[arg-type]
    if fmt == "json":
        sys.stdout.write(dumps(view.document))
        for note in view.totals.notes:
            click.echo(note, err=True)
        return
    emit_parts([("totals", view.totals), (f"by_{by}", view.breakdown)], fmt)


COMMANDS = (market,)
