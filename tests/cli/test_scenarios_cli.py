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
    assert project["value"] == dict.fromkeys(every, "30000.00")  # £33,000 ÷ 1.10
    (contract,) = document["contracts"]
    assert contract["probability_cap_reached"] == 0.0
    # F1's stake: its 150 / 250 of the loan tranche's £30,000 at T; at 2015-12-31 nothing
    # is left to come after that day
    assert document["fund_stakes"] == [
        {"date": T, **dict.fromkeys(every, "18000.00")},
        {"date": "2015-12-31", **dict.fromkeys(every, "0.00")},
    ]


def test_table_and_bad_paths(loaded: str) -> None:
    table = run(loaded, "scenarios", "--as-of", T, "--paths", "100")
    assert table.exit_code == 0, table.stderr
    assert "outcome payments to come" in table.stdout
    bad = run(loaded, "scenarios", "--as-of", T, "--paths", "0")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "--paths" in bad.stderr
