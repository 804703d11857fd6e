"""Read a portfolio (a folder of CSV files or an .xlsx workbook) into raw text tables.

Nothing is interpreted here beyond text: every cell becomes a string exactly as
a user would see it, so that parsing (``parse.py``) can name the row and column
of anything wrong. CSV is read by ``valuation/raw_tables.py`` (``Ledger.from_csv``
reads a folder the same way); the workbook, which needs openpyxl, is read here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, repeat
from pathlib import Path
from typing import IO, Any

import pandas as pd

from passu.portfolio.errors import InputError, Problem, UsageError, show
from passu.portfolio.interchange.parse import input_error
from passu.valuation import raw_tables
from passu.valuation.cells import FrameRows
from passu.valuation.problems import LedgerInputError
from passu.valuation.raw_tables import MAX_COLUMNS, RawTable, known
from passu.valuation.schema import BY_NAME

__all__ = [
    "PortfolioSource",
    "RawPortfolio",
    "RawTable",
    "open_portfolio",
    "parse_csv_bytes",
    "read_portfolio",
]

MAX_SHEET_PROBLEMS = 1000  # a sheet stops being read once it has this many (the CLI shows 100)


@dataclass(frozen=True)
class RawPortfolio:
    source: Path
    tables: dict[str, RawTable]
    sha256: str  # of the input bytes, for the audit trail and run fingerprints


def read_portfolio(path: Path) -> RawPortfolio:
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return _read_workbook(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    raise UsageError(f"{path}: expected a folder of CSV files or an .xlsx workbook")


@dataclass(frozen=True)
class PortfolioSource:
    """A portfolio opened for reading a table at a time, in chunks of rows.

    A folder's CSV files are checked and hashed up front but read only as their
    chunks are asked for, so that a ledger of millions of flows is never in memory
    whole; a workbook is read whole (openpyxl's cells are its own), then handed out in
    chunks the same way.
    """

    source: Path
    files: dict[str, str]  # table name → how problems name its file
    sha256: str
    folder: raw_tables.CsvFolder | None = None
    workbook: RawPortfolio | None = None

    def chunks(self, name: str, chunk_rows: int | None) -> Iterator[RawTable]:
        """A table's rows, ``chunk_rows`` at a time (``None``: all at once); raises
        ``InputError`` for a malformed file, at the chunk that reaches the fault."""
        if self.workbook is not None:
            table = self.workbook.tables[name]
            step = chunk_rows or max(len(table.rows), 1)
            for start in range(0, max(len(table.rows), 1), step):
                rows = table.rows[start : start + step]
                yield RawTable(table.name, table.file, table.header, rows, start + 1)
            return
        assert self.folder is not None
        file = self.folder.files[name]
        handed = 0  # chunks already handed out by the plain reader
        if chunk_rows is not None and not file.quoted:
            try:
                for table in _plain_csv_chunks(file, chunk_rows):
                    yield table
                    handed += 1
                return
            except _NotPlain:
                pass  # read on with the csv module, which words whatever is wrong
        try:
            for number, table in enumerate(raw_tables.csv_chunks(file, chunk_rows)):
                if number >= handed:
                    yield table
        except LedgerInputError as error:
            raise input_error(error) from None


def open_portfolio(path: Path) -> PortfolioSource:
    """A folder of CSV files or an .xlsx workbook, opened for ``PortfolioSource.chunks``."""
    if path.is_dir():
        try:
            folder = raw_tables.scan_csv_folder(path)
        except LedgerInputError as error:
            raise input_error(error) from None
        files = {name: f.file for name, f in folder.files.items()}
        return PortfolioSource(path, files, folder.sha256, folder=folder)
    raw = read_portfolio(path)
    files = {name: t.file for name, t in raw.tables.items()}
    return PortfolioSource(path, files, raw.sha256, workbook=raw)


# --- CSV ------------------------------------------------------------------------


class _NotPlain(Exception):
    """A chunk the plain reader cannot vouch for: the csv module reads the file instead."""


def _plain_csv_chunks(source: raw_tables.CsvFile, chunk_rows: int) -> Iterator[RawTable]:
    """A long CSV file's chunks exactly as ``raw_tables.csv_chunks`` gives them, read by
    pandas' C parser (five times quicker than the csv module over a million flows).

    Only plain text is read here: no quote, no CR, no NUL, no blank line, no line longer
    than the csv module's largest cell, and every line holding exactly the header's
    number of commas, so that splitting at commas is all the csv module would do. Each
    chunk is vouched for before it is handed out; at the first that cannot be,
    ``_NotPlain`` is raised and the caller reads the file with the csv module, skipping
    the chunks already handed out (the same rows, numbered alike: a chunk is only handed
    out here if its last row is not blank, the one case where the csv module moves rows
    to the next chunk), so that every fault is worded and placed as it always was.
    The register's tables, read whole, and files holding an apostrophe (the export's
    formula escape) are left to the csv module.
    """
    with source.path.open(encoding="utf-8-sig", newline="") as stream:
        try:
            first = stream.readline()
            if not _plain(first) or not first.endswith("\n"):
                raise _NotPlain
            names = first[:-1].split(",")
            if len(names) > raw_tables.MAX_COLUMNS or not "".join(names).strip():
                raise _NotPlain  # refused by the csv module's reader, in its words
            header = tuple(h.strip() for h in names)
            width = len(header)
            start = 1
            while lines := list(islice(stream, chunk_rows)):
                yield RawTable(source.name, source.file, header, _plain_rows(lines, width), start)
                start += len(lines)
        except UnicodeDecodeError:
            raise _NotPlain from None  # worded by the csv module's reader
        if start == 1:
            raise _NotPlain  # no rows: the csv module's reader says what that means


def _plain(text: str) -> bool:
    return '"' not in text and "\r" not in text and "\x00" not in text


def _plain_rows(lines: list[str], width: int) -> FrameRows:
    """A chunk's lines split at commas, vouched for as the csv module would read them."""
    text = "".join(lines)
    if not _plain(text) or text.startswith("\n") or "\n\n" in text:
        raise _NotPlain
    if set(map(str.count, lines, repeat(","))) != {width - 1}:
        raise _NotPlain  # a ragged row
    if max(map(len, lines)) > csv.field_size_limit():
        raise _NotPlain  # perhaps a cell the csv module refuses as too large
    last = lines[-1]
    if not last.replace(",", "").strip():
        raise _NotPlain  # a blank last row: held back, or dropped at the end, by csv_chunks
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            names=range(width),
            index_col=False,
            dtype=object,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        raise _NotPlain from None
    if len(frame) != len(lines):
        raise _NotPlain
    return FrameRows(frame)


