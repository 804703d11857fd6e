"""The default as-of date everywhere: the last month-end before today."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from passu.cli.main import cli
from passu.portfolio.dates import last_month_end, quarter_of

from .builders import a_portfolio, write_csvs


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-23", "2026-10-31"),
        ("2026-11-01", "2026-10-31"),  # the 1st: the month before has ended
        ("2026-03-31", "2026-02-28"),  # a month-end is not "before today" on the day itself
        ("2024-03-15", "2024-02-29"),  # leap year
        ("2027-01-10", "2026-12-31"),  # across a year end
    ],
)
def test_last_month_end(today: str, expected: str) -> None:
    with freeze_time(today):
        assert last_month_end() == dt.date.fromisoformat(expected)


def test_quarter_labels() -> None:
    assert quarter_of(dt.date(2025, 9, 30)) == "2025-Q3"
    assert quarter_of(dt.date(2025, 1, 1)) == "2025-Q1"


def test_value_defaults_to_the_last_month_end(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--database", sqlite_url, "init"])
    runner.invoke(
        cli, ["--database", sqlite_url, "import", str(write_csvs(tmp_path / "p", a_portfolio()))]
    )
    with freeze_time("2020-07-15"):
        result = runner.invoke(cli, ["--database", sqlite_url, "-q", "value", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2020-06-30"
