"""Progress bars: on stderr when it is a terminal, never on stdout, none with --quiet.

CliRunner's stderr is no terminal; ``TTY_COMPATIBLE=1`` makes rich treat it as one
(rich's documented switch), so a test can see the bar appear and, with --quiet, not.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import passu
from passu.cli.main import cli

from ..portfolio.builders import a_portfolio, write_csvs

AS_OF = "2026-10-31"
TERMINAL = {"TTY_COMPATIBLE": "1"}
ELAPSED = "0:00:0"  # the bar's elapsed-time column: only a bar prints it (notices do not)


def invoke(url: str, *args: str, terminal: bool = True) -> Result:
    return CliRunner().invoke(cli, ["--database", url, *args], env=TERMINAL if terminal else {})


@pytest.fixture
def small(db_url: str, tmp_path: Path) -> str:
    assert invoke(db_url, "--quiet", "init").exit_code == 0
    folder = write_csvs(tmp_path / "p", a_portfolio())
    result = invoke(db_url, "--quiet", "import", str(folder))
    assert result.exit_code == 0, result.stderr
    return db_url


def test_value_json_stdout_is_exactly_the_document_with_a_bar_on_stderr(small: str) -> None:
    result = invoke(small, "value", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    # the same bytes as the Python API's run, made without the command line
    expected = passu.open(small).value(as_of=dt.date(2026, 10, 31)).to_json()
    assert result.stdout == expected
    assert ELAPSED in result.stderr and "valuing" in result.stderr  # the bar, on stderr only


def test_quiet_draws_no_bar_and_leaves_stdout_alone(small: str) -> None:
    loud = invoke(small, "value", "--as-of", AS_OF, "--format", "json")
    quiet = invoke(small, "--quiet", "value", "--as-of", AS_OF, "--format", "json")
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout
    json.loads(quiet.stdout)


def test_no_bar_when_stderr_is_not_a_terminal(small: str) -> None:
    result = invoke(small, "value", "--as-of", AS_OF, "--format", "json", terminal=False)
    assert result.exit_code == 0
    assert ELAPSED not in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal control codes either
    assert "valuing holdings and projects" in result.stderr  # the notices, as lines


def test_import_and_check_draw_bars_on_stderr_and_json_on_stdout(
    small: str, tmp_path: Path
) -> None:
    folder = write_csvs(tmp_path / "again", a_portfolio())
    imported = invoke(small, "import", str(folder), "--format", "json")
    assert imported.exit_code == 0, imported.stderr
    assert ELAPSED in imported.stderr and "importing" in imported.stderr
    # the same rows again: nothing added, changed or removed in any table
    rows = json.loads(imported.stdout)
    assert rows and all(r["added"] == r["changed"] == r["removed"] == 0 for r in rows)
    checked = invoke(small, "check", "--as-of", AS_OF, "--format", "json")
    assert checked.exit_code in (0, 1), checked.stderr
    assert ELAPSED in checked.stderr and "checking" in checked.stderr
    assert isinstance(json.loads(checked.stdout), list)
    quiet = invoke(small, "--quiet", "check", "--as-of", AS_OF, "--format", "json")
    assert quiet.stderr == "" and quiet.stdout == checked.stdout


def test_the_pack_uses_its_cache_folder_and_quiet_silences_it(small: str, tmp_path: Path) -> None:
    assert invoke(small, "--quiet", "value", "--as-of", AS_OF, "--save").exit_code == 0
    cache = tmp_path / "pack-cache"
    first = invoke(
        small, "report", "committee", "--as-of", AS_OF, "-o", str(tmp_path / "a.pdf"),
        "--cache", str(cache), "--jobs", "1",
    )  # fmt: skip
    assert first.exit_code == 0, first.stderr
    assert ELAPSED in first.stderr and "committee pack" in first.stderr  # the bar
    assert first.stdout == f"{tmp_path / 'a.pdf'}\n"
    assert list((cache / "parts").glob("*.part"))
    second = invoke(
        small, "--quiet", "report", "committee", "--as-of", AS_OF, "-o", str(tmp_path / "b.pdf"),
        "--cache", str(cache), "--jobs", "1",
    )  # fmt: skip
    assert second.exit_code == 0 and second.stderr == ""
    both = invoke(
        small, "report", "committee", "--as-of", AS_OF, "--cache", str(cache), "--no-cache"
    )
    assert both.exit_code == 2
    assert "--no-cache" in both.stderr
