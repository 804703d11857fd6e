"""The register commands on the sample, and the sample's own round trip on both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.demo import run_demo, sample_path


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return run_demo(tmp_path_factory.mktemp("demo"), user="test").database_url


def test_show_fund_all_funds_together(sample_db: str) -> None:
    code, out, _ = run(sample_db, "show", "fund", "--as-of", "2026-10-31")
    assert code == 0
    for line in (
        "outcomes contracts",
        "outcomes payers",
        "delivery partners",
        "direct co-investors",
    ):
        assert line in out
    assert "£72,200,000.00" in out
    code, out, _ = run(sample_db, "show", "fund", "--as-of", "2026-10-31", "--format", "json")
    figures = json.loads(out)
    assert (
        figures["contracts"],
        figures["outcomes_payers"],
        figures["delivery_partners"],
        figures["co_investors"],
    ) == (37, 89, 95, 22)
    assert figures["outcome_payments"] == "72200000.00"
    assert figures["commitments"] == "25000000.00"
    assert figures["fund_id"] == "ALL"


def test_show_one_fund_and_an_unknown_one(sample_db: str) -> None:
    code, out, _ = run(sample_db, "show", "fund", "SOF1", "--format", "json")
    assert code == 0 and json.loads(out)["fund_id"] == "SOF1"
    code, _, err = run(sample_db, "show", "fund", "NOPE")
    assert code == 2
    assert err.strip() == "error: no fund 'NOPE': `passu list funds` shows the ids"


@pytest.mark.parametrize("what", ["funds", "investors", "projects", "holdings", "contracts"])
def test_list_in_every_format(sample_db: str, what: str) -> None:
    code, table, _ = run(sample_db, "list", what)
    assert code == 0 and table.strip()
    code, out, _ = run(sample_db, "list", what, "--format", "json")
    rows = json.loads(out)
    code, out, _ = run(sample_db, "list", what, "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == len(rows) > 0


def test_list_money_in_full_and_as_strings(sample_db: str) -> None:
    _, table, _ = run(sample_db, "list", "funds")
    assert "£10,000,000.00" in table and "£15,000,000.00" in table
    _, out, _ = run(sample_db, "list", "funds", "--format", "json")
    assert [f["committed"] for f in json.loads(out)] == ["10000000.00", "15000000.00"]


def test_show_project_in_full(sample_db: str) -> None:
    code, out, _ = run(sample_db, "show", "project", "FT-LONDON", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert {
        "project_ft_london",
        "holdings",
        "flows",
        "marks",
        "outcome_contracts",
        "outcome_payers",
        "delivery_partners",
        "evaluations",
    } <= set(shown)
    assert len({p["payer"] for p in shown["outcome_payers"]}) == 10
    assert shown["evaluations"]
    code, _, err = run(sample_db, "show", "project", "NOPE")
    assert code == 2 and "no project 'NOPE'" in err


def test_sample_round_trip_is_byte_identical_across_databases(db_url: str, tmp_path: Path) -> None:
    assert run(db_url, "init")[0] == 0
    with sample_path() as sample:
        code, _, err = run(db_url, "import", str(sample))
    assert code == 0, err
    assert run(db_url, "export", str(tmp_path / "first"))[0] == 0
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(other, "init")[0] == 0
    assert run(other, "import", str(tmp_path / "first"))[0] == 0
    assert run(other, "export", str(tmp_path / "second"))[0] == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "first").glob("*.csv")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "second").glob("*.csv")}
    assert len(first) == 24 and first == second  # format 2 added two tables the sample fills
    # importing the sample again changes nothing
    with sample_path() as sample:
        code, out, _ = run(db_url, "import", str(sample), "--format", "json")
    assert all(t["added"] == t["changed"] == t["removed"] == 0 for t in json.loads(out))


def test_one_bad_cell_in_the_sample_rejects_the_whole_import(
    sample_db: str, tmp_path: Path
) -> None:
    assert run(sample_db, "export", str(tmp_path / "before"))[0] == 0
    with sample_path() as sample:
        bad = tmp_path / "bad"
        bad.mkdir()
        for path in sample.glob("*.csv"):
            (bad / path.name).write_bytes(path.read_bytes())
    lines = (bad / "project_flows.csv").read_text().splitlines()
    lines[-1] = lines[-1].rsplit(",", 1)[0] + ",12.345"  # three decimals, last row
    (bad / "project_flows.csv").write_text("\n".join(lines) + "\n")
    (bad / "projects.csv").write_text(
        (bad / "projects.csv").read_text().replace("completed", "complete", 1)
    )
    code, _, err = run(sample_db, "import", str(bad))
    assert code == 2
    assert f"project_flows.csv, row {len(lines) - 1}, column amount" in err
    assert "projects.csv, row" in err and "column status" in err
    assert run(sample_db, "export", str(tmp_path / "after"))[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "before").glob("*.csv")}
    after = {p.name: p.read_bytes() for p in (tmp_path / "after").glob("*.csv")}
    assert before == after
