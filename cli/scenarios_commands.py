"""passu scenarios: the range of outcomes (a seeded Monte Carlo over the fair-value model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from passu.portfolio.scenarios import scenario_document, scenario_listings, scenarios_of

from .context import Settings, pass_settings
from .document_output import check_output, emit_document
from .marks_commands import as_of_required, fund_option, rate_option
from .output import workbook_output_options


@click.command("scenarios")
@as_of_required()
@fund_option()
@click.option("--paths", type=int, default=10_000, show_default=True, help="Paths to draw.")
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed, the same bytes."
)
@click.option(
    "--dispersion",
    type=float,
    help="Standard deviation D of each metric's log achievement ratio (default: measured "
    "across the portfolio's completed contracts, and shown). 0 gives the model itself.",
)
@rate_option()
@workbook_output_options()
@pass_settings
def scenarios(
    settings: Settings,
    as_of: dt.date,
    fund_id: str | None,
    paths: int,
    seed: int,
    dispersion: float | None,
    rate: float | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The range of outcomes: P5 to P95 of payments to come, project values, fund NAV and
    net IRR, government's cost per outcome; the chance each contract reaches its cap and
    that the fund returns less than paid-in.

    Each path draws every metric's future achievement ratio, lognormal around its
    performance to date (docs/fair-value.md).

    \b
    Examples:
      passu scenarios --as-of 2026-10-31
      passu scenarios --as-of 2026-10-31 --fund SOF2 --paths 2000 --seed 7 --format json
    """
    check_output(fmt, output)
    label, result = scenarios_of(
        settings.engine, as_of, fund_id, paths=paths, seed=seed, dispersion=dispersion, rate=rate
    )
    emit_document(
        settings, fmt, output, scenario_document(label, result), scenario_listings(label, result)
    )


COMMANDS = (scenarios,)
