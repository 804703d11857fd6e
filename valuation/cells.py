"""Check every cell of a raw table against its schema and give it canonical text.

Canonical text is the export's form of a value (money with two decimals, ISO
dates, normalised decimals, ``true``/``false``), so an import, the database and
an export can be compared cell by cell, and an export re-imported is unchanged.
``passu import`` and ``Ledger.from_csv`` both check cells here, so a bad cell is
refused by either with the same message. The checks are vectorised over whole
columns: a ledger has millions of rows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import overload

import numpy as np
import pandas as pd

from passu.valuation.problems import LedgerInputError, Problem, show
from passu.valuation.raw_tables import RawTable
from passu.valuation.schema import (
    ATTRIBUTES,
    BY_NAME,
    FLOW_TABLES,
    REQUIRED_TABLES,
    SCHEMAS,
    Col,
    TableSchema,
)

MAX_PROBLEMS_PER_COLUMN = 5
ROW = "__row__"  # 1-based data row number, kept for messages

# At most twelve digits of pounds (under £1 trillion a cell): sums of a ledger's
# pence then stay far inside int64 however many rows they add up.
_MONEY = r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_DECIMAL = r"-?[0-9]{1,18}(\.[0-9]{1,12})?"
_COUNT = r"[0-9]{1,9}"
MIN_DATE, MAX_DATE = "1900-01-01", "2199-12-31"


class FrameRows(Sequence[Sequence[str]]):
    """A raw table's rows held as a frame of text columns (position-named), as a fast
    reader parsed them: checking them then builds no frame from a million tuples."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    @overload
    def __getitem__(self, index: int) -> Sequence[str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[str]]: ...

    def __getitem__(self, index: int | slice) -> Sequence[str] | Sequence[Sequence[str]]:
        if isinstance(index, slice):
            return FrameRows(self.frame.iloc[index].reset_index(drop=True))
        return tuple(self.frame.iloc[index].tolist())


def canonical_frame(raw: RawTable, spec: TableSchema) -> tuple[pd.DataFrame, list[Problem]]:
    """The table as canonical text (``""`` for empty), plus every problem found."""
    problems = _header_problems(raw, spec)
    if problems:
        return pd.DataFrame(), problems
    if isinstance(raw.rows, FrameRows):
        frame = raw.rows.frame.set_axis(list(raw.header), axis=1)
    else:
        frame = pd.DataFrame(raw.rows, columns=list(raw.header), dtype=object)
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        cells = frame[col.name] if col.name in frame.columns else pd.Series("", index=frame.index)
        text, col_problems = canonical_column(cells.astype(str), col, raw.file, raw.first_row)
        out[col.name] = text
        problems.extend(col_problems)
    if spec.attributes:
        extra = [h for h in raw.header if h not in spec.column_names]
        out[ATTRIBUTES] = _attributes(frame, extra)
    out[ROW] = range(raw.first_row, raw.first_row + len(out))
    return out, problems


def _header_problems(raw: RawTable, spec: TableSchema) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in raw.header:
        if name in seen:
            problems.append(Problem(raw.file, 0, name, "each column once", "it twice"))
        seen.add(name)
        if not name:
            problems.append(Problem(raw.file, 0, None, "a name for every column", "an empty one"))
        elif name not in spec.column_names and not spec.attributes:
            problems.append(
                Problem(
                    raw.file,
                    0,
                    name,
                    f"only the columns {', '.join(spec.column_names)}",
                    f"unknown column {name!r}",
                )
            )
    for col in spec.columns:
        optional = col.name in spec.optional_columns or col.default is not None
        if col.name not in seen and not optional:
            problems.append(Problem(raw.file, 0, col.name, "this column in the header", "none"))
    return problems


def _attributes(frame: pd.DataFrame, extra: list[str]) -> pd.Series:
    if not extra:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[sorted(extra)].astype(str).apply(_nfc)
    return pd.Series(
        [json.dumps(dict(zip(values.columns, r, strict=True))) for r in values.itertuples(False)],
        index=frame.index,
        dtype=object,
    )


def canonical_column(
    cells: pd.Series, col: Col, file: str, first_row: int = 1
) -> tuple[pd.Series, list[Problem]]:
    """Validate one column; returns canonical text and the problems (capped per column).

    ``first_row`` is the file's row number of the first cell (a chunk of a long file);
    the problems of a file read in chunks are capped again by ``cap_problems``.

    A cell's text and its problems depend on its value alone, and a ledger's columns
    repeat a few thousand values (ids, dates, amounts) over a million rows: each
    distinct value is checked once and the outcome spread back over the rows.
    """
    codes, distinct = pd.factorize(cells.astype(str).to_numpy(dtype=object))
    text, failures = _canonical_values(pd.Series(distinct, dtype=object), col)
    problems: list[Problem] = []
    for mask, expected, shown in failures:
        bad = mask[codes].nonzero()[0]
        for i in bad[:MAX_PROBLEMS_PER_COLUMN]:
            row = int(i) + first_row
            problems.append(Problem(file, row, col.name, expected, show(shown.iloc[codes[i]])))
        if len(bad) > MAX_PROBLEMS_PER_COLUMN:
            problems.append(_more_like_these(file, col.name, expected, len(bad)))
    spread = text.astype(object).to_numpy()[codes]
    return pd.Series(spread, index=cells.index, dtype=object), problems


