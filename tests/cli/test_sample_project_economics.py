"""The family-therapy example of the published programme, through the CLI on the sample."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.demo import run_demo


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return run_demo(tmp_path_factory.mktemp("demo"), user="test").database_url


def economics(url: str, fmt: str = "json") -> str:
    result = CliRunner().invoke(
        cli, ["--database", url, "--quiet", "project", "economics", "FT-LONDON",
              "--as-of", "2026-10-31", "--format", fmt])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_ft_london_reproduces_the_published_cost_stack(sample_db: str) -> None:
    stack = json.loads(economics(sample_db))
    # delivery £4.5m + innovations £1.8m (design £780k + pilots £1,020k) = £6.3m expenditure
    assert stack["delivery_cost"] == "4500000.00"
    assert stack["innovation_cost"] == "1800000.00"
    assert stack["innovation_by_stage"] == {"design": "780000.00", "pilot": "1020000.00"}
    assert stack["project_expenditure"] == "6300000.00"
    # + £0.3m cost of financing = £6.6m cost to government, nothing unexplained
    assert stack["cost_of_financing"] == "300000.00"
    assert stack["cost_to_government"] == "6600000.00"
    assert stack["unexplained"] == "0.00"
    # 410 families: £6.6m / 410 = £16,097.56 (about £16k); 10 boroughs: £660,000 (about £0.7m)
    assert stack["beneficiaries"] == 410
    assert stack["cost_per_beneficiary"] == "16097.56"
    assert stack["payers"] == 10
    assert stack["cost_per_payer"] == "660000.00"
    estimated = [Decimal(i["estimated_cost"]) for i in stack["innovations"]]
    assert len(estimated) == 13 and sum(estimated) == Decimal("1800000.00")


def test_the_table_reads_like_the_published_stack(sample_db: str) -> None:
    table = economics(sample_db, "table")
    for line in (
        "£4,500,000.00",
        "£1,800,000.00",
        "£6,300,000.00",
        "£300,000.00",
        "£6,600,000.00",
        "£16,097.56",
    ):
        assert line in table


def test_the_run_stores_the_stack_the_command_prints(sample_db: str) -> None:
    """The committee pack's FT-LONDON page reads the run; the run holds the same stack."""
    import datetime as dt

    from passu.portfolio.store.database import make_engine
    from passu.portfolio.value import value_run

    as_of = dt.date(2026, 10, 31)
    engine = make_engine(sample_db)
    details = value_run(engine, as_of, "SOF2", report_sections=True).sections["project_details"]
    engine.dispose()
    stored = next(d for d in details if d["project_id"] == "FT-LONDON")
    printed = json.loads(economics(sample_db))
    keys = (
        "delivery_cost",
        "innovation_cost",
        "project_expenditure",
        "cost_of_financing",
        "cost_to_government",
        "unexplained",
        "beneficiaries",
        "cost_per_beneficiary",
    )
    assert {k: stored["economics"][k] for k in keys} == {k: printed[k] for k in keys}
    assert len(stored["innovations"]) == 13
    # the what-if credits the innovations with the published programme's 80% gain
    assert stored["what_if"]["productivity_gain"] == 0.8
