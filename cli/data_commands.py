"""passu init, import, export and demo."""

from __future__ import annotations

from pathlib import Path

import click

from passu.portfolio.interchange.exporter import export_portfolio
from passu.portfolio.interchange.importer import ImportReport, import_portfolio
from passu.portfolio.listing import Column, Listing
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.store.database import upgrade

from .context import Settings, pass_settings
from .output import emit_listings, format_option
from .paths import output_file, output_folder, writes_to
from .progress import progress_bar


@click.command("init")
@pass_settings
def init(settings: Settings) -> None:
    """Create the database schema, or upgrade it to this version of passu.

    \b
    Example:
      passu --database postgresql://fund@db.example/passu init
    """
    settings.creates = True
    revision = upgrade(settings.engine)
    settings.say(f"schema ready at revision {revision} in {settings.url}")


def report_listing(report: ImportReport) -> Listing:
    rows = tuple((t.table, t.added, t.changed, t.removed) for t in report.tables)
    cols = (
        Column("table"),
        Column("added", "count"),
        Column("changed", "count"),
        Column("removed", "count"),
    )
    mode = "Appended from" if report.append else "Imported"
    return Listing(f"{mode} {report.source}", cols, rows)


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--append",
    is_flag=True,
    help="Add the rows of flow tables only (investor_flows, fund_expenses, "
    "project_flows, outcome_payments, project_costs): the monthly new-flows case.",
)
@format_option()
@pass_settings
def import_(settings: Settings, path: Path, append: bool, fmt: str) -> None:
    """Import a portfolio: a folder of CSV files or an .xlsx workbook (docs/format.md).

    The tables in PATH replace those tables in the database, matched on their
    keys; tables not in PATH are left alone. All or nothing: one bad cell
    rejects the whole import, naming file, row and column (exit code 2).

    \b
    Examples:
      passu import my-portfolio/
      passu import october-flows/ --append
      passu import portfolio.xlsx
    """
    with progress_bar(settings, "importing") as bar:
        report = import_portfolio(
            settings.engine,
            path,
            append=append,
            user=settings.who,
            command="import --append" if append else "import",
            library_codes=unit_cost_codes(),
            progress=bar.say,
        )
    emit_listings([report_listing(report)], fmt)
    if report.unchanged:
        settings.say("no changes: the database already held exactly these rows")


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@pass_settings
def export(settings: Settings, path: Path) -> None:
    """Export the portfolio: a folder of CSV files, or a workbook when PATH ends in .xlsx.

    Exporting, importing into an empty database and exporting again gives
    byte-identical CSV files.

    \b
    Examples:
      passu export backup-2026-10/
      passu export portfolio.xlsx
    """
    if path.suffix.lower() == ".xlsx":
        output_file(path)
    else:
        output_folder(path)
    with writes_to(path):
        report = export_portfolio(settings.engine, path)
    for table, rows in report.tables:
        settings.say(f"{table}: {rows} rows")
    settings.say(f"exported to {report.path}")


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=Path("passu-demo"),
    show_default=True,
    help="Folder for the demo database (DIR/passu.db).",
)
@pass_settings
def demo(settings: Settings, directory: Path) -> None:
    """Load the illustrative sample into DIR/passu.db, value it, and write its PDF pack.

    Imports the sample, saves a valuation run for the last month-end, and
    writes the committee pack and the government shareholder's statement
    into DIR. The sample is synthetic project detail built to reproduce a
    published programme's totals; the demo ignores PASSU_DATABASE_URL.

    \b
    Example:
      passu demo --dir /tmp/passu-demo
    """
    from passu.cli.demo_pack import build_demo  # WeasyPrint loads only when used

    output_folder(directory)
    with writes_to(directory):
        click.echo(build_demo(directory, user=settings.who, progress=settings.say).text)


COMMANDS = (init, import_, export, demo)
