"""passu scenarios (issue #15 item 4) on the hand-worked portfolio of test_marks_cli.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.importer import import_portfolio
from tests.cli.test_marks_cli import T, forecast_portfolio
from tests.portfolio.builders import write_csvs


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, "--quiet", *args])


@pytest.fixture
def loaded(engine: Engine, db_url: str, tmp_path: Path) -> str:
    import_portfolio(engine, write_csvs(tmp_path / "p", forecast_portfolio()), user="alice")
    return db_url


def test_the_same_seed_gives_the_same_bytes(loaded: str) -> None:
    args = ("scenarios", "--as-of", T, "--paths", "500", "--dispersion", "0.3", "--format", "json")
    first = run(loaded, *args, "--seed", "7")
    again = run(loaded, *args, "--seed", "7")
    other = run(loaded, *args, "--seed", "8")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    document = json.loads(first.stdout)
    assert document["dispersion"] == 0.3 and document["dispersion_source"] == "given"
    assert document["paths"] == 500 and document["seed"] == 7


def test_dispersion_zero_is_the_deterministic_model(loaded: str) -> None:
    result = run(
        loaded, "scenarios", "--as-of", T, "--paths", "50", "--dispersion", "0",
        "--rate", "0.10", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    every = {f"p{p}" for p in (5, 25, 50, 75, 95)}
    # arrears £12,000 + 20 × £1,500 (test_marks_cli.py's docstring)
    assert document["payments_to_come"] == dict.fromkeys(every, "42000.00")
    (project,) = document["projects"]
    # cash held £69,000 + £33,000 ÷ 1.10
    assert project["value"] == dict.fromkeys(every, "99000.00")
    (contract,) = document["contracts"]
    assert contract["probability_cap_reached"] == 0.0
    # F1's stake: its 150 / 250 of the loan tranche's £99,000 at T; at 2015-12-31 nothing
    # is left to come after that day, and the cash held is paid out on it
    assert document["fund_stakes"] == [
        {"date": T, **dict.fromkeys(every, "59400.00")},
        {"date": "2015-12-31", **dict.fromkeys(every, "0.00")},
    ]


def test_table_and_bad_paths(loaded: str) -> None:
    table = run(loaded, "scenarios", "--as-of", T, "--paths", "100")
    assert table.exit_code == 0, table.stderr
    assert "outcome payments to come" in table.stdout
    bad = run(loaded, "scenarios", "--as-of", T, "--paths", "0")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "--paths" in bad.stderr


def test_held_cash_stays_in_the_stakes_until_the_project_pays_out(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """One more forecast period, 2016-12-31: 10 × £1,500 = £15,000, at rate 0.

    Value at T = cash held £69,000 + £33,000 (2015-12-31) + £15,000 = £117,000; the
    loan claims (£60,000 + £40,000 = £100,000) are met in full, so F1 holds £60,000
    and its part of each of the project's amounts is 60,000 ÷ 117,000. At 2015-12-31
    what is left is the £15,000 still to come and the £69,000 held until the project's
    last cash day: 60,000 × 84,000 ÷ 117,000 = £43,076.92; at 2016-12-31, nothing.
    """
    tables = forecast_portfolio()
    tables["outcomes"].append(
        {"metric_id": "M1", "period_end": "2016-12-31", "forecast": "10", "achieved": "0"}
    )
    import_portfolio(engine, write_csvs(tmp_path / "q", tables), user="alice")
    result = run(
        db_url, "scenarios", "--as-of", T, "--paths", "10", "--dispersion", "0",
        "--rate", "0", "--fund", "F1", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    every = {f"p{p}" for p in (5, 25, 50, 75, 95)}
    document = json.loads(result.stdout)
    assert document["projects"][0]["value"] == dict.fromkeys(every, "117000.00")
    assert document["fund_stakes"] == [
        {"date": T, **dict.fromkeys(every, "60000.00")},
        {"date": "2015-12-31", **dict.fromkeys(every, "43076.92")},
        {"date": "2016-12-31", **dict.fromkeys(every, "0.00")},
    ]
