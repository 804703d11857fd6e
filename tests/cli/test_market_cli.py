"""passu market import and passu market summary through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from passu.cli.main import cli

EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"
FULL = Path(__file__).parents[2].parent / "shared/data/indigo_impact_bonds_2025-05"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_import_lists_skipped_rows_and_exits_0(db_url: str) -> None:
    result = run("--database", db_url, "market", "import", str(EXCERPT))
    assert result.exit_code == 0, result.stderr
    assert (
        "skipped projects_outcome_payments.csv: row 10, column Payments - Amount - (Value)"
        in result.stderr
    )
    assert result.stdout == ""
    summary = run("--database", db_url, "market", "summary", "--country", "GB", "--format", "json")
    assert summary.exit_code == 0, summary.stderr
    document = json.loads(summary.stdout)
    assert (document["projects"], document["capital_raised"]) == (4, "5194613.00")
    assert document["max_outcome_payments"] == "26297917.00"
    assert document["actual_outcome_payments"] == "5518103.00"
    homelessness = document["by_policy_sector"][-1]
    # 0131 and 0175: capital 600,000 + 3,469,613; paid 2,742,943 + 2,505,220
    assert homelessness == homelessness | {
        "policy_sector": "Homelessness",
        "projects": 2,
        "capital_raised": "4069613.00",
        "actual_outcome_payments": "5248163.00",
    }


def test_summary_table_and_csv(db_url: str) -> None:
    run("--database", db_url, "market", "import", str(EXCERPT))
    table = run("--database", db_url, "market", "summary", "--country", "uk")
    assert table.exit_code == 0 and "£5,194,613.00" in table.stdout
    csv = run("--database", db_url, "market", "summary", "--by", "stage", "--format", "csv")
    assert csv.exit_code == 0 and "# By stage" in csv.stdout


def test_not_indigo_exits_2(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "projects.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    result = run("--database", db_url, "market", "import", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "lacks the INDIGO column 'ID'" in result.stderr


@pytest.mark.slow
def test_full_export_has_100_uk_projects(sqlite_template: Path, tmp_path: Path) -> None:
    if not (FULL / "projects.csv").is_file():
        pytest.skip(f"the full INDIGO export is not at {FULL}")
    import shutil

    shutil.copy(sqlite_template, tmp_path / "passu.db")
    url = f"sqlite:///{tmp_path / 'passu.db'}"
    assert run("--database", url, "market", "import", str(FULL)).exit_code == 0
    result = run("--database", url, "market", "summary", "--country", "GB", "--format", "json")
    document = json.loads(result.stdout)
    assert document["projects"] == 100
    # SOURCE.md's checks: capital ≈ £76.4m; actual payments £136.3m over 38 projects
    assert document["capital_raised"] == "76367248.00"
    assert document["actual_outcome_payments"] == "136347084.00"
    assert document["projects_with_actual_payments"] == 38
