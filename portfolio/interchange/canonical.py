"""Stored rows ↔ canonical text (the export's form of every value).

Reading a table returns one query's rows as a frame of canonical strings, so an
import can be compared with the database cell by cell and an export written
without any further formatting.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Table, select

from passu.portfolio.interchange.parse import ATTRIBUTES
from passu.portfolio.interchange.tables import Col, TableSpec
from passu.valuation.money import money_text

ROW_ID = "__id__"


def _money_text(value: Any) -> str:
    return money_text(value) or ""


def _decimal_text(value: Any) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _date_text(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _int_text(value: Any) -> str:
    return "" if value is None else str(int(value))


def _bool_text(value: Any) -> str:
    return "" if value is None else ("true" if value else "false")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


FORMATTERS = {
    "money": _money_text,
    "fraction": _decimal_text,
    "decimal": _decimal_text,
    "date": _date_text,
    "count": _int_text,
    "year": _int_text,
    "bool": _bool_text,
}


def formatter(col: Col):  # type: ignore[no-untyped-def]
    return FORMATTERS.get(col.kind, _text)


def read_canonical(
    conn: Connection,
    spec: TableSpec,
    with_ids: bool = False,
    columns: tuple[str, ...] = (),
    table: Table | None = None,
) -> pd.DataFrame:
    """The stored table as canonical text, in one query, sorted by key (flows: all columns).

    With ``columns``, only those columns' distinct values (the rules look values up:
    a million flows name ten thousand holdings). ``table`` reads another table of the
    same columns (an import's staging table) instead of the stored one.
    """
    wanted = columns or spec.column_names
    table = spec.table if table is None else table
    selected: list[Any] = [table.c[c] for c in wanted]
    if spec.attributes and not columns:
        selected.append(table.c[ATTRIBUTES])
    if with_ids:
        pk = next(iter(table.primary_key.columns))
        selected.append(pk.label(ROW_ID))
    query = select(*selected)
    rows = conn.execute(query.distinct() if columns else query).all()
    names = [*wanted, *([ATTRIBUTES] if spec.attributes and not columns else [])]
    frame = pd.DataFrame(rows, columns=[*names, *([ROW_ID] if with_ids else [])], dtype=object)
    for name in wanted:
        frame[name] = frame[name].map(formatter(spec.col(name))).astype(object)
    if spec.attributes and not columns:
        frame[ATTRIBUTES] = frame[ATTRIBUTES].map(_text).astype(object)
    order = list(spec.key or wanted) if not columns else list(wanted)
    if len(frame):
        frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
    return frame


# --- canonical text → database parameters ----------------------------------------


def _to_money(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _to_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _to_int(text: str) -> int | None:
    return int(text) if text else None


def _to_bool(text: str) -> bool | None:
    return (text == "true") if text else None


def _to_text(text: str) -> str | None:
    return text if text != "" else None


PARSERS = {
    "money": _to_money,
    "fraction": _to_money,
    "decimal": _to_money,
    "date": _to_date,
    "count": _to_int,
    "year": _to_int,
    "bool": _to_bool,
}


def to_records(spec: TableSpec, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Canonical rows → parameter dicts for one executemany."""
    columns: dict[str, list[Any]] = {}
    for col in spec.columns:
        parse = PARSERS.get(col.kind, _to_text)
        values = frame[col.name].tolist()
        if col.kind == "text" and col.required:
            columns[col.name] = values
        elif col.kind == "text":
            columns[col.name] = ["" if v is None else v for v in values]
        else:
            columns[col.name] = [parse(v) for v in values]
    if spec.attributes:
        columns[ATTRIBUTES] = [_to_text(v) for v in frame[ATTRIBUTES].tolist()]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def attributes_of(text: str) -> dict[str, str]:
    return json.loads(text) if text else {}
