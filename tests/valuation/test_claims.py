"""Outcome claims at an as-of date: amounts, statuses, ageing and medians."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from passu.valuation.claims import AgeingBucket, claims_position

D = Decimal
AS_OF = dt.date(2024, 6, 30)


def dates(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[ns]")


def claims() -> pd.DataFrame:
    # claim, claimed_on, count, £amount, verified_on, verified count, verified £, rejected_on
    rows = [
        # verified in 30 days, paid 30 days later
        ("K1", "2024-01-10", 10, 10_000, "2024-02-09", 10, 10_000, None),
        # verified for less than claimed (6 of 8), then partly paid
        ("K2", "2024-03-01", 8, 8_000, "2024-04-15", 6, 6_000, None),
        ("K3", "2024-02-01", 5, 5_000, None, None, None, "2024-03-01"),  # rejected
        # verified only after the as-of date: still awaiting verification at it
        ("K4", "2024-05-20", 4, 4_000, "2024-07-05", 4, 4_000, None),
        ("K5", "2024-07-02", 3, 3_000, None, None, None, None),  # claimed after the as-of date
        ("K6", "2024-03-15", 2, 2_000, None, None, None, None),  # waiting a long time
        ("K7", "2024-06-01", 1, 1_000, None, None, None, "2024-07-20"),  # rejected after T
    ]
    out = pd.DataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "contract_id": ["C1"] * len(rows),
            "metric_id": ["M1"] * len(rows),
            "period_end": dates(["2023-12-31"] * len(rows)),
            "count": pd.Series([r[2] for r in rows], dtype="int64"),
            "amount_pence": pd.Series([r[3] * 100 for r in rows], dtype="int64"),
            "claimed_on": dates([r[1] for r in rows]),
            "verified_on": dates([r[4] for r in rows]),
            "verified_count": pd.array([r[5] for r in rows], dtype="Int64"),
            "verified_amount_pence": pd.array(
                [None if r[6] is None else r[6] * 100 for r in rows], dtype="Int64"
            ),
            "rejected_on": dates([r[7] for r in rows]),
        }
    )
    return out


def payments() -> pd.DataFrame:
    rows = [
        ("K1", "2024-03-10", 10_000),
        ("K2", "2024-05-15", 2_000),
        ("K2", "2024-07-10", 4_000),  # after the as-of date
        (None, "2024-05-01", 7_000),  # names no claim
    ]
    return pd.DataFrame(
        {
            "contract_id": ["C1"] * len(rows),
            "payer": ["LA"] * len(rows),
            "date": dates([r[1] for r in rows]),
            "amount_pence": pd.Series([r[2] * 100 for r in rows], dtype="int64"),
            "metric_id": ["M1"] * len(rows),
            "claim_id": [r[0] for r in rows],
        }
    )


def test_amounts_at_the_as_of_date():
    position = claims_position(outcome_claims=claims(), outcome_payments=payments(), as_of=AS_OF)
    # claims by 30 Jun: K1 10k + K2 8k + K3 5k + K4 4k + K6 2k + K7 1k = 30k (K5 is later)
    assert position.claimed == D("30000.00")
    # verified by 30 Jun: K1 10k + K2 6k (not the 8k claimed) = 16k; K4's verification is later
    assert position.verified == D("16000.00")
    assert position.rejected == D("5000.00")  # K3; K7's rejection is after 30 Jun
    # paid: K1 10k + K2 2k (the 4k on 10 Jul is later; the 7k names no claim) = 12k
    assert position.paid == D("12000.00")
    # neither verified nor rejected by 30 Jun: K4 4k + K6 2k + K7 1k = 7k
    assert position.outstanding_unverified == D("7000.00")
    # verified but unpaid: K1 10k − 10k + K2 6k − 2k = 4k
    assert position.outstanding_unpaid == D("4000.00")
    # decided by 30 Jun: K1 10 of 10, K2 6 of 8, K3 0 of 5 -> 16 / 23
    assert position.verification_rate == D(16) / D(23)


def test_status_of_each_claim():
    position = claims_position(outcome_claims=claims(), outcome_payments=payments(), as_of=AS_OF)
    status = {c.claim_id: c for c in position.claims}
    assert set(status) == {"K1", "K2", "K3", "K4", "K6", "K7"}
    assert {k: c.status for k, c in status.items()} == {
        "K1": "paid",
        "K2": "verified",
        "K3": "rejected",
        "K4": "claimed",
        "K6": "claimed",
        "K7": "claimed",
    }
    k2 = status["K2"]
    assert (k2.verified_amount, k2.paid, k2.outstanding) == (
        D("6000.00"),
        D("2000.00"),
        D("4000.00"),
    )
    # K4's verification on 5 Jul is not known on 30 Jun
    assert (status["K4"].verified_on, status["K4"].verified_amount) == (None, None)
    assert status["K7"].rejected_on is None


def test_days_waiting_and_ageing():
    position = claims_position(outcome_claims=claims(), outcome_payments=payments(), as_of=AS_OF)
    days = {c.claim_id: (c.days_waiting, c.ageing_bucket) for c in position.claims}
    # K2 awaits payment since verification on 15 Apr: 15 + 31 + 30 = 76 days
    assert days["K2"] == (76, "61-90")
    # K4 awaits verification since 20 May: 11 + 30 = 41 days
    assert days["K4"] == (41, "31-60")
    # K6 since 15 Mar: 16 + 30 + 31 + 30 = 107 days; K7 since 1 Jun: 29 days
    assert days["K6"] == (107, "over 90")
    assert days["K7"] == (29, "0-30")
    assert days["K1"] == (None, None) and days["K3"] == (None, None)
    waiting = [b for b in position.ageing if b.claims]
    assert waiting == [
        AgeingBucket("verification", "0-30", 1, D("1000.00")),
        AgeingBucket("verification", "31-60", 1, D("4000.00")),
        AgeingBucket("verification", "over 90", 1, D("2000.00")),
        AgeingBucket("payment", "61-90", 1, D("4000.00")),
    ]
    assert len(position.ageing) == 8  # two stages × four buckets, zeros included


def test_median_days_to_verify_and_to_pay():
    position = claims_position(outcome_claims=claims(), outcome_payments=payments(), as_of=AS_OF)
    # to verify: K1 10 Jan -> 9 Feb = 30 days; K2 1 Mar -> 15 Apr = 30 + 15 = 45; median 37.5
    assert position.median_days_to_verify == D("37.5")
    # to pay: only K1 is paid in full: 9 Feb -> 10 Mar 2024 = 20 + 10 = 30 days
    assert position.median_days_to_pay == D("30")


def test_a_month_later_verifications_and_payments_have_arrived():
    position = claims_position(
        outcome_claims=claims(), outcome_payments=payments(), as_of=dt.date(2024, 7, 31)
    )
    status = {c.claim_id: c.status for c in position.claims}
    assert (status["K2"], status["K4"], status["K5"], status["K7"]) == (
        "paid",
        "verified",
        "claimed",
        "rejected",
    )
    # K2 paid in full on 10 Jul: 15 Apr -> 10 Jul = 15 + 31 + 30 + 10 = 86 days
    # median of (30, 86) = 58
    assert position.median_days_to_pay == D("58")
    # decided: K1 10/10, K2 6/8, K3 0/5, K4 4/4, K7 0/1 -> 20 / 28
    assert position.verification_rate == D(20) / D(28)


def test_scope_and_nothing_decided():
    position = claims_position(
        outcome_claims=claims(), outcome_payments=payments(), as_of=AS_OF, contract_ids={"C9"}
    )
    assert position.claimed == D("0.00")
    assert position.verification_rate is None
    assert position.median_days_to_verify is None
    assert position.claims == ()


def test_float_nan_columns_from_storage_are_read_too():
    frame = claims().astype({"verified_count": "float64", "verified_amount_pence": "float64"})
    position = claims_position(outcome_claims=frame, outcome_payments=payments(), as_of=AS_OF)
    assert position.verified == D("16000.00")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=200),  # claimed, days after 1 Jan 2024
            st.integers(min_value=1, max_value=9),  # count
            st.sampled_from(["open", "verified", "rejected"]),
            st.integers(min_value=0, max_value=120),  # days to the decision
            st.integers(min_value=0, max_value=120),  # days from verification to payment
        ),
        max_size=12,
    )
)
def test_every_claim_is_outstanding_or_decided(rows: list[tuple[int, int, str, int, int]]) -> None:
    start = pd.Timestamp("2024-01-01")
    claim_rows, payment_rows = [], []
    for n, (claimed, count, fate, decide, pay) in enumerate(rows):
        claimed_on = start + pd.Timedelta(days=claimed)
        decided_on = claimed_on + pd.Timedelta(days=decide)
        verified = fate == "verified"
        claim_rows.append(
            {
                "claim_id": f"K{n}",
                "contract_id": "C1",
                "metric_id": "M1",
                "period_end": start,
                "count": count,
                "amount_pence": count * 100_00,
                "claimed_on": claimed_on,
                "verified_on": decided_on if verified else pd.NaT,
                "verified_count": count - 1 if verified else None,
                "verified_amount_pence": (count - 1) * 100_00 if verified else None,
                "rejected_on": decided_on if fate == "rejected" else pd.NaT,
            }
        )
        if verified:
            payment_rows.append(
                ("C1", "LA", decided_on + pd.Timedelta(days=pay), (count - 1) * 100_00, f"K{n}")
            )
    frame = pd.DataFrame(claim_rows, columns=list(claims().columns)).astype(
        {column: str(dtype) for column, dtype in claims().dtypes.items() if column != "claim_id"}
    )
    paid = pd.DataFrame(
        payment_rows, columns=["contract_id", "payer", "date", "amount_pence", "claim_id"]
    ).astype({"amount_pence": "int64", "date": "datetime64[ns]"})
    paid["metric_id"] = "M1"
    position = claims_position(outcome_claims=frame, outcome_payments=paid, as_of=AS_OF)
    decided = sum((c.amount for c in position.claims if c.status != "claimed"), D(0))
    assert position.outstanding_unverified + decided == position.claimed
    assert position.outstanding_unpaid == position.verified - position.paid
    waiting = [c for c in position.claims if c.status in ("claimed", "verified")]
    assert sum(b.claims for b in position.ageing) == len(waiting)
    assert sum((b.amount for b in position.ageing), D(0)) == position.outstanding_unverified + (
        position.outstanding_unpaid
    )
