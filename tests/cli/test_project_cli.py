"""passu project economics, passu project cash-profile and passu innovations via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from passu.cli.main import cli

from ..portfolio.builders import a_portfolio, write_csvs


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    folder = write_csvs(tmp_path / "in", a_portfolio())
    assert run("--database", db_url, "import", str(folder)).exit_code == 0
    return db_url


def test_economics_json_and_table(db: str) -> None:
    result = run("--database", db, "project", "economics", "P1", "--as-of", "2015-12-31",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    # 40,000 delivery + 9,000 innovation = 49,000; 18,000 paid by government
    assert (document["project_expenditure"], document["cost_to_government"]) == (
        "49000.00",
        "18000.00",
    )
    assert document["innovation_by_stage"] == {"design": "9000.00", "pilot": "0.00"}
    table = run("--database", db, "project", "economics", "P1", "--as-of", "2015-12-31")
    assert table.exit_code == 0
    text = table.stdout
    assert text.index("project expenditure") < text.index("cost to government")
    assert text.index("cost to government") < text.index("Innovation register")
    assert "£49,000.00" in text


def test_cash_profile_csv_and_assumptions(db: str) -> None:
    result = run(
        "--database", db, "project", "cash-profile", "P1", "--as-of", "2015-12-31",
        "--without-innovation", "--productivity-gain", "0.5", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    header, first, *_ = result.stdout.splitlines()
    assert header.endswith("what_if_net,what_if_cumulative_net")
    assert first.startswith("2014Q2,2014-06-30,100000.00,40000.00,9000.00")
    assert "(1 + 0.5)" in result.stderr


def test_cash_profile_gain_alone_exits_2(db: str) -> None:
    result = run("--database", db, "project", "cash-profile", "P1", "--productivity-gain", "0.8")
    assert result.exit_code == 2
    assert "only with --without-innovation" in result.stderr


def test_unknown_project_exits_2(db: str) -> None:
    result = run("--database", db, "project", "economics", "NOPE")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no project 'NOPE'")


def test_innovations_json(db: str) -> None:
    result = run("--database", db, "innovations", "--as-of", "2015-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["by_theme_and_stage", "project_theme", "register"]
    assert document["project_theme"] == [
        {"project_id": "P1", "referrals": "9000.00", "achieved": 20, "forecast": 20,
         "achieved_rate": 1.0}
    ]  # fmt: skip
    assert document["by_theme_and_stage"][-1] == {
        "theme": "all",
        "stage": "all",
        "innovations": 1,
        "estimated_cost": "10000.00",
        "actual_cost": "9000.00",
        "variance": "-1000.00",
    }
