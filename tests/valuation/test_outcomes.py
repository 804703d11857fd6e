"""Outcomes: achieved against forecast, caps, cost per outcome, co-payment, counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd

from passu.valuation.outcome_summary import (
    DerivedCounts,
    ForecastVsActual,
    derived_counts,
    forecast_vs_actual,
    outcomes_summary,
)
from passu.valuation.outcomes import (
    CapBreach,
    cost_per_outcome,
    outcome_progress,
    outcome_progress_by_period,
    payer_shares,
    payments_against_caps,
)

D = Decimal
AS_OF = dt.date(2024, 6, 30)


def dates(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[ns]")


def pence(values: list[int]) -> pd.Series:
    return pd.Series(values, dtype="int64")


def frame(columns: list[str], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def projects() -> pd.DataFrame:
    out = frame(
        ["project_id", "name", "policy_area", "region", "coordinator", "status"],
        [
            ("P1", "Homes West Yorkshire", "youth homelessness", "West Yorkshire", "X", "active"),
            ("P2", "Homes Manchester", "youth homelessness", "Manchester", "X", "active"),
            ("P3", "Leavers Bristol", "care leavers", "Bristol", "X", "active"),
        ],
    )
    out["start_date"] = dates(["2023-01-01"] * 3)
    out["end_date"] = dates(["2026-12-31", None, "2026-12-31"])
    return out


def contracts() -> pd.DataFrame:
    out = frame(
        ["contract_id", "project_id", "name"],
        [("C1", "P1", "Homes C1"), ("C2", "P2", "Homes C2"), ("C3", "P3", "Leavers C3")],
    )
    out["start_date"] = dates(["2023-01-01"] * 3)
    out["end_date"] = dates(["2026-12-31"] * 3)
    out["cap_pence"] = pence([10_000_000, 2_000_000, 5_000_000])  # £100k, £20k, £50k
    return out


def payers() -> pd.DataFrame:
    return frame(
        ["contract_id", "payer", "payer_kind", "share"],
        [
            # C1 has three co-payers, 50/30/20
            ("C1", "COUNCIL", "local_government", D("0.5")),
            ("C1", "DCMS", "central_government", D("0.3")),
            ("C1", "LOTTERY", "lottery", D("0.2")),
            ("C2", "COUNCIL2", "local_government", D("1")),
            ("C3", "DCMS", "central_government", D("0.5")),
            ("C3", "NHS1", "nhs", D("0.5")),
        ],
    )


def metrics() -> pd.DataFrame:
    out = frame(
        ["metric_id", "contract_id", "name", "unit_value_code"],
        [
            ("M1", "C1", "Accommodation 6m", "HOUSE"),
            ("M2", "C1", "Employment", None),
            ("M3", "C2", "Education", None),
            ("M4", "C3", "Stable placement", None),
        ],
    )
    out["price_pence"] = pence([150_000, 200_000, 100_000, 300_000])  # £1.5k, £2k, £1k, £3k
    return out


def outcomes() -> pd.DataFrame:
    rows = [
        ("M1", "2024-03-31", 10, 8),
        ("M1", "2024-06-30", 10, 12),
        ("M1", "2024-09-30", 10, 9),  # a period still running at 2024-06-30
        ("M2", "2024-03-31", 5, 2),
        ("M2", "2024-06-30", 5, 0),
        ("M3", "2024-03-31", 10, 15),
        ("M3", "2024-06-30", 10, 10),
        ("M4", "2024-06-30", 4, 0),
    ]
    out = frame(["metric_id", "period_end", "forecast", "achieved"], rows)
    out["period_end"] = dates([r[1] for r in rows])
    return out.astype({"forecast": "int64", "achieved": "int64"})


def payments() -> pd.DataFrame:
    rows = [
        ("C1", "COUNCIL", "2024-04-15", 600_000, "M1"),
        ("C1", "DCMS", "2024-04-15", 360_000, "M1"),
        ("C1", "LOTTERY", "2024-04-15", 240_000, "M1"),
        ("C1", "COUNCIL", "2024-05-10", 400_000, None),  # names no metric
        # paid after the as-of date: unknown at 2024-06-30
        ("C1", "COUNCIL", "2024-07-15", 900_000, "M1"),
        ("C1", "DCMS", "2024-07-15", 540_000, "M1"),
        ("C1", "LOTTERY", "2024-07-15", 360_000, "M1"),
        ("C2", "COUNCIL2", "2024-04-20", 1_500_000, "M3"),
        ("C2", "COUNCIL2", "2024-06-20", 1_000_000, "M3"),  # £25k paid: over the £20k cap
        ("C2", "COUNCIL2", "2024-06-25", 100_000, "M3"),
    ]
    out = frame(["contract_id", "payer", "date", "amount_pence", "metric_id"], rows)
    out["date"] = dates([r[2] for r in rows])
    out["claim_id"] = None
    return out.astype({"amount_pence": "int64"})


def holdings() -> pd.DataFrame:
    out = frame(
        ["project_id", "holder_id", "tranche", "instrument"],
        [
            ("P1", "F1", "A", "loan"),
            ("P1", "CI1", "A", "loan"),
            ("P2", "F1", "A", "equity"),
            ("P2", "F2", "A", "equity"),
            ("P2", "CI2", "A", "equity"),
            ("P3", "F2", "A", "loan"),
            ("P3", "CI1", "A", "loan"),
        ],
    )
    out["commitment_pence"] = pence([100] * 7)
    return out


def partners() -> pd.DataFrame:
    return frame(
        ["project_id", "organisation"],
        [("P1", "ORG-A"), ("P1", "ORG-B"), ("P2", "ORG-B"), ("P2", "ORG-C"), ("P3", "ORG-A")],
    )


def forecasts() -> pd.DataFrame:
    return frame(
        ["fund_id", "measure", "forecast", "forecast_high"],
        [
            ("F1", "outcome_payments", D("50000"), None),
            ("F1", "contracts", D("1"), None),
            ("F1", "outcomes_payers", D("3"), None),
            ("F1", "delivery_partners", D("2"), D("3")),
            ("F1", "fiscal_value", D("100000"), None),
            ("F1", "co_investors", D("2"), None),
            ("F2", "outcome_payments", D("20000"), None),
            ("F2", "contracts", D("1"), None),
            ("F2", "delivery_partners", D("1"), None),
            ("F2", "co_investors", D("1"), None),
        ],
    )


def progress(level: str, **kwargs: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "outcomes": outcomes(),
        "outcome_metrics": metrics(),
        "outcome_contracts": contracts(),
        "projects": projects(),
        "outcome_payments": payments(),
        "as_of": AS_OF,
        "level": level,
    }
    args.update(kwargs)
    return {row.key: row for row in outcome_progress(**args)}


def test_metric_progress_counts_only_periods_ended_by_the_as_of_date():
    rows = progress("metric")
    # M1: achieved 8 + 12 = 20 (the 9 in the quarter to 30 Sep is not in yet), forecast 10 + 10
    assert (rows["M1"].achieved, rows["M1"].forecast) == (20, 20)
    # priced: 20 × £1,500 = £30,000
    assert rows["M1"].achieved_value == D("30000.00")
    # M2: 2 of 10 achieved; forecast value 10 × £2,000 = £20,000
    assert (rows["M2"].achieved, rows["M2"].forecast_value) == (2, D("20000.00"))


def test_cost_per_outcome_by_metric_uses_payments_naming_the_metric():
    rows = progress("metric")
    # M1: £6,000 + £3,600 + £2,400 = £12,000 paid by 30 Jun for 20 outcomes = £600 each
    assert rows["M1"].payments == D("12000.00")
    assert rows["M1"].cost_per_outcome == D("600.00")
    # M3: £15,000 + £10,000 + £1,000 = £26,000 for 25 outcomes = £1,040
    assert rows["M3"].cost_per_outcome == D("1040.00")
    # M4: nothing achieved, nothing paid
    assert rows["M4"].cost_per_outcome is None
    assert rows["M4"].note == "no outcomes achieved"


def test_contract_project_area_and_fund_levels():
    contract = progress("contract")
    # C1: £12,000 + the £4,000 naming no metric = £16,000 for 20 + 2 = 22 outcomes
    # 16,000 / 22 = 727.2727… -> £727.27
    assert contract["C1"].payments == D("16000.00")
    assert contract["C1"].cost_per_outcome == D("727.27")
    assert progress("project")["P1"].cost_per_outcome == D("727.27")
    assert progress("project")["P3"].achieved == 0
    area = progress("policy_area")["youth homelessness"]
    # P1 + P2: £16,000 + £26,000 = £42,000 for 22 + 25 = 47 outcomes = 893.617… -> £893.62
    assert (area.payments, area.achieved, area.cost_per_outcome) == (
        D("42000.00"),
        47,
        D("893.62"),
    )
    fund = progress("fund", scope_label="ALL")["ALL"]
    # forecast 20 + 10 + 20 + 4 = 54; forecast value 30,000 + 20,000 + 20,000 + 12,000
    assert (fund.achieved, fund.forecast, fund.forecast_value) == (47, 54, D("82000.00"))


def test_scope_limits_the_projects():
    rows = progress("project", project_ids={"P2"})
    assert set(rows) == {"P2"}


def test_payments_after_the_as_of_date_count_later():
    later = progress("contract", as_of=dt.date(2024, 7, 31))
    # C1 adds £9,000 + £5,400 + £3,600 = £18,000 paid 15 Jul: 16,000 + 18,000 = 34,000
    assert later["C1"].payments == D("34000.00")


def test_cost_per_outcome_with_payments_but_nothing_achieved_says_why():
    assert cost_per_outcome(D("500.00"), 0) == (None, "payments but no outcomes achieved")
    # 1,000 / 3 = 333.333… -> £333.33
    assert cost_per_outcome(D("1000.00"), 3) == (D("333.33"), None)


def test_progress_by_period():
    rows = outcome_progress_by_period(
        outcomes=outcomes(),
        outcome_metrics=metrics(),
        outcome_contracts=contracts(),
        projects=projects(),
        as_of=AS_OF,
        level="project",
        project_ids={"P1"},
    )
    # P1 Q1: achieved 8 + 2 = 10 of 10 + 5 = 15; value 8 × 1,500 + 2 × 2,000 = 16,000
    # P1 Q2: 12 + 0 = 12 of 15; value 12 × 1,500 = 18,000; Q3 ends after the as-of date
    assert [(r.period_end, r.achieved, r.forecast, r.achieved_value) for r in rows] == [
        (dt.date(2024, 3, 31), 10, 15, D("16000.00")),
        (dt.date(2024, 6, 30), 12, 15, D("18000.00")),
    ]


def test_payments_against_caps_flags_the_payment_that_first_breaches():
    caps = {
        c.contract_id: c
        for c in payments_against_caps(
            outcome_contracts=contracts(), outcome_payments=payments(), as_of=AS_OF
        )
    }
    c2 = caps["C2"]
    # C2: 15,000 then 10,000 (running 25,000 > cap 20,000, over by 5,000) then 1,000
    assert (c2.paid, c2.headroom, c2.over_cap) == (D("26000.00"), D("-6000.00"), True)
    assert c2.first_breach == CapBreach(
        date=dt.date(2024, 6, 20),
        payer="COUNCIL2",
        amount=D("10000.00"),
        paid_after=D("25000.00"),
        over_by=D("5000.00"),
    )
    # C1: 16,000 of 100,000 paid
    assert (caps["C1"].headroom, caps["C1"].over_cap) == (D("84000.00"), False)
    assert caps["C3"].paid == D("0.00")


def test_paying_exactly_the_cap_is_not_a_breach():
    exact = contracts()
    exact.loc[exact["contract_id"] == "C2", "cap_pence"] = 2_600_000
    caps = payments_against_caps(outcome_contracts=exact, outcome_payments=payments(), as_of=AS_OF)
    c2 = next(c for c in caps if c.contract_id == "C2")
    assert (c2.headroom, c2.over_cap, c2.first_breach) == (D("0.00"), False, None)


def test_three_co_payers_share_payments_and_commitments():
    rows = {
        s.payer: s
        for s in payer_shares(
            outcome_contracts=contracts(),
            contract_payers=payers(),
            outcome_payments=payments(),
            as_of=AS_OF,
            by_contract=True,
        )
        if s.contract_id == "C1"
    }
    # C1 paid to date: COUNCIL 6,000 + 4,000; DCMS 3,600; LOTTERY 2,400 = 16,000
    assert rows["COUNCIL"].paid == D("10000.00")
    assert rows["COUNCIL"].paid_share == D("0.625")  # 10,000 / 16,000
    assert rows["DCMS"].paid_share == D("0.225")  # 3,600 / 16,000
    assert rows["LOTTERY"].paid_share == D("0.15")  # 2,400 / 16,000
    # commitments: share × £100,000 cap
    assert [rows[p].committed for p in ("COUNCIL", "DCMS", "LOTTERY")] == [
        D("50000.00"),
        D("30000.00"),
        D("20000.00"),
    ]
    assert rows["LOTTERY"].committed_share == D("0.2")


def test_payer_shares_across_the_scope():
    rows = {
        s.payer: s
        for s in payer_shares(
            outcome_contracts=contracts(),
            contract_payers=payers(),
            outcome_payments=payments(),
            as_of=AS_OF,
        )
    }
    # DCMS commits 0.3 × 100,000 + 0.5 × 50,000 = 55,000 of 100,000 + 20,000 + 50,000 = 170,000
    assert rows["DCMS"].committed == D("55000.00")
    assert rows["DCMS"].committed_share == D(11) / D(34)  # 55 / 170
    # COUNCIL paid 10,000 of 42,000 in all = 5/21
    assert rows["COUNCIL"].paid_share == D(5) / D(21)
    assert (rows["NHS1"].paid, rows["NHS1"].paid_share) == (D("0.00"), D(0))
    assert rows["NHS1"].payer_kind == "nhs"


def test_derived_counts_for_one_fund_and_for_all():
    one = derived_counts(
        outcome_contracts=contracts(),
        contract_payers=payers(),
        delivery_partners=partners(),
        holdings=holdings(),
        project_ids={"P1", "P2"},
        fund_ids={"F1"},
    )
    # F1's projects P1, P2: contracts C1, C2; payers COUNCIL, DCMS, LOTTERY, COUNCIL2;
    # partners ORG-A, ORG-B, ORG-C; co-investors CI1, CI2 and F2 (another fund, not in scope)
    assert one == DerivedCounts(contracts=2, outcomes_payers=4, delivery_partners=3, co_investors=3)
    both = derived_counts(
        outcome_contracts=contracts(),
        contract_payers=payers(),
        delivery_partners=partners(),
        holdings=holdings(),
        project_ids={"P1", "P2", "P3"},
        fund_ids={"F1", "F2"},
    )
    # ALL: + C3 and NHS1 (DCMS once); ORG-A once; F2 is in scope now: CI1, CI2
    assert both == DerivedCounts(
        contracts=3, outcomes_payers=5, delivery_partners=3, co_investors=2
    )


def test_forecasts_are_summed_over_funds_with_ranges():
    rows = {r.measure: r for r in forecast_vs_actual(forecasts(), {"F1", "F2"}, {"contracts": 3})}
    assert rows["outcome_payments"].forecast == D("70000")  # 50,000 + 20,000
    assert rows["outcome_payments"].forecast_high is None
    # F1 2–3, F2 1 (no range): 3 to 3 + 1 = 4
    assert (rows["delivery_partners"].forecast, rows["delivery_partners"].forecast_high) == (
        D("3"),
        D("4"),
    )
    assert rows["contracts"].actual == 3
    assert rows["co_investors"].actual is None


def test_summary_for_one_fund():
    summary = outcomes_summary(
        projects=projects(),
        outcome_contracts=contracts(),
        contract_payers=payers(),
        outcome_metrics=metrics(),
        outcomes=outcomes(),
        outcome_payments=payments(),
        holdings=holdings(),
        delivery_partners=partners(),
        fund_forecasts=forecasts(),
        as_of=AS_OF,
        fund_ids={"F1"},
        fiscal_value=D("12345.67"),
    )
    # F1 holds P1 and P2: payments 16,000 + 26,000 = 42,000
    assert summary.payments == D("42000.00")
    # forecast to date: M1 20 × 1,500 + M2 10 × 2,000 + M3 20 × 1,000 = 70,000
    assert summary.forecast_payments == D("70000.00")
    # achieved: 20 × 1,500 + 2 × 2,000 + 25 × 1,000 = 59,000; counts 47 of 50
    assert summary.achieved_value == D("59000.00")
    assert (summary.achieved, summary.forecast) == (47, 50)
    assert (summary.contracts, summary.payers, summary.delivery_partners) == (2, 4, 3)
    assert summary.co_investors == 3
    assert summary.over_cap_contracts == ("C2",)
    assert [r.measure for r in summary.forecast_vs_actual] == [
        "outcome_payments",
        "contracts",
        "outcomes_payers",
        "delivery_partners",
        "fiscal_value",
        "co_investors",
    ]
    assert summary.forecast_vs_actual[0] == ForecastVsActual(
        "outcome_payments", D("50000"), None, D("42000.00")
    )
    assert summary.forecast_vs_actual[4].actual == D("12345.67")
