"""A fund with share-class terms in the run (issue 14, phase 2), worked by hand.

Fund F1 (test_structure.py's blended fund, with a project so that the run has a NAV):
senior class S (rank 1, 5% preferred return, capped at 1.2x) held by BANK £600,000 and
FDN £200,000; junior first-loss class J (rank 2) held by GOV £200,000; MGR carries 20%
of J's profit, European, no hurdle, no catch-up. Everything is called on 2021-01-01 and
drawn into P1; P1 repays £900,000 on 2022-01-01, which the fund distributes the same
day as the waterfall gives it (S: £800,000 capital + £40,000 preferred = £840,000,
BANK £630,000, FDN £210,000; J: £60,000 of capital); P1 is marked £700,000 on
2023-01-01, the as-of date. Dates 365 days apart: whole years. Pounds in comments.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

import pytest

import passu
from passu.valuation.capital_lines import reconciles
from passu.valuation.ledger import Ledger
from passu.valuation.run import Investor, Run
from passu.valuation.structure import fund_structure
from passu.valuation.structure_cost import RECORD_KEYS
from passu.valuation.structure_run import waterfall_distributions

Y0, Y1, Y2 = "2021-01-01", "2022-01-01", "2023-01-01"
AS_OF = dt.date(2023, 1, 1)
D = Decimal


def blended(bank: str = "630000", gov: str = "60000", carry_paid: str | None = None) -> Ledger:
    flows = [
        ("BANK", Y0, "call", "600000"),
        ("FDN", Y0, "call", "200000"),
        ("GOV", Y0, "call", "200000"),
        ("BANK", Y1, "distribution", bank),
        ("FDN", Y1, "distribution", "210000"),
        ("GOV", Y1, "distribution", gov),
    ]
    if carry_paid is not None:
        flows.append(("MGR", Y1, "distribution", carry_paid))
    return Ledger.from_records(
        funds=[("F1", "Blended", "GBP", "2021", "Manager LLP")],
        investors=[
            ("BANK", "Social bank", "bank"),
            ("FDN", "Foundation", "foundation"),
            ("GOV", "Department", "government"),
            ("MGR", "Manager", "manager"),
            ("F1", "Blended", "fund"),
        ],
        commitments=[
            ("F1", "BANK", "S", "600000", Y0),
            ("F1", "FDN", "S", "200000", Y0),
            ("F1", "GOV", "J", "200000", Y0),
        ],
        investor_flows=[
            {"fund_id": "F1", "investor_id": i, "date": d, "kind": k, "amount": a}
            for i, d, k, a in flows
        ],
        class_terms=[("F1", "S", 1, "0.05", "1.2"), ("F1", "J", 2, "0", None)],
        waterfalls=[("F1", "european", "0", "0", "0.2", "MGR", "J")],
        projects=[("P1", "Project one", "homelessness", "Leeds", None, Y0, "2027-12-31",
                   "active")],
        holdings=[("P1", "F1", "A", "loan", "1000000")],
        project_flows=[
            ("P1", "F1", "A", Y0, "drawdown", "1000000"),
            ("P1", "F1", "A", Y1, "repayment", "900000"),
        ],
        marks=[("P1", "F1", "A", Y2, "700000", "cost", None)],
    )  # fmt: skip


def investors(run: Run) -> dict[str, Investor]:
    return {i.investor_id: i for i in run.investors}


def pence_lines(investor: Investor) -> dict[str, int]:
    lines = investor.capital_account
    assert lines is not None
    return {name: int(value * 100) for name, value in vars(lines).items() if value is not None}


@pytest.fixture(scope="module")
def run() -> Run:
    return passu.value(blended(), as_of=AS_OF)


def test_investors_hold_their_waterfall_share_of_nav_not_a_pro_rata_one(run: Run) -> None:
    # NAV £700,000 (P1's mark; the fund's cash is 1,000,000 − 1,000,000 + 900,000 −
    # 900,000 = 0). As a last distribution: S is owed nothing more (its preferred return
    # was paid and accrues on nothing), J's £140,000 of capital still out; the £560,000
    # left shares 80:20 by contributions, S's £448,000 cut to its cap 1.2 × 800,000 −
    # 840,000 = £120,000, J takes the other £440,000, 20% of it (£88,000) carry.
    # S: £120,000, split by the capital accounts 600:200 (pro rata), BANK £90,000 and
    # FDN £30,000; J (GOV): 140,000 + 440,000 − 88,000 = £492,000.
    by_id = investors(run)
    assert (by_id["BANK"].nav, by_id["FDN"].nav, by_id["GOV"].nav) == (
        D("90000.00"),
        D("30000.00"),
        D("492000.00"),
    )
    # Pro rata to paid-in GOV would have held a fifth of NAV, £140,000.
    assert run.fund.accrued_carry == D("88000.00")
    # 90,000 + 30,000 + 492,000 + 88,000 accrued carry = 700,000 = NAV
    assert sum(i.nav for i in run.investors) + run.fund.accrued_carry == run.fund.nav
    assert run.fund.nav == D("700000.00")
    # the carry holder has no capital account
    assert "MGR" not in by_id
    classes = {c.share_class: c.nav for c in run.share_classes}
    assert classes == {"J": D("492000.00"), "S": D("120000.00")}


def test_net_irr_and_multiples_are_net_of_the_accrued_carry(run: Run) -> None:
    # Investors: −1,000,000 on Y0, +900,000 on Y1, NAV − carry = 612,000 on Y2.
    # −1,000 + 900x + 612x² = 0 (thousands, x = 1/(1 + r)):
    # x = (−900 + √(900² + 4 × 612 × 1,000)) ÷ (2 × 612) = (√3,258,000 − 900) ÷ 1,224.
    x = (math.sqrt(3_258_000) - 900) / 1_224
    assert run.fund.net_irr == pytest.approx(1 / x - 1, abs=1e-9)
    # Before carry it would be −1,000 + 900x + 700x² = 0: higher.
    gross_x = (math.sqrt(900**2 + 4 * 700 * 1_000) - 900) / 1_400
    assert run.fund.net_irr < 1 / gross_x - 1
    # DPI 900,000 ÷ 1,000,000 = 0.9; RVPI 612,000 ÷ 1,000,000 = 0.612; TVPI 1.512.
    assert (run.fund.dpi, run.fund.rvpi, run.fund.tvpi) == (0.9, 0.612, 1.512)


def test_the_capital_account_has_a_carried_interest_line(run: Run) -> None:
    by_id = investors(run)
    gov = pence_lines(by_id["GOV"])
    # J pays all of the carry: GOV's line is the whole £88,000; S pays none.
    assert gov["carried_interest"] == 8_800_000
    assert pence_lines(by_id["BANK"])["carried_interest"] == 0
    # GOV: 200,000 in, 60,000 out, 88,000 carry, ending 492,000, so its gains
    # (income + realised + unrealised − fees − expenses) are
    # 492,000 + 88,000 + 60,000 − 200,000 = 440,000.
    gains = gov["income"] + gov["realised"] + gov["unrealised"]
    gains -= gov["management_fees"] + gov["expenses"]
    assert gains == 44_000_000
    assert gov["ending"] == 49_200_000
    for investor in run.investors:
        assert reconciles(pence_lines(investor)), investor.investor_id


def test_what_the_structure_gives_the_junior_government_investor(run: Run) -> None:
    [gov] = run.pari_passu.government
    # Actual: 60,000 received + 492,000 share of NAV = 552,000. Pro rata: GOV paid in
    # 200,000 of 1,000,000 = 0.2 of (900,000 distributed + 700,000 NAV) = 320,000.
    assert (gov.investor_id, gov.fund_id, gov.share_class) == ("GOV", "F1", "J")
    assert (gov.actual_value, gov.pro_rata_value, gov.difference) == (
        D("552000.00"),
        D("320000.00"),
        D("232000.00"),
    )
    # IRR: −200 + 60x + 492x² = 0 → x = (√(60² + 4 × 492 × 200) − 60) ÷ 984;
    # pro rata: −200 + 180x + 140x² = 0 → x = (√(180² + 4 × 140 × 200) − 180) ÷ 280
    # = (380 − 180) ÷ 280 = 5/7: 40%.
    x = (math.sqrt(397_200) - 60) / 984
    assert gov.irr == pytest.approx(1 / x - 1, abs=1e-9)
    assert gov.pro_rata_irr == pytest.approx(0.4, abs=1e-9)
    assert gov.difference_bps == pytest.approx((1 / x - 1 - 0.4) * 10_000, abs=0.05)


def test_the_document_writes_the_new_keys_and_reads_back(run: Run) -> None:
    text = run.to_json()
    assert Run.from_json(text).to_json() == text
    document: dict[str, Any] = json.loads(text)
    fund = document["fund"]
    assert list(fund)[-2:] == ["accrued_carry", "waterfall"]
    assert fund["accrued_carry"] == "88000.00"
    assert fund["waterfall"]["classes"][1]["tiers"]["carried_interest"] == {
        "to_date": "0.00",
        "at_liquidation": "88000.00",
    }
    account = document["investors"][0]["capital_account"]
    assert list(account)[-5:] == [
        "equalisation_interest",
        "carried_interest",
        "ending",
        "unfunded",
        "recallable",
    ]
    assert list(document["pari_passu"]["government"][0]) == list(RECORD_KEYS)


def test_a_fund_without_terms_writes_none_of_them() -> None:
    plain = blended()
    plain = Ledger(**{**vars(plain), "class_terms": plain.class_terms.iloc[0:0]})
    plain = Ledger(**{**vars(plain), "waterfalls": plain.waterfalls.iloc[0:0]})
    document = json.loads(passu.value(plain, as_of=AS_OF).to_json())
    assert "accrued_carry" not in document["fund"] and "waterfall" not in document["fund"]
    assert "government" not in document["pari_passu"]
    assert "carried_interest" not in document["investors"][0]["capital_account"]
    # the plain allocation (the roll, on paid-in net of capital returned) shares all of
    # NAV among the investors: no carry is held back
    assert sum(D(i["nav"]) for i in document["investors"]) == D("700000.00")


# --- passu check: distributions against the waterfall ---------------------------------


def test_distributions_that_followed_the_waterfall_find_nothing() -> None:
    assert waterfall_distributions(blended().as_of(AS_OF), AS_OF) == []


def test_a_class_paid_off_the_waterfall_is_named_with_its_tier() -> None:
    # £10,000 of BANK's went to GOV: S received 620,000 + 210,000 = 830,000 against the
    # waterfall's 840,000, short in its preferred return (800,000 capital is covered,
    # 840,000 is not); J received 70,000 against 60,000, over: named at its last tier.
    found = waterfall_distributions(blended(bank="620000", gov="70000").as_of(AS_OF), AS_OF)
    assert [f.message for f in found] == [
        "fund F1 class S tier preferred_return: expected £840,000.00 to date from the "
        "waterfall, received £830,000.00",
        "fund F1 class J tier residual: expected £60,000.00 to date from the waterfall, "
        "received £70,000.00",
    ]
    assert {f.check for f in found} == {"waterfall_distributions"}


def test_carry_paid_without_profit_is_named() -> None:
    # £5,000 more to MGR on 2022-01-01: the fund distributed 905,000, of which the
    # waterfall gives S 840,000 and J 65,000 of its capital (J has made no profit: no
    # carry). J received 60,000, short in return of capital; the carry holder received
    # 5,000 against nil, named at its last tier, carried interest.
    found = waterfall_distributions(blended(carry_paid="5000").as_of(AS_OF), AS_OF)
    assert [f.message for f in found] == [
        "fund F1 class J tier return_of_capital: expected £65,000.00 to date from the "
        "waterfall, received £60,000.00",
        "fund F1 carry holder MGR tier carried_interest: expected £0.00 to date from the "
        "waterfall, received £5,000.00",
    ]


def test_equalisation_beyond_a_days_calls_hands_back_earlier_capital() -> None:
    # GOV (J) paid 200,000 on Y0; on Y1 a later closer LATE (S) pays 60,000 of
    # equalisation and GOV is handed back 50,000 of it. J's capital: 200,000 − 50,000 =
    # 150,000, still dated Y0 (its latest earlier contribution); S's: 600,000 + 60,000.
    def flow(investor: str, day: str, kind: str, amount: str, purpose: str = "") -> dict:
        return {"fund_id": "F1", "investor_id": investor, "date": day, "kind": kind,
                "amount": amount, "purpose": purpose, "recallable": "false"}  # fmt: skip

    ledger = Ledger.from_records(
        funds=[("F1", "Blended", "GBP", "2021", "Manager LLP")],
        investors=[("BANK", "Bank", "bank"), ("LATE", "Late", "bank"),
                   ("GOV", "Department", "government"), ("MGR", "Manager", "manager")],
        commitments=[("F1", "BANK", "S", "600000", Y0), ("F1", "LATE", "S", "300000", Y1),
                     ("F1", "GOV", "J", "200000", Y0)],
        investor_flows=[
            flow("BANK", Y0, "call", "600000"),
            flow("GOV", Y0, "call", "200000"),
            flow("LATE", Y1, "call", "60000", "equalisation"),
            flow("GOV", Y1, "distribution", "50000", "equalisation"),
        ],
        class_terms=[("F1", "S", 1, "0", None), ("F1", "J", 2, "0", None)],
    )  # fmt: skip
    structure = fund_structure(ledger, "F1", AS_OF, 0)
    assert structure is not None
    contributed = {c.share_class: c.contributed_pence for c in structure.classes}
    assert contributed == {"S": 66_000_000, "J": 15_000_000}
