"""Management fees from the fund's terms, quarter by quarter, and their reconciliation.

``fund_terms`` (one row per fund and share class; docs/format.md): management_fee_rate
(annual fraction), fee_basis (``commitment`` | ``invested_cost`` | ``nav``),
fee_step_down_date, step_down_rate, fee_basis_after_step_down, fee_offset_share.

Per account (fund_id, investor_id, share_class) and calendar quarter, from the quarter of
the fund's first call to the last quarter ending ≤ T (the first accrues from the first
call):

    gross = Σ over the quarter's days before and from the step-down date of
            rate × basis × days / 365                       (Actual/365)
    offset = fee_offset_share × the manager's other income from the projects dated in
             the quarter × the account's share of the fund's gross fee for the quarter
    fee = gross − offset, never below nil, rounded half up to the penny once

The basis is taken at the start of the quarter (the accrual's first day), as the terms
say: ``commitment``, the account's commitments dated ≤ that day; ``invested_cost``, the
fund's holdings' cost outstanding at the end of the day before (``capital_roll.
fund_month_ends``) × the account's share of the fund's commitments; ``nav``, the account's
capital-account balance at the end of the day before (``capital_roll.capital_roll``).
Before the step-down date the rate and basis are the class's; from it, step_down_rate
(or the same rate) on fee_basis_after_step_down (or the same basis).

The manager's other income is what the manager (or its associates) is paid by the fund's
investee projects besides the fee: arrangement, monitoring and board fees. It is not in
the ledger today; pass it as a frame (fund_id, date, amount_pence).

``reconcile_fees`` compares the fee with what was recorded in each quarter (dated in
it): calls with purpose ``management_fee`` per class where the fund charges fees to its
investors by call, otherwise the fund's ``fund_expenses`` of kind management_fee against
all its classes together; a difference over £1 is a finding naming fund, class, quarter,
expected and recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from .capital_accounts import ACCOUNT_KEYS, account_flows
from .capital_roll import capital_roll, fund_month_ends, month_ends, with_flow_defaults
from .findings import Finding, pounds
from .ledger import Ledger

__all__ = [
    "FEE_BASES",
    "FEE_TOLERANCE_PENCE",
    "allocation_bases",
    "fee_terms",
    "management_fee_from_terms",
    "quarter_fees",
    "reconcile_fees",
]

FEE_BASES = ("commitment", "invested_cost", "nav")
FEE_TOLERANCE_PENCE = 100  # £1 a quarter
CHECK = "management_fee_from_terms"


def allocation_bases(fund_terms: pd.DataFrame) -> dict[str, str]:
    """fund_id → allocation basis (a fund's classes must agree; empty means paid_in)."""
    out: dict[str, str] = {}
    for fund_id, rows in fund_terms.groupby("fund_id", sort=True):
        bases = {b if isinstance(b, str) and b else "paid_in" for b in rows["allocation_basis"]}
        if len(bases) > 1:
            raise ValueError(f"fund {fund_id}: its classes give different allocation bases")
        out[str(fund_id)] = bases.pop()
    return out


def _quarter(day: pd.Timestamp) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _half_up(value: Fraction) -> int:
    return int(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), ROUND_HALF_UP)
    )


