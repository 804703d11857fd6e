"""A folder of interchange CSV files as raw text tables: nothing interpreted beyond text.

Every cell becomes a string exactly as a user would see it, so that checking the
cells (``valuation/cells.py``) can name the row and column of anything wrong.
``Ledger.from_csv`` and ``passu import`` both read CSV through here (the workbook
reader in ``portfolio/interchange/reader.py`` builds the same ``RawTable``), so a
file is refused the same way, with the same message, by either. This module is
the one place ``valuation/`` touches files: reading a CSV folder is what
``Ledger.from_csv`` is for.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from passu.valuation.problems import LedgerInputError, Problem, show
from passu.valuation.schema import BY_NAME


@dataclass(frozen=True)
class RawTable:
    name: str
    file: str  # how errors name it: "projects.csv" or "book.xlsx[projects]"
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class RawFolder:
    tables: dict[str, RawTable]
    sha256: str  # of the files' names and bytes, for the audit trail and run fingerprints


def read_csv_folder(folder: Path) -> RawFolder:
    """Every ``*.csv`` of ``folder`` (other files are notes beside the tables, ignored).

    Refuses, all problems together: a CSV named for no table of the format, an
    empty file, a file that is not UTF-8 (a UTF-8 BOM is allowed), malformed CSV,
    a data row with more or fewer cells than the header.
    """
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
                Problem(path.name, None, None, f"a table of the format ({known()})", show(name))
            )
            continue
        try:
            tables[name] = parse_csv_bytes(name, path.name, data)
        except LedgerInputError as error:
            problems.extend(error.problems)
    if problems:
        raise LedgerInputError(problems)
    return RawFolder(tables, digest.hexdigest())


def parse_csv_bytes(name: str, file: str, data: bytes) -> RawTable:
    """One CSV file's bytes as a raw table; raises ``LedgerInputError`` naming the line."""
    if not data:
        raise LedgerInputError(Problem(file, None, None, "a header row", "an empty (0-byte) file"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # Excel writes a BOM; the content is still UTF-8
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n")
        bad = data[error.start : error.start + 1].hex()
        raise LedgerInputError(
            Problem(file, line, None, "UTF-8 text", f"byte 0x{bad} (another encoding?)")
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise LedgerInputError(
            Problem(file, max(reader.line_num - 1, 0), None, "well-formed CSV", str(error))
        ) from None
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # trailing blank lines
    if not records:
        raise LedgerInputError(Problem(file, None, None, "a header row", "no rows"))
    header = tuple(h.strip() for h in records[0])
    width = len(header)
    rows = [tuple(r) for r in records[1:]]
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise LedgerInputError(
                Problem(file, number, None, f"{width} cells as in the header", f"{len(row)}")
            )
    return RawTable(name, file, header, rows)


def known() -> str:
    """The format's table names, for messages about a file or sheet named for none."""
    return ", ".join(sorted(BY_NAME))
