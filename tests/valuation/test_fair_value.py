"""Fair value from expected outcomes (valuation/fair_value.py), worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.cash_profile import cash_held
from passu.valuation.fair_value import (
    ModelInputs,
    accrued_interest,
    calibrated_rates,
    propose_fair_values,
    split_largest_remainder,
)
from passu.valuation.ledger import Ledger
from passu.valuation.money import allocate_largest_remainder
from tests.valuation.builders import pence

T = dt.date(2024, 12, 31)


def cost_forecasts(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(project_id, period_end, category, £) rows."""
    return pd.DataFrame(
        {
            "project_id": pd.Series([r[0] for r in rows], dtype=object),
            "period_end": pd.to_datetime([r[1] for r in rows]).astype("datetime64[ns]"),
            "category": pd.Series([r[2] for r in rows], dtype=object),
            "amount_pence": pd.Series([pence(r[3]) for r in rows], dtype="int64"),
        }
    )


def holding_terms(rows: list[tuple[str, str, str, int, str | None, str]]) -> pd.DataFrame:
    """(project_id, holder_id, tranche, seniority, coupon or None, maturity_date) rows."""
    return pd.DataFrame(
        {
            "project_id": pd.Series([r[0] for r in rows], dtype=object),
            "holder_id": pd.Series([r[1] for r in rows], dtype=object),
            "tranche": pd.Series([r[2] for r in rows], dtype=object),
            "seniority": pd.Series([r[3] for r in rows], dtype="int64"),
            "coupon": pd.Series(
                [None if r[4] is None else Decimal(r[4]) for r in rows], dtype=object
            ),
            "maturity_date": pd.to_datetime([r[5] for r in rows]).astype("datetime64[ns]"),
        }
    )


def contract(project: str, contract_id: str, cap: str, end: str | None = None) -> dict[str, object]:
    return {
        "contract_id": contract_id,
        "project_id": project,
        "name": contract_id,
        "start_date": "2020-01-01",
        "end_date": end,
        "cap": cap,
    }


def project(project_id: str) -> dict[str, object]:
    return {
        "project_id": project_id,
        "name": project_id,
        "policy_area": "homelessness",
        "region": "North West",
        "start_date": "2020-01-01",
        "status": "active",
    }


def holding(project_id: str, holder: str, tranche: str, instrument: str, commitment: str):
    return {
        "project_id": project_id,
        "holder_id": holder,
        "tranche": tranche,
        "instrument": instrument,
        "commitment": commitment,
    }


def flow(project_id: str, holder: str, tranche: str, date: str, kind: str, amount: str):
    return {
        "project_id": project_id,
        "holder_id": holder,
        "tranche": tranche,
        "date": date,
        "kind": kind,
        "amount": amount,
    }


def one_metric_project() -> ModelInputs:
    """P1: one contract C1 (cap £10,000), one metric M1 at £100 an outcome, two payers.

    To T = 2024-12-31: forecast 20 + 20 = 40, achieved 16 + 14 = 30: ratio 0.75.
    Paid £2,500 (2024-10-01). Future forecasts 40 (2025-12-31) and 80 (2026-12-31).
    Costs still to come: £1,000 (2025-12-31), £500 (2026-12-31); one past forecast
    (2024-06-30, £999) is not to come and counts for nothing.
    """
    ledger = Ledger.from_records(
        projects=[project("P1")],
        outcome_contracts=[contract("P1", "C1", "10000")],
        contract_payers=[
            {
                "contract_id": "C1",
                "payer": "DCMS",
                "payer_kind": "central_government",
                "share": "0.6",
            },
            {
                "contract_id": "C1",
                "payer": "Council",
                "payer_kind": "local_government",
                "share": "0.4",
            },
        ],
        outcome_metrics=[{"metric_id": "M1", "contract_id": "C1", "name": "m", "price": "100"}],
        outcomes=[
            {"metric_id": "M1", "period_end": "2024-06-30", "forecast": 20, "achieved": 16},
            {"metric_id": "M1", "period_end": "2024-12-31", "forecast": 20, "achieved": 14},
            {"metric_id": "M1", "period_end": "2025-12-31", "forecast": 40, "achieved": 0},
            {"metric_id": "M1", "period_end": "2026-12-31", "forecast": 80, "achieved": 0},
        ],
        outcome_payments=[
            {"contract_id": "C1", "payer": "DCMS", "date": "2024-10-01", "amount": "1500"},
            {"contract_id": "C1", "payer": "Council", "date": "2024-10-01", "amount": "1000"},
        ],
        holdings=[holding("P1", "F1", "E", "equity", "5000")],
        project_flows=[flow("P1", "F1", "E", "2023-01-01", "drawdown", "5000")],
    )
    return ModelInputs.from_ledger(
        ledger,
        cost_forecasts=cost_forecasts(
            [
                ("P1", "2024-06-30", "delivery", "999"),
                ("P1", "2025-12-31", "delivery", "1000"),
                ("P1", "2026-12-31", "management", "500"),
            ]
        ),
    )


