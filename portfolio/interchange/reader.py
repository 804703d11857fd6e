"""Read a portfolio (a folder of CSV files or an .xlsx workbook) into raw text tables.

Nothing is interpreted here beyond text: every cell becomes a string exactly as
a user would see it, so that parsing (``parse.py``) can name the row and column
of anything wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from passu.portfolio.errors import InputError, Problem, UsageError, show
from passu.portfolio.interchange.tables import BY_NAME


@dataclass(frozen=True)
class RawTable:
    name: str
    file: str  # how errors name it: "projects.csv" or "book.xlsx[projects]"
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


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
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue  # a README or notes beside the tables
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        name = path.stem
        if name not in BY_NAME:
            problems.append(
                Problem(path.name, None, None, f"a table of the format ({_known()})", show(name))
            )
            continue
        try:
            tables[name] = parse_csv_bytes(name, path.name, data)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return RawPortfolio(folder, tables, digest.hexdigest())


def parse_csv_bytes(name: str, file: str, data: bytes) -> RawTable:
    if not data:
        raise InputError(Problem(file, None, None, "a header row", "an empty (0-byte) file"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # Excel writes a BOM; the content is still UTF-8
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n")
        bad = data[error.start : error.start + 1].hex()
        raise InputError(
            Problem(file, line, None, "UTF-8 text", f"byte 0x{bad} (another encoding?)")
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise InputError(
            Problem(file, max(reader.line_num - 1, 0), None, "well-formed CSV", str(error))
        ) from None
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # trailing blank lines
    if not records:
        raise InputError(Problem(file, None, None, "a header row", "no rows"))
    header = tuple(h.strip() for h in records[0])
    width = len(header)
    rows = [tuple(r) for r in records[1:]]
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise InputError(
                Problem(file, number, None, f"{width} cells as in the header", f"{len(row)}")
            )
    return RawTable(name, file, header, rows)


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
                Problem(file, None, None, f"a sheet named for a table ({_known()})", show(name))
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


def _known() -> str:
    return ", ".join(sorted(BY_NAME))
