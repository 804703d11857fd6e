"""A new user's first commands on an empty database: a clear line each, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from passu.cli.main import cli

NO_FUNDS = "error: the database holds no funds yet: import a portfolio with `passu import PATH`"


@pytest.mark.parametrize(
    "args",
    [
        ["show", "fund"],
        ["value"],
        ["outcomes"],
        ["claims"],
        ["innovations"],
    ],
)
def test_commands_on_an_empty_database_say_what_to_do(sqlite_url: str, args: list[str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--database", sqlite_url, "init"]).exit_code == 0
    result = runner.invoke(cli, ["--database", sqlite_url, "--quiet", *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == NO_FUNDS
    assert "Traceback" not in result.output


def test_before_init_the_database_is_asked_for_and_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, ["--database", f"sqlite:///{missing}", "show", "fund"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: no database at {missing}: run `passu init` first"
    assert not missing.exists()  # a mistyped path leaves no empty database behind


def test_a_database_without_the_schema_asks_for_init(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # an SQLite file with no tables in it
    result = CliRunner().invoke(cli, ["--database", f"sqlite:///{empty}", "show", "fund"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: the database has no passu schema yet: run `passu init` first"
    )


def test_listing_an_empty_register_is_fine(sqlite_url: str) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--database", sqlite_url, "init"])
    result = runner.invoke(cli, ["--database", sqlite_url, "list", "funds", "--format", "json"])
    assert result.exit_code == 0 and result.stdout.strip() == "[]"
