"""passu outcomes, passu outcomes compare and passu unit-values through the CLI."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from passu.cli.main import cli

from ..portfolio.builders import a_portfolio, write_csvs

SEED = [
    "--input-budget", "10000000", "--price", "17000",
    "--people", "1000", "--success-rate", "0.6",
    "--actual-people", "800", "--actual-success-rate", "0.4",
    "--over-people", "1200", "--over-success-rate", "0.72", "--over-price", "15000",
]  # fmt: skip


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    folder = write_csvs(tmp_path / "in", a_portfolio())
    assert run("--database", db_url, "import", str(folder)).exit_code == 0
    return db_url


def short(amount: Decimal, unit: int) -> Decimal:
    """The published loose rounding: to the nearest £1k or £1m."""
    return (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def test_compare_reproduces_the_published_worked_example() -> None:
    result = run("outcomes", "compare", *SEED, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    # Exact arithmetic, row by row (seed-figures.md, "Pay for inputs against pay for outcomes"):
    expected = [
        # £10m of inputs; 1000 × 60% = 600; £10m ÷ 600 = £16,666.67 (published £17k)
        ("pay for inputs, design", 1000, 0.6, 600, "16666.67", "10000000.00"),
        # 800 × 40% = 320; £10m ÷ 320 = £31,250 (published £31k)
        ("pay for inputs, actual", 800, 0.4, 320, "31250.00", "10000000.00"),
        # 600 × £17k = £10.2m (published £10m)
        ("pay for outcomes, design", 1000, 0.6, 600, "17000.00", "10200000.00"),
        # 320 × £17k = £5.44m (published £5m)
        ("pay for outcomes, under-performance", 800, 0.4, 320, "17000.00", "5440000.00"),
        # 1200 × 72% = 864 (published 860); 864 × £15k = £12.96m (published £13m)
        ("pay for outcomes, over-performance", 1200, 0.72, 864, "15000.00", "12960000.00"),
    ]
    assert [
        (
            r["contract"],
            r["people_treated"],
            r["success_rate"],
            r["outcomes"],
            r["cost_per_outcome"],
            r["total_paid"],
        )
        for r in rows
    ] == expected
    # and the published (loose) rounding: cost per outcome in £k, total paid in £m
    published = [(17, 10), (31, 10), (17, 10), (17, 5), (15, 13)]
    assert [
        (short(Decimal(r["cost_per_outcome"]), 1000), short(Decimal(r["total_paid"]), 10**6))
        for r in rows
    ] == [(Decimal(k), Decimal(m)) for k, m in published]


def test_compare_gives_outcomes_as_a_number_whole_or_not() -> None:
    # 10 × 0.55 = 5.5 outcomes (not the text "5.5"); 10 × 0.5 = 5 (an integer).
    args = [
        "--people",
        "10",
        "--success-rate",
        "0.55",
        "--price",
        "100",
        "--actual-people",
        "10",
        "--actual-success-rate",
        "0.5",
        "--format",
        "json",
    ]
    rows = json.loads(run("outcomes", "compare", *args).stdout)  # fmt: skip
    assert [r["outcomes"] for r in rows] == [5.5, 5]
    assert all(isinstance(r["outcomes"], int | float) for r in rows)
    # 5.5 × £100 = £550; £550 ÷ 5.5 = £100 per outcome.
    assert (rows[0]["total_paid"], rows[0]["cost_per_outcome"]) == ("550.00", "100.00")


def test_compare_requires_its_inputs() -> None:
    result = run("outcomes", "compare")
    assert result.exit_code == 2
    assert "Missing option '--people'" in result.stderr
    result = run(
        "outcomes", "compare", "--people", "10", "--success-rate", "0.5",
        "--actual-people", "10", "--actual-success-rate", "0.5",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "give --input-budget, --price or both" in result.stderr
    assert "Traceback" not in result.stderr


def test_compare_help_documents_the_seed_invocation() -> None:
    result = run("outcomes", "compare", "--help")
    assert "--over-people 1200 --over-success-rate 0.72 --over-price 15000" in result.stdout


def test_outcomes_json(loaded: str) -> None:
    result = run("--database", loaded, "outcomes", "--as-of", "2015-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "summary",
        "outcomes_by_project",
        "payments_against_caps",
        "co_payment_by_contract",
        "forecast_vs_actual",
    ]
    summary = document["summary"]
    assert summary["payments"] == "18000.00"  # 3 × £6,000
    assert summary["achieved"] == 20 and summary["cost_per_outcome"] == "900.00"
    assert summary["fiscal_value"] == "28800.00"  # 20 × 0.8 × 0.9 × £2,000
    assert document["forecast_vs_actual"] == [
        {"measure": "delivery_partners", "forecast": 20, "forecast_high": 30, "actual": 2}
    ]
    assert document["payments_against_caps"][0]["over_cap"] is False


def test_outcomes_table_and_csv(loaded: str) -> None:
    table = run("--database", loaded, "outcomes", "--as-of", "2015-12-31", "--fund", "F1")
    assert table.exit_code == 0, table.stderr
    assert "£18,000.00" in table.stdout and "Forecast against actual" in table.stdout
    csv = run("--database", loaded, "outcomes", "--as-of", "2015-12-31", "--by", "payer",
              "--format", "csv")  # fmt: skip
    assert csv.exit_code == 0
    assert "# Outcomes by payer" in csv.stdout
    assert "delivery_partners,20,30,2" in csv.stdout


def test_unknown_fund_exits_2(loaded: str) -> None:
    result = run("--database", loaded, "outcomes", "--fund", "NOPE")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no fund 'NOPE'")


def test_unit_values_search_prints_the_attribution(loaded: str) -> None:
    result = run("--database", loaded, "unit-values", "search", "rough", "sleep")
    assert result.exit_code == 0, result.stderr
    assert "HO6.0" in result.stdout
    assert "Unit Cost Database v1.4 (2015), CC BY 4.0" in " ".join(result.stdout.split())
    as_json = run("--database", loaded, "unit-values", "show", "HO6.0", "--price-year", "2024",
                  "--format", "json")  # fmt: skip
    assert as_json.exit_code == 0
    # GMCA's 2015/16 prices, moved with the 2015-16 financial-year index the run uses
    # (issue 18): (3 × 75.1536 + 76.4554) / 4 = 75.47905, £8,605.34 × 100 / 75.47905
    # = 11,400.9649… → £11,400.96 (calendar 2015's 75.1536 gave £11,450.34)
    assert json.loads(as_json.stdout)["fiscal"] == "11400.96"
    assert "CC BY 4.0" in as_json.stderr


def test_unit_values_print_a_price_year_as_a_year(loaded: str) -> None:
    # A year is no count: "2015", never "2,015", in the table; a number in JSON.
    table = run("--database", loaded, "unit-values", "show", "HO6.0")
    assert table.exit_code == 0, table.stderr
    assert "2,015" not in table.stdout and "2015" in table.stdout
    listing = run("--database", loaded, "unit-values", "search", "rough", "sleep")
    assert "2,015" not in listing.stdout and "2015" in listing.stdout
    as_json = run("--database", loaded, "unit-values", "show", "HO6.0", "--format", "json")
    assert json.loads(as_json.stdout)["price_year"] == 2015
