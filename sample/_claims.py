"""Outcome claims for the contracts that settle by claim, in every lifecycle state.

Each quarter's achieved outcomes are claimed two weeks after the quarter,
verified five weeks later and paid two weeks after that. A few claims are
given the other states a claims report must show at the cut-off (30 June 2026).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ._common import Row, pounds
from ._payments import payment_rows

if TYPE_CHECKING:
    from ._outcomes import Contract, Metric

CLAIM_LAG = timedelta(days=14)
VERIFY_LAG = timedelta(days=35)
PAY_LAG = timedelta(days=14)
LATEST = date(2026, 3, 31)  # the quarter still moving through the claims process
NOT_YET_CLAIMED = date(2026, 6, 30)

REJECTED_THEN_RESUBMITTED = {("FA-KENT-KCC", "STEP", date(2024, 6, 30))}
VERIFIED_FOR_LESS = {("SB-SHEFF-1", "EXCL", date(2025, 6, 30)): 2}
# state of each contract's claims for the latest quarter at the cut-off
LATEST_STATE = {
    "FA-KENT-KCC": "partly_paid",
    "FA-KENT-MED": "partly_paid",
    "SB-SHEFF-1": "verified",
    "FT-HERTS-1": "claimed",
}


def add_claims(contract: Contract, numbers: Iterator[int]) -> None:
    """Claims and the payments settling them, quarter by quarter, metric by metric."""
    periods = sorted({d for m in contract.metrics for d in m.achieved})
    for period_end in periods:
        if period_end >= NOT_YET_CLAIMED:
            continue
        for metric in contract.metrics:
            count = metric.achieved.get(period_end, 0)
            if count:
                _claim_quarter(contract, metric, period_end, count, numbers)


def _claim_quarter(
    contract: Contract, metric: Metric, period_end: date, count: int, numbers: Iterator[int]
) -> None:
    key = (contract.contract_id, metric.template.key, period_end)
    claimed_on = period_end + CLAIM_LAG
    if key in REJECTED_THEN_RESUBMITTED:
        rejected_on = claimed_on + VERIFY_LAG
        contract.claims.append(
            _claim(
                next(numbers),
                contract,
                metric,
                period_end,
                count,
                claimed_on,
                rejected_on=rejected_on,
            )
        )
        claimed_on = rejected_on + timedelta(days=10)
    extra = VERIFIED_FOR_LESS.get(key, 0)
    verified_on = claimed_on + VERIFY_LAG
    state = LATEST_STATE[contract.contract_id] if period_end == LATEST else "paid"
    if state == "claimed":
        contract.claims.append(
            _claim(next(numbers), contract, metric, period_end, count, claimed_on)
        )
        return
    claim = _claim(
        next(numbers),
        contract,
        metric,
        period_end,
        count + extra,
        claimed_on,
        verified_on=verified_on,
        verified_count=count,
    )
    contract.claims.append(claim)
    if state == "verified":
        return
    kinds = ("local_government",) if state == "partly_paid" else ()
    amount = count * metric.price_pence
    contract.payments.extend(
        payment_rows(contract, metric, verified_on + PAY_LAG, amount, claim["claim_id"], kinds)
    )


def _claim(
    number: int,
    contract: Contract,
    metric: Metric,
    period_end: date,
    count: int,
    claimed_on: date,
    *,
    verified_on: date | None = None,
    verified_count: int | None = None,
    rejected_on: date | None = None,
) -> Row:
    price = metric.price_pence
    return {
        "claim_id": f"CLM{number:04d}",
        "contract_id": contract.contract_id,
        "metric_id": metric.metric_id,
        "period_end": period_end.isoformat(),
        "count": str(count),
        "amount": pounds(count * price),
        "claimed_on": claimed_on.isoformat(),
        "verified_on": verified_on.isoformat() if verified_on else "",
        "verified_count": "" if verified_count is None else str(verified_count),
        "verified_amount": "" if verified_count is None else pounds(verified_count * price),
        "rejected_on": rejected_on.isoformat() if rejected_on else "",
    }
