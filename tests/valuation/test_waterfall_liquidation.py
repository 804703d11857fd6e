"""The waterfall's remaining cases, worked by hand: every tier of the junior class in a loss,
carry paid by a junior class under a capped senior one, the hypothetical liquidation of
an American waterfall with a clawback, and the liquidation's identity as a property.

Dates 365 days apart as in test_waterfall.py; pounds in comments, pence in assertions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.waterfall import (
    CARRIED_INTEREST,
    CATCH_UP,
    PREFERRED_RETURN,
    RESIDUAL,
    RETURN_OF_CAPITAL,
    ClassTerms,
    Contribution,
    Deal,
    Distribution,
    hypothetical_liquidation,
    run_waterfall,
)
from tests.valuation.builders import pence
from tests.valuation.test_waterfall import SENIOR_JUNIOR, Y0, Y1, Y2, a_class, deal, terms, tiers_of

NOTHING = (0, 0)


def test_junior_first_loss_in_a_loss_every_tier() -> None:
    # S (rank 1, 5% preferred, cap 1.2x) 800,000 and J (rank 2) 200,000 in on 2021-01-01;
    # 900,000 back a year later. S: 800,000 capital, 800,000 × 0.05 = 40,000 preferred;
    # J: the 60,000 left, capital; no residual for anyone, no carry (no waterfall terms).
    flows = deal([("S", Y0, "800000"), ("J", Y0, "200000")], [(Y1, "900000")])
    total = run_waterfall(None, SENIOR_JUNIOR, [flows]).total
    assert tiers_of(total, "S") == {
        RETURN_OF_CAPITAL: (pence("800000"), 0),
        PREFERRED_RETURN: (pence("40000"), 0),
        CATCH_UP: NOTHING,
        CARRIED_INTEREST: NOTHING,
        RESIDUAL: NOTHING,
    }
    assert tiers_of(total, "J") == {
        RETURN_OF_CAPITAL: (pence("60000"), 0),
        PREFERRED_RETURN: NOTHING,
        CATCH_UP: NOTHING,
        CARRIED_INTEREST: NOTHING,
        RESIDUAL: NOTHING,
    }
    assert total.undistributed_pence == 0


def test_junior_class_pays_carry_under_a_capped_senior() -> None:
    # As above with 1,500,000 back, and carry 20% (no hurdle, no catch-up) on J only.
    # S 800,000 + 40,000; J 200,000 capital; 460,000 left, shared 80:20 → S 368,000 but
    # S is capped at 1.2 × 800,000 = 960,000, room 120,000; J takes the other 340,000,
    # of which 20% = 68,000 is carried interest and 272,000 stays with J.
    flows = deal([("S", Y0, "800000"), ("J", Y0, "200000")], [(Y1, "1500000")])
    run = run_waterfall(terms(hurdle="0", catch_up="0", applies_to=("J",)), SENIOR_JUNIOR, [flows])
    assert tiers_of(run.total, "S")[RESIDUAL] == (pence("120000"), 0)
    assert tiers_of(run.total, "J") == {
        RETURN_OF_CAPITAL: (pence("200000"), 0),
        PREFERRED_RETURN: NOTHING,
        CATCH_UP: NOTHING,
        CARRIED_INTEREST: (0, pence("68000")),
        RESIDUAL: (pence("272000"), 0),
    }
    # 960,000 + 472,000 + 68,000 = 1,500,000
    assert run.total.by_class() == {"S": pence("960000"), "J": pence("472000")}
    assert run.carry_pence == pence("68000")


def test_liquidation_when_the_hurdle_is_not_met_accrues_no_carry() -> None:
    # 1,000,000 in on 2021-01-01; NAV 1,050,000 on 2022-01-01: capital 1,000,000 and
    # 50,000 of the 80,000 preferred return; nothing reaches the catch-up.
    liq = hypothetical_liquidation(
        terms(), [a_class()], [deal([("A", Y0, "1000000")])], Y1, pence("1050000"), 0
    )
    assert liq.accrued_carry_pence == 0
    assert dict(liq.nav_by_class) == {"A": pence("1050000")}
    assert liq.nav.amount("A", PREFERRED_RETURN) == pence("50000")


def test_american_liquidation_owes_the_clawback_back_to_the_class() -> None:
    # D1: 500,000 in 2021, 700,000 out 2022 (carry 10,000 catch-up + 30,000 = 40,000, as
    # in test_waterfall's American test, all of it paid). D2: 500,000 in 2021, 450,000
    # out 2023 and NAV 10,000 on 2023-01-01: 460,000 < 500,000, all capital, no carry.
    # Pooled: 2023's 450,000 pays 300,000 capital + 110,400 preferred + 27,600 catch-up
    # + 12,000 split 2,400 / 9,600; NAV 10,000 (caught up) splits 2,000 / 8,000: carry
    # 27,600 + 2,400 + 2,000 = 32,000 (20% of the 160,000 profit). Clawback 40,000 −
    # 32,000 = 8,000, owed to A. Accrued carry 32,000 − 40,000 paid = −8,000; A's share
    # of NAV 10,000 + 8,000 = 18,000; together 10,000, the NAV.
    deals = [
        deal([("A", Y0, "500000")], [(Y1, "700000")], "D1"),
        deal([("A", Y0, "500000")], [(Y2, "450000")], "D2"),
    ]
    liq = hypothetical_liquidation(
        terms(style="american"), [a_class()], deals, Y2, {"D2": pence("10000")}, pence("40000")
    )
    assert liq.run.clawback_pence == pence("8000")
    assert liq.carry_pence == pence("32000")
    assert liq.accrued_carry_pence == pence("-8000")
    assert dict(liq.nav_by_class) == {"A": pence("18000")}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 2), st.sampled_from([None, "1.2"]), st.integers(1, 10**8)),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.tuples(st.integers(1, 700), st.integers(1, 10**8)), max_size=3),
    st.integers(0, 2 * 10**8),
    st.sampled_from(["european", "american"]),
)
def test_liquidation_shares_nav_exactly(
    spec: list[tuple[int, str | None, int]],
    cash: list[tuple[int, int]],
    nav: int,
    style: str,
) -> None:
    # When the carry paid to date is what the waterfall gave, NAV = Σ classes' shares of
    # it + accrued carry + what no class can take (every class at its cap).
    names = [f"C{i}" for i in range(len(spec))]
    classes = [
        ClassTerms("F1", n, rank, Decimal("0.08"), None if cap is None else Decimal(cap))
        for n, (rank, cap, _) in zip(names, spec, strict=True)
    ]
    half = [Contribution(n, Y0, amount // 2) for n, (*_, amount) in zip(names, spec, strict=True)]
    rest = [
        Contribution(n, Y0, amount - amount // 2)
        for n, (*_, amount) in zip(names, spec, strict=True)
    ]
    paid = [Distribution(Y0 + dt.timedelta(days=d), a) for d, a in cash]
    deals = [Deal("D1", tuple(half), tuple(paid[:1])), Deal("D2", tuple(rest), tuple(paid[1:]))]
    waterfall = terms(style, applies_to=tuple(names))
    to_date = run_waterfall(waterfall, classes, deals)
    as_of = Y0 + dt.timedelta(days=800)
    navs: int | dict[str, int] = (
        nav if style == "european" else {"D1": nav // 3, "D2": nav - nav // 3}
    )
    liq = hypothetical_liquidation(waterfall, classes, deals, as_of, navs, to_date.carry_pence)
    shared = sum(liq.nav_by_class.values()) + liq.accrued_carry_pence
    assert shared + liq.nav.undistributed_pence == nav
