"""Issue 13 through the run: an investor's NAV is its rolled-forward balance, its
``capital_account`` the ILPA lines, and the pari passu check names documented excuses.

Every figure below is worked by hand in the comments (pounds); the ledgers are built
with ``Ledger.from_records`` and valued with ``passu.value`` (the shipped benchmarks).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import passu
from passu.valuation.capital_lines import LINE_KEYS, NOT_ROLLED, STATEMENT_LINES, reconciles
from passu.valuation.ledger import Ledger
from passu.valuation.run import CapitalAccountLines, Investor, Run

D = Decimal


def _flow(investor: str, day: str, kind: str, amount: str | int, purpose: str | None = None,
          recallable: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"fund_id": "F1", "investor_id": investor, "date": day, "kind": kind,
            "amount": str(amount), "purpose": purpose, "recallable": recallable}  # fmt: skip


def _project(project_id: str) -> dict[str, Any]:
    return {"project_id": project_id, "name": project_id, "policy_area": "housing",
            "region": "London", "coordinator": "", "start_date": "2020-01-01",
            "end_date": "2024-12-31", "status": "active"}  # fmt: skip


def a_fund(
    commitments: list[tuple[str, int, str]],
    flows: list[dict[str, Any]],
    project_flows: list[tuple[str, str, str, int]],
    marks: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
    fund_terms: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Ledger:
    """Fund F1: (investor, £ committed, admission date); flows; the fund's own holdings
    (project, date, kind, £) and marks (project, date, £), tranche A each."""
    projects = sorted({p for p, *_ in project_flows})
    investors = sorted({i for i, *_ in commitments})
    tables = dict(
        funds=[{"fund_id": "F1", "name": "F", "currency": "GBP", "vintage": 2020, "manager": "M"}],
        investors=[{"investor_id": "F1", "name": "F", "kind": "fund"}]
        + [{"investor_id": i, "name": f"Investor {i}", "kind": "foundation"} for i in investors],
        commitments=[
            {"fund_id": "F1", "investor_id": i, "share_class": "A", "amount": str(a), "date": d}
            for i, a, d in commitments
        ],
        investor_flows=flows,
        projects=[_project(p) for p in projects],
        holdings=[
            {
                "project_id": p,
                "holder_id": "F1",
                "tranche": "A",
                "instrument": "equity",
                "commitment": "0",
            }
            for p in projects
        ],
        project_flows=[
            {
                "project_id": p,
                "holder_id": "F1",
                "tranche": "A",
                "date": d,
                "kind": k,
                "amount": str(a),
            }
            for p, d, k, a in project_flows
        ],
        marks=[
            {
                "project_id": p,
                "holder_id": "F1",
                "tranche": "A",
                "date": d,
                "fair_value": str(v),
                "method": "dcf",
            }
            for p, d, v in marks
        ],
        fund_terms=list(fund_terms),
    )
    # a table with no rows is left out: not given is empty
    return Ledger.from_records(**{name: rows for name, rows in tables.items() if rows})


def investors(run: Run) -> dict[str, Investor]:
    return {i.investor_id: i for i in run.investors}


def lines(investor: Investor) -> dict[str, int]:
    """The capital account as pence, to check it reconciles."""
    assert investor.capital_account is not None
    return {
        f.name: int(getattr(investor.capital_account, f.name) * 100)
        for f in dataclasses.fields(CapitalAccountLines)
        if getattr(investor.capital_account, f.name) is not None  # carried_interest: terms
    }


def test_the_runs_lines_are_the_statements_lines_in_order() -> None:
    names = [f.name for f in dataclasses.fields(CapitalAccountLines)]
    assert names == [line.key for line in STATEMENT_LINES]
    # carried_interest (issue 14) is the run's, for funds with terms: not a roll line
    assert [*(n for n in names if n not in NOT_ROLLED), "committed"] == list(LINE_KEYS)
    assert NOT_ROLLED == ("carried_interest",)


# --- a late closer -------------------------------------------------------------------


def late_closer(
    more: tuple[dict[str, Any], ...] = (),
    drawn: tuple[tuple[str, str, str, int], ...] = (),
    marked: tuple[tuple[str, str, int], ...] = (),
) -> Ledger:
    # A commits £100,000 on 1 Jan 2020 and pays it in on 10 Jan; the fund puts it into P1
    # on 15 Jan. B commits £100,000 at a second closing on 1 Jun. P1 is marked £120,000
    # on 30 Jun.
    return a_fund(
        [("A", 100_000, "2020-01-01"), ("B", 100_000, "2020-06-01")],
        [_flow("A", "2020-01-10", "call", 100_000), *more],
        [("P1", "2020-01-15", "drawdown", 100_000), *drawn],
        [("P1", "2020-06-30", 120_000), *marked],
    )


def test_a_late_closer_without_equalisation_shares_from_its_contributions() -> None:
    run = passu.value(late_closer(), as_of=dt.date(2020, 6, 30))
    a, b = investors(run)["A"], investors(run)["B"]
    # NAV 120,000 (P1's mark; cash 100,000 − 100,000 = 0). B paid nothing, so the £20,000
    # gain is A's: A 120,000, B 0, where a commitment share gave each 60,000.
    assert (a.nav, b.nav) == (D("120000.00"), D("0.00"))
    # A: 120,000 ÷ 100,000 = 1.2x; the flows span 172 days: the period return, 20%.
    assert (a.tvpi, a.irr, a.period_return) == (1.2, None, 0.2)
    la, lb = lines(a), lines(b)
    assert (la["contributions_investment"], la["unrealised"], la["ending"]) == (
        10_000_000,
        2_000_000,
        12_000_000,
    )
    assert (lb["ending"], lb["unfunded"], a.unfunded, b.unfunded) == (
        0,
        10_000_000,
        D("0.00"),
        D("100000.00"),
    )
    assert reconciles(la) and reconciles(lb)
    # the fund's NAV is the sum of the balances
    assert a.nav + b.nav == run.fund.nav


def test_a_late_closer_with_equalisation_and_interest_is_pari_passu_afterwards() -> None:
    # A pays £50,000 (10 Jan), put into P1, marked £60,000 on 31 Mar. B commits £100,000
    # on 1 Apr and equalises on 10 Apr: 25% of the £200,000 committed has been called, so
    # B pays £25,000 + interest at 8% for the 91 days since 10 Jan, 25,000 × 0.08 ×
    # 91 / 365 = £498.63: a call of £25,498.63. The fund pays A back £25,000 (recallable)
    # and the £498.63 interest. P1 is marked £66,000 on 30 Jun.
    ledger = a_fund(
        [("A", 100_000, "2020-01-01"), ("B", 100_000, "2020-04-01")],
        [
            _flow("A", "2020-01-10", "call", 50_000),
            _flow("B", "2020-04-10", "call", "25498.63", "equalisation"),
            _flow("A", "2020-04-10", "distribution", 25_000, "equalisation", True),
            _flow("A", "2020-04-10", "distribution", "498.63", "equalisation"),
        ],
        [("P1", "2020-01-15", "drawdown", 50_000)],
        [("P1", "2020-03-31", 60_000), ("P1", "2020-06-30", 66_000)],
    )
    run = passu.value(ledger, as_of=dt.date(2020, 6, 30))
    a, b = investors(run)["A"], investors(run)["B"]
    # April: A 60,000 − 25,498.63 + 498.63 interest (income) = 35,000; B 25,498.63 −
    # 498.63 interest paid = 25,000. June's £6,000 gain on 25,000 : 25,000 paid in →
    # 3,000 each: A 38,000, B 28,000 (Σ 66,000, the NAV).
    assert (a.nav, b.nav) == (D("38000.00"), D("28000.00"))
    la, lb = lines(a), lines(b)
    assert (la["income"], la["equalisation_interest"]) == (49_863, 49_863)
    assert (lb["income"], lb["equalisation_interest"]) == (-49_863, -49_863)
    # A's unfunded rises by the 25,000 returned: 100,000 − 50,000 + 25,000 = 75,000, of
    # which 25,000 recallable; B: 100,000 − 25,000 of capital = 75,000.
    assert (a.unfunded, la["recallable"]) == (D("75000.00"), 2_500_000)
    assert (b.unfunded, lb["recallable"]) == (D("75000.00"), 0)
    # Pari passu: each has 25,000 of capital in and nothing distributed beyond the
    # equalisation, so paid-in and distributed are pro rata; the NAVs (38,000 against
    # 28,000) and returns differ because A carried the fund before the closing: named.
    assert run.pari_passu.ok and run.pari_passu.breaches == ()
    excused = {e.holder_or_investor: e for e in run.pari_passu.excused}
    assert set(excused) == {"A", "B"}
    assert set(excused["A"].measures) == {"nav"}  # flows under a year: no IRRs to compare
    assert excused["A"].reason == "later closing: B equalised on 2020-04-10"
    document = json.loads(run.to_json())
    assert document["pari_passu"]["excused"][0] == {
        "scope": "share_class",
        "id": "F1/A",
        "holder_or_investor": "A",
        "measures": ["nav"],
        "reason": "later closing: B equalised on 2020-04-10",
    }


def test_without_equalisation_a_late_closer_is_a_breach() -> None:
    # The late closer who pays its £100,000 on 10 Jul: A paid 100,000 and B 100,000, but
    # A's NAV (125,500) is not B's (105,500): with no equalisation call nothing explains
    # it, so the check fails on NAV.
    ledger = late_closer(
        (_flow("B", "2020-07-10", "call", 100_000),),
        (("P1", "2020-07-15", "drawdown", 100_000),),
        (("P1", "2020-07-31", 231_000),),
    )
    run = passu.value(ledger, as_of=dt.date(2020, 7, 31))
    # July's £11,000 gain on 100,000 : 100,000 → 5,500 each (capital_roll's own test).
    assert (investors(run)["A"].nav, investors(run)["B"].nav) == (
        D("125500.00"),
        D("105500.00"),
    )
    assert not run.pari_passu.ok
    assert {(b.holder_or_investor, b.measure) for b in run.pari_passu.breaches} == {
        ("A", "nav"),
        ("B", "nav"),
    }
    assert run.pari_passu.excused == ()


# --- an excused investor -------------------------------------------------------------


def excused_fund(fund_terms: list[dict[str, Any]] = ()) -> Ledger:  # type: ignore[assignment]
    # A, B and C commit £100,000 each and pay £30,000 each (10 Jan) for P1 (£90,000, at
    # cost). C is excused from the £30,000 call for P2 (10 Feb): A and B pay £15,000 each
    # with purpose excused. P2 is marked £36,000 on 31 Mar: a £6,000 gain.
    return a_fund(
        [(i, 100_000, "2020-01-01") for i in "ABC"],
        [
            *(_flow(i, "2020-01-10", "call", 30_000) for i in "ABC"),
            _flow("A", "2020-02-10", "call", 15_000, "excused"),
            _flow("B", "2020-02-10", "call", 15_000, "excused"),
        ],
        [("P1", "2020-01-15", "drawdown", 90_000), ("P2", "2020-02-15", "drawdown", 30_000)],
        [("P2", "2020-03-31", 36_000)],
        fund_terms,
    )


def test_an_excused_investor_is_named_not_a_breach() -> None:
    run = passu.value(excused_fund(), as_of=dt.date(2020, 3, 31))
    # Paid in 45,000 : 45,000 : 30,000 of 120,000 → the £6,000 gain 2,250, 2,250, 1,500.
    got = investors(run)
    assert [got[i].nav for i in "ABC"] == [D("47250.00"), D("47250.00"), D("31500.00")]
    assert lines(got["A"])["contributions_excused"] == 1_500_000
    assert got["C"].unfunded == D("70000.00")
    # Pro rata would be 40,000 paid in and 42,000 of NAV each: everyone deviates, and
    # the excused call explains every deviation.
    assert run.pari_passu.ok
    reason = "investor C excused from the call of 2020-02-10"
    assert {(e.holder_or_investor, e.measures, e.reason) for e in run.pari_passu.excused} == {
        (i, ("paid_in", "nav"), reason) for i in "ABC"
    }


def test_the_commitment_basis_from_fund_terms() -> None:
    terms = [{"fund_id": "F1", "share_class": "A", "allocation_basis": "commitment"}]
    run = passu.value(excused_fund(terms), as_of=dt.date(2020, 3, 31))
    # On commitments 1 : 1 : 1 → £2,000 each: 45,000 + 2,000, 45,000 + 2,000, 30,000 + 2,000.
    got = investors(run)
    assert [got[i].nav for i in "ABC"] == [D("47000.00"), D("47000.00"), D("32000.00")]


# --- a recallable distribution ------------------------------------------------------------


def test_a_recallable_distribution_adds_to_unfunded_until_recalled() -> None:
    # A and B commit £100,000 and pay £40,000 each (10 Jan); £80,000 into P1; £20,000
    # repaid (15 Mar) and returned, £10,000 each, recallable (20 Mar); calls of £6,000
    # (10 May) and £9,000 (10 Jun) each are put into P1.
    ledger = a_fund(
        [(i, 100_000, "2020-01-01") for i in "AB"],
        [
            *(_flow(i, "2020-01-10", "call", 40_000) for i in "AB"),
            *(
                _flow(i, "2020-03-20", "distribution", 10_000, "return_of_capital", True)
                for i in "AB"
            ),
            *(_flow(i, "2020-05-10", "call", 6_000) for i in "AB"),
            *(_flow(i, "2020-06-10", "call", 9_000) for i in "AB"),
        ],
        [
            ("P1", "2020-01-15", "drawdown", 80_000),
            ("P1", "2020-03-15", "repayment", 20_000),
            ("P1", "2020-05-15", "drawdown", 12_000),
            ("P1", "2020-06-15", "drawdown", 18_000),
        ],
    )
    expected = {
        # (unfunded, recallable): 100,000 − 40,000 + 10,000 returned = 70,000, 10,000
        # recallable; 6,000 called recalls 6,000 of it; 9,000 recalls the last 4,000.
        dt.date(2020, 3, 31): (D("70000.00"), 1_000_000),
        dt.date(2020, 5, 31): (D("64000.00"), 400_000),
        dt.date(2020, 6, 30): (D("55000.00"), 0),
    }
    for day, (unfunded, recallable) in expected.items():
        a = investors(passu.value(ledger, as_of=day))["A"]
        assert (a.unfunded, lines(a)["recallable"]) == (unfunded, recallable), day
    a = investors(passu.value(ledger, as_of=dt.date(2020, 6, 30)))["A"]
    # 40,000 + 6,000 + 9,000 − 10,000 = 45,000 (at cost, no cash left)
    assert a.nav == D("45000.00")
    assert lines(a)["distributions_return_of_capital"] == 1_000_000


# --- the document --------------------------------------------------------------------


def test_capital_account_round_trips_through_the_document() -> None:
    run = passu.value(excused_fund(), as_of=dt.date(2020, 3, 31))
    text = run.to_json()
    assert Run.from_json(text).to_json() == text
    document = json.loads(text)
    account = document["investors"][0]["capital_account"]
    # a fund without share-class terms has no carried_interest line (issue 14)
    assert list(account) == [line.key for line in STATEMENT_LINES if line.key not in NOT_ROLLED]
    assert account["ending"] == document["investors"][0]["nav"] == "47250.00"


def test_a_fund_with_no_call_has_no_capital_account_lines() -> None:
    ledger = a_fund([("A", 100, "2020-01-01")], [], [])
    run = passu.value(ledger, as_of=dt.date(2020, 3, 31))
    [a] = run.investors
    assert a.capital_account is None and a.nav == D("0.00") and a.unfunded == D("100.00")
