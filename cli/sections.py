"""Printing a report made of several parts: named figures, tables, and rows whose
values change kind from row to row (a money measure beside a count).

JSON is one object keyed by each part's name (figures as an object, tables as
lists of records); CSV is one section per part, each headed ``# title``; a
terminal gets one rich table per part. Values are formatted by ``output.py``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import click
from rich.console import Console
from rich.table import Table

from passu.portfolio.listing import Column, Figures, Listing, ValueKind
from passu.valuation.raw_tables import escape_formula

from .output import cell_text, csv_value, dumps, json_value, listing_json, rich_table


@dataclass(frozen=True)
class MixedRows:
    """A table whose rows each carry their own value kind (``kind``, then the values)."""

    title: str
    columns: tuple[str, ...]  # the first names the row; the rest hold values of the row's kind
    rows: tuple[tuple[ValueKind, tuple[Any, ...]], ...]

    def records(self, fmt: str) -> list[dict[str, Any]]:
        out = []
        for kind, values in self.rows:
            column = Column("value", kind)
            first, *rest = values
            cells = [first, *(json_value(column, v) for v in rest)]
            if fmt == "table":
                cells = [first, *(cell_text(column, v) for v in rest)]
            elif fmt == "csv":
                cells = [first, *(csv_value(column, v) for v in rest)]
            out.append(dict(zip(self.columns, cells, strict=True)))
        return out


Part: TypeAlias = Figures | Listing | MixedRows


def part_key(part: Part) -> str:
    return part.title.split(":")[0].lower().replace(" ", "_").replace("-", "_")


def emit_parts(parts: Sequence[tuple[str, Part]], fmt: str, notes: Sequence[str] = ()) -> None:
    """Print (key, part) pairs as one JSON object, CSV sections, or terminal tables.

    Notes go below the tables in a terminal and to stderr with json or csv.
    """
    if fmt == "json":
        sys.stdout.write(dumps({key: _json(part) for key, part in parts}))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for i, (_, part) in enumerate(parts):
            if i:
                buffer.write("\n")
            writer.writerow([f"# {part.title}"])
            _csv(writer, part)
        sys.stdout.write(buffer.getvalue())
    else:
        console = Console()
        for _, part in parts:
            console.print(_rich(part))
            for note in getattr(part, "notes", ()):
                console.print(f"[dim]{note}[/dim]")
        for note in notes:
            console.print(f"[dim]{note}[/dim]")
    if fmt != "table":
        for _, part in parts:
            for note in getattr(part, "notes", ()):
                click.echo(note, err=True)
        for note in notes:
            click.echo(note, err=True)


def _json(part: Part) -> Any:
    if isinstance(part, Figures):
        return {f.name: json_value(Column(f.name, f.kind), f.value) for f in part.figures}
    if isinstance(part, Listing):
        return listing_json(part)
    return part.records("json")


def _csv(writer: Any, part: Part) -> None:
    if isinstance(part, Figures):
        writer.writerow([f.name for f in part.figures])
        writer.writerow([csv_value(Column(f.name, f.kind), f.value) for f in part.figures])
    elif isinstance(part, Listing):
        writer.writerow([c.name for c in part.columns])
        for row in part.rows:
            writer.writerow([csv_value(c, v) for c, v in zip(part.columns, row, strict=True)])
    else:
        writer.writerow(part.columns)
        for record in part.records("csv"):
            # text a spreadsheet would run as a formula is escaped, as every passu CSV is
            writer.writerow(
                [escape_formula(v) if isinstance(v, str) else v for v in record.values()]
            )


def _rich(part: Part) -> Table:
    if isinstance(part, Listing):
        return rich_table(part)
    if isinstance(part, Figures):
        table = Table(title=part.title, title_justify="left", show_header=False)
        table.add_column("figure")
        table.add_column("value", justify="right")
        for f in part.figures:
            table.add_row(f.heading, cell_text(Column(f.name, f.kind), f.value))
        return table
    table = Table(title=part.title, title_justify="left", header_style="bold")
    for i, name in enumerate(part.columns):
        table.add_column(name.replace("_", " "), justify="left" if i == 0 else "right")
    for record in part.records("table"):
        table.add_row(*(str(v) for v in record.values()))
    if not part.rows:
        table.caption = "none"
    return table
