"""Portfolios for report tests: the shipped sample, optionally edited, imported and valued."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from passu.portfolio.demo import sample_path
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.store.database import make_engine, upgrade
from passu.portfolio.store.runs import get_run
from passu.portfolio.value import value_and_save
from passu.reports.history import ValueAt

AS_OF = dt.date(2026, 10, 31)
Edit = Callable[[Path], None]


def edit_csv(folder: Path, table: str, change: Callable[[list[dict[str, str]]], None]) -> None:
    """Rewrite one table of a portfolio folder through ``change`` (rows as dicts)."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def sample_portfolio(
    directory: Path, *, edit: Edit | None = None, scopes: tuple[str | None, ...] = (None,)
) -> Engine:
    """The sample in ``directory/passu.db``, edited, with a saved run per scope at AS_OF."""
    folder = directory / "portfolio"
    with sample_path() as sample:
        shutil.copytree(sample, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    if edit is not None:
        edit(folder)
    engine = make_engine(f"sqlite:///{directory / 'passu.db'}")
    upgrade(engine)
    import_portfolio(engine, folder, user="tester", library_codes=unit_cost_codes())
    for fund_id in scopes:
        value_and_save(engine, AS_OF, fund_id, save=True, replace=False, user="tester")
    return engine


def flat_history(engine: Engine, scope: str = "ALL") -> ValueAt:
    """A quick stand-in for the year-end history: the stored run, re-dated.

    Rendering tests that are not about the history use it so that each pack
    does not value the portfolio a dozen times.
    """
    stored = get_run(engine, AS_OF, scope).document

    def value_at(day: dt.date) -> dict[str, Any]:
        document = copy.deepcopy(stored)
        document["as_of"] = day.isoformat()
        return document

    return value_at
