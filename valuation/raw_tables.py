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
import re
from dataclasses import dataclass
from pathlib import Path

from passu.valuation.problems import LedgerInputError, Problem, show
from passu.valuation.schema import BY_NAME

# The widest header a table may have: the format's widest table has a dozen columns,
# so anything near this is a wrong file, refused before its rows are read.
MAX_COLUMNS = 1000

# A spreadsheet takes a cell beginning with one of these for a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Numbers as passu writes them (-1250.5, 0.25, 1e-05): a spreadsheet reads them as numbers.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# What the escape wrote: an apostrophe before apostrophes and a formula's first character.
_ESCAPED = re.compile("'+[=+\\-@\t\r]")
_MAYBE_ESCAPED = frozenset((*FORMULA_START, "'"))


def escape_formula(value: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading apostrophe before a formula's start.

    OWASP's rule for CSV injection. A value beginning ``=``, ``+``, ``-``, ``@``, tab or
    CR (after any apostrophes) gains one leading apostrophe, so ``=HYPERLINK(...)`` is
    written ``'=HYPERLINK(...)``; a plain number such as ``-0.25`` is left alone.
    :func:`unescape_formula` takes the apostrophe off again, so the pair round-trips
    every text exactly.
    """
    if not value or value[0] not in _MAYBE_ESCAPED:
        return value  # the common case, kept fast: exports write millions of cells
    first = value.lstrip("'")[:1]
    if first and first in FORMULA_START and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The inverse of :func:`escape_formula`: one leading apostrophe removed before a
    formula's first character (``'=x`` → ``=x``, ``''-x`` → ``'-x``); else unchanged."""
    return value[1:] if value[:1] == "'" and _ESCAPED.match(value) else value


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
    inside = folder.resolve()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue  # a README or notes beside the tables (a FIFO or a folder is no file)
        if path.is_symlink() and inside not in path.resolve().parents:
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    "a file inside the folder (a link is followed only within it)",
                    f"a link to {path.resolve()}",
                )
            )
            continue
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
        first = next(reader, None)
        if first is not None and len(first) > MAX_COLUMNS:
            # refused before any row is read: a million columns is a wrong file, not a table
            raise LedgerInputError(
                Problem(file, 0, None, f"at most {MAX_COLUMNS:,} columns", f"{len(first):,}")
            )
        records = [] if first is None else [first, *reader]
    except csv.Error as error:
        raise LedgerInputError(
            Problem(file, max(reader.line_num - 1, 0), None, "well-formed CSV", str(error))
        ) from None
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # trailing blank lines
    if not records:
        raise LedgerInputError(Problem(file, None, None, "a header row", "no rows"))
    if "'" in text:  # only then can a cell carry the export's formula escape
        records = [[unescape_formula(c) if c[:1] == "'" else c for c in r] for r in records]
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