# A kind of bad cell: which distinct values have it, what was expected, what to show.
_Failure = tuple[np.ndarray, str, pd.Series]


def _canonical_values(raw: pd.Series, col: Col) -> tuple[pd.Series, list[_Failure]]:
    """``canonical_column`` over distinct values: their canonical text and failures."""
    stripped = raw.str.strip()
    empty = stripped.eq("")
    failures: list[_Failure] = []

    def fail(mask: pd.Series, expected: str, found: pd.Series | None = None) -> None:
        bad = np.asarray(mask.to_numpy(), dtype=bool)
        if bad.any():
            failures.append((bad, expected, raw if found is None else found))

    if col.required:
        fail(empty, f"a value ({_describe(col)})")
    elif col.default is not None:
        stripped = stripped.mask(empty, col.default)
        empty = pd.Series(False, index=raw.index)
    present = ~empty
    text = stripped.where(present, "")

    if col.kind in ("id", "text"):
        # one written form per name: "Café" typed and "Cafe\u0301" pasted are the same id
        raw = _nfc(raw)
        stripped = raw.str.strip()
    if col.kind == "id":
        hidden = _holds(raw, present, _hidden_in_id)
        fail(hidden, _ID_CHARACTERS)
        fail(present & ~hidden & (raw.ne(stripped) | stripped.str.len().gt(64)), _describe(col))
        text = raw.where(present, "")
    elif col.kind == "text":
        fail(_holds(raw, present, lambda v: "\x00" in v), "text without NUL characters")
        text = raw.where(present, "")
    elif col.kind == "choice":
        fail(present & ~stripped.isin(col.choices), _describe(col))
    elif col.kind == "bool":
        lowered = stripped.str.lower()
        fail(present & ~lowered.isin(("true", "false")), "true or false")
        text = lowered.where(present, "")
    elif col.kind == "year":
        ok = stripped.str.fullmatch(r"(19|20|21)[0-9]{2}")
        fail(present & ~ok, "a four-digit year such as 2015")
    elif col.kind == "count":
        ok = stripped.str.fullmatch(_COUNT)
        fail(present & ~ok, "a whole number, 0 or more")
        text = text.where(~(present & ok), stripped.str.lstrip("0").replace("", "0"))
    elif col.kind == "date":
        ok = stripped.str.fullmatch(_DATE)
        parsed = pd.to_datetime(stripped.where(present & ok), format="%Y-%m-%d", errors="coerce")
        fail(present & ~ok, "a date as YYYY-MM-DD")
        fail(present & ok & parsed.isna(), "a real calendar date as YYYY-MM-DD")
        in_range = stripped.between(MIN_DATE, MAX_DATE)
        fail(present & ok & parsed.notna() & ~in_range, f"a date from {MIN_DATE} to {MAX_DATE}")
    elif col.kind == "money":
        text = _money(stripped, present, col, fail)
    elif col.kind in ("fraction", "decimal"):
        text = _decimal(stripped, present, col, fail)
    return text, failures


def _more_like_these(file: str, column: str, expected: str, bad: int) -> Problem:
    """The line after the first few bad cells of one kind: how many more there are."""
    more = bad - MAX_PROBLEMS_PER_COLUMN
    return Problem(file, None, column, f"{expected} (and {more} more rows like these)")


_MORE = re.compile(r"(?s)(.*) \(and ([0-9]+) more rows like these\)")


def cap_problems(problems: Sequence[Problem]) -> list[Problem]:
    """The cell problems of a file checked in chunks, capped as if checked at once.

    Each chunk names its first few bad cells of each kind (a column and what was
    expected), then how many more; together, the first few of the file are named and
    the rest counted, in the order the kinds first appear.
    """
    named: dict[tuple[str, str | None, str], list[Problem]] = {}
    counts: dict[tuple[str, str | None, str], int] = {}
    for problem in problems:
        more = _MORE.fullmatch(problem.expected) if problem.row is None else None
        expected = more.group(1) if more else problem.expected
        key = (problem.file, problem.column, expected)
        named.setdefault(key, [])
        counts[key] = counts.get(key, 0) + (int(more.group(2)) if more else 1)
        if not more:
            named[key].append(problem)
    capped: list[Problem] = []
    for key, first in named.items():
        capped += first[:MAX_PROBLEMS_PER_COLUMN]
        if counts[key] > MAX_PROBLEMS_PER_COLUMN:
            file, column, expected = key
            capped.append(_more_like_these(file, column or "", expected, counts[key]))
    return capped


_ID_CHARACTERS = (
    "an id without control or invisible format characters "
    "(Unicode Cc and Cf: NUL, line breaks, tabs, zero-width spaces, direction overrides)"
)


