"""Period locks: an approved run locks every dated row on or before its as-of date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import pandas as pd
from sqlalchemy import Connection, func, select

from passu.portfolio.errors import ConflictError
from passu.portfolio.interchange.parse import ROW
from passu.portfolio.interchange.tables import TableSpec
from passu.portfolio.store.models import ValuationRun
from passu.valuation.cells import table_order

# A claim is dated by when it was claimed, but it is verified or rejected later:
# recording that later step must stay possible after the claim's period is locked.
CLAIM_LIFECYCLE = ("verified_on", "verified_count", "verified_amount", "rejected_on")


@runtime_checkable
class StagedLike(Protocol):
    """A staged flow table's plan (``interchange/staging.py: StagedPlan``): its locked
    rows are found in the database, where they are."""

    spec: TableSpec

    def locked(self, conn: Connection, through: dt.date) -> tuple[list[str], int]: ...


class PlanLike(Protocol):
    """What the lock check reads of an import's plan for one table (the importer's ``_Plan``;
    a protocol, as the importer imports this module)."""

    spec: TableSpec
    added: pd.DataFrame
    changed: pd.DataFrame
    removed_rows: pd.DataFrame
    changed_before: pd.DataFrame


def locked_through(conn: Connection) -> dt.date | None:
    """The latest as-of date of an approved run, or None when nothing is locked."""
    return conn.execute(
        select(func.max(ValuationRun.as_of)).where(ValuationRun.status == "approved")
    ).scalar()


def refuse_locked_changes(
    conn: Connection, plans: Sequence[PlanLike], staged: Sequence[StagedLike] = ()
) -> None:
    """Refuse an import that adds, removes or changes a row dated in a locked period.

    ``plans`` hold their rows as frames; ``staged`` flow tables count theirs in the
    database. Both are listed in table order, the first ten rows named.
    """
    through = locked_through(conn)
    if through is None:
        return
    limit = through.isoformat()
    offending: list[str] = []
    total = 0
    every: list[PlanLike | StagedLike] = [*plans, *staged]
    for plan in sorted(every, key=lambda p: table_order(p.spec.name)):
        column = plan.spec.dated_by
        if column is None:
            continue
        if isinstance(plan, StagedLike):
            lines, count = plan.locked(conn, through)
        else:
            lines = _offending(plan, column, limit)
            count = len(lines)
        offending += lines
        total += count
    if offending:
        shown = "; ".join(offending[:10])
        more = f" (and {total - 10} more)" if total > 10 else ""
        raise ConflictError(
            f"the period to {limit} is locked by an approved run; refused: {shown}{more}. "
            "Nothing was written (reopen the run with `passu runs reopen` to change it)"
        )


def _offending(plan: PlanLike, column: str, limit: str) -> list[str]:
    file = plan.spec.file
    offending = []
    for _, row in plan.added[plan.added[column].between("0", limit)].iterrows():
        offending.append(f"{file} row {_row(row[ROW])} adds a row dated {row[column]}")
    removed = plan.removed_rows
    for _, row in removed[removed[column].between("0", limit)].iterrows():
        offending.append(
            f"{file} would remove the stored row dated {row[column]} ({_describe(plan.spec, row)})"
        )
    return offending + _changed(plan, column, limit)


def _changed(plan: PlanLike, column: str, limit: str) -> list[str]:
    new, old = plan.changed, plan.changed_before
    if new.empty:
        return []
    out = []
    new = new.reset_index(drop=True)
    old = old.reset_index(drop=True)
    for i in range(len(new)):
        before, after = old.iloc[i], new.iloc[i]
        locked = before[column] <= limit or after[column] <= limit
        if plan.spec.name == "outcome_claims":
            locked = _claim_change_locked(before, after, limit)
        if locked:
            out.append(
                f"{plan.spec.file} row {_row(after[ROW])} changes a row dated "
                f"{before[column]} ({_describe(plan.spec, after)})"
            )
    return out


def _claim_change_locked(before: pd.Series, after: pd.Series, limit: str) -> bool:
    for name in before.index:
        if name == ROW or name not in after.index or before[name] == after[name]:
            continue
        if name in CLAIM_LIFECYCLE:
            dates = [
                d
                for d in (
                    before.get("verified_on"),
                    after.get("verified_on"),
                    before.get("rejected_on"),
                    after.get("rejected_on"),
                )
                if d
            ]
            if any(d <= limit for d in dates if before.get(name) != after.get(name)):
                return True
        elif before["claimed_on"] <= limit:
            return True
    return False


def _row(value: object) -> str:
    """A file's row number as people count it: 1, never 1.0 (pandas turns a column of
    row numbers to floats when a merge leaves a gap)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def _describe(spec: TableSpec, row: pd.Series) -> str:
    cols = spec.key or spec.column_names
    return ", ".join(f"{c}={row[c]}" for c in cols if c in row.index)
