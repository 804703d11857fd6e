"""``passu check`` and ``passu audit`` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.importer import import_portfolio
from tests.portfolio.builders import a_portfolio, write_csvs


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, *args])


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "good", a_portfolio()), user="alice")
    return engine


# --- passu check ---------------------------------------------------------------------


def test_check_clean_portfolio_exits_0(loaded: Engine, db_url: str) -> None:
    # P1 completed on 2018-03-31 and F1/A is still marked £61,000, but a year has not
    # yet passed on 2018-12-31: nothing to report.
    result = run(db_url, "check", "--as-of", "2018-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "15 checks, no findings" in result.stderr


def test_check_findings_exit_1_and_name_ids_and_dates(loaded: Engine, db_url: str) -> None:
    result = run(db_url, "check", "--as-of", "2024-12-31", "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout) == [
        {
            "check": "stale_mark",
            "message": "holding P1/F1/A: still marked £61,000.00 (on 2014-12-31) though "
            "project P1 completed on 2018-03-31",
            "rows": "marks: P1/F1/A, 2014-12-31; projects: P1",
        }
    ]
    assert "1 findings" in result.stderr


def test_check_csv_lists_every_finding(engine: Engine, db_url: str, tmp_path: Path) -> None:
    tables = a_portfolio()
    # F1 draws £200,000 against a £150,000 commitment on 2014-04-15; its cash was
    # £200,000.05 of calls, so 0.05 is left, and the £2,500 fee on 2014-06-30 takes it
    # to −£2,499.95; the £6,000 interest on 2015-04-15 brings it back.
    tables["project_flows"][0]["amount"] = "200000"
    import_portfolio(engine, write_csvs(tmp_path / "p", tables), user="t")
    result = run(db_url, "check", "--as-of", "2016-12-31", "--format", "csv")
    assert result.exit_code == 1, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["check"], r["message"]) for r in rows] == [
        (
            "drawdowns_over_commitment",
            "holding P1/F1/A: drawdowns £200,000.00 exceed its commitment £150,000.00 "
            "(from 2014-04-15)",
        ),
        (
            "negative_fund_cash",
            "fund F1: cash negative from 2014-06-30, lowest -£2,499.95 on 2014-06-30; "
            "back to zero or above on 2015-04-15",
        ),
    ]


def test_check_table_output(loaded: Engine, db_url: str) -> None:
    result = run(db_url, "check", "--as-of", "2024-12-31")
    assert result.exit_code == 1
    assert "stale_mark" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--as-of", "2024-13-01"),
        ("check", "--format", "xml"),
        ("audit", "--since", "yesterday"),
    ],
)
def test_bad_usage_exits_2(loaded: Engine, db_url: str, args: tuple[str, ...]) -> None:
    result = run(db_url, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_check_without_schema_exits_2(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'empty.db'}", "check")
    assert result.exit_code == 2
    assert "run `passu init` first" in result.stderr


# --- passu audit ---------------------------------------------------------------------


def test_audit_lists_who_when_what_and_the_input_hash(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    report = import_portfolio(
        engine, write_csvs(tmp_path / "good", a_portfolio()), user="alice", command="import"
    )
    result = run(db_url, "audit", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["user"] == "alice"
    assert entry["command"] == "import"
    assert entry["input_sha256"] == report.sha256 and len(report.sha256) == 64
    assert entry["at"].endswith("+00:00")
    details = entry["details"]  # an object, not JSON text inside a string
    assert isinstance(details, dict)
    # a_portfolio has 4 project_flows rows and 5 investors, all new
    assert details["tables"]["project_flows"] == {"added": 4, "changed": 0, "removed": 0}
    assert details["tables"]["investors"] == {"added": 5, "changed": 0, "removed": 0}


def test_audit_since_filters_and_entries_are_only_added(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    folder = write_csvs(tmp_path / "good", a_portfolio())
    run(db_url, "--user", "alice", "import", str(folder))
    first = json.loads(run(db_url, "audit", "--format", "json").stdout)
    run(db_url, "--user", "bob", "import", str(folder))  # changes nothing, still audited
    both = json.loads(run(db_url, "audit", "--format", "json").stdout)
    assert both[:1] == first  # the earlier record is exactly as it was
    assert [e["user"] for e in both] == ["alice", "bob"]
    assert both[1]["details"]["tables"]["funds"] == {
        "added": 0,
        "changed": 0,
        "removed": 0,
    }
    future = run(db_url, "audit", "--since", "2999-01-01", "--format", "csv")
    assert future.exit_code == 0
    assert future.stdout == "id,at,login,user,command,details,input_sha256,sha256\n"
    past = json.loads(run(db_url, "audit", "--since", "2000-01-01", "--format", "json").stdout)
    assert past == both


def test_no_command_edits_or_deletes_audit_rows() -> None:
    """The only ways into audit_log are appends: no command is named for editing it."""

    def names(group: object, prefix: str = "") -> list[str]:
        out = []
        for name, command in getattr(group, "commands", {}).items():
            out.append(prefix + name)
            out.extend(names(command, prefix + name + " "))
        return out

    audit_commands = [n for n in names(cli) if "audit" in n]
    assert audit_commands == ["audit"]
    help_text = run("sqlite://", "audit", "--help").stdout
    assert "no passu command edits or deletes one" in help_text
