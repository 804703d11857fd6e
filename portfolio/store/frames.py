"""Load stored tables as the frames ``valuation/`` takes: one query per table.

Money arrives as int64 pence (columns ``<name>_pence``), dates as
``datetime64[ns]``, exact fractions as ``Decimal``: each column's dtype is the
schema's (``valuation/schema.py: stored_frame``). The conversions are done by
the database or by whole-column pandas operations, never per row in Python,
because a fund administrator's ledger has millions of flows.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from passu.portfolio.interchange.tables import BY_NAME, TableSpec
from passu.portfolio.store.models import GiltYield
from passu.valuation.ledger import Ledger
from passu.valuation.schema import ATTRIBUTES, stored_frame


def _money(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return type_coerce(column, BigInteger)  # stored as pence already
    return cast(column * 100, BigInteger)


def _date(column: Any, dialect: str) -> ColumnElement[Any]:
    return type_coerce(column, String) if dialect == "sqlite" else column


def fetch_columns(conn: Connection, query: Any, width: int) -> list[tuple[Any, ...]]:
    """Run one SELECT on the driver's own cursor and return its columns.

    SQLAlchemy's Row objects cost about a microsecond a cell to build and convert;
    for a ledger of millions of flows the plain DBAPI tuples, turned into columns
    with one ``zip``, are several times faster. Every conversion the frames need is
    done per column afterwards, so nothing depends on the ORM's result processing.
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return [() for _ in range(width)]
    return list(zip(*rows, strict=True))


def load_table(conn: Connection, spec: TableSpec, as_of: dt.date | None = None) -> pd.DataFrame:
    """One table in valuation's shape; with ``as_of``, only rows dated on or before it."""
    dialect = conn.dialect.name
    if spec.name in GROUPED:
        grouped = _load_grouped(conn, spec, as_of)
        if grouped is not None:
            return grouped
    table = spec.table
    selected: list[Any] = []
    names: list[str] = []
    for col in spec.columns:
        column = table.c[col.name]
        if col.kind == "money":
            selected.append(_money(column, dialect))
        elif col.kind == "date":
            selected.append(_date(column, dialect))
        else:
            selected.append(column)
        names.append(col.frame_name)
    if spec.attributes:
        selected.append(table.c["attributes"])  # extra columns a user kept, as JSON text
        names.append(ATTRIBUTES)
    query = select(*selected)
    if as_of is not None and spec.dated_by is not None:
        query = query.where(table.c[spec.dated_by] <= as_of)
    columns = fetch_columns(conn, query, len(names))
    return stored_frame(spec, dict(zip(names, columns, strict=True)))


# Ledgers with millions of rows, read one row per key (see _load_grouped).
GROUPED = frozenset({"project_flows"})
_DATE_WIDTH = len("2024-01-31")