def test_one_metric_binding_cap_two_cost_periods_given_rate_to_the_penny() -> None:
    fv = propose_fair_values(one_metric_project(), T, rate=0.10)
    (p1,) = fv.projects
    (m1,) = p1.performance
    assert (m1.achieved, m1.forecast, m1.ratio) == (30, 40, 0.75)
    (c1,) = p1.contracts
    # paid 2,500; headroom 10,000 − 2,500 = 7,500; arrears 30 × £100 − 2,500 = £500
    assert (c1.paid, c1.headroom, c1.arrears) == (
        Decimal("2500.00"),
        Decimal("7500.00"),
        Decimal("500.00"),
    )
    # 2025-12-31: 500 arrears + 40 × 0.75 × £100 = 3,500 (cumulative 3,500 ≤ 7,500)
    # 2026-12-31: 80 × 0.75 × £100 = 6,000, but only 7,500 − 3,500 = 4,000 is left: the cap binds
    assert c1.cap_reached
    assert c1.expected == Decimal("7500.00")
    assert c1.headroom_after == Decimal("0.00")
    cash = [(c.period_end, c.payments, c.costs, c.net) for c in p1.cash]
    assert cash == [
        (dt.date(2025, 12, 31), Decimal("3500.00"), Decimal("1000.00"), Decimal("2500.00")),
        (dt.date(2026, 12, 31), Decimal("4000.00"), Decimal("500.00"), Decimal("3500.00")),
    ]
    assert (p1.expected_payments, p1.expected_costs) == (Decimal("7500.00"), Decimal("1500.00"))
    # 365 and 730 days at 10%: 2,500 ÷ 1.1 + 3,500 ÷ 1.21 = 2,272.7273 + 2,892.5620
    # = 5,165.2893 → £5,165.29
    assert p1.value == Decimal("5165.29")
    assert [c.present_value for c in p1.cash] == [Decimal("2272.73"), Decimal("2892.56")]
    (f1,) = fv.holdings
    # the only holding, equity: all of it; current NAV is the £5,000 cost outstanding
    assert (f1.kind, f1.proposed, f1.current, f1.difference) == (
        "equity",
        Decimal("5165.29"),
        Decimal("5000.00"),
        Decimal("165.29"),
    )
    assert f1.method == "dcf_expected_outcomes"
    # payers keep their shares: 3,500 → 2,100 / 1,400; 4,000 → 2,400 / 1,600
    split = fv.expected_payments.sort_values(["period_end", "payer"])
    assert split[["payer", "amount_pence"]].values.tolist() == [
        ["Council", 140_000],
        ["DCMS", 210_000],
        ["Council", 160_000],
        ["DCMS", 240_000],
    ]


def test_keeping_the_forecast_ignores_performance() -> None:
    fv = propose_fair_values(one_metric_project(), T, rate=0.10, keep_forecast=True)
    (p1,) = fv.projects
    assert p1.performance[0].ratio == 1.0
    # 500 + 40 × £100 = 4,500 then 80 × £100 = 8,000 capped at 7,500 − 4,500 = 3,000
    assert [c.payments for c in p1.cash] == [Decimal("4500.00"), Decimal("3000.00")]


def test_nothing_forecast_yet_is_ratio_one() -> None:
    # valued at 2024-01-01, before any period ended: ratio 1, no arrears, nothing paid
    fv = propose_fair_values(one_metric_project(), dt.date(2024, 1, 1), rate=0.0)
    (p1,) = fv.projects
    assert (p1.performance[0].forecast, p1.performance[0].ratio) == (0, 1.0)
    # counts 20, 20, 40, 80 at £100 = 2,000, 2,000, 4,000, 8,000 capped at 10,000:
    # 2,000 + 2,000 + 4,000 + 2,000; costs 999 + 1,000 + 500; rate 0: 10,000 − 2,499
    assert [c.payments for c in p1.cash][:4] == [
        Decimal("2000.00"),
        Decimal("2000.00"),
        Decimal("4000.00"),
        Decimal("2000.00"),
    ]
    assert p1.value == Decimal("7501.00")


