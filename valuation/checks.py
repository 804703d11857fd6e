"""Reconciliations a fund accountant runs before trusting a valuation (``passu check``).

Every check is one pure function ``check(ledger, as_of) -> list[Finding]``
over a :class:`Ledger` read as of ``as_of`` (rows dated after it left out),
listed once in :data:`CHECKS` with its name and a one-line description; a new
check is a function and a line there. Each returns :class:`Finding` records,
one per thing to put right: a holding, a fund's spell of negative cash, a
mark, a contract, a payment, a project. A finding's ``rows`` name the stored
rows behind it (table, ids, date, amount), so the user can find them in their
files. Every check is set-based (merge, groupby, cumsum); only the findings
themselves are turned into records. The claims checks are in
``claim_checks.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .book import HOLDING_KEYS
from .claim_checks import (
    paid_over_verified,
    payment_on_rejected_claim,
    payment_on_unverified_claim,
)
from .fees import management_fee_from_terms
from .findings import Finding, _day, _days, _joined, _money, _rows, pounds
from .fund_cash import fund_cash_movements
from .ledger import Ledger
from .receipts import RECEIPT_KINDS
from .schema import BY_NAME
from .structure_run import waterfall_distributions

HOLDING = list(HOLDING_KEYS)
SHARE_TOLERANCE = Decimal("0.0001")

__all__ = [
    "CHECKS",
    "Check",
    "Finding",
    "calls_over_commitment",
    "dated_after_today",
    "distribution_before_receipt",
    "drawdowns_over_commitment",
    "management_fee_from_terms",
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
    "run_checks",
    "stale_mark",
    "waterfall_distributions",
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


def drawdowns_over_commitment(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Holdings whose Σ drawdowns exceed their commitment, with the date it first happened."""
    flows = ledger.project_flows
    drawdowns = flows[flows["kind"] == "drawdown"]
    over = _first_over(drawdowns, ledger.holdings, HOLDING, "commitment_pence")
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


