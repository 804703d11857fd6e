"""The outcomes and social-value sections and the outcomes report, on the builders' portfolio.

The portfolio (builders.a_portfolio): fund F1 holds project P1 beside co-investor CO1;
contract C1 (cap £500,000) with three payers; metric M1 at £1,500 priced on unit value
UV1; outcomes 12 + 8 achieved against 10 + 10 forecast; three payments of £6,000.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.contract_compare import ServiceVolumes, compare_service
from passu.portfolio.errors import UsageError
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.outcomes import (
    outcomes_report,
    outcomes_section,
    social_value_section,
)
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.register import load_all

from .builders import Table, a_portfolio, write_csvs

AS_OF = dt.date(2015, 12, 31)
D = Decimal


def load(engine: Engine, tmp_path: Path, tables: dict[str, Table] | None = None) -> None:
    folder = write_csvs(tmp_path / "in", tables or a_portfolio())
    import_portfolio(engine, folder, user="t", library_codes=unit_cost_codes())


def test_outcomes_section(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    section = outcomes_section(load_all(engine, AS_OF), ("F1",), AS_OF)
    assert section == {
        "payments": "18000.00",  # 3 × 6,000
        "forecast_payments": "30000.00",  # (10 + 10) × 1,500
        "achieved": 20,  # 12 + 8
        "forecast": 20,
        "contracts": 1,
        "payers": 3,
        "delivery_partners": 2,
        "co_investors": 1,  # CO1
        "over_cap_contracts": [],
        "forecast_vs_actual": [
            {"measure": "delivery_partners", "forecast": 20, "forecast_high": 30, "actual": 2}
        ],
    }


def test_a_period_ending_after_the_as_of_date_counts_for_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, tmp_path)
    day = dt.date(2014, 10, 31)  # after the 2014-09-30 period, before the payments
    section = outcomes_section(load_all(engine, day), ("F1",), day)
    assert (section["achieved"], section["forecast"], section["payments"]) == (12, 10, "0.00")


def test_social_value_section(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    section = social_value_section(load_all(engine, AS_OF), ("F1",), AS_OF)
    # factor = 20 achieved × (1 − 0.2 deadweight) × 1 (blank attribution) × (1 − 0.1) = 14.4
    # fiscal 2,000 × 14.4 = 28,800; economic 500 × 14.4 = 7,200; social 1,500.50 × 14.4
    # = 21,607.20; total 57,607.20
    assert section["fiscal"] == "28800.00"
    assert section["economic"] == "7200.00"
    assert section["social"] == "21607.20"
    assert section["total"] == "57607.20"
    assert section["by_policy_area"] == [
        {
            "policy_area": "youth homelessness",
            "fiscal": "28800.00",
            "economic": "7200.00",
            "social": "21607.20",
            "total": "57607.20",
        }
    ]
    # per £ paid (18,000): 1.6, 0.4, 1.2004 → 1.20, 3.2004 → 3.20
    assert section["per_pound_paid"] == {
        "fiscal": 1.6,
        "economic": 0.4,
        "social": 1.2,
        "total": 3.2,
    }
    # per £ invested (drawdowns 60,000 + 40,000 = 100,000): 0.288 → 0.29, 0.072 → 0.07,
    # 0.216072 → 0.22, 0.576072 → 0.58
    assert section["per_pound_invested"] == {
        "fiscal": 0.29,
        "economic": 0.07,
        "social": 0.22,
        "total": 0.58,
    }
    assert (section["price_year"], section["discounted"], section["unvalued_metrics"]) == (
        None,
        False,
        [],
    )


def test_social_value_rebased_and_library_codes_resolve(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["outcome_metrics"][0]["unit_value_code"] = "HO6.0"  # a GMCA library code
    load(engine, tmp_path, tables)
    frames = load_all(engine, AS_OF)
    own = social_value_section(frames, ("F1",), AS_OF)
    # HO6.0: fiscal £8,605.34 (2015 prices), library adjustments neutral: 20 × 8,605.34
    assert own["fiscal"] == "172106.80"
    rebased = social_value_section(frames, ("F1",), AS_OF, price_year=2024)
    # GMCA values are in 2015/16 prices: the financial year's index is three quarters
    # of 2015 and one of 2016, (3 × 75.1536 + 76.4554) / 4 = 301.9162 / 4 = 75.47905
    # (not calendar 2015's 75.1536, which gave £229,006.73). × 100 / 75.47905:
    # 172,106.80 × 100 / 75.47905 = 228,019.2981 → 228,019.30
    assert rebased["fiscal"] == "228019.30"
    assert rebased["price_year"] == 2024


def test_unvalued_metrics_are_listed(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["outcome_metrics"][0]["unit_value_code"] = ""
    load(engine, tmp_path, tables)
    section = social_value_section(load_all(engine, AS_OF), ("F1",), AS_OF)
    assert section["total"] == "0.00"
    assert section["unvalued_metrics"] == [
        {
            "metric_id": "M1",
            "name": "Sustained accommodation",
            "project_id": "P1",
            "achieved": 20,
            "reason": "no unit value",
        }
    ]


def test_report_flags_a_contract_over_its_cap(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    tables["outcome_contracts"][0]["cap"] = "15000"
    load(engine, tmp_path, tables)
    view = outcomes_report(engine, "F1", AS_OF, "project")
    caps = {t.title: t for t in view.tables}["Payments against caps"].records()
    # running total in payer order: Central Fund 6,000, Leeds 12,000, The Lottery 18,000 > 15,000
    assert caps == [
        {
            "contract_id": "C1",
            "project_id": "P1",
            "cap": D("15000.00"),
            "paid": D("18000.00"),
            "headroom": D("-3000.00"),
            "over_cap": True,
            "first_breach": dt.date(2014, 11, 15),
        }
    ]
    assert "Over cap: C1" in view.summary.notes


def test_report_by_project_and_co_payment(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    view = outcomes_report(engine, None, AS_OF, "project")
    tables = {t.title: t for t in view.tables}
    (row,) = tables["Outcomes by project"].records()
    assert row["achieved"] == 20 and row["payments"] == D("18000.00")
    assert row["cost_per_outcome"] == D("900.00")  # 18,000 ÷ 20
    shares = {r["payer"]: r for r in tables["Co-payment by contract"].records()}
    # committed = share × cap: 0.333333 × 500,000 = 166,666.50; 0.333334 × 500,000 = 166,667
    assert shares["Leeds City Council"]["committed"] == D("166666.50")
    assert shares["The Lottery"]["committed"] == D("166667.00")
    assert shares["The Lottery"]["paid_share"] == pytest.approx(1 / 3)
    figures = {f.name: f.value for f in view.summary.figures}
    assert figures["fund_id"] == "ALL" and figures["fiscal_value"] == D("28800.00")
    (forecast,) = view.forecast_vs_actual
    assert (forecast.measure, forecast.forecast, forecast.forecast_high, forecast.actual) == (
        "delivery_partners",
        20,
        30,
        2,
    )


def test_report_by_payer_and_policy_area(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    by_payer = outcomes_report(engine, "F1", AS_OF, "payer").tables[0]
    assert [r["payer"] for r in by_payer.records()] == [
        "Central Fund",
        "Leeds City Council",
        "The Lottery",
    ]
    by_area = outcomes_report(engine, "F1", AS_OF, "policy_area").tables[0]
    assert [r["policy_area"] for r in by_area.records()] == ["youth homelessness"]


def test_unknown_fund_is_a_usage_error(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    with pytest.raises(UsageError, match="no fund 'F9'"):
        outcomes_report(engine, "F9", AS_OF, "project")


def test_compare_needs_a_contract_and_sane_rates() -> None:
    design, actual = ServiceVolumes(1000, D("0.6")), ServiceVolumes(800, D("0.4"))
    with pytest.raises(UsageError, match="--input-budget, --price"):
        compare_service(design=design, actual=actual, input_budget=None, price=None)
    with pytest.raises(UsageError, match="between 0 and 1"):
        compare_service(
            design=ServiceVolumes(1000, D("60")), actual=actual, input_budget=D(1), price=None
        )


def test_mixed_price_years_are_rebased_as_the_run_rebases_them(
    engine: Engine, tmp_path: Path
) -> None:
    """`passu outcomes` and `passu value` give one social value: unit values in several
    price years are rebased to the latest of them in both, with no price year asked for."""
    from passu.portfolio.value import value_run

    tables = a_portfolio()
    tables["unit_values"][0]["price_year"] = "2020"  # UV1 in 2020 prices
    tables["outcome_metrics"].append(  # a second metric priced on GMCA's HO6.0 (2015/16)
        {
            "metric_id": "M2",
            "contract_id": "C1",
            "name": "Tenancy sustained",
            "price": "1000",
            "unit_value_code": "HO6.0",
        }
    )
    tables["outcomes"].append(
        {"metric_id": "M2", "period_end": "2014-12-31", "forecast": "5", "achieved": "5"}
    )
    load(engine, tmp_path, tables)
    section = social_value_section(load_all(engine, AS_OF), ("F1",), AS_OF)
    assert (section["price_year"], section["rebased"]) == (2020, True)
    run = value_run(engine, AS_OF, "F1").to_dict()["social_value"]
    for key in ("fiscal", "economic", "social", "total", "price_year", "rebased"):
        assert section[key] == run[key], key
