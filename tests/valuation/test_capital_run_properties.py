"""Properties of the run's capital accounts over random portfolios (issue 13): the
investors' balances add up to the fund's NAV to the penny, and with calls and
distributions pro rata to commitment every balance is its commitment share of NAV
(largest remainder, as passu 0.1 computed it). The month-by-month version of both is in
test_capital_roll.py; these go through ``passu.value``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import passu
from passu.valuation.ledger import Ledger
from passu.valuation.money import allocate_largest_remainder, decimal_to_pence
from tests.valuation.test_capital_run import _flow, a_fund

T = dt.date(2020, 12, 31)


@st.composite
def ledgers(draw: st.DrawFn, pro_rata: bool) -> tuple[Ledger, list[int]]:
    units = [draw(st.integers(1, 5)) for _ in range(draw(st.integers(2, 4)))]
    names = [f"I{i}" for i in range(len(units))]
    commitments = [(n, 10_000 * u, "2020-01-01") for n, u in zip(names, units, strict=True)]
    flows: list[dict[str, Any]] = []
    months = sorted(draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True)))
    for m in months:
        kind = "call" if m == months[0] else draw(st.sampled_from(["call", "distribution"]))
        per_unit = draw(st.integers(1, 50_000))  # pence per commitment unit
        for n, u in zip(names, units, strict=True):
            pence = per_unit * u if pro_rata else draw(st.integers(1, 300_000))
            flows.append(_flow(n, f"2020-{m:02d}-10", kind, str(Decimal(pence) / 100)))
    drawn = [
        ("P1", f"2020-{draw(st.integers(1, 12)):02d}-15", "drawdown",
         Decimal(draw(st.integers(1, 500_000))) / 100)
        for _ in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    repaid = [
        ("P1", f"2020-{draw(st.integers(1, 12)):02d}-20", "repayment",
         Decimal(draw(st.integers(1, 200_000))) / 100)
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    marks = [
        ("P1", f"2020-{m:02d}-28", Decimal(draw(st.integers(0, 900_000))) / 100)
        for m in draw(st.lists(st.integers(1, 12), max_size=3, unique=True))
    ]
    ledger = a_fund(commitments, flows, [*drawn, *repaid], marks)  # type: ignore[list-item]
    return ledger, [10_000_00 * u for u in units]


_SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(case=ledgers(pro_rata=False))
def test_balances_add_up_to_the_funds_nav(case: tuple[Ledger, list[int]]) -> None:
    ledger, _ = case
    run = passu.value(ledger, as_of=T)
    total = sum(decimal_to_pence(i.nav) for i in run.investors)
    assert total == decimal_to_pence(run.fund.nav)
    for i in run.investors:
        assert i.capital_account is not None and i.capital_account.ending == i.nav


@_SETTINGS
@given(case=ledgers(pro_rata=True))
def test_pro_rata_flows_give_the_commitment_shares(case: tuple[Ledger, list[int]]) -> None:
    ledger, weights = case
    run = passu.value(ledger, as_of=T)
    nav = decimal_to_pence(run.fund.nav)
    ids = [i.investor_id for i in run.investors]
    expected = allocate_largest_remainder(nav, weights, ids)
    assert [decimal_to_pence(i.nav) for i in run.investors] == expected
    # and so the pari passu check over the class is clean
    assert [b for b in run.pari_passu.breaches if b.scope == "share_class"] == []
