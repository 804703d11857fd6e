"""passu publish: the INDIGO layout, the fund's figures, and the round trip through
``passu market import``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from passu.cli.main import cli
from passu.portfolio.errors import UsageError
from passu.portfolio.market.publish import quarter_bounds
from passu.portfolio.market.publish_layout import FILES

from ..portfolio.builders import a_portfolio, write_csvs

EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"
FULL = Path(__file__).parents[2].parent / "shared/data/indigo_impact_bonds_2025-05"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def published(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    folder = write_csvs(tmp_path / "in", a_portfolio())
    assert run("--database", db_url, "import", str(folder)).exit_code == 0
    out = tmp_path / "publication"
    result = run("--database", db_url, "publish", "--quarter", "2014-Q4", "--fund", "F1",
                 "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return db_url, out


def test_headers_are_the_indigo_exports(published: tuple[str, Path]) -> None:
    _, out = published
    for name in FILES:
        assert header(out / name) == header(EXCERPT / name), name
        if (FULL / name).is_file():
            assert header(out / name) == header(FULL / name), name


def test_the_fund_figures_are_in_the_files(published: tuple[str, Path]) -> None:
    _, out = published
    (project,) = rows(out / "projects.csv")
    finance = "Overall project finance - "
    assert project["ID"] == "P1" and project["Countries"] == "GB"
    assert project["Stage of Development - (Value)"] == "Complete"
    # F1 commits 150,000 and CO1 100,000
    assert (
        project[finance + "Total investment commitment - Amount - Exact - (Value)"] == "250000.00"
    )
    assert project[finance + "Maximum potential outcome payment - Amount - (Value)"] == "500000.00"
    assert project[finance + "Total outcome payments made - Amount - (Value)"] == "18000.00"
    payments = rows(out / "projects_outcome_payments.csv")
    # Central Fund and Leeds name M1; The Lottery's payment names no metric
    assert [(p["Type - (Value)"], p["Payments - Amount - (Value)"]) for p in payments] == [
        ("Actual", "6000.00")
    ] * 3
    assert {p["Period - End - (Value)"] for p in payments} == {"2014-12-31"}
    names = {o["Name"] for o in rows(out / "orgs.csv")}
    assert {"Outcomes Fund I", "A Co-investor", "The Lottery", "Charity One"} <= names
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "Publisher: Example Manager LLP" in readme and "As of: 2014-12-31" in readme


def test_metrics_csv_has_the_quarter_and_to_date(published: tuple[str, Path]) -> None:
    _, out = published
    measures = {(r["measure"], r["metric_id"]): r for r in rows(out / "metrics.csv")}
    got = {key: (r["quarter_value"], r["to_date_value"]) for key, r in measures.items()}
    assert got == {
        ("referrals", ""): ("0", "0"),
        ("participants", ""): ("0", "25"),  # 25 in the period ending 2014-06-30
        ("outcomes_achieved", ""): ("8", "20"),  # 8 in the period ending 2014-12-31; 12 + 8
        ("outcomes_achieved", "M1"): ("8", "20"),
        ("outcome_payments", ""): ("18000.00", "18000.00"),  # 3 × 6,000 on 2014-11-15
        ("capital_drawn", ""): ("0.00", "100000.00"),  # 60,000 + 40,000 in 2014-Q2
    }


def test_round_trip_through_market_import(published: tuple[str, Path]) -> None:
    url, out = published
    imported = run("--database", url, "market", "import", str(out))
    assert imported.exit_code == 0, imported.stderr
    assert "0 rows skipped" in imported.stderr
    summary = run("--database", url, "market", "summary", "--country", "GB", "--format", "json")
    document = json.loads(summary.stdout)
    # the fund's own figures: 1 project; Σ holding commitments 250,000; Σ caps 500,000;
    # Σ outcome payments to 2014-12-31 18,000; holders F1 and CO1
    assert (document["projects"], document["capital_raised"]) == (1, "250000.00")
    assert document["max_outcome_payments"] == "500000.00"
    assert document["actual_outcome_payments"] == "18000.00"
    assert document["investors"] == 2


def test_quarters() -> None:
    assert [str(d) for d in quarter_bounds("2025-Q3")] == ["2025-07-01", "2025-09-30"]
    assert [str(d) for d in quarter_bounds("2024-Q4")] == ["2024-10-01", "2024-12-31"]
    with pytest.raises(UsageError, match="2025-Q3"):
        quarter_bounds("2025-13")


def test_bad_quarter_exits_2(sqlite_url: str, tmp_path: Path) -> None:
    run("--database", sqlite_url, "init")
    result = run("--database", sqlite_url, "publish", "--quarter", "Q3", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "expected a quarter such as 2025-Q3" in result.stderr
