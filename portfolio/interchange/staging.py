"""An import's flow tables staged in the database, then checked and moved there, set-based.

A fund administrator's ledger holds millions of flows: read whole into pandas they took
forty times the file's size in memory. So an import loads each flow table a chunk at a
time into a temporary staging table of the stored table's own column types (SQLite:
one ``executemany`` on the driver's cursor; PostgreSQL: ``COPY``), and everything
after that is SQL: the values the rules look up (``distinct``), the rows that match
stored ones (a multiset: the n-th copy of a row matches the n-th stored copy), the
rows a period lock refuses, and the move, one ``INSERT … SELECT`` and at most one
``DELETE`` per table. The staging tables live in the import's one transaction and are
dropped with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    Table,
    Text,
    cast,
    func,
    insert,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql import Select

from passu.portfolio.interchange.canonical import formatter, read_canonical
from passu.portfolio.interchange.tables import Col, TableSpec
from passu.valuation.cells import ROW

SOURCE_ROW = "source_row"  # the file's row number of a staged row, for messages and order
SHOWN = 10  # locked rows named per table, as the lock check names them
# Helper threads for SQLite's sort in the move: two measured fastest on a 2-core machine
# (1.2M flows: 2.9 s on one thread, 1.9 s with two helpers, 2.3 s with four).
SORT_THREADS = 2


@dataclass
class StagedTable:
    """One flow table of the import, loaded chunk by chunk into ``stage``."""

    spec: TableSpec
    stage: Table
    rows: int = 0


@dataclass
class Staging:
    """The staging tables of one import, on its connection (inside its transaction)."""

    conn: Connection
    tables: dict[str, StagedTable] = field(default_factory=dict)
    metadata: MetaData = field(default_factory=MetaData)

    def load(self, spec: TableSpec, frame: pd.DataFrame) -> None:
        """Add a chunk of canonical rows (``valuation/cells.py``, with their ``ROW``)."""
        staged = self.tables.get(spec.name)
        if staged is None:
            staged = self.tables[spec.name] = StagedTable(spec, self._create(spec))
        if frame.empty:
            return
        if self.conn.dialect.name == "postgresql":
            _copy(self.conn, staged.stage, spec, frame)
        else:
            _executemany(self.conn, staged.stage, spec, frame)
        staged.rows += len(frame)

    def fetch(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """The distinct values of ``columns`` among the staged rows, as canonical text."""
        staged = self.tables[name]
        return read_canonical(self.conn, staged.spec, columns=columns, table=staged.stage)

    def plan(self, name: str, *, append: bool) -> StagedPlan:
        """What moving the staged rows will do: every row added (``append``, or nothing
        stored yet), else the rows matched as a multiset against the stored table."""
        staged = self.tables[name]
        table = staged.spec.table
        stored = self.conn.execute(select(literal(1)).select_from(table).limit(1)).first()
        if append:
            return StagedPlan(staged.spec, staged.stage, None, staged.rows, 0, in_file_order=True)
        if stored is None:
            return StagedPlan(staged.spec, staged.stage, None, staged.rows, 0)
        diff = self._diff(staged)
        added, removed = self.conn.execute(
            select(func.count(diff.c[SOURCE_ROW]), func.count(diff.c.id))
        ).one()
        return StagedPlan(staged.spec, staged.stage, diff, int(added), int(removed))

    def drop(self) -> None:
        """Drop the staging tables (before the commit: they are the import's alone)."""
        for name in ("passu_diff", "passu_stage"):
            for staged in self.tables.values():
                self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}_{staged.spec.name}")

    def _create(self, spec: TableSpec) -> Table:
        stored = spec.table
        stage = Table(
            f"passu_stage_{spec.name}",
            self.metadata,
            *(Column(c.name, stored.c[c.name].type) for c in spec.columns),
            Column(SOURCE_ROW, BigInteger),
            prefixes=["TEMPORARY"],
        )
        stage.create(self.conn)
        return stage

    def _diff(self, staged: StagedTable) -> Table:
        """A temporary table of the rows that do not match: ``source_row`` for a staged
        row to add, ``id`` for a stored row to remove.

        Each row is numbered among its identical copies (ROW_NUMBER over all its
        columns), so grouping staged and stored rows on columns and number pairs them
        off; a group of one is unmatched. GROUP BY treats NULLs as equal, as the
        multiset must (an empty purpose matches an empty purpose).
        """
        spec, stage, table = staged.spec, staged.stage, staged.spec.table
        names = spec.column_names
        pk = next(iter(table.primary_key.columns))

        def numbered(source: Table, order: Any, row: Any, id_: Any) -> Select[Any]:
            columns = [source.c[c] for c in names]
            copy = func.row_number().over(partition_by=columns, order_by=order)
            return select(*columns, row.label(SOURCE_ROW), id_.label("id"), copy.label("copy"))

        both = union_all(
            numbered(stage, stage.c[SOURCE_ROW], stage.c[SOURCE_ROW], cast(null(), BigInteger)),
            numbered(table, pk, cast(null(), BigInteger), pk),
        ).subquery()
        unmatched = (
            select(func.max(both.c[SOURCE_ROW]).label(SOURCE_ROW), func.max(both.c.id).label("id"))
            .group_by(*(both.c[c] for c in names), both.c.copy)
            .having(func.count() == 1)
        )
        sql = unmatched.compile(dialect=self.conn.dialect, compile_kwargs={"literal_binds": True})
        name = f"passu_diff_{spec.name}"
        self.conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {name} AS {sql}")
        return Table(
            name,
            self.metadata,
            Column(SOURCE_ROW, BigInteger),
            Column("id", BigInteger),
        )


