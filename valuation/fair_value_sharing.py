"""Sharing a project's value among its holdings: claims, accrued coupon and the waterfall.

Loans take first, by seniority (1 first) then tranche, each tranche up to its claim
(cost outstanding at T + coupon accrued to T, simple, Actual/365); the rest goes to the
equity pro rata to commitment; within a tranche pro rata to commitment. Every split is
to the penny by largest remainder (``split_largest_remainder``), vectorised over paths.
The method in full is in ``fair_value.py``'s docstring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from .fair_value_inputs import ModelInputs
from .holdings import holding_positions

__all__ = ["Waterfall", "accrued_interest", "holdings_layout", "split_largest_remainder"]


def split_largest_remainder(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each whole-pence ``total`` (paths,) over ``weights`` (h,): (paths × h).

    ``money.allocate_largest_remainder`` vectorised over paths: floor of each quota, the
    pennies left one each to the largest remainders, ties to the earlier weight (callers
    order holdings by holder). Quotas are float, so remainders closer than about 10⁻⁵ of
    a penny count as tied. Weights summing to nil split equally.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.sum() <= 0:
        w = np.ones_like(w)
    quota = total[:, None] * w[None, :] / w.sum()
    base = np.floor(quota)
    left = total - base.sum(axis=1)
    order = np.argsort(-(quota - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(w.size)[None, :].repeat(len(total), 0), axis=1)
    return base + (rank < left[:, None])


@dataclass(frozen=True)
class Waterfall:
    """One project's holdings in the order they share its value."""

    loans: tuple[tuple[float, np.ndarray, np.ndarray], ...]  # claim pence, holding idx, weights
    equity: np.ndarray  # holding indices
    equity_weights: np.ndarray


def accrued_interest(
    flows: pd.DataFrame, coupon: Decimal, as_of: dt.date | pd.Timestamp
) -> Decimal:
    """Coupon accrued to T on one loan holding's cost outstanding, to the penny (half up).

    Simple interest, Actual/365: coupon × Σ over each day from the last interest receipt
    dated ≤ T (the first drawdown when none) to T of the cost outstanding at the end of
    the day before: drawdowns − repayments − write-offs so far, never below nil, as
    ``holdings.py`` defines it. ``flows`` are the holding's ``project_flows`` rows.
    """
    keyed = flows.assign(_holding=0)
    (pence_days,) = _pence_days(keyed, pd.Series([pd.Timestamp(as_of)]), 1)
    return _interest(coupon, int(pence_days))


def _interest(coupon: Decimal, pence_days: int) -> Decimal:
    accrued = coupon * Decimal(pence_days) / Decimal(365) / 100
    return accrued.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _pence_days(flows: pd.DataFrame, cutoff: pd.Series, holdings: int) -> np.ndarray:
    """Per holding (``_holding`` codes 0..n−1; ``cutoff`` its T): Σ over the accrual window
    of cost outstanding × days, in pence-days. Every holding at once."""
    at = cutoff.to_numpy(dtype="datetime64[ns]")[flows["_holding"].to_numpy()]
    mine = flows[flows["date"].to_numpy() <= at]
    code = mine["_holding"].to_numpy()
    drawn = mine["kind"].to_numpy() == "drawdown"
    paid = mine["kind"].to_numpy() == "interest"
    never = np.datetime64("NaT")
    first_draw = pd.Series(mine["date"].to_numpy()[drawn]).groupby(code[drawn]).min()
    last_interest = pd.Series(mine["date"].to_numpy()[paid]).groupby(code[paid]).max()
    start = pd.Series(never, index=range(holdings), dtype="datetime64[ns]")
    start.loc[first_draw.index] = first_draw.to_numpy()
    start.loc[last_interest.index] = last_interest.to_numpy()
    sign = mine["kind"].map({"drawdown": 1, "repayment": -1, "write_off": -1}).fillna(0)
    change = (
        (mine["amount_pence"] * sign.to_numpy())
        .groupby([code, mine["date"].to_numpy()])
        .sum()
        .reset_index()
    )
    change.columns = ["holding", "date", "pence"]
    balance = change.groupby("holding")["pence"].cumsum().clip(lower=0).to_numpy()
    h = change["holding"].to_numpy()
    dates = change["date"].to_numpy(dtype="datetime64[ns]")
    ends = cutoff.to_numpy(dtype="datetime64[ns]")[h]
    following = np.r_[dates[1:], dates[-1:]] if dates.size else dates
    last_of_holding = np.r_[h[1:] != h[:-1], True] if h.size else np.zeros(0, dtype=bool)
    following = np.where(last_of_holding, ends, np.minimum(following, ends))
    begins = np.maximum(dates, start.to_numpy()[h])
    days = (following - begins).astype("timedelta64[D]").astype(np.int64)
    days = np.where(np.isnat(begins), 0, np.maximum(days, 0))
    return np.bincount(h, weights=balance * days, minlength=holdings).astype(np.int64)