def _load_grouped(conn: Connection, spec: TableSpec, as_of: dt.date | None) -> pd.DataFrame | None:
    """The same frame as ``load_table``'s, read as one row per distinct id key.

    The drivers build a Python object per cell (sqlite3 and psycopg alike), which
    for a million flows costs seconds, and for 12 million several GB. Grouped on
    the id columns (the holding), each group's other columns come back as one text
    each (SQLite's group_concat, PostgreSQL's string_agg ordered by the row id:
    fixed-width ISO dates, choices as one digit, integers comma-separated) and are
    parsed by NumPy a column at a time. Rows are put back in the table's id order,
    which SQLite's plain SELECT returns (and PostgreSQL's, for rows as imported), so
    every sum downstream sees the same rows in the same order.
    Returns ``None`` (use the plain SELECT) when the table or its data do not
    fit: optional columns, free text, an unknown choice, a date not YYYY-MM-DD.
    """
    table = spec.table
    primary = list(table.primary_key.columns)
    keys = [c for c in spec.columns if c.kind == "id"]
    rest = [c for c in spec.columns if c.kind != "id"]
    fits = all(
        c.required
        and (c.kind in ("date", "money") or (c.kind == "choice" and len(c.choices) <= 10))
        for c in rest
    )
    if spec.attributes or len(primary) != 1 or not keys or not fits:
        return None
    dialect = conn.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return None

    def concat(value: Any, separator: str) -> ColumnElement[Any]:
        if dialect == "sqlite":  # one pass over the rows: every column in the same order
            return func.group_concat(value, separator)
        return func.string_agg(
            cast(value, Text), aggregate_order_by(literal(separator), primary[0])
        )

    parts: list[Any] = [func.count(), concat(primary[0], ",")]
    for col in rest:
        column = table.c[col.name]
        if col.kind == "choice":
            digit = case({v: i for i, v in enumerate(col.choices)}, value=column, else_=-1)
            parts.append(concat(digit, ""))
        elif col.kind == "date":
            text = column if dialect == "sqlite" else func.to_char(column, "YYYY-MM-DD")
            parts.append(concat(text, ""))
        else:
            parts.append(concat(_money(column, dialect), ","))
    grouping = [table.c[c.name] for c in keys]
    query = select(*grouping, *parts).group_by(*grouping)
    if as_of is not None and spec.dated_by is not None:
        query = query.where(table.c[spec.dated_by] <= as_of)
    columns = fetch_columns(conn, query, len(keys) + len(parts))
    if not columns[0]:
        return None  # an empty table: the plain SELECT builds its frame as cheaply
    counts = np.asarray(columns[len(keys)], dtype=np.int64)
    total = int(counts.sum())
    ids = _integers(columns[len(keys) + 1], total)
    if ids is None:
        return None
    values: dict[str, np.ndarray] = {}
    for i, col in enumerate(keys):
        values[col.name] = np.repeat(np.asarray(columns[i], dtype=object), counts)
    for col, texts in zip(rest, columns[len(keys) + 2 :], strict=True):
        parsed = _parse(col.kind, col.choices, texts, total)
        if parsed is None:
            return None
        values[col.frame_name] = parsed
    order = np.argsort(ids, kind="stable")
    names = [c.frame_name for c in spec.columns]
    # Text stays object dtype (as load_table leaves it), not pandas' inferred str.
    return pd.DataFrame(
        {name: pd.Series(values[name][order], dtype=values[name].dtype) for name in names}
    )


def _parse(kind: str, choices: Sequence[str], texts: Sequence[str], total: int) -> Any:
    """One group_concat column as a NumPy array of ``total`` values, or None if malformed."""
    if kind == "money":
        return _integers(texts, total)
    try:
        raw = "".join(texts).encode("ascii")
    except UnicodeEncodeError:
        return None
    if kind == "choice":
        if len(raw) != total:  # an unknown choice reads "-1": two characters
            return None
        digits = np.frombuffer(raw, dtype=np.uint8) - ord("0")
        return np.asarray(choices, dtype=object)[digits]
    if len(raw) != _DATE_WIDTH * total:
        return None
    try:
        days = np.frombuffer(raw, dtype=f"S{_DATE_WIDTH}").astype("datetime64[D]")
    except ValueError:
        return None
    return days.astype("datetime64[ns]")


def _integers(texts: Sequence[str], total: int) -> np.ndarray | None:
    """Comma-separated integers as int64, or None unless there are exactly ``total``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # malformed text: NumPy warns and stops short
        try:
            parsed = np.fromstring(",".join(texts), dtype=np.int64, sep=",")
        except ValueError:
            return None
    return parsed if len(parsed) == total else None


def load_frames(conn: Connection, as_of: dt.date | None = None) -> Ledger:
    tables = {f.name: load_table(conn, BY_NAME[f.name], as_of) for f in fields(Ledger)}
    return Ledger(**tables)


def stored_gilt_yields(conn: Connection) -> pd.DataFrame:
    """Quarters users loaded with ``passu benchmark load`` (long format, fractions)."""
    rows = conn.execute(
        select(GiltYield.quarter_end, GiltYield.tenor_years, GiltYield.yield_, GiltYield.source)
    ).all()
    frame = pd.DataFrame.from_records(
        rows, columns=["quarter_end", "tenor_years", "yield_", "source"]
    )
    frame["quarter_end"] = pd.to_datetime(frame["quarter_end"]).astype("datetime64[ns]")
    frame["yield_"] = frame["yield_"].map(lambda v: float(Decimal(v))).astype(float)
    frame["tenor_years"] = frame["tenor_years"].astype("int64")
    return frame
