"""Outcome claims at an as-of date T: claimed, verified, rejected, paid and outstanding.

Only claims with claimed_on ≤ T exist at T; a verification or rejection dated
after T is not yet known, and a payment dated after T has not yet been made.
Over those claims::

    claimed                = Σ amount
    verified               = Σ verified_amount of claims verified by T
    rejected               = Σ amount of claims rejected by T
    paid                   = Σ payments naming a claim, dated ≤ T
    outstanding unverified = Σ amount of claims neither verified nor rejected by T
    outstanding unpaid     = Σ (verified_amount − paid against the claim), claims verified by T
    verification rate      = Σ verified_count ÷ Σ count over claims decided by T
                             (a rejected claim counts 0 verified)

Status at T: ``claimed`` (awaiting verification), ``rejected``, ``verified``
(awaiting payment), ``paid`` (payments against it reach verified_amount).
Days waiting count from claimed_on for claims awaiting verification and from
verified_on for claims awaiting payment, bucketed 0-30, 31-60, 61-90, over 90.
Median days to verify is over claims verified by T (verified_on − claimed_on);
median days to pay over claims paid in full by T (last payment − verified_on).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from ._frames import in_scope, optional_date, ratio, timestamp
from .money import pence_to_decimal

BUCKETS = ("0-30", "31-60", "61-90", "over 90")
STAGES = ("verification", "payment")


@dataclass(frozen=True)
class ClaimStatus:
    """One claim as known at T (verification after T is not shown)."""

    claim_id: str
    contract_id: str
    metric_id: str
    period_end: dt.date | None
    count: int
    amount: Decimal
    claimed_on: dt.date
    status: str  # claimed, rejected, verified, paid
    verified_on: dt.date | None
    verified_count: int | None
    verified_amount: Decimal | None
    rejected_on: dt.date | None
    paid: Decimal  # payments naming the claim dated ≤ T
    outstanding: Decimal  # amount awaiting verification, or verified_amount − paid
    days_waiting: int | None  # claimed and verified claims only
    ageing_bucket: str | None


@dataclass(frozen=True)
class AgeingBucket:
    """Claims waiting at one stage for a span of days."""

    stage: str  # verification (from claimed_on) or payment (from verified_on)
    bucket: str  # 0-30, 31-60, 61-90, over 90
    claims: int
    amount: Decimal  # amount awaiting verification, or verified_amount − paid


@dataclass(frozen=True)
class ClaimsPosition:
    """The claims figures at T (definitions in the module docstring)."""

    as_of: dt.date
    claimed: Decimal
    verified: Decimal
    rejected: Decimal
    paid: Decimal
    outstanding_unverified: Decimal
    outstanding_unpaid: Decimal
    verification_rate: Decimal | None  # None: no claim decided by T
    median_days_to_verify: Decimal | None
    median_days_to_pay: Decimal | None
    ageing: tuple[AgeingBucket, ...]  # every stage × bucket, zeros included
    claims: tuple[ClaimStatus, ...]


def claims_position(
    *,
    outcome_claims: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    as_of: dt.date,
    contract_ids: Collection[str] | None = None,
) -> ClaimsPosition:
    """The outcome claims of the contracts in scope at ``as_of`` (see the module docstring)."""
    frame = _claims_at(outcome_claims, outcome_payments, as_of, contract_ids)
    verified, rejected = frame["is_verified"], frame["is_rejected"]
    decided = verified | rejected
    awaiting_payment = frame["status"] == "verified"

    days_to_verify = (
        frame.loc[verified, "verified_on"] - frame.loc[verified, "claimed_on"]
    ).dt.days
    paid_in_full = (frame["status"] == "paid") & frame["last_payment"].notna()
    days_to_pay = (
        frame.loc[paid_in_full, "last_payment"] - frame.loc[paid_in_full, "verified_on"]
    ).dt.days

    return ClaimsPosition(
        as_of=as_of,
        claimed=_pounds(frame["amount_pence"]),
        verified=_pounds(frame.loc[verified, "verified_pence"]),
        rejected=_pounds(frame.loc[rejected, "amount_pence"]),
        paid=_pounds(frame["paid_pence"]),
        outstanding_unverified=_pounds(frame.loc[~decided, "amount_pence"]),
        outstanding_unpaid=_pounds(
            frame.loc[verified, "verified_pence"] - frame.loc[verified, "paid_pence"]
        ),
        verification_rate=ratio(
            Decimal(int(frame.loc[decided, "verified_units"].sum())),
            int(frame.loc[decided, "count"].sum()),
        ),
        median_days_to_verify=_median(days_to_verify),
        median_days_to_pay=_median(days_to_pay),
        ageing=_ageing(frame, awaiting_payment),
        claims=tuple(_status(row) for row in frame.to_dict("records")),
    )


def _claims_at(
    outcome_claims: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    as_of: dt.date,
    contract_ids: Collection[str] | None,
) -> pd.DataFrame:
    """The claims existing at T with what is known of them at T, one row per claim."""
    cutoff = timestamp(as_of)
    claims = in_scope(
        outcome_claims[outcome_claims["claimed_on"] <= cutoff], "contract_id", contract_ids
    )
    payments = outcome_payments[
        outcome_payments["claim_id"].notna()
        & (outcome_payments["date"] <= cutoff)
        & outcome_payments["claim_id"].isin(claims["claim_id"])
    ]
    paid_by_claim = payments.groupby("claim_id", as_index=False).agg(
        paid_pence=("amount_pence", "sum"), last_payment=("date", "max")
    )
    claims = claims.sort_values(["claimed_on", "claim_id"]).merge(
        paid_by_claim, on="claim_id", how="left"
    )
    paid = claims["paid_pence"].fillna(0).astype("int64")
    # rejection wins if both are dated by T (the importer refuses such a claim anyway)
    rejected = claims["rejected_on"].notna() & (claims["rejected_on"] <= cutoff)
    verified = claims["verified_on"].notna() & (claims["verified_on"] <= cutoff) & ~rejected

    # unknown at T: a verified amount or count is read only for claims verified by T
    verified_pence = _whole(claims["verified_amount_pence"]).where(verified, 0)
    verified_units = _whole(claims["verified_count"]).where(verified, 0)
    status = np.select(
        [rejected, verified & (paid >= verified_pence), verified],
        ["rejected", "paid", "verified"],
        default="claimed",
    )
    waiting_from = claims["claimed_on"].where(status == "claimed", claims["verified_on"])
    waiting = pd.Series(status, index=claims.index).isin(["claimed", "verified"])
    days = (cutoff - waiting_from).dt.days.where(waiting)
    outstanding = np.select(
        [status == "claimed", status == "verified"],
        [claims["amount_pence"], verified_pence - paid],
        default=0,
    )
    return claims.assign(
        is_verified=verified,
        is_rejected=rejected,
        status=status,
        paid_pence=paid,
        verified_pence=verified_pence,
        verified_units=verified_units,
        outstanding_pence=outstanding,
        days_waiting=days,
        bucket=pd.cut(days, bins=[-np.inf, 30, 60, 90, np.inf], labels=list(BUCKETS)),
    )


def _ageing(frame: pd.DataFrame, awaiting_payment: pd.Series) -> tuple[AgeingBucket, ...]:
    waiting = frame[frame["days_waiting"].notna()].assign(
        stage=np.where(awaiting_payment[frame["days_waiting"].notna()], "payment", "verification")
    )
    grouped = waiting.groupby(["stage", "bucket"], observed=True)["outstanding_pence"]
    counts, amounts = grouped.count(), grouped.sum()
    return tuple(
        AgeingBucket(
            stage=stage,
            bucket=bucket,
            claims=int(counts.get((stage, bucket), 0)),
            amount=pence_to_decimal(int(amounts.get((stage, bucket), 0))),
        )
        for stage in STAGES
        for bucket in BUCKETS
    )


def _status(row: dict[str, Any]) -> ClaimStatus:
    shown = row["status"] in ("verified", "paid")  # verification known at T
    return ClaimStatus(
        claim_id=str(row["claim_id"]),
        contract_id=str(row["contract_id"]),
        metric_id=str(row["metric_id"]),
        period_end=optional_date(row["period_end"]),
        count=int(row["count"]),
        amount=pence_to_decimal(int(row["amount_pence"])),
        claimed_on=pd.Timestamp(row["claimed_on"]).date(),
        status=str(row["status"]),
        verified_on=optional_date(row["verified_on"]) if shown else None,
        verified_count=int(row["verified_units"]) if shown else None,
        verified_amount=pence_to_decimal(int(row["verified_pence"])) if shown else None,
        rejected_on=optional_date(row["rejected_on"]) if row["status"] == "rejected" else None,
        paid=pence_to_decimal(int(row["paid_pence"])),
        outstanding=pence_to_decimal(int(row["outstanding_pence"])),
        days_waiting=None if pd.isna(row["days_waiting"]) else int(row["days_waiting"]),
        ageing_bucket=None if pd.isna(row["bucket"]) else str(row["bucket"]),
    )


def _whole(values: pd.Series) -> pd.Series:
    """A count or pence column with missing cells (NaN, pd.NA) as int64, 0 where missing."""
    return pd.to_numeric(values).fillna(0).astype("int64")


def _pounds(pence: pd.Series) -> Decimal:
    return pence_to_decimal(int(pence.sum()))


def _median(days: pd.Series) -> Decimal | None:
    """Median of whole days, exact (a half day when the count is even); None when empty."""
    if days.empty:
        return None
    return Decimal(str(statistics.median(int(d) for d in days)))
