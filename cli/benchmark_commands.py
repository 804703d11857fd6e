"""passu benchmark: the HM Treasury cost-of-financing reference data."""

from __future__ import annotations

from pathlib import Path

import click

from passu.portfolio.reference import benchmarks

from .context import Settings, pass_settings
from .output import emit_listings, format_option


@click.group("benchmark")
def benchmark() -> None:
    """Gilt yields and Green Book rates the cost of capital is set against."""


@benchmark.command("show")
@click.option(
    "--since", "since_year", type=int, metavar="YEAR", help="Only quarters from this year on."
)
@format_option()
@pass_settings
def show(settings: Settings, since_year: int | None, fmt: str) -> None:
    """List the quarterly 5- and 10-year gilt yields, Green Book rates and annual table.

    \b
    Examples:
      passu benchmark show --since 2020
      passu benchmark show --format csv > benchmarks.csv
    """
    emit_listings(benchmarks.benchmark_listings(settings.engine, since_year), fmt, keyed=True)


@benchmark.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def load(settings: Settings, file: Path) -> None:
    """Add newer quarters of gilt yields (or correct one) from a CSV file.

    FILE holds percent yields by quarter-end date, either as shipped
    (quarter_end,yield_10y_pct_IUQAMNPY,yield_5y_pct_IUQASNPY) or long
    (quarter_end,tenor_years,yield_pct). The change is audited.

    \b
    Example:
      passu benchmark load boe-gilts-2026q3.csv
    """
    report = benchmarks.load_gilt_yields(settings.engine, file, user=settings.who)
    last = f"; latest quarter {report.last_quarter}" if report.last_quarter else ""
    click.echo(
        f"{report.file}: {report.added} quarter-yields added, {report.changed} changed, "
        f"{report.unchanged} already held{last}"
    )


COMMANDS = (benchmark,)
