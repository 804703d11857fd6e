"""passu report ilpa: the ILPA templates' quarter as a workbook.

Adds the ``ilpa`` command to the ``report`` group of ``report_commands.py`` (this module
is imported by ``cli.main``'s discovery like every ``*_commands`` module).
"""

from __future__ import annotations

from pathlib import Path

import click

from .context import Settings, pass_settings
from .paths import output_file, writes_to
from .report_commands import report


@report.command("ilpa")
@click.option("--quarter", required=True, metavar="YYYY-QN", help="The quarter, e.g. 2026-Q3.")
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workbook to write (.xlsx).",
)
@pass_settings
def ilpa(settings: Settings, quarter: str, fund_id: str | None, output: Path) -> None:
    """The ILPA Reporting Template's capital account and fees and expenses, and the
    Performance Template's fund cash flows by quarter (gross-up), as an .xlsx workbook.

    Computed from the ledger as of the quarter's end (not from a stored run): each
    investor's and each fund's capital account for the quarter, year to date and since
    inception; management fees charged, from the terms, offsets and expenses per
    quarter; the fund's flows with its investments and its investors per quarter, with
    IRR, TVPI and DPI. Values, not formulas.

    \b
    Example:
      passu report ilpa --quarter 2026-Q3 -o ilpa-2026-Q3.xlsx
    """
    from passu.portfolio.capital import ilpa_report
    from passu.portfolio.register import ILLUSTRATIVE
    from passu.reports.ilpa_workbook import write_ilpa_workbook

    path = output_file(output)
    figures, illustrative = ilpa_report(settings.engine, quarter, fund_id)
    with writes_to(path):
        write_ilpa_workbook(figures, path, illustrative=ILLUSTRATIVE if illustrative else None)
    settings.say(f"wrote {path}")


COMMANDS = (report,)
