"""Printing figures: rich tables for people, JSON and CSV for scripts.

With ``--format json|csv`` stdout holds only that document; notices go to stderr.
CSV is meant for a spreadsheet, so a text cell a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab or CR first) is written with a leading apostrophe
(``csv_value``); negative numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from passu.portfolio.listing import Column, Figures, Listing
from passu.valuation.money import money_text
from passu.valuation.raw_tables import escape_formula

FORMATS = ("table", "json", "csv")


def format_option(*choices: str) -> Any:
    allowed = choices or FORMATS
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(allowed),
        default="table",
        show_default=True,
        help="table for people; json or csv for scripts (stdout holds only the document).",
    )


def workbook_output_options() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format table|json|csv|xlsx`` and ``-o FILE``: a listing that also writes a workbook."""
    fmt = click.option(
        "--format",
        "fmt",
        type=click.Choice((*FORMATS, "xlsx")),
        default="table",
        show_default=True,
        help="table for people; json or csv for scripts; xlsx writes a workbook to -o FILE.",
    )
    output = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead of stdout (required for xlsx).",
    )

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        return fmt(output(command))

    return decorate


def money_full(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def cell_text(column: Column, value: Any) -> str:
    """How a value reads in a terminal table."""
    if value is None:
        return "—"
    match column.kind:
        case "money":
            return money_full(Decimal(value))
        case "rate":
            return f"{float(value) * 100:.2f}%"
        case "multiple":
            return f"{float(value):.2f}x"
        case "bps":
            return f"{float(value):+.0f} bp"
        case "count":
            return f"{int(value):,}"
        case "date":
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        case _:
            return str(value)


def json_value(column: Column | None, value: Any) -> Any:
    """Money as strings with two decimals, counts as integers, rates as numbers."""
    if value is None:
        return None
    kind = column.kind if column else None
    if isinstance(value, Decimal) and kind in ("money", None):
        return money_text(value)
    if isinstance(value, Decimal):
        return float(value) if kind != "fraction" else str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 6 if kind == "multiple" else 10)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_value(column: Column, value: Any) -> str:
    """A cell of ``--format csv``: as in JSON, escaped where a spreadsheet would see a formula."""
    out = json_value(column, value)
    return "" if out is None else escape_formula(str(out))


def listing_json(listing: Listing) -> list[dict[str, Any]]:
    return [
        {c.name: json_value(c, v) for c, v in zip(listing.columns, row, strict=True)}
        for row in listing.rows
    ]


def dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def emit_listings(listings: Sequence[Listing], fmt: str, *, keyed: bool = False) -> None:
    """Print one or more listings; JSON is a list (one listing) or an object keyed by title."""
    if fmt == "json":
        if len(listings) == 1 and not keyed:
            sys.stdout.write(dumps(listing_json(listings[0])))
        else:
            sys.stdout.write(dumps({_key(lst.title): listing_json(lst) for lst in listings}))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for i, listing in enumerate(listings):
            if len(listings) > 1:
                if i:
                    buffer.write("\n")
                writer.writerow([f"# {listing.title}"])
            writer.writerow([c.name for c in listing.columns])
            for row in listing.rows:
                writer.writerow(
                    [csv_value(c, v) for c, v in zip(listing.columns, row, strict=True)]
                )
        sys.stdout.write(buffer.getvalue())
    else:
        screen = console()
        for listing in listings:
            screen.print(rich_table(listing))
            for note in listing.notes:
                screen.print(f"[dim]{note}[/dim]")


def _key(title: str) -> str:
    return title.lower().replace(" ", "_").replace("-", "_")


def console() -> Console:
    """A terminal's own width; when piped, wide enough that money is never cut short."""
    out = Console()
    return out if out.is_terminal else Console(width=200)


def rich_table(listing: Listing) -> Table:
    table = Table(title=listing.title, title_justify="left", header_style="bold")
    for column in listing.columns:
        numeric = column.kind in ("money", "rate", "multiple", "bps", "count", "fraction")
        table.add_column(column.heading, justify="right" if numeric else "left")
    for row in listing.rows:
        table.add_row(*(cell_text(c, v) for c, v in zip(listing.columns, row, strict=True)))
    if not listing.rows:
        table.caption = "none"
    return table


def notice(message: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(message, err=True)


def emit_figures(figures: Figures, fmt: str) -> None:
    """Named figures: a two-column table, or one JSON object / CSV row keyed by name."""
    if fmt == "json":
        document = {f.name: json_value(Column(f.name, f.kind), f.value) for f in figures.figures}
        sys.stdout.write(dumps(document))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([f.name for f in figures.figures])
        writer.writerow([csv_value(Column(f.name, f.kind), f.value) for f in figures.figures])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(title=figures.title, title_justify="left", show_header=False)
        table.add_column("figure")
        table.add_column("value", justify="right")
        for f in figures.figures:
            table.add_row(f.heading, cell_text(Column(f.name, f.kind), f.value))
        screen = console()
        screen.print(table)
        for note in figures.notes:
            screen.print(f"[dim]{note}[/dim]")
    if fmt != "table":
        for note in figures.notes:
            click.echo(note, err=True)
