"""passu value end to end: hand-worked figures, JSON contract, determinism, pari passu."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.demo import run_demo

from ..portfolio.builders import a_portfolio, write_csvs


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


def value_json(url: str, *args: str) -> dict[str, Any]:
    code, out, err = run(url, "value", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def small(db_url: str, tmp_path: Path) -> str:
    assert run(db_url, "init")[0] == 0
    code, _, err = run(db_url, "import", str(write_csvs(tmp_path / "p", a_portfolio())))
    assert code == 0, err
    return db_url


def test_hand_worked_fund_figures(small: str) -> None:
    fund = value_json(small, "--as-of", "2026-10-31", "--fund", "F1")["fund"]
    # calls: 30,000 + 50,000 + 120,000.05 = 200,000.05
    assert fund["paid_in"] == "200000.05"
    assert fund["committed"] == "2000000.50"  # 300,000 + 500,000 + 1,200,000.50
    assert fund["unfunded"] == "1800000.45"
    # cash = calls 200,000.05 − drawdown 60,000 + interest 6,000 − fee 2,500 = 143,500.05
    assert fund["cash"] == "143500.05"
    # F1's holding: mark 61,000 at 2014-12-31, less 6,000 of interest received after it
    assert fund["holdings_nav"] == "55000.00"
    assert fund["nav"] == "198500.05"
    assert fund["dpi"] == 0.0
    # RVPI = 198,500.05 / 200,000.05 = 0.992500 (to six places)
    assert fund["rvpi"] == pytest.approx(0.9925, abs=1e-6)
    # gross MOIC = (6,000 + 55,000) / 60,000
    assert fund["gross_moic"] == pytest.approx(61000 / 60000, abs=1e-6)


def test_undefined_irr_is_null_with_a_reason(small: str) -> None:
    # At 2014-04-30 CO1 has drawn 40,000 (on 2014-04-15) with no mark: NAV is its cost
    # outstanding, so its flows are −40,000 then +40,000 (NAV at T), 15 days apart: less
    # than a year, so no IRR (not annualised) and a period return of 40,000 / 40,000 − 1 = 0.
    document = value_json(small, "--as-of", "2014-04-30", "--fund", "F1")
    holding = next(h for h in document["holdings"] if h["holder_id"] == "CO1")
    assert holding["invested"] == "40000.00" and holding["nav"] == "40000.00"
    assert (holding["irr"], holding["irr_note"]) == (None, "less than a year: not annualised")
    assert holding["period_return"] == 0.0
    # Before the first call there are no flows at all: null with the reason, never 0.
    early = value_json(small, "--as-of", "2014-03-30", "--fund", "F1")
    assert early["fund"]["net_irr"] is None
    assert early["fund"]["net_irr_note"] == "no flows"
    assert early["fund"]["dpi"] is None  # nothing paid in yet


def test_the_json_contract_keys(small: str) -> None:
    document = value_json(small, "--as-of", "2026-10-31")
    assert {
        "as_of",
        "fund",
        "projects",
        "holdings",
        "investors",
        "pari_passu",
        "outcomes",
        "social_value",
        "claims",
        "funds",
    } <= set(document)
    assert {
        "fund_id",
        "committed",
        "paid_in",
        "distributed",
        "unfunded",
        "nav",
        "cash",
        "dpi",
        "rvpi",
        "tvpi",
        "gross_irr",
        "gross_moic",
        "net_irr",
        "cost_of_capital",
        "hmt_benchmark",
        "spread_bps",
    } <= set(document["fund"])
    assert document["fund"]["fund_id"] == "ALL"
    assert [f["fund_id"] for f in document["funds"]] == ["F1"]
    assert {"project_id", "invested", "realised", "nav", "moic", "irr", "irr_note"} <= set(
        document["projects"][0]
    )
    assert {
        "project_id",
        "holder_id",
        "tranche",
        "invested",
        "realised",
        "nav",
        "moic",
        "irr",
        "irr_note",
    } <= set(document["holdings"][0])
    assert {
        "investor_id",
        "share_class",
        "committed",
        "paid_in",
        "distributed",
        "nav",
        "unfunded",
        "dpi",
        "tvpi",
        "irr",
    } <= set(document["investors"][0])
    assert {"ok", "breaches"} <= set(document["pari_passu"])
    assert {"fiscal", "economic", "social", "total", "by_policy_area"} <= set(
        document["social_value"]
    )
    # money as strings with two decimals, rates as numbers
    assert isinstance(document["fund"]["paid_in"], str)
    assert document["fund"]["paid_in"].split(".")[1].__len__() == 2


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("demo")
    return run_demo(directory, user="test").database_url


def test_same_data_same_date_same_bytes(sample_db: str) -> None:
    first = run(sample_db, "value", "--as-of", "2026-10-31", "--format", "json")[1]
    second = run(sample_db, "value", "--as-of", "2026-10-31", "--format", "json")[1]
    assert first == second


def test_sample_published_figures_through_the_cli(sample_db: str) -> None:
    document = value_json(sample_db, "--as-of", "2026-10-31")
    outcomes, social = document["outcomes"], document["social_value"]

    def millions(text: str) -> Decimal:
        return (Decimal(text) / 1_000_000).quantize(Decimal("0.1"))

    assert outcomes["payments"] == "72200000.00"
    assert millions(social["fiscal"]) == Decimal("164.0")
    assert millions(social["social"]) == Decimal("224.0")
    assert millions(social["economic"]) == Decimal("444.0")
    assert millions(social["total"]) == Decimal("832.0")
    table = {row["measure"]: row for row in outcomes["forecast_vs_actual"]}
    assert (table["outcome_payments"]["forecast"], table["outcome_payments"]["actual"]) == (
        "50000000.00",
        "72200000.00",
    )
    assert (table["contracts"]["forecast"], table["contracts"]["actual"]) == (15, 37)
    assert (table["outcomes_payers"]["forecast"], table["outcomes_payers"]["actual"]) == (9, 89)
    assert (
        table["delivery_partners"]["forecast"],
        table["delivery_partners"]["forecast_high"],
        table["delivery_partners"]["actual"],
    ) == (20, 30, 95)
    assert table["fiscal_value"]["forecast"] == "100000000.00"
    assert millions(table["fiscal_value"]["actual"]) == Decimal("164.0")
    assert (table["co_investors"]["forecast"], table["co_investors"]["actual"]) == (20, 22)
    assert document["pari_passu"]["ok"] is True
    assert document["illustrative"] is True


def test_sample_table_output_reads_at_a_glance(sample_db: str) -> None:
    code, out, _ = run(sample_db, "value", "--as-of", "2026-10-31")
    assert code == 0
    assert "£72,200,000.00" in out
    assert "Government shareholder beside the fund" in out
    assert "DCMS in SOF1" in out
    assert "Illustrative data" in out


def test_a_skewed_distribution_breaches_pari_passu(tmp_path: Path) -> None:
    url = run_demo(tmp_path / "demo", user="test").database_url
    export = tmp_path / "export"
    assert run(url, "export", str(export))[0] == 0
    lines = (export / "investor_flows.csv").read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if ",ELMF," in line and ",distribution," in line)
    fields = lines[index].split(",")
    fields[-1] = f"{Decimal(fields[-1]) + 10:.2f}"  # £10 more to one foundation, once
    lines[index] = ",".join(fields)
    (export / "investor_flows.csv").write_text("\n".join(lines) + "\n")
    assert run(url, "import", str(export))[0] == 0
    pari = value_json(url, "--as-of", "2026-10-31")["pari_passu"]
    assert pari["ok"] is False
    named = {(b["holder_or_investor"], b["measure"]) for b in pari["breaches"]}
    assert ("ELMF", "distributed") in named


def test_nav_bridge_between_two_runs_reconciles_to_the_penny(sample_db: str) -> None:
    opening = value_json(sample_db, "--as-of", "2025-12-31")["fund"]["nav"]
    closing = value_json(sample_db, "--as-of", "2026-06-30")["fund"]["nav"]
    code, out, _ = run(sample_db, "runs", "bridge", "2025-12-31", "2026-06-30", "--format", "json")
    assert code == 0
    bridge = {k: v for k, v in json.loads(out).items()}
    assert bridge["opening_nav"] == opening and bridge["closing_nav"] == closing
    total = (
        Decimal(bridge["opening_nav"])
        + Decimal(bridge["contributions"])
        - Decimal(bridge["distributions"])
        + Decimal(bridge["value_change"])
    )
    assert total == Decimal(bridge["closing_nav"])


def test_value_as_a_workbook_and_as_csv(small: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = tmp_path / "valuation.xlsx"
    code, _, err = run(
        small, "value", "--as-of", "2026-10-31", "--format", "xlsx", "-o", str(book_path)
    )
    assert code == 0, err
    book = load_workbook(book_path)
    assert {"fund", "projects", "holdings", "investors", "pari_passu_breaches"} <= set(
        book.sheetnames
    )
    fund = {row[0]: row[1] for row in book["fund"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(fund["paid_in"])) == Decimal("200000.05")
    code, _, err = run(small, "value", "--format", "xlsx")
    assert code == 2 and "needs -o FILE.xlsx" in err
    code, out, _ = run(small, "value", "--as-of", "2026-10-31", "--format", "csv")
    assert code == 0
    assert "# Capital accounts" in out and "fund_id,investor_id,kind,share_class" in out