def quarter_fees(
    fund_terms: pd.DataFrame,
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    fund_series: pd.DataFrame | None = None,
    roll: pd.DataFrame | None = None,
    other_income: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each account's management fee per quarter from the terms (module docstring).

    ``fund_series``: ``fund_month_ends`` (for the ``invested_cost`` basis);
    ``roll``: ``capital_roll`` (for ``nav``); ``other_income``: fund_id, date,
    amount_pence. Columns: fund_id, investor_id, share_class, quarter ("2026-Q3"),
    start, end, days, gross_pence, offset_pence, fee_pence; sorted by fund, quarter,
    investor, class.
    """
    cutoff = pd.Timestamp(as_of)
    calls = investor_flows.loc[
        (investor_flows["kind"] == "call") & (investor_flows["date"] <= cutoff)
    ]
    firsts = calls.groupby("fund_id")["date"].min()
    income = (
        other_income
        if other_income is not None
        else pd.DataFrame(
            {"fund_id": [], "date": pd.Series(dtype="datetime64[ns]"), "amount_pence": []}
        )
    )
    rows: list[dict[str, object]] = []
    for fund_id, terms in fund_terms.groupby("fund_id", sort=True):
        if fund_id not in firsts.index:
            continue
        first = firsts[fund_id]
        mine = commitments.loc[commitments["fund_id"] == fund_id]
        q_start = pd.Timestamp(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        while (q_end := q_start + pd.offsets.QuarterEnd(0)) <= cutoff:
            start = max(q_start, first)
            fund_rows = _quarter_rows(str(fund_id), terms, mine, start, q_end, fund_series, roll)
            gross_total = sum((exact for _, exact, _ in fund_rows), Fraction(0))
            earned = income.loc[
                (income["fund_id"] == fund_id)
                & (income["date"] >= start)
                & (income["date"] <= q_end),
                "amount_pence",
            ]
            other = int(earned.sum())
            for r, exact, share in fund_rows:
                offset = share * other * exact / gross_total if gross_total else Fraction(0)
                fee = _half_up(max(exact - offset, Fraction(0)))
                gross = _half_up(exact)
                rows.append(
                    {**r, "gross_pence": gross, "offset_pence": gross - fee, "fee_pence": fee}
                )
            q_start = q_end + pd.Timedelta(days=1)
    columns = [
        *ACCOUNT_KEYS,
        "quarter",
        "start",
        "end",
        "days",
        "gross_pence",
        "offset_pence",
        "fee_pence",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for money in ("days", "gross_pence", "offset_pence", "fee_pence"):
        out[money] = out[money].astype(np.int64)
    return out.sort_values(["fund_id", "start", "investor_id", "share_class"], ignore_index=True)


def _quarter_rows(
    fund_id: str,
    terms: pd.DataFrame,
    commitments: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    fund_series: pd.DataFrame | None,
    roll: pd.DataFrame | None,
) -> list[tuple[dict[str, object], Fraction, Fraction]]:
    """Per account of the fund's classes: its row, exact gross fee (pence) and offset share."""
    admitted = commitments.loc[commitments["date"].isna() | (commitments["date"] <= start)]
    by_account = admitted.groupby(["investor_id", "share_class"], sort=True)["amount_pence"].sum()
    fund_committed = int(by_account.sum())
    day_before = start - pd.Timedelta(days=1)
    rows: list[tuple[dict[str, object], Fraction, Fraction]] = []
    for t in terms.itertuples(index=False):
        step = t.fee_step_down_date if pd.notna(t.fee_step_down_date) else None
        rate_after = t.step_down_rate if _given(t.step_down_rate) else t.management_fee_rate
        basis_after = (
            t.fee_basis_after_step_down if _given(t.fee_basis_after_step_down) else t.fee_basis
        )
        if step is None or step > end:
            pieces = [(Fraction(t.management_fee_rate), t.fee_basis, (end - start).days + 1)]
        elif step <= start:
            pieces = [(Fraction(rate_after), basis_after, (end - start).days + 1)]
        else:
            pieces = [
                (Fraction(t.management_fee_rate), t.fee_basis, (step - start).days),
                (Fraction(rate_after), basis_after, (end - step).days + 1),
            ]
        share = Fraction(t.fee_offset_share) if _given(t.fee_offset_share) else Fraction(0)
        for (investor_id, share_class), committed in by_account.items():
            if share_class != t.share_class:
                continue
            exact = Fraction(0)
            for rate, basis, days in pieces:
                amount = _basis(
                    str(basis),
                    fund_id,
                    str(investor_id),
                    str(share_class),
                    int(committed),
                    fund_committed,
                    day_before,
                    fund_series,
                    roll,
                )
                exact += rate * amount * days / 365
            rows.append(
                (
                    {
                        "fund_id": fund_id,
                        "investor_id": investor_id,
                        "share_class": share_class,
                        "quarter": _quarter(end),
                        "start": start,
                        "end": end,
                        "days": (end - start).days + 1,
                    },
                    exact,
                    share,
                )
            )
    return rows


def _given(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and np.isnan(value))
        and value != ""
        and not (isinstance(value, Decimal) and value.is_nan())
    )


def _basis(
    basis: str,
    fund_id: str,
    investor_id: str,
    share_class: str,
    committed: int,
    fund_committed: int,
    day_before: pd.Timestamp,
    fund_series: pd.DataFrame | None,
    roll: pd.DataFrame | None,
) -> Fraction:
    """The account's fee basis at the start of the quarter, in pence (exact)."""
    if basis == "commitment":
        return Fraction(committed)
    if basis == "invested_cost":
        if fund_series is None:
            raise ValueError("the invested_cost fee basis needs fund_series (fund_month_ends)")
        at = fund_series.loc[
            (fund_series["fund_id"] == fund_id) & (fund_series["date"] <= day_before)
        ]
        cost = int(at.sort_values("date")["cost_outstanding_pence"].iloc[-1]) if len(at) else 0
        return Fraction(cost * committed, fund_committed) if fund_committed else Fraction(0)
    if basis == "nav":
        if roll is None:
            raise ValueError("the nav fee basis needs the capital roll")
        at = roll.loc[
            (roll["fund_id"] == fund_id)
            & (roll["investor_id"] == investor_id)
            & (roll["share_class"] == share_class)
            & (roll["period_end"] <= day_before)
        ]
        return Fraction(int(at.sort_values("period_end")["ending"].iloc[-1]) if len(at) else 0)
    raise ValueError(f"fund {fund_id}: unknown fee basis {basis!r}")


