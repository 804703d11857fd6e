"""``passu export``: the portfolio in the interchange format, byte for byte reproducible.

Required tables always, every other table that has rows; columns in the
format's order (then any attribute columns, by name), leaving out a column a later
format version added while no row uses it; rows sorted by key (flows
by all their columns); money with two decimals; LF line endings; UTF-8 without
a BOM; a value holding a comma, a quote, CR or LF quoted, so any text reads back;
a value a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab or CR
first) escaped with a leading apostrophe, which import takes off again. The same
portfolio gives the same bytes from SQLite and PostgreSQL. A workbook holds text as
text cells, never formulas (``sheet_text.append_row``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.interchange.canonical import attributes_of, read_canonical
from passu.portfolio.interchange.parse import ATTRIBUTES
from passu.portfolio.interchange.sheet_text import append_row
from passu.portfolio.interchange.tables import SPECS, Col, TableSpec
from passu.portfolio.store.database import require_schema
from passu.valuation.raw_tables import escape_formula


@dataclass(frozen=True)
class ExportReport:
    path: str
    tables: tuple[tuple[str, int], ...]  # (table, rows)


def read_tables(engine: Engine) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every table to export as (header, rows of canonical text), in one read transaction."""
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    with engine.connect() as conn, conn.begin():
        for spec in SPECS:
            frame = read_canonical(conn, spec)
            if frame.empty and not spec.required:
                continue
            out[spec.name] = table_rows(spec, frame)
    return out


def table_rows(spec: TableSpec, frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """A table's header and rows of canonical text, as the export and the backup write them.

    A column a later format version added (``Col.since`` > 1) is written only when some
    row uses it: holding only its default or nothing, it is left out, so a portfolio
    that does not use it exports byte for byte as it did before that version (an import
    reads the missing column as its default again).
    """
    header = [c.name for c in spec.columns if not unused_later_column(c, frame)]
    rows = frame[header].values.tolist() if len(frame) else []
    if spec.attributes and len(frame):
        extras = [attributes_of(t) for t in frame[ATTRIBUTES].tolist()]
        names = sorted({k for e in extras for k in e})
        header += names
        rows = [row + [e.get(n, "") for n in names] for row, e in zip(rows, extras, strict=True)]
    return header, rows


def unused_later_column(col: Col, frame: pd.DataFrame) -> bool:
    """Whether ``col`` came after format version 1 and no row of ``frame`` sets it.

    Every cell empty or the column's default (``recallable`` all ``false``): the column
    says nothing, and writing it would change the bytes of every existing export.
    """
    if col.since <= 1:
        return False
    unset = ("", col.default) if col.default is not None else ("",)
    return bool(frame[col.name].isin(unset).all()) if len(frame) else True


# csv.writer quotes a field holding the delimiter, the quote or a character of its
# line terminator ("\n") but not a bare "\r", which every CSV reader takes as a line
# break: a name imported as "Care leavers\rpartnership" would come back as two rows.
_QUOTE_WHEN = frozenset(',"\r\n')


def csv_field(value: str) -> str:
    """One cell as the export writes it: as it is, or quoted when it holds , " CR or LF."""
    if _QUOTE_WHEN.isdisjoint(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """CSV with LF endings, quoting only what must be (csv.writer's minimal quoting, plus CR).

    A cell a spreadsheet would run as a formula gets a leading apostrophe
    (``escape_formula``); reading the CSV (``parse_csv_bytes``) takes it off again.
    """
    lines = []
    for row in [header, *rows]:
        # a row of one empty cell is written as "" so that it is not read as a blank line
        lines.append('""' if row == [""] else ",".join(csv_field(escape_formula(v)) for v in row))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def export_portfolio(engine: Engine, path: Path) -> ExportReport:
    require_schema(engine)
    tables = read_tables(engine)
    if path.suffix.lower() == ".xlsx":
        _write_workbook(path, tables)
    elif path.suffix:
        raise UsageError(f"{path}: export writes a folder of CSV files or an .xlsx workbook")
    else:
        _write_folder(path, tables)
    return ExportReport(str(path), tuple((n, len(r)) for n, (_, r) in tables.items()))


def _write_folder(folder: Path, tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    if folder.exists() and any(p.suffix == ".csv" for p in folder.iterdir()):
        stale = {p.stem for p in folder.glob("*.csv")} - set(tables)
        if stale:
            raise UsageError(
                f"{folder}: holds {', '.join(sorted(stale))}.csv from another export, "
                "which an import would read: export into an empty folder"
            )
    folder.mkdir(parents=True, exist_ok=True)
    # Write beside the target, then move into place: a failed export leaves no half files.
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        for name, (header, rows) in tables.items():
            (Path(scratch) / f"{name}.csv").write_bytes(csv_bytes(header, rows))
        for name in tables:
            shutil.move(str(Path(scratch) / f"{name}.csv"), folder / f"{name}.csv")


def _write_workbook(path: Path, tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    from openpyxl import Workbook

    kinds = {s.name: {c.name: c.kind for c in s.columns} for s in SPECS}
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name)
        append_row(sheet, header)
        for row in rows:
            # text stays text: "=..." is written as a text cell, never as a formula
            append_row(
                sheet,
                [_cell(kinds[name].get(h, "text"), v) for h, v in zip(header, row, strict=True)],
            )
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _cell(kind: str, text: str) -> object:
    if text == "":
        return None
    if kind == "money":
        return Decimal(text)  # a numeric cell (openpyxl writes Decimal as a number)
    if kind in ("count", "year"):
        return int(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text
