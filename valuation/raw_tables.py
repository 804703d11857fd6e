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

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

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
    rows: Sequence[Sequence[str]]
    first_row: int = 1  # the file's data row number of ``rows[0]`` (a chunk of a long file)


@dataclass(frozen=True)
class RawFolder:
    tables: dict[str, RawTable]
    sha256: str  # of the files' names and bytes, for the audit trail and run fingerprints


@dataclass(frozen=True)
class CsvFile:
    """A table's CSV file, checked but not yet read (``scan_csv_folder``)."""

    name: str
    file: str
    path: Path
    quoted: bool  # holds an apostrophe, so a cell may carry the export's formula escape


@dataclass(frozen=True)
class CsvFolder:
    files: dict[str, CsvFile]
    sha256: str  # the same digest as ``RawFolder.sha256``


def _table_files(folder: Path, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """(table name, path) of each ``*.csv`` of ``folder`` in name order; a link out of the
    folder or a file named for no table is a problem (other files are notes, ignored)."""
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
        yield path.stem, path


def read_csv_folder(folder: Path) -> RawFolder:
    """Every ``*.csv`` of ``folder`` (other files are notes beside the tables, ignored).

    Refuses, all problems together: a CSV named for no table of the format, an
    empty file, a file that is not UTF-8 (a UTF-8 BOM is allowed), malformed CSV,
    a data row with more or fewer cells than the header.
    """
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    digest = hashlib.sha256()
    for name, path in _table_files(folder, problems):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        if name not in BY_NAME:
            problems.append(_unknown_table(path.name, name))
            continue
        try:
            tables[name] = parse_csv_bytes(name, path.name, data)
        except LedgerInputError as error:
            problems.extend(error.problems)
    if problems:
        raise LedgerInputError(problems)
    return RawFolder(tables, digest.hexdigest())


def scan_csv_folder(folder: Path) -> CsvFolder:
    """The folder's tables without holding any in memory, for reading in chunks.

    Each file is read once here, a block at a time, for the folder's digest (the same
    as ``read_csv_folder``'s) and to refuse what needs the whole file: an empty file
    and bytes that are not UTF-8 (named by line, as ``parse_csv_bytes`` does). The
    cells are read later by ``csv_chunks``, which refuses malformed CSV and ragged rows.
    """
    problems: list[Problem] = []
    files: dict[str, CsvFile] = {}
    digest = hashlib.sha256()
    for name, path in _table_files(folder, problems):
        digest.update(path.name.encode() + b"\0")
        found = _scan_bytes(path, path.name, digest)
        if name not in BY_NAME:
            problems.append(_unknown_table(path.name, name))
        elif isinstance(found, Problem):
            problems.append(found)
        else:
            files[name] = CsvFile(name, path.name, path, found)
    if problems:
        raise LedgerInputError(problems)
    return CsvFolder(files, digest.hexdigest())


_BLOCK = 1 << 20


def _scan_bytes(path: Path, file: str, digest: Any) -> Problem | bool:
    """Hash a file's bytes; the problem with them, else whether an apostrophe occurs."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0  # line breaks before the block being decoded
    quoted = False
    size = 0
    problem: Problem | None = None
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            if problem is not None:
                continue  # the digest still covers every byte
            if size == 0 and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]  # Excel writes a BOM; the content is still UTF-8
                size = 3
            size += len(block)
            quoted = quoted or b"'" in block
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                problem = _not_utf8(file, lines + error.object[: error.start].count(b"\n"), error)
                continue
            lines += block.count(b"\n")
        if problem is None and size:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                problem = _not_utf8(file, lines + error.object[: error.start].count(b"\n"), error)
    if problem is not None:
        return problem
    if size == 0:
        return Problem(file, None, None, "a header row", "an empty (0-byte) file")
    return quoted


def _not_utf8(file: str, line: int, error: UnicodeDecodeError) -> Problem:
    bad = error.object[error.start : error.start + 1].hex()
    return Problem(file, line, None, "UTF-8 text", f"byte 0x{bad} (another encoding?)")


def _unknown_table(file: str, name: str) -> Problem:
    return Problem(file, None, None, f"a table of the format ({known()})", show(name))


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
        raise LedgerInputError(_not_utf8(file, line, error)) from None
    stream = io.StringIO(text, newline="")
    (table,) = _chunks(name, file, stream, "'" in text, None)
    return table


def csv_chunks(source: CsvFile, chunk_rows: int | None) -> Iterator[RawTable]:
    """A scanned CSV file's rows, ``chunk_rows`` at a time, each chunk a ``RawTable``
    whose ``first_row`` numbers it in the file; at least one (perhaps empty) chunk.
    Raises ``LedgerInputError`` as ``parse_csv_bytes`` does, at the chunk it reaches."""
    with source.path.open(encoding="utf-8-sig", newline="") as stream:
        yield from _chunks(source.name, source.file, stream, source.quoted, chunk_rows)


def _chunks(
    name: str, file: str, stream: IO[str], quoted: bool, chunk_rows: int | None
) -> Iterator[RawTable]:
    """The rows of a CSV text stream in chunks (``None``: one chunk of every row).

    Trailing blank lines are dropped; a blank line before the last row is kept (and
    refused for its width). A row is numbered as people count data rows: 1 first.
    """
    reader = csv.reader(stream, strict=True)
    try:
        first = next(reader, None)
        if first is not None and len(first) > MAX_COLUMNS:
            # refused before any row is read: a million columns is a wrong file, not a table
            raise LedgerInputError(
                Problem(file, 0, None, f"at most {MAX_COLUMNS:,} columns", f"{len(first):,}")
            )
        if first is None:
            raise LedgerInputError(Problem(file, None, None, "a header row", "no rows"))
        header = tuple(h.strip() for h in _unescaped(first, quoted))
        width = len(header)
        rows: list[Sequence[str]] = []  # read, checked, not yet handed out
        held: list[list[str]] = []  # blank lines at the end so far: dropped if nothing follows
        number = 0  # data rows checked so far
        start = 1  # the row number of rows[0]
        batch_rows = chunk_rows or _BATCH_ROWS
        # A batch at a time, so that parsing and checking run in C (a million rows):
        # only a batch's ragged rows and its blank tail are looked at one by one.
        while batch := list(islice(reader, batch_rows)):
            batch = held + batch
            end = len(batch)
            while end and not "".join(batch[end - 1]).strip():
                end -= 1
            held = batch[end:]
            batch = batch[:end]
            if set(map(len, batch)) - {width}:
                for i, row in enumerate(batch):
                    _check_width(file, number + i + 1, row, width)
            if quoted:
                batch = [_unescaped(row, quoted) for row in batch]
            number += len(batch)
            rows += batch
            if chunk_rows is not None and len(rows) >= chunk_rows:
                yield RawTable(name, file, header, rows, start)
                start, rows = number + 1, []
    except csv.Error as error:
        raise LedgerInputError(
            Problem(file, max(reader.line_num - 1, 0), None, "well-formed CSV", str(error))
        ) from None
    if number == 0 and not "".join(first).strip():
        raise LedgerInputError(Problem(file, None, None, "a header row", "no rows"))
    if rows or start == 1:
        yield RawTable(name, file, header, rows, start)


_BATCH_ROWS = 50_000


def _check_width(file: str, number: int, row: Sequence[str], width: int) -> None:
    if len(row) != width:
        raise LedgerInputError(
            Problem(file, number, None, f"{width} cells as in the header", f"{len(row)}")
        )


def _unescaped(row: list[str], quoted: bool) -> list[str]:
    """Take the export's formula escape off a row's cells (only a file holding ``'`` can)."""
    if not quoted:
        return row
    return [unescape_formula(c) if c[:1] == "'" else c for c in row]


def known() -> str:
    """The format's table names, for messages about a file or sheet named for none."""
    return ", ".join(sorted(BY_NAME))