def reconcile_fees(
    expected: pd.DataFrame,
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
) -> list[Finding]:
    """A finding for each quarter whose recorded fees differ from ``expected`` by over £1."""
    findings: list[Finding] = []
    if expected.empty:
        return findings
    flows = investor_flows
    purpose = flows["purpose"] if "purpose" in flows else pd.Series("", index=flows.index)
    fee_calls = flows.loc[(flows["kind"] == "call") & (purpose == "management_fee")]
    cutoff = expected["end"].max()
    for fund_id, mine in expected.groupby("fund_id", sort=True):
        quarters = mine.groupby(["quarter", "share_class"], sort=True)
        by_call = fee_calls["fund_id"].eq(fund_id).any()
        if by_call:
            charged = account_flows(commitments, fee_calls, [str(fund_id)], cutoff)
            for (quarter, share_class), rows in quarters:
                start, end = rows["start"].iloc[0], rows["end"].iloc[0]
                recorded = charged.loc[
                    (charged["share_class"] == share_class)
                    & (charged["date"] >= start)
                    & (charged["date"] <= end),
                    "amount_pence",
                ].sum()
                findings += _differ(
                    str(fund_id),
                    str(share_class),
                    str(quarter),
                    int(rows["fee_pence"].sum()),
                    int(recorded),
                    "investor_flows",
                )
        else:
            paid = fund_expenses.loc[
                (fund_expenses["fund_id"] == fund_id) & (fund_expenses["kind"] == "management_fee")
            ]
            for quarter, rows in mine.groupby("quarter", sort=True):
                start, end = rows["start"].iloc[0], rows["end"].iloc[0]
                recorded = paid.loc[
                    (paid["date"] >= start) & (paid["date"] <= end), "amount_pence"
                ].sum()
                classes = ",".join(sorted(set(rows["share_class"])))
                findings += _differ(
                    str(fund_id),
                    classes,
                    str(quarter),
                    int(rows["fee_pence"].sum()),
                    int(recorded),
                    "fund_expenses",
                )
    return findings


def _differ(
    fund_id: str, share_class: str, quarter: str, expected: int, recorded: int, table: str
) -> list[Finding]:
    if abs(expected - recorded) <= FEE_TOLERANCE_PENCE:
        return []
    return [
        Finding(
            CHECK,
            f"fund {fund_id} class {share_class} {quarter}: management fee expected "
            f"{pounds(expected)} from the terms, recorded {pounds(recorded)}",
            (f"{table} {fund_id} {quarter}",),
        )
    ]


def fee_terms(fund_terms: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``fund_terms`` that give a management fee rate (the others set no fee)."""
    if fund_terms.empty or "management_fee_rate" not in fund_terms:
        return fund_terms.iloc[0:0]
    return fund_terms.loc[[_given(v) for v in fund_terms["management_fee_rate"]]]


def ledger_capital_roll(ledger: Ledger, as_of: dt.date, fund_ids: Collection[str]) -> pd.DataFrame:
    """``capital_roll`` of ``ledger`` (already read as of T) to T for ``fund_ids``, each
    fund on its allocation basis from ``fund_terms`` (default paid_in)."""
    return capital_roll(
        ledger.commitments,
        ledger.investor_flows,
        ledger.fund_expenses,
        ledger.project_flows,
        ledger.marks,
        as_of,
        fund_ids=fund_ids,
        allocation_basis=allocation_bases(ledger.fund_terms),
    )


def ledger_quarter_fees(ledger: Ledger, as_of: dt.date) -> pd.DataFrame:
    """``quarter_fees`` for a ledger read as of T: the fund series and the roll are made
    only when a class's fee basis needs them (invested_cost, nav)."""
    terms = fee_terms(ledger.fund_terms)
    flows = with_flow_defaults(ledger.investor_flows)
    if terms.empty:
        return quarter_fees(terms, ledger.commitments, flows, as_of)
    bases = {
        str(b)
        for column in ("fee_basis", "fee_basis_after_step_down")
        for b in terms[column]
        if _given(b)
    }
    funds = sorted(set(terms["fund_id"]))
    calls = flows.loc[flows["fund_id"].isin(funds) & (flows["kind"] == "call")]
    series = roll = None
    if "invested_cost" in bases and len(calls):
        ends = month_ends(calls["date"].min(), as_of)
        series = fund_month_ends(
            funds, flows, ledger.fund_expenses, ledger.project_flows, ledger.marks, ends
        )
    if "nav" in bases:
        roll = ledger_capital_roll(ledger, as_of, funds)
    return quarter_fees(terms, ledger.commitments, flows, as_of, fund_series=series, roll=roll)


def management_fee_from_terms(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """The check of ``passu check``: each quarter (ending ≤ T) whose recorded management
    fees differ by over £1 from the fund terms' (module docstring); nothing without terms."""
    expected = ledger_quarter_fees(ledger, as_of)
    flows = with_flow_defaults(ledger.investor_flows)
    return reconcile_fees(expected, ledger.commitments, flows, ledger.fund_expenses)