def holdings_layout(
    inputs: ModelInputs, project_ids: tuple[str, ...], cut: Mapping[str, Any]
) -> tuple[pd.DataFrame, tuple[Waterfall, ...]]:
    keys = ["project_id", "holder_id", "tranche"]
    held = inputs.holdings[inputs.holdings["project_id"].isin(project_ids)]
    held = held[[*keys, "instrument", "commitment_pence"]].sort_values(keys)
    held = held.merge(
        inputs.holding_terms[[*keys, "seniority", "coupon"]], on=keys, how="left", validate="1:1"
    ).reset_index(drop=True)
    index = {p: i for i, p in enumerate(project_ids)}
    held["project"] = held["project_id"].map(index).astype(np.int64)
    termed = held["seniority"].notna()
    coupons = [c if isinstance(c, Decimal) and c.is_finite() else None for c in held["coupon"]]
    loan_without_terms = ~termed & held["instrument"].isin(["loan", "bond"])
    has_coupon = np.array([c is not None for c in coupons], dtype=bool)
    held["kind"] = np.where(has_coupon | loan_without_terms.to_numpy(), "loan", "equity")
    last = int(held["seniority"].max()) + 1 if termed.any() else 1
    held["rank"] = held["seniority"].fillna(last).astype(np.int64)
    held["coupon"] = [c if c is not None else Decimal(0) for c in coupons]
    held["note"] = [
        None
        if has_terms
        else (
            "no holding terms: a loan at no coupon, ranking last among loans"
            if loan
            else "no holding terms: shared as equity"
        )
        for has_terms, loan in zip(termed, loan_without_terms, strict=True)
    ]

    held["cut"] = held["project_id"].map(lambda p: pd.Timestamp(cut[p])).astype("datetime64[ns]")
    # Each project read at its own cut in one pass: its flows and marks to that date,
    # then the book at the latest cut (the book's date only cuts rows off), not a book
    # per date (calibration cuts each project at its own entry date).
    cut_of = held.drop_duplicates("project_id").set_index("project_id")["cut"]

    def to_cut(frame: pd.DataFrame) -> pd.DataFrame:
        own = frame[frame["project_id"].isin(cut_of.index)]
        return own[own["date"] <= own["project_id"].map(cut_of)]

    positions = (
        [
            holding_positions(
                held[[*keys, "instrument", "commitment_pence"]],
                to_cut(inputs.project_flows),
                to_cut(inputs.marks),
                cut_of.max(),
            )
        ]
        if len(held)
        else []
    )
    columns = [*keys, "cost_outstanding_pence", "nav_pence"]
    known = pd.concat(positions)[columns] if positions else pd.DataFrame(columns=columns)
    held = held.merge(known, on=keys, how="left", validate="1:1")
    held["cost_outstanding_pence"] = held["cost_outstanding_pence"].fillna(0).astype(np.int64)
    held["current_pence"] = held["nav_pence"].fillna(0).astype(np.int64)

    loans = held.index[held["kind"] == "loan"]
    code = {k: i for i, k in enumerate(zip(*(held.loc[loans, k] for k in keys), strict=True))}
    flows = inputs.project_flows.merge(
        pd.DataFrame({**{k: held.loc[loans, k] for k in keys}, "_holding": range(len(loans))}),
        on=keys,
    )
    days = _pence_days(flows, held.loc[loans, "cut"].reset_index(drop=True), len(code))
    accrued: list[int | None] = [None] * len(held)
    claims: list[int | None] = [None] * len(held)
    for i, row in enumerate(loans):
        interest = int(_interest(held.at[row, "coupon"], int(days[i])) * 100)
        accrued[row] = interest
        claims[row] = int(held.at[row, "cost_outstanding_pence"]) + interest
    held["accrued_pence"] = accrued
    held["claim_pence"] = claims
    held = held.sort_values(keys).reset_index(drop=True)

    # grouped once for all projects (a filter per project costs projects × holdings):
    # each project's loan tranches by rank, then tranche; then its equity
    tranches: dict[int, list[tuple[float, np.ndarray, np.ndarray]]] = {}
    loan_rows = held[held["kind"] == "loan"]
    for (p, _rank, _tranche), tranche in loan_rows.groupby(["project", "rank", "tranche"]):
        tranches.setdefault(int(p), []).append(
            (
                float(sum(int(c) for c in tranche["claim_pence"])),
                tranche.index.to_numpy(),
                tranche["commitment_pence"].to_numpy(dtype=np.float64),
            )
        )
    equity_rows = held[held["kind"] == "equity"]
    equity = {int(p): rows for p, rows in equity_rows.groupby("project", sort=False)}
    none = equity_rows.iloc[:0]
    falls = [
        Waterfall(
            tuple(tranches.get(p, [])),
            equity.get(p, none).index.to_numpy(),
            equity.get(p, none)["commitment_pence"].to_numpy(dtype=np.float64),
        )
        for p in range(len(project_ids))
    ]
    return held, tuple(falls)
