"""Load stored tables as the frames ``valuation/`` takes: one query per table.

Money arrives as int64 pence (columns ``<name>_pence``), dates as
``datetime64[ns]``, exact fractions as ``Decimal``. The conversions are done by
the database or by whole-column pandas operations, never per row in Python,
because a fund administrator's ledger has millions of flows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import BigInteger, Connection, String, cast, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from .models import GiltYield
from .tables import BY_NAME, TableSpec


def _money(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return type_coerce(column, BigInteger)  # stored as pence already
    return cast(column * 100, BigInteger)


def _date(column: Any, dialect: str) -> ColumnElement[Any]:
    return type_coerce(column, String) if dialect == "sqlite" else column


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


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
    table = spec.table
    selected: list[Any] = []
    names: list[str] = []
    for col in spec.columns:
        column = table.c[col.name]
        if col.kind == "money":
            selected.append(_money(column, dialect))
            names.append(f"{col.name}_pence")
        elif col.kind == "date":
            selected.append(_date(column, dialect))
            names.append(col.name)
        else:
            selected.append(column)
            names.append(col.name)
    if spec.attributes:
        selected.append(table.c["attributes"])  # extra columns a user kept, as JSON text
        names.append("attributes")
    query = select(*selected)
    if as_of is not None and spec.dated_by is not None:
        query = query.where(table.c[spec.dated_by] <= as_of)
    columns = fetch_columns(conn, query, len(names))
    frame = pd.DataFrame(dict(zip(names, columns, strict=True)))
    for col in spec.columns:
        if col.kind == "money":
            name = f"{col.name}_pence"
            frame[name] = (
                frame[name].astype("Int64") if not col.required else frame[name].astype("int64")
            )
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name], format="ISO8601").astype(
                "datetime64[ns]"
            )
        elif col.kind in ("count", "year"):
            frame[col.name] = frame[col.name].astype("Int64" if not col.required else "int64")
        elif col.kind in ("fraction", "decimal"):
            # SQLite keeps exact decimals as text; PostgreSQL's NUMERIC arrives as Decimal.
            frame[col.name] = frame[col.name].map(_decimal).astype(object)
        elif col.kind == "bool":
            frame[col.name] = frame[col.name].astype(bool)
        else:
            frame[col.name] = frame[col.name].astype(object)
    return frame


@dataclass(frozen=True)
class PortfolioFrames:
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


def load_frames(conn: Connection, as_of: dt.date | None = None) -> PortfolioFrames:
    tables = {f.name: load_table(conn, BY_NAME[f.name], as_of) for f in fields(PortfolioFrames)}
    return PortfolioFrames(**tables)


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
