"""Management fees from terms (valuation/fees.py), worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from passu.valuation.capital_roll import fund_month_ends, month_ends
from passu.valuation.fees import allocation_bases, quarter_fees, reconcile_fees
from tests.valuation.builders import (
    a_holding,
    commitments_frame,
    fund_expenses_frame,
    holding_frames,
    investor_flows_frame,
    pence,
)


def terms() -> pd.DataFrame:
    # 2% on commitments, stepping down on 15 Feb 2021 to 1% on invested cost; half the
    # manager's other income from the projects offsets the fee.
    return pd.DataFrame(
        {
            "fund_id": ["F1"],
            "share_class": ["A"],
            "allocation_basis": ["commitment"],
            "management_fee_rate": [Decimal("0.02")],
            "fee_basis": ["commitment"],
            "fee_step_down_date": pd.to_datetime(["2021-02-15"]).astype("datetime64[ns]"),
            "step_down_rate": [Decimal("0.01")],
            "fee_basis_after_step_down": ["invested_cost"],
            "fee_offset_share": [Decimal("0.5")],
            "equalisation_rate": [Decimal("0.08")],
        }
    )


COMMITMENTS = commitments_frame(
    [("F1", "A", "A", 600_000, "2020-09-01"), ("F1", "B", "A", 400_000, "2020-09-01")]
)
# First call 1 Oct 2020: fees accrue from the quarter's first day.
FLOWS = investor_flows_frame(
    [("F1", "A", "2020-10-01", "call", 300_000), ("F1", "B", "2020-10-01", "call", 200_000)]
)
OTHER_INCOME = pd.DataFrame(
    {
        "fund_id": ["F1"],
        "date": pd.to_datetime(["2021-03-01"]).astype("datetime64[ns]"),
        "amount_pence": [pence(1_000)],
    }
)


def expected_fees() -> pd.DataFrame:
    h = holding_frames(a_holding(drawdowns=[("2020-10-15", 500_000)]))
    series = fund_month_ends(
        ["F1"],
        FLOWS,
        fund_expenses_frame(),
        h.project_flows,
        h.marks,
        month_ends("2020-10-01", "2021-03-31"),
    )
    return quarter_fees(
        terms(), COMMITMENTS, FLOWS, "2021-03-31", fund_series=series, other_income=OTHER_INCOME
    )


def test_a_fee_with_a_step_down_and_an_offset() -> None:
    fees = expected_fees().set_index(["quarter", "investor_id"])
    # 2020-Q4, 92 days at 2% on commitments:
    #   A 600,000 × 0.02 × 92/365 = 3,024.657… → 3,024.66; B 400,000 × … = 2,016.438… → 2,016.44
    assert fees.loc[("2020-Q4", "A"), "fee_pence"] == pence("3024.66")
    assert fees.loc[("2020-Q4", "B"), "fee_pence"] == pence("2016.44")
    assert fees.loc[("2020-Q4", "A"), "days"] == 92
    # 2021-Q1: 1 Jan–14 Feb (45 days) at 2% on commitments, 15 Feb–31 Mar (45 days) at 1%
    # on invested cost at 31 Dec (500,000, A's share 600/1,000 = 300,000):
    #   A gross 600,000 × 0.02 × 45/365 + 300,000 × 0.01 × 45/365 = 15,000 × 45/365
    #         = 1,849.315…; B 10,000 × 45/365 = 1,232.876…; fund 3,082.191…
    # Offset 0.5 × 1,000 = 500, by gross 60:40: A 300, B 200.
    #   A 1,549.315… → 1,549.32; B 1,032.876… → 1,032.88
    assert fees.loc[("2021-Q1", "A"), "gross_pence"] == pence("1849.32")
    assert fees.loc[("2021-Q1", "A"), "fee_pence"] == pence("1549.32")
    assert fees.loc[("2021-Q1", "B"), "fee_pence"] == pence("1032.88")
    assert fees.loc[("2021-Q1", "B"), "offset_pence"] == pence("1232.88") - pence("1032.88")


def test_recorded_fees_reconcile_and_a_mischarged_quarter_is_found() -> None:
    expected = expected_fees()
    # Q4 recorded as 5,041.10 (3,024.66 + 2,016.44, right); Q1 recorded as 3,082.19, the
    # gross fee without the offset: 3,082.19 − (1,549.32 + 1,032.88 = 2,582.20) = 499.99.
    recorded = fund_expenses_frame(
        [
            ("F1", "2020-12-31", "management_fee", "5041.10"),
            ("F1", "2021-03-31", "management_fee", "3082.19"),
        ]
    )
    findings = reconcile_fees(expected, COMMITMENTS, FLOWS, recorded)
    assert [f.message for f in findings] == [
        "fund F1 class A 2021-Q1: management fee expected £2,582.20 from the terms, "
        "recorded £3,082.19"
    ]
    # within £1 a quarter is no finding
    close = fund_expenses_frame(
        [
            ("F1", "2020-12-31", "management_fee", "5041.10"),
            ("F1", "2021-03-31", "management_fee", "2583.20"),
        ]
    )
    assert reconcile_fees(expected, COMMITMENTS, FLOWS, close) == []


def test_fees_called_from_investors_reconcile_by_class() -> None:
    expected = expected_fees()
    calls = investor_flows_frame(
        [
            ("F1", "A", "2020-12-31", "call", "3024.66"),
            ("F1", "B", "2020-12-31", "call", "2016.44"),
            ("F1", "A", "2021-03-31", "call", "1549.32"),
        ]
    )
    calls["purpose"] = "management_fee"
    findings = reconcile_fees(expected, COMMITMENTS, calls, fund_expenses_frame())
    # Q1: B's 1,032.88 was never called: expected 2,582.20, recorded 1,549.32
    assert [f.message for f in findings] == [
        "fund F1 class A 2021-Q1: management fee expected £2,582.20 from the terms, "
        "recorded £1,549.32"
    ]


def test_allocation_basis_per_fund() -> None:
    assert allocation_bases(terms()) == {"F1": "commitment"}
