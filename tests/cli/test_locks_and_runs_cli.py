"""Issue 17, items 6, 11 and 12 (runs, locks, checks): a benchmark load cannot move an
approved run, reasons must be visible, refusals count rows as people do, far-future
flows are a finding, and a reversed bridge is one line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select

from passu.cli.main import cli
from passu.portfolio.checks import check_portfolio
from passu.portfolio.errors import ConflictError
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import audit, runs
from passu.portfolio.store.models import GiltYield
from passu.valuation.checks import dated_after_today
from tests.portfolio.builders import a_portfolio, write_csvs


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, *args])


@pytest.fixture
def approved(engine: Engine, db_url: str, tmp_path: Path) -> Engine:
    """a_portfolio valued and approved as of 2015-12-31 (drawdowns in 2014-Q2)."""
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="alice")
    for args in (("value", "--as-of", "2015-12-31", "--save"), ("runs", "approve", "2015-12-31")):
        result = run(db_url, "--quiet", *args)
        assert result.exit_code == 0, result.stderr
    return engine


def gilts(tmp_path: Path, *rows: str) -> Path:
    file = tmp_path / "gilts.csv"
    file.write_text("quarter_end,tenor_years,yield_pct\n" + "".join(r + "\n" for r in rows))
    return file


def stored_quarters(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(GiltYield)).scalar_one())


def test_benchmark_load_into_an_approved_period_is_refused_until_reopened(
    approved: Engine, db_url: str, tmp_path: Path
) -> None:
    figures = runs.get_run(approved, dt.date(2015, 12, 31)).figures
    entries = len(audit.entries(approved))
    # 2014-Q2 priced the approved run's drawdowns; 2016-Q1 begins after its as-of date
    file = gilts(tmp_path, "2014-06-30,10,9.9", "2014-06-30,5,9.9", "2016-03-31,10,4.0")
    refused = run(db_url, "benchmark", "load", str(file))
    assert refused.exit_code == 3, refused.stdout
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "the period to 2015-12-31 is locked by an approved run" in refused.stderr
    assert "the gilt yields of 2014-Q2 (5-year), 2014-Q2 (10-year) would change" in refused.stderr
    assert "2016" not in refused.stderr
    assert stored_quarters(approved) == 0 and len(audit.entries(approved)) == entries
    assert runs.get_run(approved, dt.date(2015, 12, 31)).figures == figures

    # a quarter after the period, or one that changes nothing, is fine
    assert (
        run(db_url, "benchmark", "load", str(gilts(tmp_path, "2016-03-31,10,4.0"))).exit_code == 0
    )

    # the quarter holding the as-of date is locked from its first day
    late_in_quarter = approved_as_of_mid_quarter(approved, db_url)
    held = run(db_url, "benchmark", "load", str(gilts(tmp_path, "2016-06-30,10,3.0")))
    assert held.exit_code == 3 and late_in_quarter in held.stderr

    assert run(db_url, "runs", "reopen", "2016-05-15", "--reason", "gilts revised").exit_code == 0
    assert run(db_url, "runs", "reopen", "2015-12-31", "--reason", "gilts revised").exit_code == 0
    reloaded = run(db_url, "benchmark", "load", str(file))
    assert reloaded.exit_code == 0, reloaded.stderr


def approved_as_of_mid_quarter(engine: Engine, db_url: str) -> str:
    for args in (("value", "--as-of", "2016-05-15", "--save"), ("runs", "approve", "2016-05-15")):
        assert run(db_url, "--quiet", *args).exit_code == 0
    return "the period to 2016-05-15 is locked"


@pytest.mark.parametrize(
    "reason", ["   ", "\u200b", "\u200b\u200d\u2060", "\u202e \t", "\u3164", "\n\r"]
)
def test_a_reason_of_invisible_characters_is_refused(
    approved: Engine, db_url: str, reason: str
) -> None:
    result = run(db_url, "runs", "reopen", "2015-12-31", "--reason", reason)
    assert result.exit_code == 2, result.stdout
    assert "--reason must say why the period is reopened" in result.stderr
    assert "Traceback" not in result.stderr
    assert runs.get_run(approved, dt.date(2015, 12, 31)).info.status == "approved"


def test_lock_refusals_count_rows_as_people_do(
    approved: Engine, db_url: str, tmp_path: Path
) -> None:
    tables = a_portfolio()
    tables["investor_flows"][0]["amount"] = "30001"  # a keyless row: removed and added
    with pytest.raises(ConflictError) as refusal:
        import_portfolio(approved, write_csvs(tmp_path / "q", tables), user="t")
    assert "investor_flows.csv row 1 adds a row dated 2014-03-31" in str(refusal.value)
    assert "row 1.0" not in str(refusal.value)


def test_flows_dated_after_today_are_a_finding(engine: Engine, db_url: str, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["project_flows"][3]["date"] = "2199-04-15"  # typed for 2019
    import_portfolio(engine, write_csvs(tmp_path / "p", tables), user="alice")
    # whatever the as-of date checked: a historical one, or the default
    for args in (("--as-of", "2018-12-31"), ()):
        result = run(db_url, "check", *args, "--format", "json")
        assert result.exit_code == 1, result.stderr
        (finding,) = [f for f in json.loads(result.stdout) if f["check"] == "dated_after_today"]
        assert finding["message"].startswith("project_flows: 1 row dated after today, ")
        assert finding["message"].endswith("(from 2199-04-15 to 2199-04-15): a mistyped year?")
        assert finding["rows"] == "project_flows: P1/F1/A, 2199-04-15"
    # later flows that have happened by today are not: the check reads the clock
    report = check_portfolio(engine, dt.date(2014, 12, 31), today=dt.date(2200, 1, 1))
    assert "dated_after_today" not in [f.check for f in report.findings]


def test_dated_after_today_counts_and_shows_the_first_rows() -> None:
    import pandas as pd

    flows = pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2"],
            "holder_id": ["F1"] * 3,
            "tranche": ["A"] * 3,
            "date": pd.to_datetime(["2020-12-31", "2021-01-01", "9999-12-31"]).astype(
                "datetime64[s]"
            ),
        }
    )
    (found,) = dated_after_today({"project_flows": flows}, dt.date(2020, 12, 31))
    assert found.rows == (
        "project_flows: P1/F1/A, 2021-01-01",
        "project_flows: P2/F1/A, 9999-12-31",
    )
    assert found.message == (
        "project_flows: 2 rows dated after today, 2020-12-31 (from 2021-01-01 to 9999-12-31): "
        "a mistyped year?"
    )
    assert dated_after_today({"project_flows": flows}, dt.date(9999, 12, 31)) == []


def test_a_reversed_bridge_is_one_line(approved: Engine, db_url: str) -> None:
    result = run(db_url, "runs", "bridge", "2015-12-31", "2014-12-31")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: runs bridge: START 2015-12-31 is after END 2014-12-31: expected the earlier "
        "date first, e.g. passu runs bridge 2014-12-31 2015-12-31\n"
    )