def dcms_contract(project_id: str, contract_id: str, metric_id: str) -> dict[str, list[Any]]:
    """An active project with one contract (cap £1m) that DCMS pays in full, and one
    metric at £500 an outcome: the tables of ``Ledger.from_records`` they fill."""
    return {
        "projects": [project(project_id)],
        "outcome_contracts": [contract(project_id, contract_id, "1000000")],
        "contract_payers": [
            {
                "contract_id": contract_id,
                "payer": "DCMS",
                "payer_kind": "central_government",
                "share": "1",
            }
        ],
        "outcome_metrics": [
            {"metric_id": metric_id, "contract_id": contract_id, "name": "n", "price": "500"}
        ],
    }


def outcome(metric_id: str, period_end: str, forecast: int, achieved: int) -> dict[str, Any]:
    return {
        "metric_id": metric_id,
        "period_end": period_end,
        "forecast": forecast,
        "achieved": achieved,
    }


def dcms_paid(contract_id: str, date: str, amount: str) -> dict[str, str]:
    return {"contract_id": contract_id, "payer": "DCMS", "date": date, "amount": amount}


def discounted_project() -> Ledger:
    """P2 bought on 2021-01-01 for £100,000 (F1 £60,000, C9 £40,000) against forecast
    payments of 110 × £500 = £55,000 on 2022-01-01 and 121 × £500 = £60,500 on
    2023-01-01 (365 and 730 days later): 55,000 ÷ 1.1 + 60,500 ÷ 1.21 = 50,000 + 50,000
    = 100,000, so the price is the forecast discounted at 10%."""
    return Ledger.from_records(
        **dcms_contract("P2", "K2", "N2"),
        outcomes=[
            outcome("N2", "2022-01-01", 110, 110),
            outcome("N2", "2023-01-01", 121, 0),
        ],
        outcome_payments=[dcms_paid("K2", "2022-01-01", "55000")],
        holdings=[
            holding("P2", "F1", "E", "equity", "60000"),
            holding("P2", "C9", "E", "equity", "40000"),
        ],
        project_flows=[
            flow("P2", "F1", "E", "2021-01-01", "drawdown", "60000"),
            flow("P2", "C9", "E", "2021-01-01", "drawdown", "40000"),
        ],
    )


def test_calibration_recovers_the_rate_of_a_project_bought_at_a_discount() -> None:
    inputs = ModelInputs.from_ledger(discounted_project())
    ((rate, note),) = calibrated_rates(inputs, ["P2"]).values()
    assert rate == pytest.approx(0.10, abs=1e-9)
    assert note == "calibrated at 2021-01-01 to £100,000.00 drawn"
    # at 2022-01-01 all 110 were achieved and paid: 60,500 ÷ 1.1 = 55,000.00 to come,
    # shared 60 : 40 among the equity
    fv = propose_fair_values(inputs, dt.date(2022, 1, 1))
    (p2,) = fv.projects
    assert (p2.rate_method, p2.value) == ("calibrated", Decimal("55000.00"))
    assert [(h.holder_id, h.proposed) for h in fv.holdings] == [
        ("C9", Decimal("22000.00")),
        ("F1", Decimal("33000.00")),
    ]


def test_calibration_needs_a_drawdown() -> None:
    ledger = Ledger.from_records(
        projects=[project("P2")],
        outcome_contracts=[contract("P2", "K2", "1000000")],
        holdings=[holding("P2", "F1", "E", "equity", "60000")],
    )
    inputs = ModelInputs.from_ledger(ledger)
    fv = propose_fair_values(inputs, dt.date(2022, 1, 1))
    assert fv.projects[0].value is None
    assert fv.holdings[0].proposed is None
    assert fv.holdings[0].note == "no value: no drawdown: nothing to calibrate to"


