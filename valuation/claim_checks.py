"""Checks on outcome payments that name a claim (issue 8's additions to ``passu check``).

Each has the signature of every check, ``check(ledger, as_of)``, and is listed
in ``checks.CHECKS``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .findings import Finding, _day, _days, _joined, _money, pounds
from .ledger import Ledger

# --- claims -----------------------------------------------------------------------


def _claim_payments(outcome_payments: pd.DataFrame, outcome_claims: pd.DataFrame) -> pd.DataFrame:
    """Payments naming a claim, with the claim's dates and verified amount beside them."""
    named = outcome_payments[outcome_payments["claim_id"].notna()]
    named = named[named["claim_id"].astype(str) != ""]
    claims = outcome_claims[["claim_id", "verified_on", "verified_amount_pence", "rejected_on"]]
    return named.merge(claims, on="claim_id", how="left")


def _payment_label(frame: pd.DataFrame) -> pd.Series:
    return (
        "outcome_payments: "
        + _joined(frame, ["contract_id", "payer"])
        + ", "
        + _days(frame["date"])
        + ", "
        + _money(frame["amount_pence"])
        + ", claim "
        + frame["claim_id"].astype(str)
    )


def _rejected_by(frame: pd.DataFrame, as_of: dt.date) -> pd.Series:
    return frame["rejected_on"].notna() & (frame["rejected_on"] <= pd.Timestamp(as_of))


def payment_on_unverified_claim(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Payments naming a claim not verified by the payment's date (rejected ones aside)."""
    merged = _claim_payments(ledger.outcome_payments, ledger.outcome_claims)
    early = merged[
        ~_rejected_by(merged, as_of)
        & (merged["verified_on"].isna() | (merged["verified_on"] > merged["date"]))
    ]
    found = []
    for r, label in zip(early.itertuples(), _payment_label(early), strict=True):
        verified = _day(r.verified_on)
        if pd.isna(r.verified_on) or r.verified_on > pd.Timestamp(as_of):
            verified = "not verified"
        else:
            verified = f"verified only on {verified}"
        found.append(
            Finding(
                "payment_on_unverified_claim",
                f"claim {r.claim_id}: paid {pounds(r.amount_pence)} by {r.payer} on "
                f"{_day(r.date)}, {verified}",
                (label, f"outcome_claims: {r.claim_id}"),
            )
        )
    return found


def payment_on_rejected_claim(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Payments naming a claim rejected on or before as_of."""
    merged = _claim_payments(ledger.outcome_payments, ledger.outcome_claims)
    rejected = merged[_rejected_by(merged, as_of)]
    found = []
    for r, label in zip(rejected.itertuples(), _payment_label(rejected), strict=True):
        found.append(
            Finding(
                "payment_on_rejected_claim",
                f"claim {r.claim_id}: paid {pounds(r.amount_pence)} by {r.payer} on "
                f"{_day(r.date)}, but rejected on {_day(r.rejected_on)}",
                (label, f"outcome_claims: {r.claim_id}"),
            )
        )
    return found


def paid_over_verified(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Claims verified by as_of whose Σ payments exceed the verified amount."""
    merged = _claim_payments(ledger.outcome_payments, ledger.outcome_claims)
    verified = merged[
        merged["verified_on"].notna()
        & (merged["verified_on"] <= pd.Timestamp(as_of))
        & merged["verified_amount_pence"].notna()
        & ~_rejected_by(merged, as_of)
    ]
    totals = verified.groupby("claim_id", as_index=False).agg(
        paid=("amount_pence", "sum"), verified=("verified_amount_pence", "first")
    )
    over = totals[totals["paid"] > totals["verified"]]
    return [
        Finding(
            "paid_over_verified",
            f"claim {r.claim_id}: payments {pounds(r.paid)} exceed its verified amount "
            f"{pounds(r.verified)}",
            (f"outcome_claims: {r.claim_id}", f"outcome_payments: claim {r.claim_id}"),
        )
        for r in over.sort_values("claim_id").itertuples()
    ]
