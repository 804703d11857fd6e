"""Every command, given hostile arguments, answers in one line with an exit code: never a
traceback (issue 17, item 12). The walk covers the whole click command tree, so a
command added later is walked too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from passu.cli.main import PROBLEMS_SHOWN, cli
from passu.cli.options import DateType
from passu.portfolio.errors import InputError, Problem

from ..portfolio.builders import a_portfolio, write_csvs

HOSTILE_ID = "x/../../F\u202e\u200b"
EXIT_CODES = {0, 1, 2, 3}


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield (*path, name)


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _value(param: click.Parameter, date: str, missing: Path) -> list[str]:
    """A hostile value for one parameter, as command-line words."""
    kind = param.type
    if isinstance(kind, DateType):
        text = date
    elif isinstance(kind, click.Choice):
        text = str(kind.choices[-1])
    elif isinstance(kind, click.IntRange | click.types.IntParamType):
        text = "100000"
    elif isinstance(kind, click.Path):
        text = str(missing)
    else:
        text = HOSTILE_ID
    if isinstance(param, click.Argument):
        return [text] * (param.nargs if param.nargs > 0 else 1)
    assert isinstance(param, click.Option)
    if param.is_flag:
        return [param.opts[0]]
    return [param.opts[0], text]


def _hostile_args(command: click.Command, date: str, missing: Path) -> list[str]:
    words: list[str] = []
    for param in command.params:
        if param.name in ("help", "version"):
            continue
        words += _value(param, date, missing)
    return words


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'passu.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--database", url, "-q", "init"]).exit_code == 0
    portfolio = write_csvs(folder / "portfolio", a_portfolio())
    assert runner.invoke(cli, ["--database", url, "-q", "import", str(portfolio)]).exit_code == 0
    return url


LEAVES = list(_leaves(cli))


def _assert_clean(result: click.testing.Result, args: list[str]) -> None:
    shown = result.output
    assert "Traceback" not in shown, (args, shown)
    assert "internal error" not in shown, (args, shown)
    assert result.exit_code in EXIT_CODES, (args, result.exit_code, shown)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(p) for p in LEAVES])
@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-10-31"])
def test_every_command_refuses_hostile_arguments_in_one_line(
    path: tuple[str, ...], date: str, database: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "x"
    args = ["--database", database, *path, *_hostile_args(_command(path), date, missing)]
    result = CliRunner().invoke(cli, args)
    _assert_clean(result, args)
    assert not (tmp_path / "no-such-folder").exists()  # nothing written
    dated = any(isinstance(p.type, DateType) and p.type.bounded for p in _command(path).params)
    if dated and date != "2026-10-31":  # an impossible date: refused before any work
        assert result.exit_code == 2, (args, result.output)


def test_the_walk_covers_every_command() -> None:
    assert len(LEAVES) >= 30
    assert {("value",), ("db", "restore"), ("report", "committee"), ("demo",)} <= set(LEAVES)


@pytest.mark.parametrize("timeout", ["abc", "nan", "inf", "-1"])
def test_a_bad_lock_timeout_is_one_line(
    timeout: str, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASSU_LOCK_TIMEOUT", timeout)
    result = CliRunner().invoke(cli, ["--database", database, "show", "fund"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: PASSU_LOCK_TIMEOUT: expected seconds from 0 to 86400, found '{timeout}'"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["value", "--format", "json", "-o", "{missing}/v.json"],
        ["value", "--format", "csv", "-o", "{missing}/v.csv"],
        ["value", "--format", "xlsx", "-o", "{missing}/v.xlsx"],
        ["export", "{missing}/out"],
        ["export", "{missing}/out.xlsx"],
        ["db", "backup", "{missing}/b.db"],
        ["publish", "--quarter", "2025-Q3", "-o", "{missing}/pub"],
        ["demo", "--dir", "{missing}/demo"],
        ["report", "committee", "--as-of", "2026-10-31", "-o", "{missing}/pack.pdf"],
        ["value", "--format", "json", "-o", "{unwritable}/v.json"],
        ["db", "backup", "{unwritable}/b.db"],
        ["demo", "--dir", "{unwritable}/demo"],
    ],
)
def test_an_output_into_a_missing_or_unwritable_folder_is_one_line_and_nothing_written(
    args: list[str], database: str, tmp_path: Path
) -> None:
    # /proc refuses new files even to root, whom permissions would not stop
    unwritable = "/proc" if os.path.isdir("/proc/self") else str(tmp_path / "f" / "g")
    filled = [a.format(missing=tmp_path / "missing", unwritable=unwritable) for a in args]
    result = CliRunner().invoke(cli, ["--database", database, "-q", *filled])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert not (tmp_path / "missing").exists()


def test_value_csv_writes_the_file_named_by_o(database: str, tmp_path: Path) -> None:
    out = tmp_path / "value.csv"
    base = ["--database", database, "-q", "value", "--as-of", "2026-10-31", "--format", "csv"]
    to_stdout = CliRunner().invoke(cli, base)
    to_file = CliRunner().invoke(cli, [*base, "-o", str(out)])
    assert to_file.exit_code == 0, to_file.output
    assert to_file.stdout == ""
    assert out.read_text(encoding="utf-8") == to_stdout.stdout


def test_a_default_output_name_stays_in_the_working_folder(database: str, tmp_path: Path) -> None:
    from passu.cli.paths import default_file

    for hostile in ("x/../../F", "../../etc/passwd", "..", "a\\b", "\x00\n\u202e", "é" * 500):
        path = default_file("committee", hostile, "2026-10-31", suffix=".pdf")
        assert path.parent == Path(".") and len(path.name) < 260, path
        assert (tmp_path / path).resolve().parent == tmp_path.resolve()
    assert default_file("committee", "SOF1", "2026-10-31", suffix=".pdf") == Path(
        "committee-SOF1-2026-10-31.pdf"
    )


@pytest.mark.parametrize("count", [PROBLEMS_SHOWN - 1, PROBLEMS_SHOWN + 250])
def test_error_output_is_capped_at_a_hundred_problems_then_a_count(
    count: int, monkeypatch: pytest.MonkeyPatch, database: str
) -> None:
    problems = [Problem("funds.csv", i + 2, "name", "text", f"bad{i}") for i in range(count)]

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise InputError(problems)

    monkeypatch.setattr("passu.cli.data_commands.import_portfolio", refuse)
    result = CliRunner().invoke(cli, ["--database", database, "import", "anything"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    shown = min(count, PROBLEMS_SHOWN)
    assert len([ln for ln in lines if "funds.csv" in ln]) == shown
    if count > PROBLEMS_SHOWN:
        assert f"error: … and {count - PROBLEMS_SHOWN} more problems" in lines
    assert lines[-1] == "nothing was written"


def test_jobs_beyond_the_cpus_are_capped_and_said(database: str) -> None:
    from passu.reports.parts import available_cpus

    cpus = available_cpus()
    args = ["--database", database, "report", "committee", "--as-of", "2026-10-31"]
    result = CliRunner().invoke(cli, [*args, "--jobs", str(cpus + 50)])
    assert f"--jobs {cpus + 50}: this machine has {cpus} CPUs, so {cpus} render processes" in (
        result.output
    )
    assert result.exit_code == 2  # then: no saved run for that date