def seniority_project(price: str) -> ModelInputs:
    """P3 at T = 2025-12-31, rate 0: one payment of `price` on 2026-06-30, £10,000 of cost.

    Senior loan L (seniority 1, 8%): F1 £60,000 and B1 £40,000 drawn 2025-08-07, 146 days
    (0.4 of a year) before T: accrued 60,000 × 8% × 0.4 = £1,920 and £1,280, claim
    £103,200. Equity E (seniority 2): F1 £30,000 and C2 £10,000.
    """
    ledger = Ledger.from_records(
        projects=[project("P3")],
        outcome_contracts=[contract("P3", "K3", "1000000")],
        outcome_metrics=[{"metric_id": "N3", "contract_id": "K3", "name": "n", "price": price}],
        outcomes=[{"metric_id": "N3", "period_end": "2026-06-30", "forecast": 1, "achieved": 0}],
        holdings=[
            holding("P3", "B1", "L", "loan", "40000"),
            holding("P3", "F1", "L", "loan", "60000"),
            holding("P3", "C2", "E", "equity", "10000"),
            holding("P3", "F1", "E", "equity", "30000"),
        ],
        project_flows=[
            flow("P3", "B1", "L", "2025-08-07", "drawdown", "40000"),
            flow("P3", "F1", "L", "2025-08-07", "drawdown", "60000"),
            flow("P3", "C2", "E", "2025-08-07", "drawdown", "10000"),
            flow("P3", "F1", "E", "2025-08-07", "drawdown", "30000"),
        ],
    )
    return ModelInputs.from_ledger(
        ledger,
        cost_forecasts=cost_forecasts([("P3", "2026-06-30", "delivery", "10000")]),
        holding_terms=holding_terms(
            [
                ("P3", "B1", "L", 1, "0.08", "2030-12-31"),
                ("P3", "F1", "L", 1, "0.08", "2030-12-31"),
                ("P3", "C2", "E", 2, None, "2030-12-31"),
                ("P3", "F1", "E", 2, None, "2030-12-31"),
            ]
        ),
    )


def proposals(price: str) -> dict[tuple[str, str], Decimal | None]:
    fv = propose_fair_values(seniority_project(price), dt.date(2025, 12, 31), rate=0.0)
    return {(h.holder_id, h.tranche): h.proposed for h in fv.holdings}


def test_seniority_loan_impaired() -> None:
    # value 90,000.01 − 10,000 = 80,000.01 < the loan's claim of 103,200: all to the loan,
    # 60 : 40 → 4,800,000.6p and 3,200,000.4p, the odd penny to the larger remainder (F1);
    # nothing to the equity
    assert proposals("90000.01") == {
        ("B1", "L"): Decimal("32000.00"),
        ("F1", "L"): Decimal("48000.01"),
        ("C2", "E"): Decimal("0.00"),
        ("F1", "E"): Decimal("0.00"),
    }
    fv = propose_fair_values(seniority_project("90000.01"), dt.date(2025, 12, 31), rate=0.0)
    loan = {h.holder_id: h for h in fv.holdings if h.tranche == "L"}
    assert loan["F1"].accrued_interest == Decimal("1920.00")
    assert loan["F1"].claim == Decimal("61920.00")
    assert loan["F1"].current == Decimal("60000.00")
    assert loan["F1"].difference == Decimal("-11999.99")


def test_seniority_loan_whole_then_equity_pro_rata() -> None:
    # value 120,000 − 10,000 = 110,000: the loan takes its claim, 61,920 + 41,280 = 103,200;
    # equity shares the 6,800 left 30 : 10 → 5,100 and 1,700
    assert proposals("120000") == {
        ("B1", "L"): Decimal("41280.00"),
        ("F1", "L"): Decimal("61920.00"),
        ("C2", "E"): Decimal("1700.00"),
        ("F1", "E"): Decimal("5100.00"),
    }


def test_negative_value_is_shared_as_nil() -> None:
    # 5,000 − 10,000 = −5,000: the project is worth −£5,000 and every holding nil
    fv = propose_fair_values(seniority_project("5000"), dt.date(2025, 12, 31), rate=0.0)
    assert fv.projects[0].value == Decimal("-5000.00")
    assert {h.proposed for h in fv.holdings} == {Decimal("0.00")}


def test_accrued_interest_from_the_last_interest_receipt() -> None:
    # £1,000 drawn 2024-01-01, interest received 2024-07-01, £400 repaid 2024-10-01;
    # at 2024-12-31 at 10%: 1,000 × 0.1 × 92 / 365 + 600 × 0.1 × 91 / 365
    # = 25.2055 + 14.9589 = 40.1644 → £40.16 (accrual starts at the interest, not the draw)
    flows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01", "2024-07-01", "2024-10-01"]).astype(
                "datetime64[ns]"
            ),
            "kind": ["drawdown", "interest", "repayment"],
            "amount_pence": np.array([100_000, 5_000, 40_000], dtype=np.int64),
        }
    )
    assert accrued_interest(flows, Decimal("0.1"), T) == Decimal("40.16")


