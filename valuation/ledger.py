"""The ledger: every table of a portfolio as frames, the one input of ``valuation/``.

Each table's frame has the columns and dtypes ``valuation/schema.py`` gives it:
money int64 pence (columns ``<name>_pence``), dates ``datetime64[ns]``, exact
fractions ``Decimal``. A ledger is as of a date when its dated rows after that date
were left out (``Ledger.as_of``, or ``load_frames(conn, as_of)`` reading the
database). Three ways in: the database (``portfolio/store/frames.py``), a folder
of interchange CSV files (``Ledger.from_csv``, no database at all) and records
(``Ledger.from_records``, for tests and notebooks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from passu.valuation.cells import canonical_frame, parse_tables
from passu.valuation.fingerprint import fingerprint as _fingerprint
from passu.valuation.problems import LedgerInputError
from passu.valuation.raw_tables import RawTable, read_csv_folder
from passu.valuation.schema import (
    ATTRIBUTES,
    BY_NAME,
    Col,
    TableSchema,
    Values,
    stored_frame,
)
from passu.valuation.table_rules import nothing_stored, validate

# One table given to ``Ledger.from_records``: dicts by column name, or tuples in the
# schema's column order; values in interchange terms (pounds, dates, text).
Records = Iterable[Mapping[str, object] | Sequence[object]]


@dataclass(frozen=True)
class Ledger:
    """Every table of a portfolio, as of a date (dated rows after it are left out)."""

    funds: pd.DataFrame
    investors: pd.DataFrame
    commitments: pd.DataFrame
    investor_flows: pd.DataFrame
    fund_expenses: pd.DataFrame
    projects: pd.DataFrame
    delivery_partners: pd.DataFrame
    holdings: pd.DataFrame
    project_flows: pd.DataFrame
    marks: pd.DataFrame
    outcome_contracts: pd.DataFrame
    contract_payers: pd.DataFrame
    unit_values: pd.DataFrame
    outcome_metrics: pd.DataFrame
    outcomes: pd.DataFrame
    outcome_claims: pd.DataFrame
    outcome_payments: pd.DataFrame
    fund_forecasts: pd.DataFrame
    innovations: pd.DataFrame
    project_costs: pd.DataFrame
    project_measures: pd.DataFrame
    evaluations: pd.DataFrame
    fund_terms: pd.DataFrame
    class_terms: pd.DataFrame
    waterfalls: pd.DataFrame
    cost_forecasts: pd.DataFrame
    holding_terms: pd.DataFrame

    @classmethod
    def from_csv(cls, folder: str | Path, *, library_codes: frozenset[str] = frozenset()) -> Ledger:
        """A folder of interchange CSV files (docs/format.md) as a ledger, with no database.

        Refuses bad input as ``passu import`` into an empty database does, with the
        same code and so the same one-line messages (file, row, column, expected,
        found), all problems together, raising ``LedgerInputError``:

        - files (``valuation/raw_tables.py``): a CSV named for no table of the
          format, an empty file, not UTF-8, malformed CSV, a row wider or narrower
          than its header;
        - tables and cells (``valuation/cells.py``): every required table present;
          header (each column once, no unknown columns unless the table keeps
          attributes, every column present unless optional); every cell of its kind
          (ids, dates from 1900 to 2199, money positive with at most two decimals
          and under £1 trillion, flows above zero, decimals, fractions from 0 to 1,
          counts, years, true/false, choices), required cells present;
        - rows and tables (``valuation/table_rules.py``): keys used once, every
          reference resolving, payer shares summing to 1, unit-value factors in
          range, unit-value codes known (the folder's own ``unit_values``, or
          ``library_codes``: pass ``portfolio.reference.packaged.unit_cost_codes()``
          to allow the GMCA library's, as ``passu import`` does), end dates on or
          after start dates, innovation costs naming an innovation of their project,
          claims' dates, verification and counts consistent, payments naming a
          claim of their own contract; and format version 2's
          (``valuation/terms_rules.py``): flow purposes of the flow's kind, no
          recallable call, equalisation calls only from later closers, fee rates
          and step-downs, terms only for share classes a commitment holds, one
          allocation basis per fund, ranks, caps and seniorities of 1 or more,
          carry holders of kind manager, no coupon on equity.

        Not checked, because they concern a database rather than a folder: locked
        (approved) periods, and ``--append`` against stored rows. Rows are in the
        order a fresh import gives them (keyed tables by key, flows by every column),
        so the ledger equals ``load_frames`` after ``passu import`` of the folder.
        """
        read = read_csv_folder(Path(folder))
        canonical = parse_tables(read.tables)
        problems = validate(canonical, nothing_stored, library_codes)
        if problems:
            raise LedgerInputError(problems)
        return cls._from_canonical(
            {name: _stored_order(BY_NAME[name], frame) for name, frame in canonical.items()}
        )

    @classmethod
    def from_records(cls, **tables: Records) -> Ledger:
        """A ledger from rows in interchange terms; tables not given are empty.

        ``Ledger.from_records(funds=[{"fund_id": "F1", ...}], investor_flows=[...])``:
        money as pounds (``Decimal``, ``int`` or text such as ``"1250.50"``), dates as
        ``datetime.date`` or ``"YYYY-MM-DD"``, fractions as ``Decimal`` or text, a
        missing optional cell as ``None`` or absent. Each cell is checked as an import
        checks it (``LedgerInputError`` naming table, row and column); the rules across
        tables are not, so a test can build only the tables it needs.
        """
        unknown = sorted(set(tables) - {f.name for f in fields(cls)})
        if unknown:
            raise TypeError(f"no such table: {', '.join(unknown)}")
        return cls._from_canonical(
            {name: _canonical_records(BY_NAME[name], rows) for name, rows in tables.items()}
        )

    @classmethod
    def empty(cls) -> Ledger:
        """A ledger with every table empty (the right columns and dtypes, no rows)."""
        return cls(**{f.name: BY_NAME[f.name].empty_frame() for f in fields(cls)})

    @classmethod
    def _from_canonical(cls, canonical: Mapping[str, pd.DataFrame]) -> Ledger:
        return cls(
            **{
                f.name: (
                    ledger_frame(BY_NAME[f.name], canonical[f.name])
                    if f.name in canonical
                    else BY_NAME[f.name].empty_frame()
                )
                for f in fields(cls)
            }
        )

    def as_of(self, day: dt.date) -> Ledger:
        """The ledger with each table's rows dated after ``day`` left out.

        A table is dated by its schema's ``dated_by`` column (flows and marks by
        ``date``, outcomes by ``period_end``, claims by ``claimed_on``, ...), exactly
        as ``load_frames(conn, day)`` filters in SQL, so one read of the database
        values every past year-end.
        """
        cut = pd.Timestamp(day)
        changed: dict[str, pd.DataFrame] = {}
        for f in fields(self):
            dated_by = BY_NAME[f.name].dated_by
            if dated_by is None:
                continue
            frame: pd.DataFrame = getattr(self, f.name)
            keep = (frame[dated_by] <= cut).to_numpy()
            if not keep.all():
                changed[f.name] = _as_read(BY_NAME[f.name], frame[keep].reset_index(drop=True))
        return replace(self, **changed)

    def fingerprint(self, yields: pd.DataFrame) -> str:
        """SHA-256 over every row of the ledger and the gilt yields (``valuation.fingerprint``)."""
        return _fingerprint(self, yields)


def ledger_frame(schema: TableSchema, canonical: pd.DataFrame) -> pd.DataFrame:
    """A table's canonical text (``valuation/cells.py``; ``""`` empty) as its ledger frame.

    Each column is turned into what SQLite's driver returns for it after ``passu
    import`` (pence, ISO dates, decimal text, ``None`` for a missing cell, ``""``
    for an empty optional text, which is how it is stored) and handed to the same
    ``stored_frame`` that ``load_frames`` uses, so the two frames are equal to the
    last missing value. Whole columns at a time; ``tolist`` only hands the values
    to pandas as the driver's tuples are, so that it infers the same dtypes.
    """
    columns: dict[str, Values] = {
        col.frame_name: _stored(col, canonical[col.name].to_numpy(dtype=object))
        for col in schema.columns
    }
    if schema.attributes:
        text = canonical[ATTRIBUTES].to_numpy(dtype=object)
        columns[ATTRIBUTES] = _none_where(text == "", text)
    return stored_frame(schema, columns)


def _stored(col: Col, text: np.ndarray) -> Values:
    """One canonical column as the database gives it back (see ``to_records`` in portfolio)."""
    empty = text == ""
    if col.kind in ("money", "count", "year"):
        # canonical money is pounds with exactly two decimals, so its digits are pence
        digits = np.char.replace(text.astype(str), ".", "") if col.kind == "money" else text
        values = np.where(empty, "0", digits).astype(np.int64)
        if not empty.any():
            return values
        return [None if e else int(v) for v, e in zip(values, empty, strict=True)]
    if col.kind == "bool":
        return (text == "true").tolist()
    if col.kind == "text":
        return text.tolist()  # an empty optional text is stored as "", not NULL
    return _none_where(empty, text)


def _none_where(empty: np.ndarray, text: np.ndarray) -> list[Any]:
    """The values as a list (as a driver returns them), ``None`` where a cell is empty."""
    values = text.copy()
    values[empty] = None
    return list(values.tolist())


def _as_read(schema: TableSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows left by ``as_of`` as ``load_frames`` would have read them on their own.

    pandas gives a missing id (or decimal) NaN (or ``Decimal('NaN')``) when other
    rows of its column hold text, and ``None`` when no row does; once the rows that
    held text are left out, the read would have given ``None``. The run's
    fingerprint hashes the text of each cell, so the difference matters.
    """
    for col in schema.columns:
        if col.required or col.dtype != "object" or col.kind == "text":
            continue
        if frame[col.frame_name].isna().all():
            frame[col.frame_name] = pd.Series([None] * len(frame), dtype=object)
    return frame


