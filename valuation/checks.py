"""Reconciliations a fund accountant runs before trusting a valuation (``passu check``).

Each check is one pure function over the frames ``portfolio/frames.py`` loads
(money as int64 ``<col>_pence``, dates as datetime64) and returns
:class:`Finding` records, one per thing to put right: a holding, a fund's spell
of negative cash, a mark, a contract, a payment, a project. A finding's ``rows``
name the stored rows behind it (table, ids, date, amount), so the user can find
them in their files. Every check is set-based (merge, groupby, cumsum); only the
findings themselves are turned into records.

The checks, by name (:data:`CHECKS` holds their one-line descriptions):

- ``drawdowns_over_commitment``: Σ drawdowns on a holding > its commitment.
- ``calls_over_commitment``: Σ calls from an investor into a fund > its
  commitments to that fund (all share classes together).
- ``negative_fund_cash``: fund cash < 0 at the end of a day, where
  cash = calls − drawdowns by the fund's holdings + receipts (repayment,
  interest, dividend) − distributions − fund expenses, and the fund's holdings
  are those whose holder_id is the fund_id.
- ``distribution_before_receipt``: a distribution to investors dated before the
  fund's first receipt from a project (or with no receipt at all).
- ``mark_before_drawdown``: a mark on a holding with no drawdown on or before
  the mark's date.
- ``payments_over_cap``: Σ outcome payments on a contract > its cap.
- ``payer_shares``: a contract's payer shares not summing to 1 (± 0.0001).
- ``payment_before_outcome``: an outcome payment on a contract before any of
  its outcomes was achieved (achieved > 0 in a period ending on or before it).
- ``stale_mark``: a holding in a completed project still marked above zero a
  year or more after the project's end.
- ``project_without_contract``: a project with no outcome contract.
- ``payment_on_unverified_claim``: a payment naming a claim that was not
  verified by the payment's date.
- ``payment_on_rejected_claim``: a payment naming a claim rejected by as_of.
- ``paid_over_verified``: Σ payments naming a claim > its verified amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .claim_checks import (
    paid_over_verified,
    payment_on_rejected_claim,
    payment_on_unverified_claim,
)
from .findings import Finding, _day, _days, _joined, _money, _rows, pounds

HOLDING = ["project_id", "holder_id", "tranche"]
RECEIPTS = ("repayment", "interest", "dividend")
SHARE_TOLERANCE = Decimal("0.0001")

CHECKS: dict[str, str] = {
    "drawdowns_over_commitment": "drawdowns on a holding beyond its commitment",
    "calls_over_commitment": "an investor's calls beyond its commitment to the fund",
    "negative_fund_cash": "fund cash below zero at the end of a day",
    "distribution_before_receipt": "a distribution before the fund's first project receipt",
    "mark_before_drawdown": "a mark on a holding with no drawdown on or before its date",
    "payments_over_cap": "outcome payments on a contract beyond its cap",
    "payer_shares": "a contract's payer shares not summing to 1 (± 0.0001)",
    "payment_before_outcome": "an outcome payment before any outcome achieved on the contract",
    "stale_mark": "a completed project's holding still marked above zero a year after its end",
    "project_without_contract": "a project without any outcome contract",
    "payment_on_unverified_claim": "a payment on a claim not verified by the payment date",
    "payment_on_rejected_claim": "a payment on a rejected claim",
    "paid_over_verified": "payments on a claim beyond its verified amount",
}


__all__ = [
    "CHECKS",
    "Finding",
    "calls_over_commitment",
    "distribution_before_receipt",
    "drawdowns_over_commitment",
    "fund_cash_movements",
    "mark_before_drawdown",
    "negative_fund_cash",
    "paid_over_verified",
    "payer_shares",
    "payment_before_outcome",
    "payment_on_rejected_claim",
    "payment_on_unverified_claim",
    "payments_over_cap",
    "pounds",
    "project_without_contract",
    "stale_mark",
]


def _first_over(
    flows: pd.DataFrame, limits: pd.DataFrame, keys: list[str], limit: str
) -> pd.DataFrame:
    """Groups whose running Σ amount passes ``limit``: date first passed and total.

    ``flows`` has keys, date and amount_pence; ``limits`` has keys and the limit
    column (pence). Groups without a limit row count a limit of 0.
    """
    ordered = flows.sort_values([*keys, "date"], kind="stable")
    ordered = ordered.assign(running=ordered.groupby(keys)["amount_pence"].cumsum())
    merged = ordered.merge(limits[[*keys, limit]], on=keys, how="left")
    merged[limit] = merged[limit].fillna(0).astype("int64")
    over = merged[merged["running"] > merged[limit]]
    if over.empty:
        return over.assign(first_over=pd.Series(dtype="datetime64[ns]"), total=0)
    totals = ordered.groupby(keys, as_index=False)["amount_pence"].sum()
    first = over.groupby(keys, as_index=False).agg(
        first_over=("date", "min"), **{limit: (limit, "first")}
    )
    return first.merge(totals.rename(columns={"amount_pence": "total"}), on=keys)


# --- capital ----------------------------------------------------------------------


def drawdowns_over_commitment(holdings: pd.DataFrame, project_flows: pd.DataFrame) -> list[Finding]:
    """Holdings whose Σ drawdowns exceed their commitment, with the date it first happened."""
    drawdowns = project_flows[project_flows["kind"] == "drawdown"]
    over = _first_over(drawdowns, holdings, HOLDING, "commitment_pence")
    found = []
    for r, key in zip(over.itertuples(), _joined(over, HOLDING), strict=True):
        found.append(
            Finding(
                "drawdowns_over_commitment",
                f"holding {key}: drawdowns {pounds(r.total)} exceed its commitment "
                f"{pounds(r.commitment_pence)} (from {_day(r.first_over)})",
                (f"holdings: {key}", f"project_flows: {key}, drawdown, {_day(r.first_over)}"),
            )
        )
    return found


def calls_over_commitment(commitments: pd.DataFrame, investor_flows: pd.DataFrame) -> list[Finding]:
    """Investors called for more than they committed to a fund (share classes together)."""
    keys = ["fund_id", "investor_id"]
    committed = commitments.groupby(keys, as_index=False)["amount_pence"].sum()
    committed = committed.rename(columns={"amount_pence": "committed_pence"})
    calls = investor_flows[investor_flows["kind"] == "call"]
    over = _first_over(calls, committed, keys, "committed_pence")
    found = []
    for r in over.itertuples():
        found.append(
            Finding(
                "calls_over_commitment",
                f"investor {r.investor_id} in fund {r.fund_id}: calls {pounds(r.total)} exceed "
                f"its commitment {pounds(r.committed_pence)} (from {_day(r.first_over)})",
                (
                    f"commitments: {r.fund_id}/{r.investor_id}",
                    f"investor_flows: {r.fund_id}/{r.investor_id}, call, {_day(r.first_over)}",
                ),
            )
        )
    return found


def fund_cash_movements(
    funds: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    project_flows: pd.DataFrame,
) -> pd.DataFrame:
    """Each fund's cash at the end of every day it moved: fund_id, date, pence, cash."""
    signed_investor = investor_flows["amount_pence"].where(
        investor_flows["kind"] == "call", -investor_flows["amount_pence"]
    )
    own = project_flows[
        project_flows["holder_id"].isin(funds["fund_id"]) & (project_flows["kind"] != "write_off")
    ]
    signed_project = own["amount_pence"].where(own["kind"].isin(RECEIPTS), -own["amount_pence"])
    moves = pd.concat(
        [
            pd.DataFrame(
                {
                    "fund_id": investor_flows["fund_id"],
                    "date": investor_flows["date"],
                    "pence": signed_investor,
                }
            ),
            pd.DataFrame(
                {"fund_id": own["holder_id"], "date": own["date"], "pence": signed_project}
            ),
            pd.DataFrame(
                {
                    "fund_id": fund_expenses["fund_id"],
                    "date": fund_expenses["date"],
                    "pence": -fund_expenses["amount_pence"],
                }
            ),
        ],
        ignore_index=True,
    )
    moves["pence"] = moves["pence"].astype("int64")
    daily = moves.groupby(["fund_id", "date"], as_index=False)["pence"].sum()
    daily = daily.sort_values(["fund_id", "date"], kind="stable").reset_index(drop=True)
    daily["cash"] = daily.groupby("fund_id")["pence"].cumsum()
    return daily


