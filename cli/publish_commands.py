"""passu publish: the fund's projects in the INDIGO data standard's layout."""

from __future__ import annotations

from pathlib import Path

import click

from passu.portfolio.market.publish import publish as publish_case

from .context import Settings, pass_settings
from .paths import output_folder, writes_to


@click.command("publish")
@click.option("--quarter", required=True, metavar="YYYY-QN", help="The quarter, e.g. 2025-Q3.")
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund together).")
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the publication into (created if need be, in a folder that exists).",
)
@pass_settings
def publish(settings: Settings, quarter: str, fund_id: str | None, directory: Path) -> None:
    """Publish the fund's projects as of a quarter's end in the INDIGO data standard.

    Writes projects.csv, orgs.csv, projects_investments.csv,
    projects_outcome_payments.csv (Type Actual), projects_results.csv and
    projects_outcome_metrics.csv with the INDIGO export's headers, plus
    metrics.csv (the same measures for every project, quarter and to date) and
    a README naming the publisher, the date and the sources. Aggregates only.

    \b
    Example:
      passu publish --quarter 2025-Q3 --fund SOF1 -o publication-2025-q3/
      passu market import publication-2025-q3/   # any INDIGO reader reads it
    """
    output_folder(directory)
    with writes_to(directory):
        result = publish_case(settings.engine, quarter, fund_id, directory)
    for name, rows in result.files:
        settings.say(f"{name}: {rows} rows")
    settings.say(
        f"published {result.projects} projects of {result.scope} as of "
        f"{result.as_of.isoformat()} to {result.directory}"
    )


COMMANDS = (publish,)