def _stored_order(schema: TableSchema, canonical: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order an import into an empty database stores them.

    The import matches new rows to stored ones with an outer merge, which sorts by
    the key (a flow table's key is every column); sorting the same way makes the
    ledger equal, row for row, to the one read back from the database.
    """
    order = list(schema.key or schema.column_names)
    return canonical.sort_values(order, kind="stable").reset_index(drop=True)


def _canonical_records(schema: TableSchema, rows: Records) -> pd.DataFrame:
    """Records as a raw table of text, checked and made canonical as an import's cells are."""
    dicts = [_record(schema, row) for row in rows]
    extra = sorted({k for d in dicts for k in d} - set(schema.column_names))
    header = (*schema.column_names, *extra)
    raw = RawTable(
        schema.name,
        f"{schema.name} records",
        header,
        [tuple(_text(d.get(name)) for name in header) for d in dicts],
    )
    frame, problems = canonical_frame(raw, schema)
    if problems:
        raise LedgerInputError(problems)
    return frame


def _record(schema: TableSchema, row: Mapping[str, object] | Sequence[object]) -> dict[str, Any]:
    """One record by column name. A tuple gives the columns in the schema's order and may
    stop before optional ones at the end (a later format's columns: a version-1 tuple of
    investor_flows still reads)."""
    if isinstance(row, Mapping):
        return dict(row)
    names = schema.column_names
    left_out = [c.name for c in schema.columns[len(row) :] if c.required]
    if len(row) > len(names) or left_out:
        raise TypeError(
            f"{schema.name}: a row of {len(row)} values for the columns {', '.join(names)}"
        )
    return dict(zip(names[: len(row)], row, strict=True))


def _text(value: Any) -> str:
    """A record's value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
