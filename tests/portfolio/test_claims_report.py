"""Outcome claims on the builders' portfolio with three more claims, at 2015-03-01.

CL1 (builders): £18,000 claimed 2014-10-10, verified 2014-10-30 in full, £12,000 paid
against it (Leeds and Central Fund, 2014-11-15). Added here:
CL2 £12,000 (8 outcomes) claimed 2015-01-10, not yet verified;
CL3 £7,500 (5) claimed 2015-02-01, rejected 2015-02-20;
CL4 £6,000 (4) claimed 2015-01-05, verified 2015-01-25 at 3 outcomes / £4,500, paid
£4,500 on 2015-02-10.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.claims import claims_report, claims_section
from passu.portfolio.errors import UsageError
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.register import load_all

from .builders import Table, a_portfolio, write_csvs

AS_OF = dt.date(2015, 3, 1)
D = Decimal


def claim(claim_id: str, count: str, amount: str, claimed_on: str, **rest: str) -> dict[str, str]:
    row = {
        "claim_id": claim_id,
        "contract_id": "C1",
        "metric_id": "M1",
        "period_end": "2014-12-31",
        "count": count,
        "amount": amount,
        "claimed_on": claimed_on,
        "verified_on": "",
        "verified_count": "",
        "verified_amount": "",
        "rejected_on": "",
    }
    return row | rest


def with_claims() -> dict[str, Table]:
    tables = a_portfolio()
    tables["outcome_claims"] += [
        claim("CL2", "8", "12000", "2015-01-10"),
        claim("CL3", "5", "7500", "2015-02-01", rejected_on="2015-02-20"),
        claim(
            "CL4",
            "4",
            "6000",
            "2015-01-05",
            verified_on="2015-01-25",
            verified_count="3",
            verified_amount="4500",
        ),
    ]
    tables["outcome_payments"].append(
        {
            "contract_id": "C1",
            "payer": "Central Fund",
            "date": "2015-02-10",
            "amount": "4500",
            "metric_id": "M1",
            "claim_id": "CL4",
        }
    )
    return tables


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "in", with_claims()), user="t")
    return engine


def test_claims_section(loaded: Engine) -> None:
    section = claims_section(load_all(loaded, AS_OF), ("F1",), AS_OF)
    assert section == {
        "claims": 4,
        "claimed": "43500.00",  # 18,000 + 12,000 + 7,500 + 6,000
        "verified": "22500.00",  # CL1 18,000 + CL4 4,500
        "rejected": "7500.00",  # CL3
        "paid": "16500.00",  # 12,000 against CL1 + 4,500 against CL4
        "outstanding_unverified": "12000.00",  # CL2
        "outstanding_unpaid": "6000.00",  # CL1: 18,000 − 12,000
        # verified counts 12 + 3 + 0 over decided counts 12 + 4 + 5 = 15 / 21
        "verification_rate": round(15 / 21, 10),
        "median_days_to_verify": 20.0,  # CL1 10-10 → 10-30 and CL4 01-05 → 01-25: 20, 20
        "median_days_to_pay": 16.0,  # CL4 only, paid in full: 01-25 → 02-10
    }


def test_statuses_days_waiting_and_ageing(loaded: Engine) -> None:
    totals, claims, ageing = claims_report(loaded, AS_OF, None, None)
    rows = {r["claim_id"]: r for r in claims.records()}
    assert {k: r["status"] for k, r in rows.items()} == {
        "CL1": "verified",
        "CL2": "claimed",
        "CL3": "rejected",
        "CL4": "paid",
    }
    # CL1 waits for payment from 2014-10-30: 2 + 30 + 31 + 31 + 28 = 122 days
    assert (rows["CL1"]["days_waiting"], rows["CL1"]["ageing_bucket"]) == (122, "over 90")
    # CL2 waits for verification from 2015-01-10: 21 + 28 + 1 = 50 days
    assert (rows["CL2"]["days_waiting"], rows["CL2"]["ageing_bucket"]) == (50, "31-60")
    assert rows["CL3"]["days_waiting"] is None
    waiting = [(r["stage"], r["bucket"], r["claims"], r["amount"]) for r in ageing.records()]
    assert ("verification", "31-60", 1, D("12000.00")) in waiting
    assert ("payment", "over 90", 1, D("6000.00")) in waiting
    assert sum(r[2] for r in waiting) == 2
    figures = {f.name: f.value for f in totals.figures}
    assert figures["outstanding_unpaid"] == D("6000.00")


def test_status_filter(loaded: Engine) -> None:
    _, unpaid, _ = claims_report(loaded, AS_OF, "F1", "unpaid")
    assert [r["claim_id"] for r in unpaid.records()] == ["CL1", "CL2"]
    _, rejected, _ = claims_report(loaded, AS_OF, "F1", "rejected")
    assert [r["claim_id"] for r in rejected.records()] == ["CL3"]
    with pytest.raises(UsageError, match="--status"):
        claims_report(loaded, AS_OF, None, "lost")


def test_before_a_claim_is_made_it_does_not_exist(loaded: Engine) -> None:
    day = dt.date(2015, 1, 6)  # CL4 claimed, not yet verified; CL2, CL3 not yet claimed
    _, claims, _ = claims_report(loaded, day, None, None)
    assert [(r["claim_id"], r["status"]) for r in claims.records()] == [
        ("CL1", "verified"),
        ("CL4", "claimed"),
    ]
