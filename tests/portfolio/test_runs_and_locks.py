"""Runs are keyed by (as_of, scope); approving locks the period; reopening keeps history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from passu.portfolio.errors import ConflictError
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import runs
from passu.portfolio.store.models import ValuationRunHistory

from .builders import a_portfolio, write_csvs

OCT = dt.date(2014, 10, 31)


def save(engine: Engine, as_of: dt.date = OCT, replace: bool = False, figures: str = "{}") -> None:
    runs.save_run(
        engine,
        as_of=as_of,
        scope="ALL",
        fingerprint="f" * 64,
        figures=figures,
        user="alice",
        replace=replace,
    )


def test_a_second_save_for_the_same_key_conflicts(engine: Engine) -> None:
    save(engine)
    with pytest.raises(ConflictError, match=r"a run for 2014-10-31 \(ALL\) already exists"):
        save(engine)
    save(engine, replace=True, figures='{"v": 2}')
    assert runs.get_run(engine, OCT).figures == '{"v": 2}'
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ValuationRunHistory)).scalar() == 1


def test_an_approved_run_is_never_replaced(engine: Engine) -> None:
    save(engine)
    runs.approve_run(engine, OCT, user="bob")
    with pytest.raises(ConflictError, match="is approved and locked"):
        save(engine, replace=True)


def test_approval_locks_dated_rows_until_reopened(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    import_portfolio(engine, write_csvs(tmp_path / "one", tables), user="t")
    save(engine)
    runs.approve_run(engine, OCT, user="bob")
    before = read_tables(engine)

    # a flow dated inside the locked period is refused, naming the row
    late = {
        "project_flows": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2014-09-30",
                "kind": "repayment",
                "amount": "100",
            }
        ]
    }
    with pytest.raises(ConflictError, match=r"project_flows.csv row 1 adds a row dated 2014-09-30"):
        import_portfolio(engine, write_csvs(tmp_path / "late", late), append=True, user="t")
    # changing a locked outcome count is refused too
    tables["outcomes"][0]["achieved"] = "13"
    with pytest.raises(ConflictError, match=r"outcomes\.csv row 1 changes a row dated 2014-09-30"):
        import_portfolio(engine, write_csvs(tmp_path / "two", tables), user="t")
    assert read_tables(engine) == before

    # after the period: fine
    later = {
        "project_flows": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2014-11-30",
                "kind": "repayment",
                "amount": "100",
            }
        ]
    }
    import_portfolio(engine, write_csvs(tmp_path / "later", later), append=True, user="t")

    # undated reference rows may change (audited), and rows after the period
    tables["outcomes"][0]["achieved"] = "12"
    tables["marks"][0]["fair_value"] = "1"
    tables["projects"][0]["name"] = "Renamed"
    import_portfolio(engine, write_csvs(tmp_path / "three", tables), user="t")

    runs.reopen_run(engine, OCT, reason="late repayment", user="carol")
    import_portfolio(engine, write_csvs(tmp_path / "late2", late), append=True, user="t")
    assert runs.get_run(engine, OCT).info.status == "draft"


def test_reopen_returns_later_approved_runs_to_draft(engine: Engine) -> None:
    save(engine, dt.date(2014, 9, 30))
    save(engine, OCT)
    runs.approve_run(engine, dt.date(2014, 9, 30), user="bob")
    runs.approve_run(engine, OCT, user="bob")
    reopened = runs.reopen_run(engine, dt.date(2014, 9, 30), reason="restated", user="carol")
    assert [r.as_of for r in reopened] == [dt.date(2014, 9, 30), OCT]
    assert {r.status for r in runs.list_runs(engine)} == {"draft"}
    with engine.connect() as conn:
        history = conn.execute(select(ValuationRunHistory.reason)).scalars().all()
    assert history == ["restated", "restated"]
