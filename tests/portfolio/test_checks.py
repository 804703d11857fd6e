"""``check_portfolio``: every check over a stored portfolio, only rows dated up to as_of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from passu.portfolio.checks import check_portfolio, run_checks
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store.frames import load_frames
from passu.valuation.checks import CHECKS

from .builders import a_portfolio, write_csvs


def test_every_check_of_the_one_registry_runs(engine: Engine, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="t")
    report = check_portfolio(engine, dt.date(2019, 3, 30))
    assert report.checks_run == tuple(check.name for check in CHECKS)
    assert len(report.checks_run) == 15


def test_the_small_portfolio_is_clean_until_its_mark_goes_stale(
    engine: Engine, tmp_path: Path
) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="t")
    # P1 ended 2018-03-31 and F1/A's last mark is £61,000: stale from 2019-03-31 on
    assert check_portfolio(engine, dt.date(2019, 3, 30)).clean
    report = check_portfolio(engine, dt.date(2019, 3, 31))
    assert [f.check for f in report.findings] == ["stale_mark"]
    assert report.listing.rows == (
        (
            "stale_mark",
            "holding P1/F1/A: still marked £61,000.00 (on 2014-12-31) though project P1 "
            "completed on 2018-03-31",
            "marks: P1/F1/A, 2014-12-31; projects: P1",
        ),
    )


def test_rows_after_as_of_are_not_seen(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    # a distribution on 2016-01-31 of £500: after the first receipt (interest on
    # 2015-04-15), so fine; and one on 2014-05-31, before it
    tables["investor_flows"] += [
        {
            "fund_id": "F1",
            "investor_id": "DEPT",
            "date": "2014-05-31",
            "kind": "distribution",
            "amount": "100",
        },
        {
            "fund_id": "F1",
            "investor_id": "DEPT",
            "date": "2016-01-31",
            "kind": "distribution",
            "amount": "500",
        },
    ]
    # a second project with no contract, and a £200,000 drawdown on 2017-01-01 taking
    # F1/A to £260,000 against its £150,000 commitment
    tables["projects"].append({**tables["projects"][0], "project_id": "P2", "status": "active"})
    tables["project_flows"].append(
        {
            "project_id": "P1",
            "holder_id": "F1",
            "tranche": "A",
            "date": "2017-01-01",
            "kind": "drawdown",
            "amount": "200000",
        }
    )
    import_portfolio(engine, write_csvs(tmp_path / "p", tables), user="t")

    early = check_portfolio(engine, dt.date(2014, 12, 31))
    assert [f.check for f in early.findings] == [
        "distribution_before_receipt",
        "project_without_contract",
    ]
    # before any receipt by 2014-12-31: the fund had none yet
    assert early.findings[0].message == (
        "fund F1: distributions of £100.00 before any receipt from a project"
    )

    later = check_portfolio(engine, dt.date(2017, 12, 31))
    assert [f.check for f in later.findings] == [
        "drawdowns_over_commitment",
        "negative_fund_cash",
        "distribution_before_receipt",
        "project_without_contract",
    ]
    # cash: 200,000.05 calls − 60,000 − 2,500 fee − 100 + 6,000 interest − 500
    # = 142,900.05, then − 200,000 on 2017-01-01 = −57,099.95
    assert later.findings[1].message == (
        "fund F1: cash negative from 2017-01-01, lowest -£57,099.95 on 2017-01-01; still negative"
    )
    # the same through a ledger loaded by hand (the notebook way)
    with engine.connect() as conn:
        ledger = load_frames(conn, dt.date(2017, 12, 31))
    assert run_checks(ledger, dt.date(2017, 12, 31)).findings == later.findings
