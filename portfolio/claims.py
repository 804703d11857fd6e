"""``passu claims``: outcome claims at a date, their status, waiting time and ageing.

The figures are ``valuation/claims.py``'s over the claims on the contracts of
the fund's projects (every fund's with no fund); ``claims_section`` is the
JSON-ready part ``passu value`` embeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.register import ILLUSTRATIVE, fund_scope, is_illustrative, load_all
from passu.portfolio.store.frames import Ledger
from passu.valuation import valuer
from passu.valuation.claims import ClaimsPosition
from passu.valuation.run import section_dict

# "unpaid": every claim still owed or pending, i.e. awaiting verification or payment.
STATUSES = ("claimed", "verified", "rejected", "paid", "unpaid")
UNPAID = ("claimed", "verified")


def position(frames: Ledger, fund_ids: Collection[str], as_of: dt.date) -> ClaimsPosition:
    return valuer.claims_position_of(frames, fund_ids, as_of)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def claims_section(frames: Ledger, fund_ids: Collection[str], as_of: dt.date) -> dict[str, Any]:
    """The ``claims`` section of ``passu value`` JSON: money as two-decimal strings, the
    verification rate a fraction (rounded to 10 places), medians in days (numbers)."""
    return dict(section_dict(valuer.claims_of(frames, fund_ids, as_of)))


def claims_report(
    engine: Engine, as_of: dt.date, fund_id: str | None, status: str | None
) -> tuple[Figures, Listing, Listing]:
    """The totals, each claim (optionally of one status) and the ageing of those waiting."""
    if status is not None and status not in STATUSES:
        raise UsageError(f"--status: expected one of {', '.join(STATUSES)}, found {status!r}")
    frames = load_all(engine, as_of)
    label, fund_ids = fund_scope(frames, fund_id)
    p = position(frames, fund_ids, as_of)
    totals = Figures(
        f"Outcome claims: {label} at {as_of.isoformat()}",
        (
            Figure("claims", len(p.claims), "count"),
            Figure("claimed", p.claimed, "money"),
            Figure("verified", p.verified, "money"),
            Figure("rejected", p.rejected, "money"),
            Figure("paid", p.paid, "money"),
            Figure(
                "outstanding_unverified", p.outstanding_unverified, "money", "awaiting verification"
            ),
            Figure(
                "outstanding_unpaid", p.outstanding_unpaid, "money", "verified, awaiting payment"
            ),
            Figure("verification_rate", _number(p.verification_rate), "rate", "verification rate"),
            Figure(
                "median_days_to_verify",
                _number(p.median_days_to_verify),
                "text",
                "median days to verify",
            ),
            Figure(
                "median_days_to_pay", _number(p.median_days_to_pay), "text", "median days to pay"
            ),
        ),
        (ILLUSTRATIVE,) if is_illustrative(frames) else (),
    )
    wanted = UNPAID if status == "unpaid" else (status,) if status else None
    claims = Listing(
        "Claims" if status is None else f"Claims: {status}",
        (
            Column("claim_id"),
            Column("contract_id"),
            Column("metric_id"),
            Column("period_end", "date", "period end"),
            Column("count", "count"),
            Column("amount", "money"),
            Column("claimed_on", "date", "claimed on"),
            Column("status"),
            Column("verified_on", "date", "verified on"),
            Column("verified_amount", "money", "verified"),
            Column("rejected_on", "date", "rejected on"),
            Column("paid", "money"),
            Column("outstanding", "money"),
            Column("days_waiting", "count", "days waiting"),
            Column("ageing_bucket", "text", "ageing"),
        ),
        tuple(
            (
                c.claim_id,
                c.contract_id,
                c.metric_id,
                c.period_end,
                c.count,
                c.amount,
                c.claimed_on,
                c.status,
                c.verified_on,
                c.verified_amount,
                c.rejected_on,
                c.paid,
                c.outstanding,
                c.days_waiting,
                c.ageing_bucket,
            )
            for c in p.claims
            if wanted is None or c.status in wanted
        ),
        (
            "days waiting: from claimed_on awaiting verification, "
            "from verified_on awaiting payment.",
        ),
    )
    ageing = Listing(
        "Ageing of claims waiting",
        (
            Column("stage", "text", "awaiting"),
            Column("bucket", "text", "days"),
            Column("claims", "count"),
            Column("amount", "money", "outstanding"),
        ),
        tuple((a.stage, a.bucket, a.claims, a.amount) for a in p.ageing),
    )
    return totals, claims, ageing
