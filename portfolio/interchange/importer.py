"""``passu import``: a portfolio in, all or nothing, reported per table.

An import states the tables it contains: afterwards each holds exactly the
import's rows (matched on key; flows as a multiset), tables absent are left as
they are. ``append`` adds the rows of flow tables only. Every problem is found
before anything is written; the write is one transaction under the writer lock,
one executemany per table and operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, update

from passu.portfolio.errors import InputError, UsageError
from passu.portfolio.interchange.canonical import ROW_ID, read_canonical, to_records
from passu.portfolio.interchange.parse import ATTRIBUTES, ROW, parse_tables
from passu.portfolio.interchange.reader import RawPortfolio, read_portfolio
from passu.portfolio.interchange.tables import (
    BY_NAME,
    TableSpec,
)
from passu.portfolio.interchange.validate import validate
from passu.portfolio.store import audit, locks
from passu.portfolio.store.database import require_schema, writing
from passu.valuation.cells import table_order

OCCURRENCE = "__occurrence__"


@dataclass(frozen=True)
class TableChange:
    table: str
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class ImportReport:
    source: str
    sha256: str
    append: bool
    tables: tuple[TableChange, ...] = field(default=())

    @property
    def unchanged(self) -> bool:
        return all(t.added == t.changed == t.removed == 0 for t in self.tables)


@dataclass
class _Plan:
    spec: TableSpec
    added: pd.DataFrame
    removed_ids: list[Any]
    changed: pd.DataFrame
    removed_rows: pd.DataFrame  # canonical rows removed (for lock checks and audit)
    changed_before: pd.DataFrame


def import_portfolio(
    engine: Engine,
    path: Path,
    *,
    append: bool = False,
    user: str,
    command: str = "import",
    library_codes: frozenset[str] = frozenset(),
    progress: Callable[[str], None] = lambda _msg: None,
) -> ImportReport:
    require_schema(engine)
    raw = read_portfolio(path)
    progress(f"read {len(raw.tables)} tables from {path}")
    frames = _parse_all(raw, append)
    with writing(engine) as conn:
        if append:
            plans = [_append_plan(BY_NAME[name], frame) for name, frame in frames.items()]
            problems = validate(frames, _fetcher(conn), library_codes)
            # appended flow rows must resolve against the stored register
        else:
            problems = validate(frames, _fetcher(conn), library_codes)
            plans = []
        if problems:
            raise InputError(problems)
        if not append:
            plans = [_sync_plan(conn, BY_NAME[name], frame) for name, frame in frames.items()]
        locks.refuse_locked_changes(conn, plans)
        _write(conn, plans)
        report = ImportReport(
            str(path),
            raw.sha256,
            append,
            tuple(
                TableChange(p.spec.name, len(p.added), len(p.changed), len(p.removed_ids))
                for p in sorted(plans, key=lambda p: table_order(p.spec.name))
            ),
        )
        audit.record(
            conn,
            user=user,
            command=command,
            details={
                "source": str(path),
                "append": append,
                "tables": {
                    t.table: {"added": t.added, "changed": t.changed, "removed": t.removed}
                    for t in report.tables
                },
            },
            input_sha256=raw.sha256,
        )
    return report


def _parse_all(raw: RawPortfolio, append: bool) -> dict[str, pd.DataFrame]:
    """Every table checked cell by cell, the same code ``Ledger.from_csv`` runs."""
    frames = parse_tables(raw.tables, append=append)
    if not raw.tables:
        raise UsageError(f"{raw.source}: no tables found (expected files such as funds.csv)")
    return frames


def _fetcher(conn: Connection) -> Callable[[str, tuple[str, ...]], pd.DataFrame]:
    cache: dict[tuple[str, tuple[str, ...]], pd.DataFrame] = {}

    def fetch(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        key = (name, columns)
        if key not in cache:
            frame = read_canonical(conn, BY_NAME[name], columns=columns)
            cache[key] = frame.drop_duplicates().reset_index(drop=True)
        return cache[key]

    return fetch


def _data_columns(spec: TableSpec) -> list[str]:
    return [*spec.column_names, *([ATTRIBUTES] if spec.attributes else [])]


def _append_plan(spec: TableSpec, frame: pd.DataFrame) -> _Plan:
    empty = frame.iloc[0:0]
    return _Plan(spec, frame, [], empty, empty, empty)


def _sync_plan(conn: Connection, spec: TableSpec, new: pd.DataFrame) -> _Plan:
    old = read_canonical(conn, spec, with_ids=True)
    columns = _data_columns(spec)
    if spec.is_flow:
        # A multiset: the n-th copy of a row matches the n-th stored copy.
        new = new.assign(**{OCCURRENCE: new.groupby(columns, sort=False).cumcount()})
        old = old.assign(**{OCCURRENCE: old.groupby(columns, sort=False).cumcount()})
        merged = old.merge(new, on=[*columns, OCCURRENCE], how="outer", indicator=True)
        added = merged[merged["_merge"] == "right_only"]
        removed = merged[merged["_merge"] == "left_only"]
        empty = new.iloc[0:0]
        return _Plan(
            spec, added[[*columns, ROW]], removed[ROW_ID].tolist(), empty, removed[columns], empty
        )
    key = list(spec.key)
    merged = old.merge(new, on=key, how="outer", indicator=True, suffixes=("_old", ""))
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    others = [c for c in columns if c not in key]
    differs = pd.Series(False, index=both.index)
    for c in others:
        differs |= both[c].ne(both[f"{c}_old"])
    changed = both[differs]
    before = changed[key + [f"{c}_old" for c in others]].rename(
        columns={f"{c}_old": c for c in others}
    )
    removed_rows = removed[key + [f"{c}_old" for c in others]].rename(
        columns={f"{c}_old": c for c in others}
    )
    return _Plan(
        spec,
        added[[*columns, ROW]],
        removed[ROW_ID].tolist(),
        changed[[*columns, ROW]],
        removed_rows,
        before,
    )


def _write(conn: Connection, plans: list[_Plan]) -> None:
    # Children lose rows before parents do; parents gain rows before children.
    ordered = sorted(plans, key=lambda p: table_order(p.spec.name))
    for plan in reversed(ordered):
        if plan.removed_ids:
            table = plan.spec.table
            pk = next(iter(table.primary_key.columns))
            conn.execute(
                delete(table).where(pk == bindparam("_pk")), [{"_pk": i} for i in plan.removed_ids]
            )
    for plan in ordered:
        table = plan.spec.table
        if len(plan.changed):
            records = to_records(plan.spec, plan.changed)
            key = plan.spec.key
            stmt = (
                update(table)
                .where(and_(*(table.c[k] == bindparam(f"_k_{k}") for k in key)))
                .values({c: bindparam(c) for c in records[0] if c not in key})
            )
            params = [
                {**{c: v for c, v in r.items() if c not in key}, **{f"_k_{k}": r[k] for k in key}}
                for r in records
            ]
            conn.execute(stmt, params)
        if len(plan.added):
            conn.execute(insert(table), to_records(plan.spec, plan.added))
