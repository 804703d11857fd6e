"""Project economics, the cash profile and the innovations report on the builders' portfolio.

P1 at 2015-12-31: costs delivery £40,000 and innovation £9,000 (I1, at bid); holdings
F1 (drew £60,000, interest 2 × £3,000, marked £61,000 on 2014-12-31) and CO1 (drew
£40,000, never marked); outcome payments 3 × £6,000; 25 participants; 3 payers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.economics import cash_profile_report, project_economics_report
from passu.portfolio.errors import UsageError
from passu.portfolio.innovations import innovations_report
from passu.portfolio.interchange.importer import import_portfolio

from .builders import a_portfolio, write_csvs

AS_OF = dt.date(2015, 12, 31)
D = Decimal


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "in", a_portfolio()), user="t")
    return engine


def test_the_stack_reconciles(loaded: Engine) -> None:
    document = project_economics_report(loaded, "P1", AS_OF).document
    assert document == {
        "project_id": "P1",
        "as_of": "2015-12-31",
        "delivery_cost": "40000.00",
        "innovation_cost": "9000.00",
        "innovation_by_stage": {"design": "9000.00", "pilot": "0.00"},
        "other_cost": "0.00",
        "project_expenditure": "49000.00",  # 40,000 + 9,000
        # invested 60,000 + 40,000 = 100,000; realised 2 × 3,000 = 6,000; NAV: F1's mark
        # 61,000 less the 6,000 interest paid after it = 55,000, CO1 unmarked at cost 40,000
        # → 95,000; cost of financing = 6,000 + 95,000 − 100,000 = 1,000
        "cost_of_financing": "1000.00",
        "cost_to_government": "18000.00",
        "unexplained": "-32000.00",  # 18,000 − 49,000 − 1,000: a data gap, shown
        "beneficiaries": 25,
        "cost_per_beneficiary": "720.00",  # 18,000 ÷ 25
        "payers": 3,
        "cost_per_payer": "6000.00",  # 18,000 ÷ 3
        "invested": "100000.00",
        "realised": "6000.00",
        "nav": "95000.00",
        "innovations": [
            {
                "innovation_id": "I1",
                "stage": "design",
                "theme": "referrals",
                "name": "Referral process",
                "estimated_cost": "10000.00",
                "actual_cost": "9000.00",
                "variance": "-1000.00",
                "status": "adopted",
            }
        ],
        "notes": [],
    }


def test_stack_reads_line_by_line(loaded: Engine) -> None:
    view = project_economics_report(loaded, "P1", AS_OF)
    names = [f.name for f in view.stack.figures]
    assert names[:9] == [
        "delivery_cost",
        "innovation_cost",
        "innovation_design",
        "innovation_pilot",
        "other_cost",
        "project_expenditure",
        "cost_of_financing",
        "unexplained",
        "cost_to_government",
    ]
    assert view.register.records()[0]["innovation_id"] == "I1"


def test_unknown_project(loaded: Engine) -> None:
    with pytest.raises(UsageError, match="no project 'P9'"):
        project_economics_report(loaded, "P9", AS_OF)


def test_cash_profile_by_quarter(loaded: Engine) -> None:
    rows = cash_profile_report(loaded, "P1", AS_OF).records()
    assert [(r["quarter"], r["net"], r["cumulative_net"]) for r in rows] == [
        ("2014Q2", D("51000.00"), D("51000.00")),  # drew 100,000, spent 40,000 + 9,000
        ("2014Q3", D("0.00"), D("51000.00")),
        ("2014Q4", D("18000.00"), D("69000.00")),  # outcome receipts 3 × 6,000
        ("2015Q1", D("0.00"), D("69000.00")),
        ("2015Q2", D("-6000.00"), D("63000.00")),  # interest to F1, 2 × 3,000
    ]


def test_cash_profile_what_if_sits_beside_the_actual(loaded: Engine) -> None:
    listing = cash_profile_report(
        loaded, "P1", AS_OF, without_innovation=True, productivity_gain=D("0.5")
    )
    rows = {r["quarter"]: r for r in listing.records()}
    # 2014Q2 without the 9,000 innovation spend: 100,000 − 40,000 = 60,000
    assert rows["2014Q2"]["what_if_net"] == D("60000.00")
    assert rows["2014Q2"]["net"] == D("51000.00")
    # receipts 18,000 ÷ (1 + 0.5) = 12,000; cumulative 72,000
    assert rows["2014Q4"]["what_if_outcome_receipts"] == D("12000.00")
    assert rows["2014Q4"]["what_if_cumulative_net"] == D("72000.00")
    assert rows["2015Q2"]["what_if_cumulative_net"] == D("66000.00")  # − 6,000 interest
    assert any("(1 + 0.5)" in note for note in listing.notes)


def test_a_gain_without_the_what_if_is_refused(loaded: Engine) -> None:
    with pytest.raises(UsageError, match="only with --without-innovation"):
        cash_profile_report(loaded, "P1", AS_OF, productivity_gain=D("0.8"))


def test_innovations_by_theme_and_stage_and_the_matrix(loaded: Engine) -> None:
    totals, matrix, register = innovations_report(loaded, "F1", AS_OF)
    assert [tuple(r.values()) for r in totals.records()] == [
        ("referrals", "design", 1, D("10000.00"), D("9000.00"), D("-1000.00")),
        ("referrals", "all", 1, D("10000.00"), D("9000.00"), D("-1000.00")),
        ("all", "design", 1, D("10000.00"), D("9000.00"), D("-1000.00")),
        ("all", "all", 1, D("10000.00"), D("9000.00"), D("-1000.00")),
    ]
    assert matrix.records() == [
        {
            "project_id": "P1",
            "referrals": D("9000.00"),
            "achieved": 20,
            "forecast": 20,
            "achieved_rate": 1.0,
        }
    ]
    assert [r["innovation_id"] for r in register.records()] == ["I1"]