def negative_fund_cash(
    funds: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    project_flows: pd.DataFrame,
) -> list[Finding]:
    """Each spell of days a fund ended with negative cash: when it began, its lowest point."""
    daily = fund_cash_movements(funds, investor_flows, fund_expenses, project_flows)
    negative = daily["cash"] < 0
    before = negative.groupby(daily["fund_id"]).shift(1, fill_value=False).astype(bool)
    daily["spell"] = (negative & ~before).cumsum()
    daily["next_date"] = daily.groupby("fund_id")["date"].shift(-1)
    spells = daily[negative]
    if spells.empty:
        return []
    lowest = spells.sort_values(["spell", "cash", "date"], kind="stable").groupby("spell").first()
    began = spells.groupby("spell")["date"].min()
    # the spell ends on the fund's next day of movements (cash back at or above zero), if any
    back = spells.groupby("spell").tail(1).set_index("spell")["next_date"]
    found = []
    for spell, low in lowest.iterrows():
        start = began.loc[spell]
        recovered = back.loc[spell]
        until = (
            "still negative"
            if pd.isna(recovered)
            else f"back to zero or above on {_day(recovered)}"
        )
        found.append(
            Finding(
                "negative_fund_cash",
                f"fund {low['fund_id']}: cash negative from {_day(start)}, lowest "
                f"{pounds(low['cash'])} on {_day(low['date'])}; {until}",
                (f"funds: {low['fund_id']}", f"fund cash: {low['fund_id']}, {_day(start)}"),
            )
        )
    return found


