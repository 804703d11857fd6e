from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passu.valuation.capital_accounts import capital_accounts
from passu.valuation.pari_passu import Breach, PariPassuResult, check_share_classes, check_tranches

from .builders import a_holding, commitments_frame, holding_frames, investor_flows_frame

D = Decimal
AS_OF = dt.date(2022, 1, 1)
COMMITMENTS = commitments_frame(
    [
        ("F1", "GOV", "A", 600, "2020-01-01"),
        ("F1", "FDN", "A", 300, "2020-01-01"),
        ("F1", "BANK", "A", 100, "2020-01-01"),
        ("F1", "SOLO", "B", 50, "2020-01-01"),
    ]
)


def flows(gov_distribution: str = "30", fdn_call_date: str = "2021-01-01"):
    return investor_flows_frame(
        [
            ("F1", "GOV", "2021-01-01", "call", 300),
            ("F1", "FDN", fdn_call_date, "call", 150),
            ("F1", "BANK", "2021-01-01", "call", 50),
            ("F1", "SOLO", "2021-01-01", "call", 7),  # alone in class B: cannot breach
            ("F1", "GOV", "2021-12-01", "distribution", gov_distribution),
            ("F1", "FDN", "2021-12-01", "distribution", 15),
            ("F1", "BANK", "2021-12-01", "distribution", 5),
        ]
    )


def check(investor_flows) -> PariPassuResult:
    accounts = capital_accounts({"F1": D("500.00")}, COMMITMENTS, investor_flows, AS_OF)
    return check_share_classes(accounts, COMMITMENTS, investor_flows, AS_OF)


def test_three_investors_pro_rata_are_ok() -> None:
    assert check(flows()) == PariPassuResult(True, ())


def test_a_skewed_distribution_names_the_investor() -> None:
    # GOV gets £40 instead of £30. Class A distributions total 40 + 15 + 5 = 60;
    # pro rata to 600:300:100 that is 36, 18, 6. Deviations: GOV +4, FDN −3, BANK −1.
    # Over £1: GOV and FDN (BANK's is exactly £1, not over).
    result = check(flows(gov_distribution="40"))
    assert not result.ok
    money = [b for b in result.breaches if b.measure == "distributed"]
    assert money == [
        Breach("share_class", "F1/A", "FDN", "distributed", D("18.00"), D("15.00"), D("-3.00")),
        Breach("share_class", "F1/A", "GOV", "distributed", D("36.00"), D("40.00"), D("4.00")),
    ]
    # GOV's extra £10 also lifts its IRR above the class's.
    irr = {b.holder_or_investor: b for b in result.breaches if b.measure == "irr"}
    assert irr["GOV"].difference is not None and irr["GOV"].difference > 0.0001


def test_a_late_call_is_an_irr_breach_only() -> None:
    # FDN pays the same £150 but on 2021-06-30 instead of 2021-01-01: every amount
    # is pro rata, yet its money was out for less time, so its IRR differs.
    result = check(flows(fdn_call_date="2021-06-30"))
    assert not result.ok
    assert {b.measure for b in result.breaches} == {"irr"}
    assert "FDN" in {b.holder_or_investor for b in result.breaches}
    assert all(b.id == "F1/A" for b in result.breaches)


def test_tranche_holders_pro_rata_then_skewed() -> None:
    # Tranche A of P1: F1 committed 600, C1 300 (2:1). Drawdowns 200 and 100 on
    # one date, repayments 20 and 10, marks 220 and 110: pro rata, ok.
    def tranche(c1_repayment: int):
        return holding_frames(
            a_holding(
                "P1",
                "F1",
                commitment=600,
                drawdowns=[("2021-01-01", 200)],
                repayments=[("2021-06-30", 20)],
                marks=[("2021-12-31", 220)],
            ),
            a_holding(
                "P1",
                "C1",
                commitment=300,
                drawdowns=[("2021-01-01", 100)],
                repayments=[("2021-06-30", c1_repayment)],
                marks=[("2021-12-31", 110)],
            ),
            a_holding("P2", "F1", commitment=10, drawdowns=[("2021-01-01", 10)]),
        )

    fair = tranche(10)
    assert check_tranches(fair.holdings, fair.project_flows, fair.marks, AS_OF).ok

    # C1 repaid 13: receipts 20 + 13 = 33, pro rata 22 and 11: each off by £2.
    skewed = tranche(13)
    result = check_tranches(skewed.holdings, skewed.project_flows, skewed.marks, AS_OF)
    received = [b for b in result.breaches if b.measure == "distributed"]
    assert [(b.id, b.holder_or_investor, b.difference) for b in received] == [
        ("P1/A", "C1", D("2.00")),
        ("P1/A", "F1", D("-2.00")),
    ]
    assert {b.holder_or_investor for b in result.breaches if b.measure == "irr"} >= {"C1"}


def test_results_add_up() -> None:
    a = PariPassuResult(True, ())
    b = PariPassuResult.of(
        [Breach("tranche", "P/A", "X", "irr", 0.1, 0.2, pytest.approx(0.1))]  # type: ignore[arg-type]
    )
    assert (a + a).ok and not (a + b).ok and len((a + b).breaches) == 1
