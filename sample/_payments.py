"""Outcome payments: one row per payer, each its share of the amount due."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ._common import Row, allocate, pounds

if TYPE_CHECKING:
    from ._outcomes import Contract, Metric


def payment_rows(
    contract: Contract,
    metric: Metric,
    paid_on: date,
    amount: int,
    claim_id: str,
    only_kinds: tuple[str, ...] = (),
) -> list[Row]:
    """One payment per payer, each its share of ``amount`` (largest remainder)."""
    parts = allocate(amount, [(payer, share) for payer, _, share in contract.payers])
    rows = []
    for payer, kind, _ in contract.payers:
        if parts[payer] == 0 or (only_kinds and kind not in only_kinds):
            continue
        rows.append(
            {
                "contract_id": contract.contract_id,
                "payer": payer,
                "date": paid_on.isoformat(),
                "amount": pounds(parts[payer]),
                "metric_id": metric.metric_id,
                "claim_id": claim_id,
            }
        )
    return rows