def distribution_before_receipt(
    investor_flows: pd.DataFrame, project_flows: pd.DataFrame
) -> list[Finding]:
    """Funds that paid distributions before their first receipt from any project."""
    receipts = project_flows[project_flows["kind"].isin(RECEIPTS)]
    first = receipts.groupby("holder_id", as_index=False)["date"].min()
    first = first.rename(columns={"holder_id": "fund_id", "date": "first_receipt"})
    paid = investor_flows[investor_flows["kind"] == "distribution"].merge(
        first, on="fund_id", how="left"
    )
    early = paid[paid["first_receipt"].isna() | (paid["date"] < paid["first_receipt"])]
    if early.empty:
        return []
    label = (
        "investor_flows: "
        + _joined(early, ["fund_id", "investor_id"])
        + ", distribution, "
        + _days(early["date"])
        + ", "
        + _money(early["amount_pence"])
    )
    rows = _rows(early, label, ["fund_id"])
    summary = early.groupby("fund_id").agg(
        total=("amount_pence", "sum"), first_receipt=("first_receipt", "first")
    )
    found = []
    for fund_id, r in summary.iterrows():
        receipt = _day(r["first_receipt"])
        when = (
            f"its first receipt from a project on {receipt}"
            if receipt != "none"
            else ("any receipt from a project")
        )
        found.append(
            Finding(
                "distribution_before_receipt",
                f"fund {fund_id}: distributions of {pounds(r['total'])} before {when}",
                rows.loc[fund_id],
            )
        )
    return found


def mark_before_drawdown(marks: pd.DataFrame, project_flows: pd.DataFrame) -> list[Finding]:
    """Marks dated before the holding's first drawdown (or on a holding never drawn)."""
    drawdowns = project_flows[project_flows["kind"] == "drawdown"]
    first = drawdowns.groupby(HOLDING, as_index=False)["date"].min()
    first = first.rename(columns={"date": "first_drawdown"})
    merged = marks.merge(first, on=HOLDING, how="left")
    early = merged[merged["first_drawdown"].isna() | (merged["date"] < merged["first_drawdown"])]
    found = []
    for r, key in zip(early.itertuples(), _joined(early, HOLDING), strict=True):
        drawn = _day(r.first_drawdown)
        why = f"its first drawdown is on {drawn}" if drawn != "none" else "it has no drawdown"
        found.append(
            Finding(
                "mark_before_drawdown",
                f"holding {key}: marked {pounds(r.fair_value_pence)} on {_day(r.date)} but {why}",
                (f"marks: {key}, {_day(r.date)}",),
            )
        )
    return found


