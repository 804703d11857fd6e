"""The market tables: the INDIGO excerpt stored and summarised on both databases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from passu.portfolio.errors import UsageError
from passu.portfolio.market.store import import_market, market_summary_for
from passu.portfolio.store.market_models import MarketProject

EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"


def test_import_stores_every_readable_row_and_reports_the_rest(engine: Engine) -> None:
    report = import_market(engine, EXCERPT, user="t")
    assert dict(report.rows) == {
        "market_projects": 6,
        "market_organisations": 11,
        "market_investments": 11,
        "market_outcome_payments": 7,  # 10 rows less 2 Planned and 1 unreadable
        "market_results": 7,
        "market_outcome_metrics": 11,
    }
    assert [str(s) for s in report.skipped] == [
        "projects_outcome_payments.csv: row 10, column Payments - Amount - (Value): "
        "no single amount: 'see evaluation report'"
    ]
    assert report.planned_payments_excluded == 2


def test_summary_from_the_database_matches_the_hand_checked_excerpt(engine: Engine) -> None:
    import_market(engine, EXCERPT, user="t")
    uk = market_summary_for(engine, "GB")
    # as tests/valuation/test_market.py works out: 4 GB projects; capital 600,000 + 1,125,000
    # + 3,469,613; max payments 4,000,000 + 22,297,917; actual 269,940 + 2,742,943 + 2,505,220
    assert uk.projects == 4
    assert uk.capital_raised == Decimal("5194613.00")
    assert uk.max_outcome_payments == Decimal("26297917.00")
    assert uk.actual_outcome_payments == Decimal("5518103.00")
    assert uk.investors == 6
    assert [r.group for r in uk.by_policy_sector] == [
        "Child and family welfare",
        "Employment and training",
        "Homelessness",
    ]
    everywhere = market_summary_for(engine, None, "stage")
    assert everywhere.projects == 6 and everywhere.other_currency_projects == 2  # KH, FR


def test_a_second_import_replaces_the_first(engine: Engine) -> None:
    import_market(engine, EXCERPT, user="t")
    import_market(engine, EXCERPT, user="t")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(MarketProject)).scalar() == 6


def test_a_folder_that_is_not_indigo_is_a_usage_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no projects\.csv"):
        import_market(engine, tmp_path, user="t")


def test_summary_before_any_import_says_what_to_do(engine: Engine) -> None:
    with pytest.raises(UsageError, match="passu market import"):
        market_summary_for(engine, "GB")
