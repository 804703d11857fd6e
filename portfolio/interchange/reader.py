"""Read a portfolio (a folder of CSV files or an .xlsx workbook) into raw text tables.

Nothing is interpreted here beyond text: every cell becomes a string exactly as
a user would see it, so that parsing (``parse.py``) can name the row and column
of anything wrong. CSV is read by ``valuation/raw_tables.py`` (``Ledger.from_csv``
reads a folder the same way); the workbook, which needs openpyxl, is read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from passu.portfolio.errors import InputError, Problem, UsageError, show
from passu.portfolio.interchange.parse import input_error
from passu.valuation import raw_tables
from passu.valuation.problems import LedgerInputError
from passu.valuation.raw_tables import RawTable, known
from passu.valuation.schema import BY_NAME

__all__ = ["RawPortfolio", "RawTable", "parse_csv_bytes", "read_portfolio"]


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


# --- CSV ------------------------------------------------------------------------


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


def _read_workbook(path: Path) -> RawPortfolio:
    from openpyxl import load_workbook  # imported here: costly and only needed for .xlsx

    data = path.read_bytes()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise InputError(Problem(path.name, None, None, "an .xlsx workbook", str(error))) from None
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    for sheet in book.worksheets:
        name = sheet.title
        file = f"{path.name}[{name}]"
        if name not in BY_NAME:
            problems.append(
                Problem(file, None, None, f"a sheet named for a table ({known()})", show(name))
            )
            continue
        rows: list[tuple[str, ...]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=0):
            values: list[str] = []
            for cell in cells:
                text, problem = _cell_text(cell, file, number)
                if problem:
                    problems.append(problem)
                values.append(text)
            rows.append(tuple(values))
        while rows and not any(v.strip() for v in rows[-1]):
            rows.pop()
        if not rows:
            problems.append(Problem(file, None, None, "a header row", "an empty sheet"))
            continue
        header = tuple(h.strip() for h in rows[0])
        while header and not header[-1]:
            header = header[:-1]
        width = len(header)
        body = [tuple((list(r) + [""] * width)[:width]) for r in rows[1:]]
        for number, row in enumerate(rows[1:], start=1):
            if any(v.strip() for v in row[width:]):
                problems.append(Problem(file, number, None, f"{width} cells as in the header"))
        tables[name] = RawTable(name, file, header, body)
    book.close()
    if problems:
        raise InputError(problems)
    return RawPortfolio(path, tables, hashlib.sha256(data).hexdigest())


def _cell_text(cell: object, file: str, row: int) -> tuple[str, Problem | None]:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    column = getattr(cell, "column_letter", None)
    where = f"cell {column}{row + 1}" if column else None
    if kind == "f":
        return "", Problem(file, row, where, "a value, not a formula", show(value))
    if kind == "e":
        return "", Problem(file, row, where, "a value", f"the error cell {value}")
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return "", Problem(file, row, where, "a date without a time", show(value))
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 1250000.5, 0.25
        return (str(int(value)) if value.is_integer() else repr(value)), None
    return str(value), None
