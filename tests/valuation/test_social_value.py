"""Social value: hand-worked values, rebasing, discounting and the unvalued list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.social_value import (
    DeflatorYearMissing,
    DiscountBand,
    SocialValue,
    discount_factor,
    duration_discount,
    rebase,
    social_value,
)

D = Decimal
AS_OF = dt.date(2024, 8, 31)
STPR = (
    DiscountBand(0, 30, D("0.035")),
    DiscountBand(31, 75, D("0.030")),
    DiscountBand(76, 125, D("0.025")),
    DiscountBand(126, None, D("0.020")),
)
DEFLATOR = {2019: D("81.1085"), 2023: D("96.2507"), 2024: D("100")}


def projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["Youth homes", "Care leavers"],
            "policy_area": ["youth homelessness", "care leavers"],
            "region": ["West Yorkshire", "Bristol"],
            "coordinator": ["Co", "Co"],
            "start_date": pd.to_datetime(["2023-01-01", "2023-01-01"]).astype("datetime64[ns]"),
            "end_date": pd.to_datetime(["2026-12-31", None]).astype("datetime64[ns]"),
            "status": ["active", "active"],
        }
    )


def contracts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": ["C1", "C2"],
            "project_id": ["P1", "P2"],
            "name": ["Homes contract", "Leavers contract"],
            "start_date": pd.to_datetime(["2023-01-01", "2023-01-01"]).astype("datetime64[ns]"),
            "end_date": pd.to_datetime(["2026-12-31", "2026-12-31"]).astype("datetime64[ns]"),
            "cap_pence": pd.array([100_000_000, 100_000_000], dtype="int64"),
        }
    )


def metrics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric_id": ["M1", "M2", "M3", "M4"],
            "contract_id": ["C1", "C1", "C1", "C2"],
            "name": ["Accommodation 6m", "Referral", "Benefit claim", "Wellbeing"],
            "price_pence": pd.array([150_000, 10_000, 20_000, 500_000], dtype="int64"),
            "unit_value_code": ["HOUSE", None, "BENEFIT", "WELLBY"],
        }
    )


def outcome_rows(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric_id": [r[0] for r in rows],
            "period_end": pd.to_datetime([r[1] for r in rows]).astype("datetime64[ns]"),
            "forecast": pd.array([r[2] for r in rows], dtype="int64"),
            "achieved": pd.array([r[3] for r in rows], dtype="int64"),
        }
    )


def outcomes() -> pd.DataFrame:
    return outcome_rows(
        [
            ("M1", "2024-03-31", 12, 10),
            ("M1", "2024-06-30", 12, 5),
            # the quarter to 2024-09-30 is still running at 2024-08-31: not counted
            ("M1", "2024-09-30", 12, 7),
            ("M2", "2024-06-30", 5, 4),
            ("M3", "2024-06-30", 2, 2),
            ("M4", "2024-06-30", 1, 1),
        ]
    )


def unit_value(code: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code,
        "description": code.lower(),
        "fiscal": None,
        "economic": None,
        "social": None,
        "price_year": 2019,
        "source": "test",
        "deadweight": D("0"),
        "attribution": None,
        "optimism_bias": D("0"),
        "transfer": False,
        "duration_years": 1,
    }
    row.update(fields)
    return row


def unit_values(*rows: dict[str, Any]) -> pd.DataFrame:
    if not rows:
        rows = (
            unit_value(
                "HOUSE",
                fiscal=D("1000"),
                economic=D("500"),
                deadweight=D("0.2"),
                attribution=D("0.5"),
                optimism_bias=D("0.1"),
            ),
            unit_value("BENEFIT", fiscal=D("300"), transfer=True),
            unit_value("WELLBY", social=D("13000")),
        )
    frame = pd.DataFrame(list(rows))
    return frame.astype({"price_year": "int64", "duration_years": "int64", "transfer": "bool"})


def value(**kwargs: Any):
    args: dict[str, Any] = {
        "outcomes": outcomes(),
        "outcome_metrics": metrics(),
        "outcome_contracts": contracts(),
        "projects": projects(),
        "unit_values": unit_values(),
        "as_of": AS_OF,
    }
    args.update(kwargs)
    return social_value(**args)


def test_values_outcomes_achieved_to_date_net_of_deadweight_attribution_and_optimism():
    report = value()
    # M1 achieved to date = 10 + 5 = 15 (the period ending 2024-09-30 is after T)
    # adjustment = (1 − 0.2) × 0.5 × (1 − 0.1) = 0.36
    # fiscal = 15 × 1000 × 0.36 = 5400; economic = 15 × 500 × 0.36 = 2700
    # M4: 1 × 13000 social, no adjustments; M3 is a transfer, M2 has no unit value
    assert report.by_metric["M1"] == SocialValue(
        D("5400.00"), D("2700.00"), D("0.00"), D("8100.00")
    )
    assert report.total == SocialValue(D("5400.00"), D("2700.00"), D("13000.00"), D("21100.00"))
    assert report.by_project["P2"].social == D("13000.00")
    assert report.by_policy_area["youth homelessness"].total == D("8100.00")
    assert report.price_year is None and report.discounted is False


def test_metrics_without_value_and_transfers_are_listed_not_counted():
    report = value()
    listed = {(m.metric_id, m.reason, m.achieved) for m in report.unvalued_metrics}
    assert listed == {("M2", "no unit value", 4), ("M3", "transfer excluded", 2)}


def test_transfers_can_be_included():
    report = value(include_transfers=True)
    # M3: 2 × £300 fiscal added: 5400 + 600 = 6000
    assert report.total.fiscal == D("6000.00")
    assert [m.metric_id for m in report.unvalued_metrics] == ["M2"]


def test_a_code_missing_from_the_unit_values_is_listed_with_its_code():
    frame = metrics()
    frame.loc[frame["metric_id"] == "M2", "unit_value_code"] = "NOPE"
    report = value(outcome_metrics=frame)
    assert ("M2", "unit value NOPE not found") in {
        (m.metric_id, m.reason) for m in report.unvalued_metrics
    }


def test_a_unit_value_with_no_amounts_is_listed():
    uv = unit_values(unit_value("HOUSE"), unit_value("WELLBY", social=D("13000")))
    report = value(unit_values=uv)
    assert ("M1", "unit value HOUSE has no amounts") in {
        (m.metric_id, m.reason) for m in report.unvalued_metrics
    }
    assert report.total.total == D("13000.00")


def test_rebased_to_one_price_year_with_the_gdp_deflator():
    report = value(price_year=2023, deflator=DEFLATOR)
    # WELLBY £13,000 (2019) × 96.2507 / 81.1085 = 15,426.97867671... -> £15,426.98
    # (the SOURCE note's "£15,427" is the same figure to the pound)
    assert report.by_metric["M4"].social == D("15426.98")
    # fiscal 5400 × 96.2507 / 81.1085 = 6,408.12960417... -> £6,408.13
    # economic 2700 × ... = 3,204.06480208... -> £3,204.06
    # total (5400 + 2700 + 13000) × 96.2507 / 81.1085 = 25,039.17308296... -> £25,039.17
    assert report.total == SocialValue(D("6408.13"), D("3204.06"), D("15426.98"), D("25039.17"))
    assert report.price_year == 2023


def test_rebase_function_and_a_missing_deflator_year_is_named():
    assert rebase(D("100"), 2024, 2024, DEFLATOR) == D("100")
    # 81.1085 × 100 / 81.1085 = 100 exactly: from 2024 prices back to 2019 and forward again
    assert rebase(D("100"), 2024, 2019, DEFLATOR) == D("81.1085")
    with pytest.raises(DeflatorYearMissing, match="2018"):
        rebase(D("100"), 2018, 2024, DEFLATOR)
    with pytest.raises(DeflatorYearMissing, match="2030"):
        value(price_year=2030, deflator=DEFLATOR)


def test_deflator_may_be_a_series():
    series = pd.Series({2019: D("81.1085"), 2023: D("96.2507")})
    assert rebase(D("13000"), 2019, 2023, series).quantize(D("0.01")) == D("15426.98")


def test_discount_factor_compounds_band_by_band():
    assert discount_factor(0, STPR) == D(1)
    # 1 / 1.035 = 0.96618357487922705314...
    assert discount_factor(1, STPR).quantize(D("1e-20")) == D("0.96618357487922705314")
    # year 40 = 1.035^-30 × 1.030^-10 = 0.265104597338249448706… (bc -l)
    assert discount_factor(40, STPR).quantize(D("1e-20")) == D("0.26510459733824944871")
    with pytest.raises(ValueError, match="not -1"):
        discount_factor(-1, STPR)


def test_discount_schedule_may_be_a_frame_and_gaps_are_errors():
    frame = pd.DataFrame(
        {"year_from": [0, 31], "year_to": [30, None], "rate": [D("0.035"), D("0.030")]}
    )
    assert discount_factor(40, frame) == discount_factor(40, STPR)
    with pytest.raises(ValueError, match="year 31"):
        discount_factor(40, [DiscountBand(0, 30, D("0.035")), DiscountBand(32, None, D("0.03"))])


def test_a_three_year_benefit_is_spread_evenly_and_discounted():
    # £1,000 social over 3 years: 1000/3 × (1 + 1/1.035 + 1/1.035²)
    # = 333.333… × (1 + 0.966183574879 + 0.933510700366) = 966.56475841521 -> £966.56
    uv = unit_values(unit_value("WELLBY", social=D("1000"), duration_years=3))
    report = value(unit_values=uv, discount_schedule=STPR, project_ids={"P2"})
    assert report.total.social == D("966.56")
    assert report.discounted is True
    # undiscounted, the whole £1,000 counts
    assert value(unit_values=uv, project_ids={"P2"}).total.social == D("1000.00")
    assert duration_discount(1, STPR) == D(1)


def test_each_figure_rounded_once_so_a_total_can_differ_from_its_parts():
    uv = unit_values(unit_value("WELLBY", fiscal=D("0.005"), economic=D("0.005")))
    report = value(unit_values=uv, project_ids={"P2"})
    # fiscal 0.005 -> 0.01 and economic 0.005 -> 0.01 (half up), but total 0.010 -> 0.01
    assert report.total == SocialValue(D("0.01"), D("0.01"), D("0.00"), D("0.01"))


def test_value_per_pound_paid_and_invested():
    report = value(outcome_payments_total=D("10000.00"), invested_total=D("0"))
    # 21,100 / 10,000 = 2.11 of value per £1 paid; fiscal 5,400 / 10,000 = 0.54
    assert report.per_pound_paid == SocialValue(D("0.54"), D("0.27"), D("1.30"), D("2.11"))
    assert report.per_pound_invested is None


def test_scope_limits_projects():
    report = value(project_ids={"P1"})
    assert report.total.total == D("8100.00")
    assert set(report.by_project) == {"P1"}


def test_a_price_year_without_a_deflator_is_refused():
    with pytest.raises(ValueError, match="deflator"):
        value(price_year=2023)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=2),
    fiscal=st.decimals(min_value=0, max_value=100_000, places=3),
    social=st.decimals(min_value=0, max_value=100_000, places=3),
)
def test_rounded_project_totals_stay_within_half_a_penny_each_of_the_total(
    counts: list[int], fiscal: Decimal, social: Decimal
) -> None:
    frame = outcome_rows([("M1", "2024-03-31", 0, counts[0]), ("M4", "2024-03-31", 0, counts[1])])
    uv = unit_values(
        unit_value("HOUSE", fiscal=fiscal, social=social, deadweight=D("0.3")),
        unit_value("WELLBY", fiscal=social, social=fiscal, optimism_bias=D("0.15")),
    )
    report = value(outcomes=frame, unit_values=uv)
    # two projects, each off by at most half a penny, and the total by half a penny
    parts = sum((v.total for v in report.by_project.values()), D(0))
    assert abs(parts - report.total.total) <= D("0.01")
    # three kinds, each off by at most half a penny: at most two pennies apart
    kinds = report.total.fiscal + report.total.economic + report.total.social
    assert abs(kinds - report.total.total) <= D("0.02")


def test_values_in_different_price_years_are_rebased_to_the_latest():
    # HOUSE in 2019 prices, WELLBY in 2023 prices, no price year asked: not summed as
    # they are (that was £21,100.00 of mixed pounds) but rebased to 2023, the latest.
    uv = unit_values(
        unit_value("HOUSE", fiscal=D("1000"), economic=D("500"), deadweight=D("0.2"),
                   attribution=D("0.5"), optimism_bias=D("0.1")),
        unit_value("WELLBY", social=D("13000"), price_year=2023),
    )  # fmt: skip
    report = value(unit_values=uv, deflator=DEFLATOR)
    # HOUSE: 5400 × 96.2507 / 81.1085 = 6,408.1296… → £6,408.13; 2700 × … = 3,204.0648… →
    # £3,204.06; WELLBY 13,000 stays (already 2023). Total 8100 × 96.2507 / 81.1085 +
    # 13,000 = 9,612.1944… + 13,000 = 22,612.1944… → £22,612.19.
    assert report.total == SocialValue(D("6408.13"), D("3204.06"), D("13000.00"), D("22612.19"))
    assert (report.price_year, report.rebased) == (2023, True)
    # One price year among them: left as it is, nothing rebased.
    same = value(deflator=DEFLATOR)
    assert (same.total.total, same.price_year, same.rebased) == (D("21100.00"), None, False)


def test_a_financial_year_value_is_moved_with_its_financial_year_index():
    # HOUSE priced in 2023/24 (a GMCA-style financial-year value), WELLBY in 2019.
    # Latest price year 2023. The 2023/24 index is three quarters of 2023 and one of
    # 2024: (3 × 96.2507 + 100) / 4 = 388.7521 / 4 = 97.188025, so HOUSE moves by
    # 96.2507 / 97.188025: fiscal 5400 → 5,347.9199… → £5,347.92, economic 2700 →
    # 2,673.9599… → £2,673.96 (the calendar-2023 index would have left them as they were).
    # WELLBY 13,000 × 96.2507 / 81.1085 = 15,426.9786… → £15,426.98.
    # Total 8100 × 96.2507 / 97.188025 + 15,426.9786… = 8,021.8799… + 15,426.9786…
    # = 23,448.8586… → £23,448.86.
    uv = unit_values(
        unit_value("HOUSE", fiscal=D("1000"), economic=D("500"), deadweight=D("0.2"),
                   attribution=D("0.5"), optimism_bias=D("0.1"), price_year=2023,
                   price_basis="financial"),
        unit_value("WELLBY", social=D("13000"), price_basis="calendar"),
    )  # fmt: skip
    report = value(unit_values=uv, deflator=DEFLATOR)
    assert report.total == SocialValue(D("5347.92"), D("2673.96"), D("15426.98"), D("23448.86"))
    assert (report.price_year, report.rebased) == (2023, True)
