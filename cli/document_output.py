"""Where a command's document goes: stdout, or -o FILE written whole or not at all.

One set of rules for every command with ``--format table|json|csv|xlsx`` and ``-o``
(value, capital-account, marks propose, scenarios): xlsx needs a file, a table is for
the screen, and a file is written whole or not at all.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import click

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Listing

from .context import Settings
from .output import dumps, emit_listings
from .paths import output_file, writes_to


def check_output(fmt: str, output: Path | None) -> None:
    """Refuse a format and -o that do not go together, before any work is done."""
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx needs -o FILE.xlsx")
    if output is not None:
        if fmt == "table":
            raise UsageError("-o FILE needs --format json, csv or xlsx (table is for the screen)")
        output_file(output)


def write_text(settings: Settings, output: Path | None, text: str) -> None:
    """``text`` to ``output`` (whole or not at all), else to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    with writes_to(output):
        output.write_text(text, encoding="utf-8", newline="")
    settings.say(f"wrote {output}")


def csv_text(listings: Sequence[Listing], *, keyed: bool = False) -> str:
    """The listings as the CSV ``emit_listings`` prints."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        emit_listings(listings, "csv", keyed=keyed)
    return buffer.getvalue()


def emit_document(
    settings: Settings,
    fmt: str,
    output: Path | None,
    document: dict[str, Any],
    listings: Sequence[Listing],
) -> None:
    """The document as JSON, the listings as tables, keyed CSV or a workbook."""
    if fmt == "xlsx":
        from passu.reports.listing_workbook import write_listings_workbook

        assert output is not None
        with writes_to(output):
            write_listings_workbook(listings, output)
        settings.say(f"wrote {output}")
    elif fmt == "json":
        if output is None:
            click.echo(dumps(document), nl=False)
        else:
            write_text(settings, output, dumps(document))
    elif fmt == "csv":
        write_text(settings, output, csv_text(listings, keyed=True))
    else:
        emit_listings(listings, fmt, keyed=True)
