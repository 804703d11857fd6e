"""The distribution waterfall (valuation/waterfall.py), worked by hand.

Dates are chosen 365 days apart (2021-01-01 → 2022-01-01 → 2023-01-01 → 2024-01-01, no
29 February between them) so that the preferred return compounds over whole years.
Amounts are in pounds in the comments and pence in the assertions (``pence``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.money import allocate_largest_remainder
from passu.valuation.waterfall import (
    CARRIED_INTEREST,
    CATCH_UP,
    PREFERRED_RETURN,
    RESIDUAL,
    RETURN_OF_CAPITAL,
    TIERS,
    Allocation,
    ClassTerms,
    Contribution,
    Deal,
    Distribution,
    WaterfallTerms,
    check_distributions,
    hypothetical_liquidation,
    run_waterfall,
    split_to_investors,
)
from tests.valuation.builders import pence

Y0, Y1, Y2, Y3 = dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1), dt.date(2024, 1, 1)


def a_class(
    name: str = "A", rank: int = 1, pref: str = "0.08", cap: str | None = None
) -> ClassTerms:
    return ClassTerms("F1", name, rank, Decimal(pref), None if cap is None else Decimal(cap))


def terms(
    style: str = "european",
    hurdle: str = "0.08",
    catch_up: str = "1.0",
    carry: str = "0.2",
    applies_to: tuple[str, ...] = ("A",),
) -> WaterfallTerms:
    return WaterfallTerms(
        "F1",
        "american" if style == "american" else "european",
        Decimal(hurdle),
        Decimal(catch_up),
        Decimal(carry),
        "GP",
        applies_to,
    )


def deal(
    contributions: Sequence[tuple[str, dt.date, str]],
    distributions: Sequence[tuple[dt.date, str]] = (),
    deal_id: str = "D1",
) -> Deal:
    return Deal(
        deal_id,
        tuple(Contribution(c, d, pence(a)) for c, d, a in contributions),
        tuple(Distribution(d, pence(a)) for d, a in distributions),
    )


def tiers_of(allocation: Allocation, share_class: str) -> dict[str, tuple[int, int]]:
    """tier → (to the class, to the carry holder), in pence."""
    rows = allocation.tiers
    return {
        t.tier: (t.to_class_pence, t.to_carry_pence) for t in rows if t.share_class == share_class
    }


# --- European: 8% preferred return, 100% catch-up, 20% carry ----------------------------

# £1,000,000 contributed on 2021-01-01; £1,050,000 distributed a year later, £40,000 the
# year after and £100,000 the year after that.
EUROPEAN = deal(
    [("A", Y0, "1000000")],
    [(Y1, "1050000"), (Y2, "40000"), (Y3, "100000")],
)


def test_european_year_one_the_hurdle_is_not_met() -> None:
    run = run_waterfall(terms(), [a_class()], [EUROPEAN])
    year1 = run.whole_fund.allocations[0]
    # Preferred return due after 365 days: 1,000,000 × 8% = 80,000.
    # 1,050,000 = 1,000,000 return of capital + 50,000 of the 80,000 preferred return;
    # nothing reaches the catch-up, so no carry.
    assert tiers_of(year1, "A") == {
        RETURN_OF_CAPITAL: (pence("1000000"), 0),
        PREFERRED_RETURN: (pence("50000"), 0),
        CATCH_UP: (0, 0),
        CARRIED_INTEREST: (0, 0),
        RESIDUAL: (0, 0),
    }
    assert year1.to_carry() == 0


def test_european_year_two_the_catch_up_is_partial() -> None:
    run = run_waterfall(terms(), [a_class()], [EUROPEAN])
    year2 = run.whole_fund.allocations[1]
    # Unpaid preferred return 30,000 compounds: 30,000 × 1.08 = 32,400 due.
    # 40,000 = 32,400 preferred return + 7,600 catch-up. The catch-up would need
    # (0.2 × 82,400 − 0) ÷ (1 − 0.2) = 20,600 (profit so far 50,000 + 32,400 = 82,400);
    # 7,600 < 20,600, so all of it goes to the carry holder (100% catch-up).
    assert tiers_of(year2, "A") == {
        RETURN_OF_CAPITAL: (0, 0),
        PREFERRED_RETURN: (pence("32400"), 0),
        CATCH_UP: (0, pence("7600")),
        CARRIED_INTEREST: (0, 0),
        RESIDUAL: (0, 0),
    }


def test_european_year_three_fully_caught_up() -> None:
    run = run_waterfall(terms(), [a_class()], [EUROPEAN])
    year3 = run.whole_fund.allocations[2]
    # Nothing due. Catch-up still needed: (0.2 × (82,400 + 7,600) − 7,600) ÷ 0.8
    # = (18,000 − 7,600) ÷ 0.8 = 13,000 to the carry holder. The 87,000 left splits
    # 20% = 17,400 carried interest and 69,600 to the class.
    assert tiers_of(year3, "A") == {
        RETURN_OF_CAPITAL: (0, 0),
        PREFERRED_RETURN: (0, 0),
        CATCH_UP: (0, pence("13000")),
        CARRIED_INTEREST: (0, pence("17400")),
        RESIDUAL: (pence("69600"), 0),
    }
    # Over the three years the carry holder has 7,600 + 13,000 + 17,400 = 38,000, which
    # is 20% of the profit 1,190,000 − 1,000,000 = 190,000; the class 1,152,000.
    assert run.carry_pence == pence("38000")
    assert run.total.to_class("A") == pence("1152000")
    assert run.clawback_pence == 0


def test_european_80_percent_catch_up() -> None:
    # £1,000,000 in on 2021-01-01, £1,200,000 out a year later; catch-up 0.8.
    run = run_waterfall(
        terms(catch_up="0.8"), [a_class()], [deal([("A", Y0, "1000000")], [(Y1, "1200000")])]
    )
    # 1,000,000 capital + 80,000 preferred return; 120,000 left. Catch-up tier:
    # floor((0.2 × 80,000 − 0) ÷ (0.8 − 0.2)) = floor(26,666.666…) = 26,666.66; the carry
    # holder 0.8 × 26,666.66 = 21,333.328 → 21,333.33, the class the rest 5,333.33.
    # 120,000 − 26,666.66 = 93,333.34 splits 0.2 → 18,666.668 → 18,666.67 carried
    # interest and 74,666.67 to the class. Carry 21,333.33 + 18,666.67 = 40,000.00,
    # exactly 20% of the 200,000 profit.
    assert tiers_of(run.total, "A") == {
        RETURN_OF_CAPITAL: (pence("1000000"), 0),
        PREFERRED_RETURN: (pence("80000"), 0),
        CATCH_UP: (pence("5333.33"), pence("21333.33")),
        CARRIED_INTEREST: (0, pence("18666.67")),
        RESIDUAL: (pence("74666.67"), 0),
    }
    assert run.carry_pence == pence("40000")


def test_a_hurdle_above_the_preferred_return_is_paid_to_the_class_first() -> None:
    # Class A has no preferred return of its own; the waterfall's hurdle is 10%, no
    # catch-up. £1,000 in, £1,300 out a year later: 1,000 capital, then the hurdle
    # 1,000 × 10% = 100 to the class (tier preferred return), then 200 split 20/80:
    # 40 carried interest, 160 to the class.
    run = run_waterfall(
        terms(hurdle="0.10", catch_up="0"),
        [a_class(pref="0")],
        [deal([("A", Y0, "1000")], [(Y1, "1300")])],
    )
    assert tiers_of(run.total, "A") == {
        RETURN_OF_CAPITAL: (pence("1000"), 0),
        PREFERRED_RETURN: (pence("100"), 0),
        CATCH_UP: (0, 0),
        CARRIED_INTEREST: (0, pence("40")),
        RESIDUAL: (pence("160"), 0),
    }


# --- American, deal by deal, with a clawback ---------------------------------------------


def test_american_deal_by_deal_with_a_clawback() -> None:
    deals = [
        deal([("A", Y0, "500000")], [(Y1, "700000")], "D1"),
        deal([("A", Y0, "500000")], [(Y2, "450000")], "D2"),
    ]
    run = run_waterfall(terms(style="american"), [a_class()], deals)
    d1, d2 = run.deals
    # D1: 500,000 capital, 500,000 × 8% = 40,000 preferred return, 160,000 left:
    # catch-up 0.2 × 40,000 ÷ 0.8 = 10,000, then 150,000 splits 30,000 / 120,000.
    assert tiers_of(d1.total, "A") == {
        RETURN_OF_CAPITAL: (pence("500000"), 0),
        PREFERRED_RETURN: (pence("40000"), 0),
        CATCH_UP: (0, pence("10000")),
        CARRIED_INTEREST: (0, pence("30000")),
        RESIDUAL: (pence("120000"), 0),
    }
    # D2: 450,000 of its 500,000 back; no profit, no carry.
    assert tiers_of(d2.total, "A")[RETURN_OF_CAPITAL] == (pence("450000"), 0)
    assert d2.total.to_carry() == 0
    assert run.carry_pence == pence("40000")
    # The whole fund pooled (European): 1,000,000 in; 2022: 700,000 all capital, 80,000
    # preferred return due; 2023: due (300,000 + 80,000) × 8% = 30,400 more, 110,400.
    # 450,000 = 300,000 capital + 110,400 preferred + catch-up 0.2 × 110,400 ÷ 0.8 =
    # 27,600 + 12,000 split 2,400 / 9,600. Whole-fund carry 27,600 + 2,400 = 30,000
    # (20% of the 150,000 profit). Clawback 40,000 − 30,000 = 10,000.
    fund = run.whole_fund.total
    assert tiers_of(fund, "A") == {
        RETURN_OF_CAPITAL: (pence("1000000"), 0),
        PREFERRED_RETURN: (pence("110400"), 0),
        CATCH_UP: (0, pence("27600")),
        CARRIED_INTEREST: (0, pence("2400")),
        RESIDUAL: (pence("9600"), 0),
    }
    assert run.clawback_pence == pence("10000")
    assert dict(run.clawback_by_class) == {"A": pence("10000")}
    assert run.net_carry_pence == pence("30000")


# --- a junior first-loss class under a capped senior class ------------------------------

SENIOR_JUNIOR = [a_class("S", rank=1, pref="0.05", cap="1.2"), a_class("J", rank=2, pref="0")]


def _senior_junior(cash: str) -> Allocation:
    flows = deal([("S", Y0, "800000"), ("J", Y0, "200000")], [(Y1, cash)])
    return run_waterfall(None, SENIOR_JUNIOR, [flows]).total


def test_junior_first_loss_in_a_loss() -> None:
    total = _senior_junior("900000")
    # Senior first: 800,000 capital + 800,000 × 5% = 40,000 preferred; the junior class
    # gets the 60,000 left of its 200,000: it loses 140,000, the senior nothing.
    assert tiers_of(total, "S")[RETURN_OF_CAPITAL] == (pence("800000"), 0)
    assert tiers_of(total, "S")[PREFERRED_RETURN] == (pence("40000"), 0)
    assert tiers_of(total, "J")[RETURN_OF_CAPITAL] == (pence("60000"), 0)
    assert total.by_class() == {"S": pence("840000"), "J": pence("60000")}


def test_junior_first_loss_in_a_gain_with_the_senior_capped() -> None:
    total = _senior_junior("1500000")
    # 800,000 + 40,000 to S, 200,000 capital to J, 460,000 left shared 80:20, but S is
    # capped at 1.2 × 800,000 = 960,000, so takes only 960,000 − 840,000 = 120,000 and J
    # the other 340,000: S 960,000 (1.2x), J 540,000 (2.7x).
    assert tiers_of(total, "S") == {
        RETURN_OF_CAPITAL: (pence("800000"), 0),
        PREFERRED_RETURN: (pence("40000"), 0),
        CATCH_UP: (0, 0),
        CARRIED_INTEREST: (0, 0),
        RESIDUAL: (pence("120000"), 0),
    }
    assert tiers_of(total, "J") == {
        RETURN_OF_CAPITAL: (pence("200000"), 0),
        PREFERRED_RETURN: (0, 0),
        CATCH_UP: (0, 0),
        CARRIED_INTEREST: (0, 0),
        RESIDUAL: (pence("340000"), 0),
    }
    assert total.undistributed_pence == 0


def test_unpaid_preferred_return_compounds_before_the_junior_class_is_repaid() -> None:
    # 2022: 800,000 returns the senior's capital; its 5% preferred return, 40,000, is
    # unpaid and compounds: due (0 + 40,000) × 1.05 = 42,000 in 2023. 2023's 100,000:
    # 42,000 senior preferred return, 58,000 of the junior's 200,000 capital.
    flows = deal([("S", Y0, "800000"), ("J", Y0, "200000")], [(Y1, "800000"), (Y2, "100000")])
    year2 = run_waterfall(None, SENIOR_JUNIOR, [flows]).whole_fund.allocations[1]
    assert tiers_of(year2, "S")[PREFERRED_RETURN] == (pence("42000"), 0)
    assert tiers_of(year2, "J")[RETURN_OF_CAPITAL] == (pence("58000"), 0)


def test_contributions_come_before_a_distribution_on_the_same_day() -> None:
    # A pays 1,000 in on 2021-01-01, B 1,000 on 2022-01-01, the day 1,000 is distributed;
    # one rank, no preferred return: capital returned pro rata to contributions, 500 each.
    classes = [a_class("A", pref="0"), a_class("B", pref="0")]
    flows = deal([("A", Y0, "1000"), ("B", Y1, "1000")], [(Y1, "1000")])
    assert run_waterfall(None, classes, [flows]).total.by_class() == {
        "A": pence("500"),
        "B": pence("500"),
    }


def test_cash_beyond_every_cap_is_undistributed() -> None:
    # One class capped at 1.1x: 1,000 in, 1,500 out: 1,000 capital + 50 preferred (5%)
    # + 50 residual to the 1,100 cap; 400 undistributed.
    run = run_waterfall(
        None, [a_class("S", pref="0.05", cap="1.1")], [deal([("S", Y0, "1000")], [(Y1, "1500")])]
    )
    assert run.total.by_tier()[RESIDUAL] == pence("50")
    assert run.total.undistributed_pence == pence("400")


# --- within a class, the two uses -------------------------------------------------------


def test_split_to_investors_largest_remainder_ties_by_id() -> None:
    # £100.00 over accounts 1:1:1: 33.33 each and one penny left, to the first id "a".
    assert split_to_investors(10000, {"c": 5, "a": 5, "b": 5}) == {"a": 3334, "b": 3333, "c": 3333}
    # 7.00 over 2:1 = 4.666… and 2.333…: 4.67 and 2.33.
    assert split_to_investors(700, {"x": 200, "y": 100}) == {"x": 467, "y": 233}


def test_hypothetical_liquidation_accrues_carry() -> None:
    # £1,000,000 in on 2021-01-01, NAV £1,300,000 on 2023-01-01 (730 days), nothing paid.
    # Preferred 1,000,000 × (1.08² − 1) = 166,400; catch-up 0.2 × 166,400 ÷ 0.8 = 41,600;
    # 1,300,000 − 1,000,000 − 166,400 − 41,600 = 92,000 splits 18,400 / 73,600.
    # Accrued carry 41,600 + 18,400 = 60,000 (20% of 300,000); the class 1,240,000.
    liq = hypothetical_liquidation(
        terms(), [a_class()], [deal([("A", Y0, "1000000")])], Y2, pence("1300000"), 0
    )
    assert liq.accrued_carry_pence == pence("60000")
    assert dict(liq.nav_by_class) == {"A": pence("1240000")}
    assert liq.nav.to_carry(tier=CATCH_UP) == pence("41600")


def test_hypothetical_liquidation_less_carry_already_paid() -> None:
    # The European history above (carry 38,000 to 2024-01-01) and NAV £10,000 then:
    # caught up, so NAV splits 2,000 / 8,000; carry 40,000 in all, 38,000 already paid:
    # accrued 2,000.
    liq = hypothetical_liquidation(
        terms(), [a_class()], [EUROPEAN], Y3, pence("10000"), pence("38000")
    )
    assert liq.carry_pence == pence("40000")
    assert liq.accrued_carry_pence == pence("2000")
    assert dict(liq.nav_by_class) == {"A": pence("8000")}


def test_check_names_fund_class_tier_expected_and_received() -> None:
    run = run_waterfall(terms(), [a_class()], [EUROPEAN])
    # The waterfall gives A 1,152,000 (capital 1,000,000, preferred 82,400, residual
    # 69,600) and the carry holder 38,000. Within £1 is no finding.
    assert check_distributions(run, {"A": pence("1151999.00")}, pence("38001.00")) == []
    # A received 1,150,000: short in the residual tier (1,082,400 covers the tiers
    # before it); the carry holder 40,000, 2,000 too much, named in its last tier.
    findings = check_distributions(run, {"A": pence("1150000")}, pence("40000"))
    assert [f.message for f in findings] == [
        "fund F1 class A tier residual: expected £1,152,000.00 to date from the waterfall, "
        "received £1,150,000.00",
        "fund F1 carry holder GP tier carried_interest: expected £38,000.00 to date from "
        "the waterfall, received £40,000.00",
    ]
    # £1.01 short is a finding, in the preferred-return tier when capital is all there.
    short = check_distributions(run, {"A": pence("1000000")}, pence("38000"))
    assert "tier preferred_return" in short[0].message
    assert len(check_distributions(run, {"A": pence("1151998.99")}, pence("38000"))) == 1


# --- properties ----------------------------------------------------------------------------

classes_st = st.lists(
    st.tuples(
        st.integers(1, 3),  # rank
        st.sampled_from(["0", "0.05", "0.08"]),
        st.sampled_from([None, "1", "1.2", "2"]),
        st.integers(0, 10**8),  # contribution, pence
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(
    classes_st,
    st.lists(st.tuples(st.integers(0, 1500), st.integers(0, 2 * 10**8)), min_size=1, max_size=4),
    st.sampled_from(["0", "0.08"]),
    st.sampled_from(["0", "0.8", "1"]),
    st.sampled_from(["0", "0.2"]),
    st.sampled_from(["european", "american"]),
)
def test_tiers_add_up_to_the_cash_and_never_more(
    spec: list[tuple[int, str, str | None, int]],
    cash: list[tuple[int, int]],
    hurdle: str,
    catch_up: str,
    carry: str,
    style: str,
) -> None:
    names = [f"C{i}" for i in range(len(spec))]
    classes = [
        ClassTerms("F1", n, r, Decimal(p), None if c is None else Decimal(c))
        for n, (r, p, c, _) in zip(names, spec, strict=True)
    ]
    contributions = tuple(
        Contribution(n, Y0, amount) for n, (*_, amount) in zip(names, spec, strict=True)
    )
    distributions = tuple(Distribution(Y0 + dt.timedelta(days=d), a) for d, a in cash)
    deals = [Deal("D1", contributions, distributions[:2]), Deal("D2", (), distributions[2:])]
    waterfall = terms(style, hurdle, catch_up, carry, tuple(names[::2]))
    run = run_waterfall(waterfall, classes, deals)
    for result in run.deals:
        for a in result.allocations:
            assert all(t.to_class_pence >= 0 and t.to_carry_pence >= 0 for t in a.tiers)
            paid = sum(t.pence for t in a.tiers)
            assert paid <= a.cash_pence
            assert paid + a.undistributed_pence == a.cash_pence
            assert sum(a.by_tier().values()) == paid
    assert 0 <= run.clawback_pence <= run.carry_pence
    # Pooled, cash stays undistributed only when every class that contributed is capped.
    if any(amount > 0 and cap is None for _, _, cap, amount in spec):
        assert run.whole_fund.total.undistributed_pence == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 10**8), min_size=1, max_size=6),
    st.integers(0, 10**9),
    st.integers(1, 10**8),
)
def test_one_class_no_hurdle_no_carry_is_the_pro_rata_allocation(
    accounts: list[int], cash: int, contributed: int
) -> None:
    if not any(accounts):
        accounts[0] = 1
    ids = [f"I{i:02d}" for i in range(len(accounts))]
    run = run_waterfall(
        terms(hurdle="0", catch_up="0", carry="0", applies_to=()),
        [a_class(pref="0")],
        [Deal("D1", (Contribution("A", Y0, contributed),), (Distribution(Y1, cash),))],
    )
    to_class = run.total.to_class("A")
    assert to_class == cash
    assert split_to_investors(to_class, dict(zip(ids, accounts, strict=True))) == dict(
        zip(ids, allocate_largest_remainder(cash, accounts, ids), strict=True)
    )


def test_refuses_a_class_without_terms() -> None:
    with pytest.raises(ValueError, match="class B has no terms"):
        run_waterfall(None, [a_class()], [deal([("B", Y0, "1")])])


def test_every_tier_is_reported_for_every_class() -> None:
    run = run_waterfall(None, SENIOR_JUNIOR, [deal([("S", Y0, "1")])])
    assert [(t.share_class, t.tier) for t in run.total.tiers] == [
        (c, t) for c in ("S", "J") for t in TIERS
    ]