def _read_folder(folder: Path) -> RawPortfolio:
    try:
        read = raw_tables.read_csv_folder(folder)
    except LedgerInputError as error:
        raise input_error(error) from None
    return RawPortfolio(folder, read.tables, read.sha256)


def parse_csv_bytes(name: str, file: str, data: bytes) -> RawTable:
    """One CSV file's bytes as a raw table; raises ``InputError`` naming the line."""
    try:
        return raw_tables.parse_csv_bytes(name, file, data)
    except LedgerInputError as error:
        raise input_error(error) from None


# --- workbook -------------------------------------------------------------------

# What a workbook may hold before it is read: far above any portfolio, far below a bomb.
MAX_XML_BYTES = 2 * 1024**3  # uncompressed, all parts together
_PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only come before the root element


def _read_workbook(path: Path) -> RawPortfolio:
    from openpyxl import load_workbook  # imported here: costly and only needed for .xlsx

    data = path.read_bytes()
    _refuse_unsafe_package(path, data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise InputError(
            Problem(path.name, None, None, "an .xlsx workbook", show(error, 120))
        ) from None
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        for sheet in book.worksheets:
            name = sheet.title
            file = f"{path.name}[{name}]"
            state = getattr(sheet, "sheet_state", "visible")
            if state != "visible":
                # a hidden sheet is easy to overlook: what is imported must be what is seen
                found = "a very hidden sheet" if state == "veryHidden" else "a hidden sheet"
                problems.append(Problem(file, None, None, "a visible sheet", found))
                continue
            if name not in BY_NAME:
                problems.append(
                    Problem(file, None, None, f"a sheet named for a table ({known()})", show(name))
                )
                continue
            table = _read_sheet(sheet, name, file, problems)
            if table is not None:
                tables[name] = table
    except Exception as error:  # a damaged sheet part (bad XML, an impossible cell)
        raise InputError(
            Problem(path.name, None, None, "an .xlsx workbook", show(error, 120))
        ) from None
    finally:
        book.close()
    if problems:
        raise InputError(problems)
    return RawPortfolio(path, tables, hashlib.sha256(data).hexdigest())


def _refuse_unsafe_package(path: Path, data: bytes) -> None:
    """Refuse, before openpyxl reads anything, a workbook built to exhaust the reader.

    XML parts declaring a DOCTYPE (the carrier of entity bombs and external entities:
    Excel never writes one) and parts whose uncompressed size passes ``MAX_XML_BYTES``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise InputError(
            Problem(path.name, None, None, "an .xlsx workbook (a zip)", show(error, 120))
        ) from None
    with archive:
        parts = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
        total = sum(i.file_size for i in parts)
        if total > MAX_XML_BYTES:
            raise InputError(
                Problem(
                    path.name,
                    None,
                    None,
                    f"an .xlsx workbook of at most {MAX_XML_BYTES // 1024**3} GiB of XML",
                    f"{total:,} bytes",
                )
            )
        for info in parts:
            try:
                with archive.open(info) as member:
                    declared = _declares_doctype(member)
            except Exception as error:  # a damaged member: bad CRC, unknown compression
                raise InputError(
                    Problem(path.name, None, None, "an .xlsx workbook", show(error, 120))
                ) from None
            if declared:
                raise InputError(
                    Problem(
                        f"{path.name}[{info.filename}]",
                        None,
                        None,
                        "XML without a DOCTYPE or entity declarations (Excel writes none)",
                        "a DOCTYPE: an entity bomb or an external entity is refused unread",
                    )
                )


_ELEMENT_START = re.compile(rb"<[A-Za-z_:]")


def _declares_doctype(member: IO[bytes]) -> bool:
    """Whether an XML part declares a DOCTYPE: read only up to its root element's start
    (where a DOCTYPE must be), however much padding a prolog carries."""
    seen = b""
    while chunk := member.read(_PROLOG_BYTES):
        seen = seen[-16:] + chunk  # a marker may straddle two chunks
        root = _ELEMENT_START.search(seen)
        prolog = seen if root is None else seen[: root.start()]
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
            return True
        if root is not None:
            return False
    return False


def _read_sheet(sheet: Any, name: str, file: str, problems: list[Problem]) -> RawTable | None:
    """One sheet's cells, as the rows of its XML say, whatever its ``<dimension>`` claims.

    openpyxl's read-only mode trusts the declared dimension, which another program
    may have written too small (rows silently cut off) or as A1:XFD1048576 (millions
    of empty cells made up): the rows are read from the sheet's own cells instead, one
    cell at a time, so the work is in proportion to the cells really there. The header
    is the sheet's first row; a blank row before the last is refused, never dropped.
    """
    header: tuple[str, ...] | None = None
    width = 0
    body: list[tuple[str, ...]] = []
    blank: int | None = None  # the sheet row of the first blank row after the header
    previous = 1  # the sheet row of the last row read
    before = len(problems)
    for number, cells in _sheet_rows(sheet):
        if len(problems) - before >= MAX_SHEET_PROBLEMS:
            return None  # enough to act on; the rest of a broken sheet is not read
        values: dict[int, str] = {}
        for cell in cells:
            column = cell["column"]
            text, problem = _cell_text(cell, file, number, header, name)
            if problem:
                problems.append(problem)
            if text.strip() or column <= width:
                values[column] = text
        if header is None:
            last = max((c for c, v in values.items() if v.strip()), default=0)
            if number != 1 and last:
                found = f"row {number}"
                problems.append(Problem(file, None, None, "the header in the sheet's row 1", found))
                return None
            if not last:
                continue  # blank rows before any header: an empty sheet, unless one follows
            if last > MAX_COLUMNS:
                problems.append(
                    Problem(file, 0, None, f"at most {MAX_COLUMNS:,} columns", f"{last:,}")
                )
                return None
            header = tuple(values.get(c, "").strip() for c in range(1, last + 1))
            width = len(header)
            continue
        if not any(v.strip() for v in values.values()):
            blank = number if blank is None else blank
            continue
        if blank is not None or number != previous + 1:
            gap = blank if blank is not None else previous + 1
            problems.append(
                Problem(
                    file,
                    gap - 1,
                    None,
                    "no blank row inside the table (a table ends at its last row)",
                    "a blank row",
                )
            )
            return None
        previous = number
        wide = [c for c, v in values.items() if c > width and v.strip()]
        if wide:
            found = f"a value in {_letter(max(wide))}{number}"
            expected = f"{width} cells as in the header"
            problems.append(Problem(file, number - 1, None, expected, found))
            continue
        body.append(tuple(values.get(c, "") for c in range(1, width + 1)))
    if header is None:
        problems.append(Problem(file, None, None, "a header row", "an empty sheet"))
        return None
    return RawTable(name, file, header, body)


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(sheet row number, the row's cells as openpyxl parses them), only rows present.

    openpyxl's own ``iter_rows`` pads every row to the declared (or widest) column and
    makes up each missing row; its parser gives the cells that are there. This is
    openpyxl's ``ReadOnlyWorksheet._cells_by_row`` without the padding.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()


def _cell_text(
    cell: dict[str, Any], file: str, row: int, header: tuple[str, ...] | None, table: str
) -> tuple[str, Problem | None]:
    """A cell's text as a user sees it; ``row`` is the sheet's row (1: the header)."""
    value = cell["value"]
    kind = cell["data_type"]
    where = f"cell {_letter(cell['column'])}{row}"
    if kind == "f":
        return "", Problem(file, row - 1, where, "a value, not a formula", show(value))
    if kind == "e":
        return "", Problem(file, row - 1, where, "a value", f"the error cell {value}")
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return "", Problem(file, row - 1, where, "a date without a time", show(value))
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, dt.time | dt.timedelta):
        return "", Problem(file, row - 1, where, "a value, not a time", show(value))
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        return _float_text(value, _column_kind(header, cell["column"], table)), None
    return str(value), None


def _letter(column: int) -> str:
    """A column's letters, as a spreadsheet names it: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_kind(header: tuple[str, ...] | None, column: int, table: str) -> str:
    if header is None or column > len(header):
        return "text"
    try:
        return BY_NAME[table].col(header[column - 1]).kind
    except KeyError:
        return "text"  # an attribute column


def _float_text(value: float, kind: str) -> str:
    """A numeric cell as the number a person typed, without binary noise.

    A float is the nearest binary fraction to what was typed or computed: 0.1 + 0.2
    is held as 0.30000000000000004. Excel shows numbers to 15 significant digits,
    so the cell is read that way; a money cell within a billionth of a penny amount
    is that amount (0.30), while 0.305 stays 0.305 and is refused for its third
    decimal.
    """
    if not math.isfinite(value):
        return repr(value)
    if value.is_integer():
        return str(int(value))
    if kind == "money":
        pence = round(value * 100)
        if abs(value * 100 - pence) < 1e-9 * max(1.0, abs(value)):
            return f"{pence / 100:.2f}"
    text = format(Decimal(f"{value:.15g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