def stale_mark(projects: pd.DataFrame, marks: pd.DataFrame, as_of: dt.date) -> list[Finding]:
    """Completed projects' holdings whose latest mark is still above zero a year after the end."""
    latest = marks.sort_values([*HOLDING, "date"], kind="stable").groupby(HOLDING).tail(1)
    ended = projects[(projects["status"] == "completed") & projects["end_date"].notna()]
    ended = ended.assign(year_after=ended["end_date"] + pd.DateOffset(years=1))
    merged = latest.merge(ended[["project_id", "end_date", "year_after"]], on="project_id")
    stale = merged[(merged["year_after"] <= pd.Timestamp(as_of)) & (merged["fair_value_pence"] > 0)]
    found = []
    for r, key in zip(stale.itertuples(), _joined(stale, HOLDING), strict=True):
        found.append(
            Finding(
                "stale_mark",
                f"holding {key}: still marked {pounds(r.fair_value_pence)} (on {_day(r.date)}) "
                f"though project {r.project_id} completed on {_day(r.end_date)}",
                (f"marks: {key}, {_day(r.date)}", f"projects: {r.project_id}"),
            )
        )
    return found


# --- outcomes ---------------------------------------------------------------------


def payments_over_cap(
    outcome_contracts: pd.DataFrame, outcome_payments: pd.DataFrame
) -> list[Finding]:
    """Contracts whose Σ outcome payments exceed the cap, with the date it first happened."""
    over = _first_over(outcome_payments, outcome_contracts, ["contract_id"], "cap_pence")
    found = []
    for r in over.itertuples():
        found.append(
            Finding(
                "payments_over_cap",
                f"contract {r.contract_id}: outcome payments {pounds(r.total)} exceed its cap "
                f"{pounds(r.cap_pence)} (from {_day(r.first_over)})",
                (
                    f"outcome_contracts: {r.contract_id}",
                    f"outcome_payments: {r.contract_id}, {_day(r.first_over)}",
                ),
            )
        )
    return found


def payer_shares(outcome_contracts: pd.DataFrame, contract_payers: pd.DataFrame) -> list[Finding]:
    """Contracts whose payer shares do not sum to 1 within 0.0001 (no payers: a sum of 0)."""
    shares = contract_payers["share"].map(lambda v: Decimal(str(v)))
    sums = shares.groupby(contract_payers["contract_id"]).sum()
    sums = sums.reindex(outcome_contracts["contract_id"].unique(), fill_value=Decimal(0))
    off = sums[(sums - Decimal(1)).map(abs) > SHARE_TOLERANCE]
    found = []
    for contract_id, total in off.sort_index().items():
        found.append(
            Finding(
                "payer_shares",
                f"contract {contract_id}: payer shares sum to {total}, not 1",
                (f"contract_payers: {contract_id}",),
            )
        )
    return found


def payment_before_outcome(
    outcome_metrics: pd.DataFrame, outcomes: pd.DataFrame, outcome_payments: pd.DataFrame
) -> list[Finding]:
    """Outcome payments dated before any outcome of the contract was achieved."""
    achieved = outcomes[outcomes["achieved"] > 0].merge(
        outcome_metrics[["metric_id", "contract_id"]], on="metric_id"
    )
    first = achieved.groupby("contract_id", as_index=False)["period_end"].min()
    first = first.rename(columns={"period_end": "first_achieved"})
    merged = outcome_payments.merge(first, on="contract_id", how="left")
    early = merged[merged["first_achieved"].isna() | (merged["date"] < merged["first_achieved"])]
    if early.empty:
        return []
    label = (
        "outcome_payments: "
        + _joined(early, ["contract_id", "payer"])
        + ", "
        + _days(early["date"])
        + ", "
        + _money(early["amount_pence"])
    )
    rows = _rows(early, label, ["contract_id"])
    summary = early.groupby("contract_id").agg(
        total=("amount_pence", "sum"), first_achieved=("first_achieved", "first")
    )
    found = []
    for contract_id, r in summary.iterrows():
        achieved_on = _day(r["first_achieved"])
        when = (
            f"its first outcome achieved (period ending {achieved_on})"
            if achieved_on != "none"
            else "any outcome was achieved"
        )
        found.append(
            Finding(
                "payment_before_outcome",
                f"contract {contract_id}: outcome payments of {pounds(r['total'])} before {when}",
                rows.loc[contract_id],
            )
        )
    return found


def project_without_contract(
    projects: pd.DataFrame, outcome_contracts: pd.DataFrame
) -> list[Finding]:
    """Projects no outcome contract names."""
    bare = projects[~projects["project_id"].isin(outcome_contracts["project_id"])]
    return [
        Finding(
            "project_without_contract",
            f"project {pid}: no outcome contract",
            (f"projects: {pid}",),
        )
        for pid in sorted(bare["project_id"])
    ]