@dataclass
class StagedPlan:
    """The change one staged flow table makes: rows added and removed (flows never change)."""

    spec: TableSpec
    stage: Table
    diff: Table | None  # None: every staged row is added, none removed
    added: int
    removed: int
    # An append adds rows in the file's order; an import in the order of their canonical
    # text, as it always has (``Ledger.from_csv`` orders its rows the same way).
    in_file_order: bool = False
    changed: int = 0

    def remove(self, conn: Connection) -> None:
        if self.diff is None or not self.removed:
            return
        table = self.spec.table
        pk = next(iter(table.primary_key.columns))
        gone = select(self.diff.c.id).where(self.diff.c.id.is_not(None))
        conn.execute(table.delete().where(pk.in_(gone)))

    def write(self, conn: Connection) -> None:
        """The added rows, in one statement (``in_file_order`` says in which order)."""
        if not self.added:
            return
        names = self.spec.column_names
        order = [] if self.in_file_order else _canonical_order(self.spec, self.stage, conn)
        rows = select(*(self.stage.c[c] for c in names)).order_by(*order, self.stage.c[SOURCE_ROW])
        if self.diff is not None:
            new = select(self.diff.c[SOURCE_ROW]).where(self.diff.c[SOURCE_ROW].is_not(None))
            rows = rows.where(self.stage.c[SOURCE_ROW].in_(new))
        with _sort_threads(conn, 0 if self.in_file_order else SORT_THREADS):
            conn.execute(insert(self.spec.table).from_select(names, rows))

    def locked(self, conn: Connection, through: dt.date) -> tuple[list[str], int]:
        """The first rows a period lock to ``through`` refuses (as ``locks.py`` words
        them) and how many there are: rows added, or stored rows removed, dated then."""
        column = self.spec.dated_by
        assert column is not None
        file = self.spec.file
        dated = self.stage.c[column]
        added = select(self.stage.c[SOURCE_ROW], dated).where(dated <= through)
        if self.diff is not None:
            new = select(self.diff.c[SOURCE_ROW]).where(self.diff.c[SOURCE_ROW].is_not(None))
            added = added.where(self.stage.c[SOURCE_ROW].in_(new))
        lines = [
            f"{file} row {row} adds a row dated {date.isoformat()}"
            for row, date in conn.execute(added.order_by(self.stage.c[SOURCE_ROW]).limit(SHOWN))
        ]
        total = _count(conn, added)
        if self.diff is not None and self.removed:
            table = self.spec.table
            pk = next(iter(table.primary_key.columns))
            gone = select(self.diff.c.id).where(self.diff.c.id.is_not(None))
            cols = [table.c[c] for c in self.spec.column_names]
            removed = select(*cols).where(pk.in_(gone), table.c[column] <= through)
            for row in conn.execute(removed.order_by(pk).limit(SHOWN)).mappings():
                values = {c.name: formatter(c)(row[c.name]) for c in self.spec.columns}
                described = ", ".join(f"{c}={v}" for c, v in values.items())
                lines.append(
                    f"{file} would remove the stored row dated {values[column]} ({described})"
                )
            total += _count(conn, removed)
        return lines, total