def calls_over_commitment(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Investors called for more than they committed to a fund (all share classes together)."""
    keys = ["fund_id", "investor_id"]
    committed = ledger.commitments.groupby(keys, as_index=False)["amount_pence"].sum()
    committed = committed.rename(columns={"amount_pence": "committed_pence"})
    flows = ledger.investor_flows
    calls = flows[flows["kind"] == "call"]
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


def negative_fund_cash(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Each spell of days a fund ended with negative cash: when it began, its lowest point.

    Fund cash is ``fund_cash.fund_cash``; a fund's holdings are those whose
    holder_id is a fund of the ledger.
    """
    daily = fund_cash_movements(
        ledger.funds["fund_id"],
        ledger.investor_flows,
        ledger.fund_expenses,
        ledger.project_flows,
    )
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


def distribution_before_receipt(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Funds that paid distributions before their first receipt from any project."""
    investor_flows, project_flows = ledger.investor_flows, ledger.project_flows
    receipts = project_flows[project_flows["kind"].isin(RECEIPT_KINDS)]
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


def mark_before_drawdown(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Marks dated before the holding's first drawdown (or on a holding never drawn)."""
    marks, flows = ledger.marks, ledger.project_flows
    drawdowns = flows[flows["kind"] == "drawdown"]
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


def stale_mark(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Completed projects' holdings whose latest mark is still above zero a year after the end.

    Stale from the anniversary of the project's end_date on (a year or more after it).
    """
    projects, marks = ledger.projects, ledger.marks
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


def payments_over_cap(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Contracts whose Σ outcome payments exceed the cap, with the date it first happened."""
    payments, contracts = ledger.outcome_payments, ledger.outcome_contracts
    over = _first_over(payments, contracts, ["contract_id"], "cap_pence")
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


def payer_shares(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Contracts whose payer shares do not sum to 1 within 0.0001 (no payers: a sum of 0)."""
    outcome_contracts, contract_payers = ledger.outcome_contracts, ledger.contract_payers
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


def payment_before_outcome(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Outcome payments dated before any outcome of the contract was achieved.

    An outcome is achieved when achieved > 0 in a period ending on or before the payment.
    """
    outcome_metrics, outcomes = ledger.outcome_metrics, ledger.outcomes
    outcome_payments = ledger.outcome_payments
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


def project_without_contract(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Projects no outcome contract names."""
    projects, outcome_contracts = ledger.projects, ledger.outcome_contracts
    bare = projects[~projects["project_id"].isin(outcome_contracts["project_id"])]
    return [
        Finding(
            "project_without_contract",
            f"project {pid}: no outcome contract",
            (f"projects: {pid}",),
        )
        for pid in sorted(bare["project_id"])
    ]


# --- dates -------------------------------------------------------------------------

# Money that moved and marks that were made: none can be dated after today.
# (Outcomes, measures and evaluations may be forecast or planned, so are left out.)
FUTURE_DATED: tuple[str, ...] = (
    "investor_flows",
    "fund_expenses",
    "project_flows",
    "marks",
    "outcome_claims",
    "outcome_payments",
    "project_costs",
)
FUTURE_CHECK = "dated_after_today"
SHOWN_ROWS = 10


def dated_after_today(tables: Mapping[str, pd.DataFrame], today: dt.date) -> list[Finding]:
    """One finding per table of :data:`FUTURE_DATED` with rows dated after ``today``
    (a typing slip such as 2199 for 2019): how many, the first and last date, and the
    first rows by date. ``tables`` hold at least each table's required id columns and
    its dated column (``datetime64``, any unit: 9999-12-31 fits in seconds).

    Not in :data:`CHECKS`: every other check reads a ledger as of a date and needs no
    clock, while this one is about rows no as-of date should hold, whatever the date
    checked; ``passu check`` runs it beside them (``portfolio/checks.py``) with the
    date of the day, which is passed in, so this stays a pure function.
    """
    limit = pd.Timestamp(today)
    found = []
    for name in FUTURE_DATED:
        frame = tables.get(name)
        spec = BY_NAME[name]
        column = spec.dated_by
        if frame is None or frame.empty or column is None:
            continue
        late = frame[frame[column] > limit].sort_values(column, kind="stable")
        if late.empty:
            continue
        ids = [c.name for c in spec.columns if c.kind == "id" and c.required]
        labels = f"{name}: " + _joined(late, ids) + ", " + _days(late[column])
        shown = tuple(labels.iloc[:SHOWN_ROWS])
        more = (f"and {len(late) - SHOWN_ROWS} more",) if len(late) > SHOWN_ROWS else ()
        found.append(
            Finding(
                FUTURE_CHECK,
                f"{name}: {len(late)} row{'s' if len(late) != 1 else ''} dated after today, "
                f"{today.isoformat()} (from {_day(late[column].iloc[0])} to "
                f"{_day(late[column].iloc[-1])}): a mistyped year?",
                (*shown, *more),
            )
        )
    return found


# --- the registry -----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One reconciliation: its name (a finding's ``check``), what it looks for, the function."""

    name: str
    description: str
    run: Callable[[Ledger, dt.date], list[Finding]]


# Every check, in the order findings are listed: capital first, then outcomes, then claims.
# A new check is one function with this signature and one line here.
CHECKS: tuple[Check, ...] = (
    Check(
        "drawdowns_over_commitment",
        "drawdowns on a holding beyond its commitment",
        drawdowns_over_commitment,
    ),
    Check(
        "calls_over_commitment",
        "an investor's calls beyond its commitment to the fund",
        calls_over_commitment,
    ),
    Check("negative_fund_cash", "fund cash below zero at the end of a day", negative_fund_cash),
    Check(
        "distribution_before_receipt",
        "a distribution before the fund's first project receipt",
        distribution_before_receipt,
    ),
    Check(
        "management_fee_from_terms",
        "a quarter's recorded management fees more than £1 off the fund terms' (fund_terms)",
        management_fee_from_terms,
    ),
    Check(
        "waterfall_distributions",
        "a class or the carry holder paid more than £1 away from the distribution waterfall "
        "(class_terms, waterfalls)",
        waterfall_distributions,
    ),
    Check(
        "mark_before_drawdown",
        "a mark on a holding with no drawdown on or before its date",
        mark_before_drawdown,
    ),
    Check(
        "stale_mark",
        "a completed project's holding still marked above zero a year after its end",
        stale_mark,
    ),
    Check("payments_over_cap", "outcome payments on a contract beyond its cap", payments_over_cap),
    Check("payer_shares", "a contract's payer shares not summing to 1 (± 0.0001)", payer_shares),
    Check(
        "payment_before_outcome",
        "an outcome payment before any outcome achieved on the contract",
        payment_before_outcome,
    ),
    Check(
        "project_without_contract",
        "a project without any outcome contract",
        project_without_contract,
    ),
    Check(
        "payment_on_unverified_claim",
        "a payment on a claim not verified by the payment date",
        payment_on_unverified_claim,
    ),
    Check("payment_on_rejected_claim", "a payment on a rejected claim", payment_on_rejected_claim),
    Check(
        "paid_over_verified",
        "payments on a claim beyond its verified amount",
        paid_over_verified,
    ),
)


def run_checks(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """Every check of :data:`CHECKS` over a ledger read as of ``as_of``, findings in order."""
    return [finding for check in CHECKS for finding in check.run(ledger, as_of)]
