"""``passu import``: a portfolio in, all or nothing, reported per table.

An import states the tables it contains: afterwards each holds exactly the
import's rows (matched on key; flows as a multiset), tables absent are left as
they are. ``append`` adds the rows of flow tables only. Every problem is found
before anything is written, and the whole import is one transaction under the
writer lock.

Memory stays bounded however long the ledger: the register's tables (funds,
projects, holdings: thousands of rows) are read whole, but the flow tables
(millions) are read ``chunk_rows`` at a time, each chunk's cells and row rules
checked vectorised and the chunk staged in the database (``staging.py``); the
rules across tables, the matching against stored rows, the period locks and the
write then run there, set-based.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, update

from passu.portfolio.errors import InputError, Problem, UsageError
from passu.portfolio.interchange.canonical import ROW_ID, read_canonical, to_records
from passu.portfolio.interchange.parse import ATTRIBUTES, ROW
from passu.portfolio.interchange.reader import PortfolioSource, open_portfolio
from passu.portfolio.interchange.staging import StagedPlan, Staging
from passu.portfolio.interchange.tables import BY_NAME, FLOW_TABLES, TableSpec
from passu.portfolio.store import audit, locks
from passu.portfolio.store.database import require_schema, writing
from passu.valuation import table_rules
from passu.valuation.cells import canonical_frame, cap_problems, table_order, table_set_problems

# Flow rows read, checked and staged at a time: a chunk's frames take some tens of MB.
CHUNK_ROWS = 50_000


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

    def remove(self, conn: Connection) -> None:
        if self.removed_ids:
            table = self.spec.table
            pk = next(iter(table.primary_key.columns))
            conn.execute(
                delete(table).where(pk == bindparam("_pk")), [{"_pk": i} for i in self.removed_ids]
            )

    def write(self, conn: Connection) -> None:
        table = self.spec.table
        if len(self.changed):
            records = to_records(self.spec, self.changed)
            key = self.spec.key
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
        if len(self.added):
            conn.execute(insert(table), to_records(self.spec, self.added))


def import_portfolio(
    engine: Engine,
    path: Path,
    *,
    append: bool = False,
    user: str,
    command: str = "import",
    library_codes: frozenset[str] = frozenset(),
    progress: Callable[[str], None] = lambda _msg: None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import the folder or workbook at ``path``; raises ``InputError`` (nothing written)
    naming every problem, ``ConflictError`` for a locked period or a busy writer.
    ``chunk_rows``: flow rows read and checked at a time (memory, not results)."""
    require_schema(engine)
    source = open_portfolio(path)
    problems = table_set_problems(source.files, append)
    if problems:
        raise InputError(problems)
    if not source.files:
        raise UsageError(f"{source.source}: no tables found (expected files such as funds.csv)")
    with writing(engine) as conn:
        staging = Staging(conn)
        fetch = _fetcher(conn, staging)
        frames = _read_and_check(source, staging, fetch, library_codes, chunk_rows, progress)
        # an append holds flow tables only, and they are all staged
        plans = [_sync_plan(conn, BY_NAME[name], frame) for name, frame in frames.items()]
        staged = [staging.plan(name, append=append) for name in staging.tables]
        locks.refuse_locked_changes(conn, plans, staged)
        _write(conn, [*plans, *staged])
        staging.drop()
        changes = [
            TableChange(p.spec.name, *_counts(p))
            for p in sorted([*plans, *staged], key=lambda p: table_order(p.spec.name))
        ]
        report = ImportReport(str(path), source.sha256, append, tuple(changes))
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
            input_sha256=source.sha256,
        )
    return report


def _counts(plan: _Plan | StagedPlan) -> tuple[int, int, int]:
    if isinstance(plan, StagedPlan):
        return plan.added, plan.changed, plan.removed
    return len(plan.added), len(plan.changed), len(plan.removed_ids)


def _read_and_check(
    source: PortfolioSource,
    staging: Staging,
    fetch: table_rules.Fetch,
    library_codes: frozenset[str],
    chunk_rows: int,
    progress: Callable[[str], None],
) -> dict[str, pd.DataFrame]:
    """Every table read and checked, the flow tables staged; raises ``InputError``.

    As when a portfolio is read whole: a malformed file's problems alone are shown;
    else every bad cell; else (only then) every rule across rows and tables. The
    register's tables are read first, so each chunk of flows is checked against them
    as it is read and then let go.
    """
    names = sorted(source.files, key=table_order)
    whole = [n for n in names if n not in FLOW_TABLES]
    streamed = [n for n in names if n in FLOW_TABLES]
    unreadable: list[Problem] = []
    bad_cells: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for name in whole:
        try:
            (raw,) = source.chunks(name, None)
        except InputError as error:
            unreadable += error.problems
            continue
        frame, found = canonical_frame(raw, BY_NAME[name])
        frames[name] = frame
        bad_cells += found
    row_rules: dict[str, list[list[list[Problem]]]] = {}
    for name in streamed:
        spec = BY_NAME[name]
        found_here: list[Problem] = []
        row_rules[name] = []
        try:
            for raw in source.chunks(name, chunk_rows):
                frame, found = canonical_frame(raw, spec)
                found_here += found
                if frame.columns.empty:
                    break  # a bad header: its problems say all there is to say
                if unreadable or bad_cells or found_here:
                    continue  # refused already: the cells are still checked, for the list
                row_rules[name].append(table_rules.flow_row_rules(name, frame, frames, fetch))
                staging.load(spec, frame)
                progress(f"{spec.file}: {raw.first_row + len(raw.rows) - 1:,} rows checked")
        except InputError as error:
            unreadable += error.problems
        bad_cells += cap_problems(found_here)
    if unreadable:
        raise InputError(sorted(unreadable, key=lambda p: p.file))
    if bad_cells:
        raise InputError(bad_cells)
    progress(f"read {len(names)} tables from {source.source}")
    problems = table_rules.validate(frames, fetch, library_codes, frozenset(streamed))
    for name in streamed:
        problems += table_rules.first_named(row_rules[name])
    if problems:
        raise InputError(problems)
    return frames


def _fetcher(conn: Connection, staging: Staging) -> table_rules.Fetch:
    """Distinct values of a table's columns as the import leaves it: a staged flow
    table's from its staging table, any other's as stored (cached per columns)."""
    cache: dict[tuple[str, tuple[str, ...]], pd.DataFrame] = {}

    def fetch(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        if name in staging.tables:
            return staging.fetch(name, columns)  # still being loaded: never cached
        key = (name, columns)
        if key not in cache:
            frame = read_canonical(conn, BY_NAME[name], columns=columns)
            cache[key] = frame.reset_index(drop=True)
        return cache[key]

    return fetch


def _data_columns(spec: TableSpec) -> list[str]:
    return [*spec.column_names, *([ATTRIBUTES] if spec.attributes else [])]


def _sync_plan(conn: Connection, spec: TableSpec, new: pd.DataFrame) -> _Plan:
    """A keyed table's rows matched on its key (flow tables are staged: ``staging.py``)."""
    old = read_canonical(conn, spec, with_ids=True)
    columns = _data_columns(spec)
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


def _write(conn: Connection, plans: list[_Plan | StagedPlan]) -> None:
    # Children lose rows before parents do; parents gain rows before children.
    ordered = sorted(plans, key=lambda p: table_order(p.spec.name))
    for plan in reversed(ordered):
        plan.remove(conn)
    for plan in ordered:
        plan.write(conn)