def _nfc(values: pd.Series) -> pd.Series:
    """Text in Unicode's composed form (NFC); only distinct non-ASCII values are touched."""
    distinct = [v for v in values.unique() if not v.isascii()]
    changed = {v: n for v in distinct if (n := unicodedata.normalize("NFC", v)) != v}
    return values.map(lambda v: changed.get(v, v)) if changed else values


def _hidden_in_id(value: str) -> bool:
    """A control (Cc) or format (Cf) character: NUL, LF, tab, zero-width space, RLO, BOM."""
    if value.isascii() and value.isprintable():
        return False
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value)


def _holds(values: pd.Series, present: pd.Series, test: object) -> pd.Series:
    """Which cells fail ``test``, deciding once per distinct value (ids repeat a lot)."""
    assert callable(test)
    bad = {v for v in values[present].unique() if test(v)}
    if not bad:
        return pd.Series(False, index=values.index)
    return present & values.isin(bad)


def _money(stripped: pd.Series, present: pd.Series, col: Col, fail: object) -> pd.Series:
    ok = stripped.str.fullmatch(_MONEY)
    negative = stripped.str.fullmatch(r"-.*")
    too_precise = stripped.str.fullmatch(r"-?[0-9]+\.[0-9]{3,}")
    assert callable(fail)
    fail(
        present & negative,
        # a flow's kind column gives its direction; a mark, cap or forecast is never below 0
        "a positive amount in pounds (the kind column gives the direction)"
        if col.positive
        else "an amount in pounds of 0 or more",
    )
    fail(present & too_precise & ~negative, "money with at most two decimals")
    fail(
        present & ~ok & ~negative & ~too_precise,
        "an amount in pounds such as 1250000.50 (no £ or commas, under £1 trillion)",
    )
    if col.positive:
        zero = ok & stripped.str.fullmatch(r"0+(\.0*)?")
        fail(present & zero.fillna(False), "an amount above zero (a zero flow is refused)")
    whole = stripped.str.extract(r"^([0-9]+)")[0]
    frac = stripped.str.extract(r"\.([0-9]{1,2})$")[0].fillna("").str.ljust(2, "0")
    canonical = whole.str.lstrip("0").replace("", "0") + "." + frac
    return canonical.where(present & ok, "").fillna("")


def _decimal(stripped: pd.Series, present: pd.Series, col: Col, fail: object) -> pd.Series:
    assert callable(fail)
    ok = stripped.str.fullmatch(_DECIMAL)
    fail(present & ~ok, "a decimal number such as 0.25")
    out = pd.Series("", index=stripped.index, dtype=object)
    usable = present & ok
    values = stripped[usable].map(_normalise)
    out[usable] = values
    if col.kind == "fraction":
        outside = usable & ~stripped.where(usable, "0").map(_in_unit_interval).astype(bool)
        fail(outside, "a fraction from 0 to 1, such as 0.25")
    return out


def _normalise(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return text
    normalised = format(value.normalize(), "f")
    return "0" if normalised in ("-0", "") else normalised


def _in_unit_interval(text: str) -> bool:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return Decimal(0) <= value <= Decimal(1)


def _describe(col: Col) -> str:
    if col.expected is not None:
        return col.expected
    return {
        "id": "an id (no spaces at either end, at most 64 characters)",
        "text": "text",
        "date": "a date as YYYY-MM-DD",
        "money": "an amount in pounds such as 1250000.50",
        "fraction": "a fraction such as 0.25",
        "decimal": "a decimal number",
        "count": "a whole number",
        "year": "a four-digit year",
        "bool": "true or false",
        "choice": "one of " + ", ".join(col.choices),
    }[col.kind]


def parse_tables(
    tables: Mapping[str, RawTable], *, append: bool = False
) -> dict[str, pd.DataFrame]:
    """Every table's cells checked and made canonical, in dependency order.

    A whole portfolio must hold every required table; an append (``append``) holds
    flow tables only. Raises ``LedgerInputError`` with every problem found.
    """
    problems = table_set_problems({name: table.file for name, table in tables.items()}, append)
    if problems:
        raise LedgerInputError(problems)
    frames: dict[str, pd.DataFrame] = {}
    for name in sorted(tables, key=table_order):
        frame, table_problems = canonical_frame(tables[name], BY_NAME[name])
        problems.extend(table_problems)
        frames[name] = frame
    if problems:
        raise LedgerInputError(problems)
    return frames


def table_set_problems(files: Mapping[str, str], append: bool) -> list[Problem]:
    """The tables an import holds (name → file), against what it must hold: every
    required table, or with ``append`` flow tables only."""
    problems: list[Problem] = []
    if append:
        for name, file in files.items():
            if name not in FLOW_TABLES:
                problems.append(
                    Problem(
                        file,
                        None,
                        None,
                        f"only flow tables with --append ({', '.join(FLOW_TABLES)})",
                        name,
                    )
                )
    else:
        for name in REQUIRED_TABLES:
            if name not in files:
                problems.append(
                    Problem(
                        f"{name}.csv", None, None, "this required table in the import", "it missing"
                    )
                )
    return problems


def table_order(name: str) -> int:
    """A table's place in dependency order (parents before the tables naming them)."""
    return [s.name for s in SCHEMAS].index(name)