@settings(max_examples=100, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**11),
    weights=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6),
)
def test_vectorised_split_is_largest_remainder(total: int, weights: list[int]) -> None:
    expected = allocate_largest_remainder(total, weights, list(range(len(weights))))
    got = split_largest_remainder(np.array([float(total)]), np.array(weights, dtype=float))
    assert got[0].astype(np.int64).tolist() == expected


def spent_project() -> Ledger:
    """P5, with its spending recorded. F1 draws £100,000 on 2021-01-01 (D₀); the project
    spends £100,000 on 2022-01-01 (365 days on) and is forecast 220 × £500 = £110,000 on
    2023-01-01 (730 days on); its cost plan starts on 2024-06-30 (£30,000, against 60 ×
    £500 = £30,000 forecast that day), and £30,000 spent that day belongs to the plan.

    Calibration: cash held at D₀ = the £100,000 just drawn, so the price less the cash
    is nil on D₀; then −100,000 at one year and +110,000 at two (the 2024-06-30 spending
    is not before the plan, so it is not counted twice; the plan's £30,000 against the
    £30,000 forecast nets to nil): −100,000 ÷ (1 + r) + 110,000 ÷ (1 + r)² = 0 when
    1 + r = 1.1, so the rate is 10%.
    """
    return Ledger.from_records(
        **dcms_contract("P5", "K5", "N5"),
        outcomes=[
            outcome("N5", "2023-01-01", 220, 220),
            outcome("N5", "2024-06-30", 60, 0),
        ],
        outcome_payments=[dcms_paid("K5", "2023-01-01", "110000")],
        holdings=[holding("P5", "F1", "E", "equity", "100000")],
        project_flows=[flow("P5", "F1", "E", "2021-01-01", "drawdown", "100000")],
        project_costs=[
            {"project_id": "P5", "date": "2022-01-01", "category": "delivery", "amount": "100000"},
            {"project_id": "P5", "date": "2024-06-30", "category": "delivery", "amount": "30000"},
        ],
        cost_forecasts=[
            {
                "project_id": "P5",
                "period_end": "2024-06-30",
                "category": "delivery",
                "amount": "30000",
            }
        ],
    )


def test_calibration_spends_the_drawdown_and_takes_spending_before_the_plan() -> None:
    inputs = ModelInputs.from_ledger(spent_project())
    ((rate, _),) = calibrated_rates(inputs, ["P5"]).values()
    assert rate == pytest.approx(0.10, abs=1e-9)


def test_value_counts_the_cash_the_project_holds() -> None:
    # at 2023-01-01: drawn 100,000 + paid 110,000 − spent 100,000 = £110,000 held; to come
    # 60 × ratio (220 ÷ 220 = 1) × £500 = 30,000 − 30,000 of cost on 2024-06-30 = nil
    fv = propose_fair_values(ModelInputs.from_ledger(spent_project()), dt.date(2023, 1, 1))
    (p5,) = fv.projects
    assert (p5.cash_held, p5.value) == (Decimal("110000.00"), Decimal("110000.00"))
    assert [(h.holder_id, h.proposed) for h in fv.holdings] == [("F1", Decimal("110000.00"))]


def test_cash_held_at_each_projects_own_date() -> None:
    ledger = Ledger.from_records(
        projects=[project("P5"), project("P6"), project("P7")],
        project_flows=[
            flow("P5", "F1", "E", "2021-01-01", "drawdown", "100000"),
            flow("P6", "F1", "E", "2021-01-01", "drawdown", "10"),
            flow("P7", "F1", "E", "2021-01-01", "drawdown", "500"),
            flow("P5", "F1", "E", "2021-03-01", "dividend", "7"),
        ],
        project_costs=[
            {"project_id": "P5", "date": "2021-02-01", "category": "delivery", "amount": "40"},
            {"project_id": "P5", "date": "2021-05-01", "category": "delivery", "amount": "99"},
            {"project_id": "P6", "date": "2021-02-01", "category": "delivery", "amount": "20"},
        ],
    )
    held = cash_held(
        project_flows=ledger.project_flows,
        project_costs=ledger.project_costs,
        outcome_payments=ledger.outcome_payments,
        outcome_contracts=ledger.outcome_contracts,
        cut={"P5": dt.date(2021, 3, 31), "P6": dt.date(2021, 12, 31), "P7": dt.date(2021, 12, 31)},
    )
    # P5: 100,000 − 40 − 7 (the May spending is after its date); P6: 10 − 20 is held as
    # nil; P7 records no spending, so its cash is not known and not listed
    assert held == {"P5": pence("99953"), "P6": 0}
