"""passu value: the monthly valuation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from passu.portfolio import value_view as valuation_view
from passu.portfolio.errors import UsageError
from passu.portfolio.value import value_and_save

from .context import Settings, pass_settings
from .document_output import check_output, csv_text, write_text
from .options import as_of_option
from .output import emit_figures, emit_listings
from .paths import writes_to
from .progress import progress_bar

TABLE_ROWS_SHOWN = 60


@click.command("value")
@as_of_option()
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: all funds together).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "csv", "xlsx")),
    default="table",
    show_default=True,
    help="table for people; json (the run's document) or csv for scripts; "
    "xlsx writes a workbook to -o FILE.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document to FILE instead of stdout (required for xlsx).",
)
@click.option("--save", is_flag=True, help="Store the run (as a draft) for reports and approval.")
@click.option("--replace", is_flag=True, help="With --save: replace an existing draft run.")
@pass_settings
def value(
    settings: Settings,
    as_of: dt.date,
    fund_id: str | None,
    fmt: str,
    output: Path | None,
    save: bool,
    replace: bool,
) -> None:
    """Value every holding, project, fund and investor as of a date.

    Returns (IRR, multiples), capital accounts, the pari passu check, cost of
    capital against the HM Treasury gilt benchmark, outcomes and social value.
    Without --fund all funds are valued together (scope ALL, flows pooled)
    and each fund's own figures are listed too.

    \b
    Examples:
      passu value                                  # last month-end, all funds
      passu value --as-of 2026-09-30 --fund SOF1 --format json
      passu value --as-of 2026-10-31 --save        # store the run for the committee pack
      passu value --format xlsx -o valuation.xlsx
    """
    if replace and not save:
        raise UsageError("--replace only makes sense with --save")
    check_output(fmt, output)
    with progress_bar(settings, "valuing") as bar:
        result = value_and_save(
            settings.engine,
            as_of,
            fund_id,
            save=save,
            replace=replace,
            user=settings.who,
            progress=bar.say,
        )
    document = result.document
    if fmt == "xlsx":
        from passu.reports.workbook import write_value_workbook

        assert output is not None
        with writes_to(output):
            write_value_workbook(document, output)
        settings.say(f"wrote {output}")
        return
    if fmt == "json":
        write_text(settings, output, result.text)
        return
    listings = valuation_view.tables(document)
    if fmt == "csv":
        accounts = valuation_view.government_accounts(document)
        write_text(settings, output, csv_text([accounts, *listings], keyed=True))
        return
    emit_figures(valuation_view.headline(document), "table")
    emit_listings([valuation_view.government_accounts(document)], "table")
    for listing in listings:
        if len(listing.rows) > TABLE_ROWS_SHOWN:
            settings.say(f"{listing.title}: {len(listing.rows):,} rows (see --format csv or json)")
            continue
        emit_listings([listing], "table")


COMMANDS = (value,)
