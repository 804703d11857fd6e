"""A fund's structure from its ledger (valuation/structure.py) and what it is worth to
government (valuation/structure_cost.py), worked by hand.

Dates 365 days apart (2021-01-01, 2022-01-01, 2023-01-01): whole years of preferred
return. Pounds in comments, pence in assertions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pytest

from passu.valuation.ledger import Ledger
from passu.valuation.structure import fund_structure
from passu.valuation.structure_cost import RECORD_KEYS, government_costs
from passu.valuation.waterfall import (
    CARRIED_INTEREST,
    CATCH_UP,
    PREFERRED_RETURN,
    RESIDUAL,
    RETURN_OF_CAPITAL,
)
from tests.valuation.builders import pence

Y0, Y1, Y2 = dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1)
INVESTORS = [
    ("BANK", "Social bank", "bank"),
    ("FDN", "Foundation", "foundation"),
    ("GOV", "Department", "government"),
    ("MGR", "Manager", "manager"),
]


def a_ledger(
    commitments: Sequence[tuple[str, str, str]],
    flows: Sequence[tuple[str, dt.date, str, str]],
    class_terms: Sequence[tuple[str, int, str, str | None]] = (),
    waterfall: tuple[str, str, str, str, str] | None = None,
    **more: object,
) -> Ledger:
    """Fund F1. commitments (investor, class, amount); flows (investor, date, kind,
    amount); class_terms (class, rank, preferred_return, return_cap); waterfall (style,
    hurdle, catch_up, carry, applies_to), carried by MGR."""
    return Ledger.from_records(
        funds=[("F1", "Blended", "GBP", "2021", "Manager LLP")],
        investors=INVESTORS,
        commitments=[("F1", i, c, a, "2021-01-01") for i, c, a in commitments],
        investor_flows=[
            {"fund_id": "F1", "investor_id": i, "date": d, "kind": k, "amount": a}
            for i, d, k, a in flows
        ],
        class_terms=[("F1", c, r, p, cap) for c, r, p, cap in class_terms],
        waterfalls=[] if waterfall is None else [("F1", *waterfall[:4], "MGR", waterfall[4])],
        **more,  # type: ignore[arg-type]
    )


def no_tiers() -> dict[str, int]:
    return dict.fromkeys(
        (RETURN_OF_CAPITAL, PREFERRED_RETURN, CATCH_UP, CARRIED_INTEREST, RESIDUAL), 0
    )


# Senior S (rank 1, 5% preferred, capped at 1.2x): BANK 600,000 and FDN 200,000.
# Junior J (rank 2, first loss): GOV 200,000; 20% carry on J only, no hurdle or catch-up.
# All called on 2021-01-01; 900,000 distributed on 2022-01-01 as the waterfall gives it:
# S 800,000 capital + 40,000 preferred = 840,000 (BANK 630,000, FDN 210,000), J 60,000.
BLENDED = a_ledger(
    [("BANK", "S", "600000"), ("FDN", "S", "200000"), ("GOV", "J", "200000")],
    [
        ("BANK", Y0, "call", "600000"),
        ("FDN", Y0, "call", "200000"),
        ("GOV", Y0, "call", "200000"),
        ("BANK", Y1, "distribution", "630000"),
        ("FDN", Y1, "distribution", "210000"),
        ("GOV", Y1, "distribution", "60000"),
    ],
    [("S", 1, "0.05", "1.2"), ("J", 2, "0", None)],
    ("european", "0", "0", "0.2", "J"),
)


def test_a_fund_without_terms_has_no_structure() -> None:
    ledger = a_ledger([("GOV", "A", "100")], [("GOV", Y0, "call", "100")])
    assert fund_structure(ledger, "F1", Y1, pence("100")) is None


def test_blended_fund_shares_nav_after_the_waterfall() -> None:
    # NAV 700,000 on 2023-01-01. S is owed nothing more (its preferred return was paid and
    # accrues on nothing). NAV: J's 140,000 capital still out; 560,000 left, shared 80:20,
    # S's 448,000 capped at 960,000 − 840,000 = 120,000; J takes 440,000, 20% = 88,000
    # carry, 352,000 to J. S's share of NAV 120,000 (960,000 − 840,000 received);
    # J's 60,000 + 140,000 + 352,000 − 60,000 = 492,000; accrued carry 88,000;
    # 120,000 + 492,000 + 88,000 = 700,000.
    s = fund_structure(BLENDED, "F1", Y2, pence("700000"))
    assert s is not None
    senior, junior = s.classes
    assert (senior.share_class, senior.nav_pence) == ("S", pence("120000"))
    assert (junior.share_class, junior.nav_pence) == ("J", pence("492000"))
    assert s.accrued_carry_pence == pence("88000")
    assert s.carry_paid_pence == 0
    assert (senior.contributed_pence, senior.received_pence) == (pence("800000"), pence("840000"))
    assert senior.to_date == {
        **no_tiers(),
        RETURN_OF_CAPITAL: pence("800000"),
        PREFERRED_RETURN: pence("40000"),
    }
    assert senior.at_liquidation == {**senior.to_date, RESIDUAL: pence("120000")}
    assert junior.to_date == {**no_tiers(), RETURN_OF_CAPITAL: pence("60000")}
    assert junior.at_liquidation == {
        **no_tiers(),
        RETURN_OF_CAPITAL: pence("200000"),
        CARRIED_INTEREST: pence("88000"),
        RESIDUAL: pence("352000"),
    }
    # Within S by paid-in 600:200: 90,000 and 30,000.
    assert [(i.investor_id, i.share_class, i.nav_pence) for i in s.investors] == [
        ("BANK", "S", pence("90000")),
        ("FDN", "S", pence("30000")),
        ("GOV", "J", pence("492000")),
    ]


def test_within_a_class_investors_share_by_capital_account() -> None:
    # Balances 1:1 in S: 120,000 splits 60,000 each.
    s = fund_structure(
        BLENDED, "F1", Y2, pence("700000"), balances={("BANK", "S"): 1, ("FDN", "S"): 1}
    )
    assert s is not None
    assert s.investor_nav("BANK", "S") == pence("60000")
    assert s.investor_nav("FDN", "S") == pence("60000")


def test_the_document_holds_every_tier_of_every_class() -> None:
    s = fund_structure(BLENDED, "F1", Y2, pence("700000"))
    assert s is not None
    doc = s.to_document()
    assert doc["accrued_carry"] == "88000.00"
    assert doc["carry"] == 0.2
    assert doc["classes"][1]["tiers"]["carried_interest"] == {
        "to_date": "0.00",
        "at_liquidation": "88000.00",
    }
    assert doc["classes"][0]["return_cap"] == 1.2


def test_what_the_structure_is_worth_to_the_junior_government_investor() -> None:
    s = fund_structure(BLENDED, "F1", Y2, pence("700000"))
    assert s is not None
    [gov] = government_costs(BLENDED, s)
    # Actual: 60,000 received + 492,000 share of NAV = 552,000. Pro rata: GOV paid in
    # 200,000 of 1,000,000 = 0.2 of (900,000 distributed + 700,000 NAV) = 320,000.
    assert (gov.actual_value_pence, gov.pro_rata_value_pence) == (pence("552000"), pence("320000"))
    assert gov.difference_pence == pence("232000")
    # IRR: −200 + 60x + 492x² = 0 (thousands, x = 1/(1 + r), whole years):
    # x = (−60 + √(60² + 4 × 492 × 200)) ÷ (2 × 492) = (√397,200 − 60) ÷ 984.
    x = (math.sqrt(397_200) - 60) / 984
    assert gov.irr == pytest.approx(1 / x - 1, abs=1e-9)
    # Pro rata: −200 + 180x + 140x² = 0 → x = (−180 + √(32,400 + 112,000)) ÷ 280
    # = (−180 + 380) ÷ 280 = 5/7, r = 40%.
    assert gov.pro_rata_irr == pytest.approx(0.4, abs=1e-9)
    assert gov.difference_bps == round((1 / x - 1 - 0.4) * 10_000, 1)
    record = gov.to_record()
    assert tuple(record) == RECORD_KEYS
    assert str(record["difference"]) == "232000.00"


# --- American: per project, with a clawback ------------------------------------------------

PROJECTS = [
    ("P1", "Project one", "homelessness", "Leeds", None, "2021-01-01", None, "active"),
    ("P2", "Project two", "youth", "Hull", None, "2021-01-01", None, "active"),
]
HOLDINGS = [("P1", "F1", "A", "loan", "500000"), ("P2", "F1", "A", "loan", "500000")]


def american(nav_mark: str = "450000") -> Ledger:
    # One class A, 8% preferred; GOV and BANK 500,000 each, called 2021-01-01 and drawn
    # 500,000 into each of P1 and P2 that day. P1 repays 700,000 on 2022-01-01; the fund
    # pays it on as its deal gives it: 500,000 capital + 40,000 preferred + 10,000
    # catch-up (0.2 × 40,000 ÷ 0.8) + 150,000 split 30,000 carry / 120,000: the class
    # 660,000 (GOV, BANK 330,000 each), MGR 40,000. P2 is marked 450,000 on 2023-01-01.
    return a_ledger(
        [("GOV", "A", "500000"), ("BANK", "A", "500000")],
        [
            ("GOV", Y0, "call", "500000"),
            ("BANK", Y0, "call", "500000"),
            ("GOV", Y1, "distribution", "330000"),
            ("BANK", Y1, "distribution", "330000"),
            ("MGR", Y1, "distribution", "40000"),
        ],
        [("A", 1, "0.08", None)],
        ("american", "0.08", "1.0", "0.2", "A"),
        projects=PROJECTS,
        holdings=HOLDINGS,
        project_flows=[
            ("P1", "F1", "A", "2021-01-01", "drawdown", "500000"),
            ("P2", "F1", "A", "2021-01-01", "drawdown", "500000"),
            ("P1", "F1", "A", "2022-01-01", "repayment", "700000"),
        ],
        marks=[
            ("P1", "F1", "A", "2023-01-01", "0", "nil", None),
            ("P2", "F1", "A", "2023-01-01", nav_mark, "cost", None),
        ],
    )


def test_american_structure_per_project_with_the_clawback() -> None:
    ledger = american()
    # NAV 450,000, all P2's (P1 is marked nil). P2's deal: 450,000 of its 500,000, all
    # capital, no carry. The whole fund pooled: 2022's 700,000 all capital (300,000 still
    # out), 80,000 preferred due, compounding to 80,000 + 380,000 × 8% = 110,400 by 2023;
    # NAV 450,000 = 300,000 + 110,400 + catch-up 27,600 (0.2 × 110,400 ÷ 0.8) + 12,000
    # split 2,400 / 9,600: carry 30,000. Deal by deal 40,000: clawback 10,000, owed to A.
    s = fund_structure(ledger, "F1", Y2, pence("450000"))
    assert s is not None
    [a] = s.classes
    assert s.clawback_pence == pence("10000")
    assert s.carry_paid_pence == pence("40000")
    assert s.carry_at_liquidation_pence == pence("30000")
    assert s.accrued_carry_pence == pence("-10000")
    # A: 660,000 + 450,000 + 10,000 clawback − 660,000 received = 460,000;
    # 460,000 − 10,000 = 450,000, the NAV.
    assert a.nav_pence == pence("460000")
    assert a.to_date == {
        RETURN_OF_CAPITAL: pence("500000"),
        PREFERRED_RETURN: pence("40000"),
        CATCH_UP: pence("10000"),
        CARRIED_INTEREST: pence("30000"),
        RESIDUAL: pence("120000"),
    }
    assert a.at_liquidation == {**a.to_date, RETURN_OF_CAPITAL: pence("950000")}
    assert [(i.investor_id, i.nav_pence) for i in s.investors] == [
        ("BANK", pence("230000")),
        ("GOV", pence("230000")),
    ]
    # Nothing to find: the distributions followed the deal's waterfall.
    assert s.run.total.to_class("A") == a.received_pence == pence("660000")
    [gov] = government_costs(ledger, s)
    # Actual 330,000 + 230,000 = 560,000; pro rata ½ × (700,000 + 450,000) = 575,000:
    # government bears half the 30,000 carry.
    assert gov.difference_pence == pence("-15000")
    # IRR: −500 + 330x + 230x² = 0 → x = (√(330² + 4 × 230 × 500) − 330) ÷ 460;
    # pro rata: −500 + 350x + 225x² = 0 → x = (√(350² + 4 × 225 × 500) − 350) ÷ 450.
    x = (math.sqrt(568_900) - 330) / 460
    y = (math.sqrt(572_500) - 350) / 450
    assert gov.irr == pytest.approx(1 / x - 1, abs=1e-9)
    assert gov.pro_rata_irr == pytest.approx(1 / y - 1, abs=1e-9)


def test_american_nav_split_by_the_runs_holding_navs() -> None:
    # Given the run's holding NAVs P1 1 : P2 1, the 450,000 splits 225,000 each: P1's
    # deal is caught up (its 20% share of profit), so its 225,000 splits 45,000 carry /
    # 180,000 class; P2's 225,000 is capital. The class: 660,000 + 180,000 + 225,000 +
    # clawback. Pooled the fund is the same as before (NAV 450,000): carry 30,000; deal by
    # deal 40,000 + 45,000 = 85,000: clawback 55,000. A: 1,065,000 + 55,000 − 660,000 =
    # 460,000, again; accrued 30,000 − 40,000 = −10,000.
    s = fund_structure(american(), "F1", Y2, pence("450000"), deal_navs={"P1": 1, "P2": 1})
    assert s is not None
    assert s.clawback_pence == pence("55000")
    assert s.classes[0].nav_pence == pence("460000")
    assert s.accrued_carry_pence == pence("-10000")


def test_carry_holder_with_a_commitment_is_refused() -> None:
    ledger = a_ledger(
        [("GOV", "A", "100"), ("MGR", "A", "1")],
        [("GOV", Y0, "call", "100")],
        [("A", 1, "0", None)],
        ("european", "0", "0", "0.2", "A"),
    )
    with pytest.raises(ValueError, match="carry holder MGR also holds a commitment"):
        fund_structure(ledger, "F1", Y1, 0)
