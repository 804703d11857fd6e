"""HM Treasury benchmark data: the shipped gilt yields plus quarters users load.

``passu benchmark load FILE`` adds newer quarters (or corrects one) in the
database; valuations price drawdowns on the shipped series overlaid with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, insert, update

from passu.portfolio.errors import ConflictError, InputError, Problem
from passu.portfolio.listing import Column, Listing
from passu.portfolio.reference.packaged import (
    ATTRIBUTION_BOE_HMT,
    ReferenceDataError,
    annual_benchmarks,
    gilt_yields,
    green_book_discount_schedule,
    parse_gilt_yields,
)
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema, writing
from passu.portfolio.store.frames import stored_gilt_yields
from passu.portfolio.store.locks import locked_through
from passu.portfolio.store.models import GiltYield

SHIPPED = "Bank of England (shipped with passu)"


def yields_with(stored: pd.DataFrame) -> pd.DataFrame:
    """The shipped quarterly yields overlaid with stored ones (a stored quarter wins)."""
    shipped = gilt_yields().assign(source=SHIPPED)
    both = pd.concat([shipped, stored[shipped.columns]], ignore_index=True)
    both = both.drop_duplicates(["quarter_end", "tenor_years"], keep="last")
    return both.sort_values(["tenor_years", "quarter_end"]).reset_index(drop=True)


def all_gilt_yields(engine: Engine) -> pd.DataFrame:
    require_schema(engine)
    with engine.connect() as conn:
        return yields_with(stored_gilt_yields(conn))


@dataclass(frozen=True)
class LoadReport:
    file: str
    added: int
    changed: int
    unchanged: int
    last_quarter: dt.date | None


def load_gilt_yields(engine: Engine, path: Path, *, user: str) -> LoadReport:
    require_schema(engine)
    try:
        incoming = parse_gilt_yields(path)
    except ReferenceDataError as error:
        raise InputError(
            Problem(error.file, error.row, error.column, error.expected, error.found)
        ) from None
    with writing(engine) as conn:
        current = yields_with(stored_gilt_yields(conn))
        merged = incoming.merge(
            current, on=["quarter_end", "tenor_years"], how="left", suffixes=("", "_old")
        )
        new = merged[merged["yield__old"].isna()]
        changed = merged[merged["yield__old"].notna() & (merged["yield_"] != merged["yield__old"])]
        stored = stored_gilt_yields(conn)
        stored_keys = set(zip(stored["quarter_end"], stored["tenor_years"], strict=True))
        source = f"loaded from {path.name}"

        def params(frame: pd.DataFrame) -> list[dict[str, object]]:
            return [
                {
                    "quarter_end": q.date(),
                    "tenor_years": int(t),
                    "yield": Decimal(repr(float(y))),
                    "source": source,
                }
                for q, t, y in zip(
                    frame["quarter_end"], frame["tenor_years"], frame["yield_"], strict=True
                )
            ]

        _refuse_locked_quarters(conn, path, pd.concat([new, changed]))
        to_update = changed[
            [
                (q, t) in stored_keys
                for q, t in zip(changed["quarter_end"], changed["tenor_years"], strict=True)
            ]
        ]
        to_insert = pd.concat([new, changed.drop(to_update.index)])
        if len(to_insert):
            conn.execute(insert(GiltYield), params(to_insert))
        if len(to_update):
            conn.execute(
                update(GiltYield)
                .where(GiltYield.quarter_end == bindparam("q"))
                .where(GiltYield.tenor_years == bindparam("t"))
                .values({"yield": bindparam("y"), "source": bindparam("s")}),
                [
                    {
                        "q": p["quarter_end"],
                        "t": p["tenor_years"],
                        "y": p["yield"],
                        "s": p["source"],
                    }
                    for p in params(to_update)
                ],
            )
        audit.record(
            conn,
            user=user,
            command="benchmark load",
            details={
                "file": str(path),
                "added": len(new),
                "changed": len(changed),
                "quarters": sorted({q.date().isoformat() for q in merged["quarter_end"]}),
            },
            input_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        )
    last = incoming["quarter_end"].max()
    return LoadReport(
        str(path),
        len(new),
        len(changed),
        len(incoming) - len(new) - len(changed),
        None if pd.isna(last) else last.date(),
    )


def _refuse_locked_quarters(conn: Connection, path: Path, moving: pd.DataFrame) -> None:
    """Refuse (exit 3) quarters an approved run was priced on: a drawdown is priced at
    its quarter's yield, so a quarter is locked from its first day on or before the
    latest approved as-of date, as flows are (``store/locks.py``)."""
    through = locked_through(conn)
    if through is None or moving.empty:
        return
    starts = moving["quarter_end"].dt.to_period("Q").dt.start_time
    locked = moving[starts <= pd.Timestamp(through)].sort_values(["quarter_end", "tenor_years"])
    if locked.empty:
        return
    named = [
        f"{q.year}-Q{(q.month - 1) // 3 + 1} ({int(t)}-year)"
        for q, t in zip(locked["quarter_end"], locked["tenor_years"], strict=True)
    ]
    shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
    raise ConflictError(
        f"{path}: the period to {through.isoformat()} is locked by an approved run; "
        f"refused: the gilt yields of {shown} would change its benchmark. Nothing was "
        "written (reopen the run with `passu runs reopen` to change them)"
    )


def benchmark_listings(engine: Engine, since_year: int | None = None) -> list[Listing]:
    """What `passu benchmark show` prints: quarterly gilt yields, Green Book, annual table."""
    yields = all_gilt_yields(engine)
    if since_year is not None:
        yields = yields[yields["quarter_end"].dt.year >= since_year]
    wide = yields.pivot_table(
        index="quarter_end", columns="tenor_years", values="yield_", aggfunc="first"
    ).sort_index()
    sources = yields.groupby("quarter_end")["source"].agg(lambda s: "; ".join(sorted(set(s))))
    rows = tuple(
        (
            f"{q.year}-Q{(q.month - 1) // 3 + 1}",
            q.date(),
            _or_none(wide.loc[q].get(5)),
            _or_none(wide.loc[q].get(10)),
            sources[q],
        )
        for q in wide.index
    )
    gilts = Listing(
        "Gilt yields: quarterly average nominal par yields",
        (
            Column("quarter"),
            Column("quarter_end", "date"),
            Column("gilt_5y", "rate"),
            Column("gilt_10y", "rate"),
            Column("source"),
        ),
        rows,
        notes=(ATTRIBUTION_BOE_HMT,),
    )
    schedule = green_book_discount_schedule()
    green = Listing(
        "Green Book discount rates (real, STPR)",
        (Column("year_from", "count"), Column("year_to", "count"), Column("rate", "rate")),
        tuple((int(r.year_from), r.year_to, float(r.rate)) for r in schedule.itertuples()),
    )
    annual = annual_benchmarks()
    yearly = Listing(
        "Annual benchmarks (derived; for display beside nominal returns)",
        (
            Column("year"),
            Column("gilt_5y", "rate"),
            Column("gilt_10y", "rate"),
            Column("stpr_real", "rate"),
            Column("gdp_deflator_growth", "rate"),
            Column("stpr_nominal_equivalent", "rate"),
        ),
        tuple(
            (
                str(int(r.year)),
                _or_none(r.gilt_5y),
                _or_none(r.gilt_10y),
                _or_none(r.stpr_real),
                _or_none(r.gdp_deflator_growth),
                _or_none(r.stpr_nominal_equivalent),
            )
            for r in annual.itertuples()
        ),
    )
    return [gilts, green, yearly]


def _or_none(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return float(value)  # type: ignore[arg-type]
