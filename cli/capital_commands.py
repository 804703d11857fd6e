"""passu capital-account: an investor's capital account statement in ILPA's lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .context import Settings, pass_settings
from .document_output import check_output, csv_text, write_text
from .options import VALUATION_DATE
from .output import dumps, emit_listings, workbook_output_options
from .paths import writes_to


@click.command("capital-account")
@click.argument("investor_id", metavar="INVESTOR_ID")
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund it is in).")
@click.option(
    "--from",
    "start",
    type=VALUATION_DATE,
    required=True,
    help="First day of the period (the first day of a month).",
)
@click.option(
    "--to",
    "end",
    type=VALUATION_DATE,
    required=True,
    help="Last day of the period: the ledger is read as of it (a month-end, usually).",
)
@workbook_output_options()
@pass_settings
def capital_account(
    settings: Settings,
    investor_id: str,
    fund_id: str | None,
    start: dt.date,
    end: dt.date,
    fmt: str,
    output: Path | None,
) -> None:
    """An investor's capital account: the period, the year to date and since inception.

    Beginning balance, contributions and distributions by purpose, management fees,
    expenses, income, realised and unrealised gain, ending balance, unfunded and
    recallable commitment (the ILPA Reporting Template's lines); each column reconciles.

    \b
    Examples:
      passu capital-account DCMS --from 2026-07-01 --to 2026-09-30
      passu capital-account DCMS --fund SOF2 --from 2026-01-01 --to 2026-10-31 --format json
      passu capital-account DCMS --from 2026-07-01 --to 2026-09-30 --format xlsx -o dcms.xlsx
    """
    from passu.portfolio.capital import capital_statement
    from passu.portfolio.capital_statement import line_listing

    check_output(fmt, output)
    statement = capital_statement(settings.engine, investor_id, fund_id, start, end)
    if fmt == "xlsx":
        from passu.reports.ilpa_workbook import write_capital_account_workbook

        assert output is not None
        with writes_to(output):
            write_capital_account_workbook(statement, output)
        settings.say(f"wrote {output}")
        return
    if fmt == "table":
        emit_listings(statement.listings(), "table")
        return
    if fmt == "json":
        write_text(settings, output, dumps(statement.to_dict()))
    else:
        write_text(settings, output, csv_text([line_listing(statement)]))


COMMANDS = (capital_account,)