@contextmanager
def _sort_threads(conn: Connection, threads: int) -> Iterator[None]:
    """SQLite: let the sort of the move use ``threads`` helper threads (``PRAGMA threads``),
    then put the connection back as it was (it returns to the pool).

    Sorting a million staged rows into canonical order is most of the move's time, and
    SQLite sorts on one thread unless asked; the helpers sort runs of rows in parallel.
    The pragma changes nothing but the sort's speed: not the order, not durability.
    """
    if threads <= 0 or conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA threads").scalar_one()
    conn.exec_driver_sql(f"PRAGMA threads = {int(threads)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA threads = {int(before)}")


def _canonical_order(spec: TableSpec, stage: Table, conn: Connection) -> list[Any]:
    """ORDER BY terms sorting rows as their canonical text sorts in Python (code points,
    ``""`` first), column by column: what ``valuation/ledger.py: _stored_order`` does."""
    postgresql = conn.dialect.name == "postgresql"
    terms: list[Any] = []
    for col in spec.columns:
        column: Any = stage.c[col.name]
        if col.kind == "money":
            column = (
                cast(column, Text)
                if postgresql
                else func.printf("%d.%02d", _pence(column) / 100, _pence(column) % 100)
            )
        elif col.kind not in ("date", "bool") and postgresql:
            column = column.collate("C")  # code point order, whatever the database's locale
        terms.append(column.nulls_first() if postgresql else column)
    return terms


def _pence(column: Any) -> Any:
    """SQLite's money column as the integer it holds (arithmetic on the ``Money`` type
    would bind its operands as pounds)."""
    return type_coerce(column, BigInteger)


def _count(conn: Connection, query: Select[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


# --- canonical text → the stored columns' values ---------------------------------


def _empty_is_null(col: Col) -> bool:
    """Whether an empty cell is stored as NULL (free text keeps its empty string)."""
    return col.kind != "text"


def _sqlite_values(col: Col, cells: pd.Series) -> list[Any]:
    """A column as SQLite stores it (``portfolio/store/types.py``): money as integer
    pence, dates and exact decimals as text, counts as integers, booleans as 0/1.
    Converted once per distinct value (a ledger repeats its amounts and dates)."""
    codes, distinct = pd.factorize(cells.to_numpy(dtype=object))
    values = [_sqlite_value(col, text) for text in distinct]
    return pd.Series(values, dtype=object).to_numpy()[codes].tolist()


def _sqlite_value(col: Col, text: str) -> Any:
    if text == "" and _empty_is_null(col):
        return None
    if col.kind == "money":
        return int(text.replace(".", ""))  # canonical money has two decimals: 1250.50 → 125050
    if col.kind in ("count", "year"):
        return int(text)
    if col.kind == "bool":
        return 1 if text == "true" else 0
    return text


def _executemany(conn: Connection, stage: Table, spec: TableSpec, frame: pd.DataFrame) -> None:
    """One chunk through the driver's own ``executemany``: SQLAlchemy's per-row type
    processing (Decimal → pence) is skipped, since the values are converted by column."""
    columns = [_sqlite_values(c, frame[c.name]) for c in spec.columns]
    columns.append(frame[ROW].astype("int64").tolist())
    names = ", ".join([*spec.column_names, SOURCE_ROW])
    marks = ", ".join("?" * len(columns))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(
            f"INSERT INTO {stage.name} ({names}) VALUES ({marks})",
            list(zip(*columns, strict=True)),
        )
    finally:
        cursor.close()


_COPY_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _copy_text(col: Col, cells: pd.Series) -> pd.Series:
    """A column in COPY's text format: canonical text is what PostgreSQL reads for each
    type (ISO dates, ``1250.50``, ``true``); NULL is ``\\N``; text escapes ``\\``, tab
    and line breaks."""
    if col.kind == "text":
        for plain, escaped in _COPY_ESCAPES:
            if cells.str.contains(plain, regex=False).any():
                cells = cells.str.replace(plain, escaped, regex=False)
        return cells
    if col.kind == "id":
        cells = cells.str.replace("\\", "\\\\", regex=False)  # an id holds no control character
    return cells.where(cells.ne(""), "\\N")


def _copy(conn: Connection, stage: Table, spec: TableSpec, frame: pd.DataFrame) -> None:
    """One chunk through ``COPY … FROM STDIN``, written as text a chunk at a time."""
    lines = frame[ROW].astype(str)
    for col in reversed(spec.columns):
        lines = _copy_text(col, frame[col.name]) + "\t" + lines
    names = ", ".join([*spec.column_names, SOURCE_ROW])
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {stage.name} ({names}) FROM STDIN") as copy:
            copy.write("\n".join(lines.tolist()) + "\n")
    finally:
        cursor.close()
