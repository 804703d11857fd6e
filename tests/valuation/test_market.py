"""The market summary: hand-checked on the INDIGO excerpt, cross-checked on the full export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from passu.portfolio.market.indigo import IndigoData, read_indigo
from passu.valuation.market import MarketRow, MarketSummary, market_summary

EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"
FULL = Path(__file__).parents[2].parent / "shared/data/indigo_impact_bonds_2025-05"


@pytest.fixture(scope="module")
def excerpt() -> IndigoData:
    return read_indigo(EXCERPT)


def summarise(data: IndigoData, **options: str) -> MarketSummary:
    return market_summary(data.projects, data.investments, data.outcome_payments, **options)


def test_uk_totals_on_the_excerpt(excerpt: IndigoData) -> None:
    uk = summarise(excerpt, country="GB")
    # GB projects: 0122, 0131, 0163, 0175.
    assert uk.projects == 4
    # Capital: 0131 £600,000 + 0163 £1,125,000 + 0175 £3,469,613 (the minimum of its range).
    assert (uk.capital_raised, uk.projects_with_capital) == (Decimal("5194613.00"), 3)
    # Maximum outcome payments: 0163 £4,000,000 (blank currency, taken as GBP) + 0175
    # £22,297,917 = £26,297,917.
    assert uk.max_outcome_payments == Decimal("26297917.00")
    assert uk.projects_with_max_outcome_payment == 2
    # Actual payments: 0122 155,320 + 114,620 = 269,940; 0131 2,742,943 (blank type);
    # 0175 397,500 + 971,234 + 1,136,486 = 2,505,220; total 5,518,103. The two Planned rows
    # and the unreadable row are not in it.
    assert uk.actual_outcome_payments == Decimal("5518103.00")
    assert uk.projects_with_actual_payments == 3
    assert uk.other_currency_projects == 0
    # Investors: 0131 {0008, 0007, 0172}, 0163 {0007, 0008, 0009}, 0175 {0009, 0049, 1219}.
    assert uk.investors == 6
    assert (uk.country, uk.currency, uk.group) == ("GB", "GBP", "all")


def test_uk_is_an_alias_for_gb(excerpt: IndigoData) -> None:
    assert summarise(excerpt, country="uk") == summarise(excerpt, country="GB")


def test_by_policy_sector_on_the_excerpt(excerpt: IndigoData) -> None:
    rows = {row.group: row for row in summarise(excerpt, country="GB").by_policy_sector}
    assert list(rows) == ["Child and family welfare", "Employment and training", "Homelessness"]
    homelessness = rows["Homelessness"]  # 0131 and 0175
    assert homelessness.projects == 2
    assert homelessness.capital_raised == Decimal("4069613.00")  # 600,000 + 3,469,613
    assert homelessness.actual_outcome_payments == Decimal("5248163.00")  # 2,742,943 + 2,505,220
    assert rows["Child and family welfare"] == MarketRow(
        group="Child and family welfare",
        projects=1,
        projects_with_capital=0,
        capital_raised=Decimal("0.00"),
        projects_with_max_outcome_payment=0,
        max_outcome_payments=Decimal("0.00"),
        projects_with_actual_payments=1,
        actual_outcome_payments=Decimal("269940.00"),
        other_currency_projects=0,
        investors=0,
    )


def test_other_currencies_are_counted_apart_not_summed(excerpt: IndigoData) -> None:
    world = summarise(excerpt)
    assert world.projects == 6
    # 0014 (a USD payment) and 0204 (EUR capital and cap) are left out of every GBP sum.
    assert world.other_currency_projects == 2
    assert world.capital_raised == Decimal("5194613.00")
    euro = summarise(excerpt, currency="EUR")
    assert (euro.capital_raised, euro.max_outcome_payments) == (
        Decimal("3500000.00"),
        Decimal("3500000.00"),
    )
    assert euro.other_currency_projects == 5  # every project with a GBP or USD amount


def test_breakdown_by_stage_and_bad_grouping(excerpt: IndigoData) -> None:
    by_stage = summarise(excerpt, by="stage")
    assert sum(row.projects for row in by_stage.breakdown) == 6
    with pytest.raises(AttributeError, match="broken down by stage"):
        _ = by_stage.by_policy_sector
    with pytest.raises(ValueError, match="by must be one of"):
        summarise(excerpt, by="region")


def test_an_empty_scope_gives_zeros(excerpt: IndigoData) -> None:
    nowhere = summarise(excerpt, country="ZZ")
    assert (nowhere.projects, nowhere.capital_raised, nowhere.breakdown) == (0, Decimal("0.00"), ())


@pytest.mark.slow
def test_full_export_uk_totals_match_an_independent_pandas_computation() -> None:
    if not (FULL / "projects.csv").is_file():
        pytest.skip(f"INDIGO export not found at {FULL}")
    data = read_indigo(FULL)
    uk = summarise(data, country="GB")
    assert uk.projects == 100

    # Independently, straight from the raw CSVs.
    raw = pd.read_csv(FULL / "projects.csv", dtype=str, keep_default_na=False)
    gb = raw[raw["Countries"].str.split(",").apply(lambda cs: "GB" in [c.strip() for c in cs])]
    finance = "Overall project finance - "
    capital = gb[finance + "Total investment commitment - Amount - Exact - (Value)"]
    capital = capital.where(
        capital != "", gb[finance + "Total investment commitment - Amount - Min - (Value)"]
    )
    in_gbp = gb[finance + "Total investment commitment - Currency - (Value)"].str.strip() == "GBP"
    with_capital = (capital != "") & in_gbp
    cap = gb[finance + "Maximum potential outcome payment - Amount - (Value)"]
    cap_currency = gb[finance + "Maximum potential outcome payment - Currency - (Value)"]
    # A blank cap currency falls back to the project's investment currency (one project).
    cap_currency = cap_currency.where(
        cap_currency != "", gb[finance + "Total investment commitment - Currency - (Value)"]
    )
    with_cap = (cap != "") & (cap_currency.str.strip() == "GBP")
    payments = pd.read_csv(FULL / "projects_outcome_payments.csv", dtype=str, keep_default_na=False)
    paid = payments[
        payments["Project ID"].isin(gb["ID"])
        & payments["Type - (Value)"].isin(["Actual", ""])
        & (payments["Payments - Currency - (Value)"] == "GBP")
    ]

    def pounds(values: pd.Series) -> Decimal:
        return sum((Decimal(v) for v in values), Decimal(0)).quantize(Decimal("0.01"))

    assert uk.capital_raised == pounds(capital[with_capital])
    assert uk.projects_with_capital == int(with_capital.sum())
    assert uk.max_outcome_payments == pounds(cap[with_cap])
    assert uk.projects_with_max_outcome_payment == int(with_cap.sum())
    assert uk.actual_outcome_payments == pounds(paid["Payments - Amount - (Value)"])
    assert uk.projects_with_actual_payments == paid["Project ID"].nunique()
    # And the figures as measured when this was written (SOURCE.md quotes £76.4m, £223m and
    # £136.3m; it counts 68 projects with capital where the data have 68 exact + 7 ranges).
    assert (uk.capital_raised, uk.projects_with_capital) == (Decimal("76367248.00"), 75)
    assert (uk.max_outcome_payments, uk.projects_with_max_outcome_payment) == (
        Decimal("223038520.50"),
        57,
    )
    assert (uk.actual_outcome_payments, uk.projects_with_actual_payments) == (
        Decimal("136347084.00"),
        38,
    )
    assert uk.other_currency_projects == 0
