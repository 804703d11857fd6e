"""Every holding at T computed once: positions, IRR cash flows and pooled XIRRs.

The figures of a run (holdings, projects, tranches, each fund's gross return,
cost of capital, pari passu) all pool the same holdings in different ways.
Building each from the flows again meant grouping a million or more rows on
three string key columns a dozen times per run. ``HoldingBook`` factorizes
the holding key once: holding *code* i is row i of ``positions`` (sorted by
key), and every flow, netted cash flow and pool refers to holdings by code,
so pooling is integer work. The definitions are those of ``holdings.py``,
which builds its public results from a book too.

Money stays int64 pence throughout; float64 appears only where XIRR needs
it, for amounts netted exactly in integers first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from .receipts import RECEIPT_KINDS
from .returns import NOTE_NO_FLOWS, IrrResult, xirr_netted

__all__ = ["HOLDING_KEYS", "HoldingBook", "Pools"]

HOLDING_KEYS = ("project_id", "holder_id", "tranche")
NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)
# A pooling of holdings: the pool of each holding (-1: in none) and how many pools.
Pools = tuple[np.ndarray, int]
_MONEY = [
    "invested_pence",
    "realised_pence",
    "nav_pence",
    "cost_outstanding_pence",
    "realised_gain_pence",
]


def _sum_by(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Σ values per code as exact int64 (bincount would go through float64)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, codes, values.astype(np.int64, copy=False))
    return out


def _ranks(column: pd.Series) -> tuple[np.ndarray, int]:
    """Each value's rank in the sorted distinct values: int codes that sort as the strings do."""
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype(np.int64, copy=False), len(uniques)


class HoldingBook:
    """The holdings of ``holdings``, ``project_flows`` and ``marks`` valued at ``as_of``.

    Holdings are those the holdings table names plus any that only flows or
    marks dated ≤ T name, so no money is dropped for want of a holdings row.
    Build one per run and pass it to every figure that pools holdings.
    """

    def __init__(
        self,
        holdings: pd.DataFrame,
        project_flows: pd.DataFrame,
        marks: pd.DataFrame,
        as_of: dt.date | pd.Timestamp,
    ) -> None:
        keys = list(HOLDING_KEYS)
        self.as_of = pd.Timestamp(as_of)
        dated = project_flows["date"] <= self.as_of
        flows = project_flows.loc[dated]
        dated_marks = marks.loc[marks["date"] <= self.as_of]
        # Projects a holder has flows in after T: cost of capital's scope counts them.
        self._later_flows = project_flows.loc[~dated, ["project_id", "holder_id"]]

        every = pd.concat([holdings[keys], flows[keys], dated_marks[keys]], ignore_index=True)
        ranked = [_ranks(every[k]) for k in keys]
        if np.prod([float(count) for _, count in ranked]) >= 2.0**62:
            raise ValueError("too many distinct holding keys to code in 64 bits")
        combined = np.zeros(len(every), dtype=np.int64)
        for codes, count in ranked:
            combined = combined * count + codes
        # A stable sort of the combined rank gives the holdings in key order and,
        # for each row, its holding code; the first row of each run names it.
        order = np.argsort(combined, kind="stable")
        ordered = combined[order]
        new = np.r_[True, ordered[1:] != ordered[:-1]][: len(ordered)]
        starts = np.flatnonzero(new)
        code = np.empty(len(every), dtype=np.int64)
        code[order] = np.cumsum(new) - 1
        self.size = len(starts)
        # Holdings the holdings table or a flow names (not those only a mark names).
        self._listed = np.zeros(self.size, dtype=bool)
        self._listed[code[: len(holdings) + len(flows)]] = True
        first = order[starts]
        # Key ranks per holding, for pooling by any subset of the key columns.
        self._key_ranks = {k: ranked[i][0][first] for i, k in enumerate(keys)}
        self._key_counts = {k: ranked[i][1] for i, k in enumerate(keys)}
        n_h, n_f = len(holdings), len(flows)
        # Through an index and back, as the key columns always came (pandas infers
        # their dtype there: str for text).
        positions = every.iloc[first].set_index(keys).reset_index()

        commitments = holdings["commitment_pence"].to_numpy(dtype=np.int64)
        positions["commitment_pence"] = _sum_by(code[:n_h], commitments, self.size)

        self.flow_code = code[n_h : n_h + n_f]
        kind_codes, kinds = pd.factorize(flows["kind"])

        def of_kind(*wanted: str) -> np.ndarray:
            # One test per distinct kind, spread over the flows by code (-1, a
            # missing kind, picks the appended False).
            return np.append(pd.Index(kinds).isin(wanted), False)[kind_codes]

        self._draw = of_kind("drawdown")
        receipt = of_kind(*RECEIPT_KINDS)
        self._no_cash = of_kind("write_off")
        amount = flows["amount_pence"].to_numpy(dtype=np.int64)
        self.flow_amount = amount
        moments = flows["date"].to_numpy(dtype="datetime64[ns]")
        self.flow_day = moments.astype("datetime64[D]").astype(np.int64)
        drawn = np.where(self._draw, amount, 0)
        received = np.where(receipt, amount, 0)
        repaid = np.where(of_kind("repayment"), amount, 0)
        written_off = np.where(self._no_cash, amount, 0)
        for column, values in (
            ("invested_pence", drawn),
            ("realised_pence", received),
            ("repaid_pence", repaid),
            ("written_off_pence", written_off),
        ):
            positions[column] = _sum_by(self.flow_code, values, self.size)

        # The latest mark dated ≤ T, rolled forward date by date with the cash that moved
        # strictly after it (a mark is the value at the end of its date, that date's
        # flows included), never below nil at any date: a drawdown after NAV reached the
        # floor is held at cost. With no mark, NAV is the cost outstanding.
        mark_code = code[n_h + n_f :]
        mark_moment = dated_marks["date"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
        latest = np.lexsort((mark_moment, mark_code))
        ordered_codes = mark_code[latest]
        last = latest[np.r_[ordered_codes[1:] != ordered_codes[:-1], True][: len(latest)]]
        has_mark = np.zeros(self.size, dtype=bool)
        has_mark[mark_code[last]] = True
        mark_at = np.zeros(self.size, dtype=np.int64)
        mark_at[mark_code[last]] = mark_moment[last]
        mark_value = np.zeros(self.size, dtype=np.int64)
        fair_values = dated_marks["fair_value_pence"].to_numpy(dtype=np.int64)
        mark_value[mark_code[last]] = fair_values[last]
        fc = self.flow_code
        after = has_mark[fc] & (moments.astype(np.int64) > mark_at[fc])
        rolled = _rolled_forward(
            mark_value, fc[after], self.flow_day[after], (drawn - received)[after]
        )
        owed = (
            positions["invested_pence"] - positions["repaid_pence"] - positions["written_off_pence"]
        ).to_numpy(dtype=np.int64)
        positions["nav_pence"] = np.where(has_mark, rolled, np.clip(owed, 0, None))
        # Repayments beyond cost are no negative cost: cost outstanding stops at nil and
        # the excess is a realised gain.
        positions["cost_outstanding_pence"] = np.clip(owed, 0, None)
        positions["realised_gain_pence"] = np.clip(-owed, 0, None)
        self.positions = positions
        self._drawdown_rows = flows.loc[self._draw, ["project_id", "date", "amount_pence"]]
        self._holding_irrs: list[IrrResult] | None = None
        self._solved: dict[bytes, IrrResult] = {}  # series → XIRR, shared by every pool

    # --- selections ---------------------------------------------------------------

    def select(
        self,
        holder_ids: Collection[str] | None = None,
        project_ids: Collection[str] | None = None,
    ) -> np.ndarray:
        """Mask over holding codes: holders in ``holder_ids``, projects in ``project_ids``."""
        keep = np.ones(self.size, dtype=bool)
        if holder_ids is not None:
            keep &= self.positions["holder_id"].isin(list(holder_ids)).to_numpy()
        if project_ids is not None:
            keep &= self.positions["project_id"].isin(list(project_ids)).to_numpy()
        return keep

    def projects_of(self, holder_ids: Collection[str]) -> set[str]:
        """Projects in which the holders have a holdings row or flows (of any date)."""
        scope = list(holder_ids)
        named = self.positions["holder_id"].isin(scope).to_numpy() & self._listed
        held = self.positions.loc[named, "project_id"]
        later = self._later_flows.loc[self._later_flows["holder_id"].isin(scope), "project_id"]
        return set(held) | set(later)

    def drawdowns(self, mask: np.ndarray) -> pd.DataFrame:
        """Drawdowns dated ≤ T of the masked holdings: project_id, date, amount_pence.

        Rows keep the order of ``project_flows``, so sums over them are the same
        floats whichever figure asks.
        """
        return self._drawdown_rows.loc[mask[self.flow_code[self._draw]]]

    def pools_by(self, by: Sequence[str], mask: np.ndarray | None = None) -> tuple[Pools, list]:
        """Pool the (masked) holdings by key columns: pools sorted by key, and their keys."""
        combined = np.zeros(self.size, dtype=np.int64)
        for column in by:
            combined = combined * self._key_counts[column] + self._key_ranks[column]
        chosen = np.flatnonzero(mask) if mask is not None else np.arange(self.size)
        if not len(chosen):
            return (np.full(self.size, -1, dtype=np.int64), 0), []
        order = chosen[np.argsort(combined[chosen], kind="stable")]
        ordered = combined[order]
        new = np.r_[True, ordered[1:] != ordered[:-1]]
        pool_of = np.full(self.size, -1, dtype=np.int64)
        pool_of[order] = np.cumsum(new) - 1
        firsts = order[new]
        columns = [self.positions[c].to_numpy()[firsts].tolist() for c in by]
        return (pool_of, int(new.sum())), list(zip(*columns, strict=True))

    # --- figures ------------------------------------------------------------------

    def totals(self, pools: Pools) -> np.ndarray:
        """Σ invested, realised, NAV, cost outstanding and realised gain (pence) per pool:
        shape (pools, 5)."""
        pool_of, count = pools
        inside = pool_of >= 0
        money = self.positions[_MONEY].to_numpy(dtype=np.int64)
        out = np.zeros((count, len(_MONEY)), dtype=np.int64)
        np.add.at(out, pool_of[inside], money[inside])
        return out

    def irrs(self, *poolings: Pools) -> list[list[IrrResult]]:
        """The pooled XIRR of every pool of each pooling, solved in one batch.

        Each pool's flows are its holdings' cash flows (``cash``) pooled and
        netted per date; a pool without any is ``no flows``.
        """
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        offset = 0
        for pool_of, count in poolings:
            group = pool_of[self.cash_code]
            keep = group >= 0
            parts.append((group[keep] + offset, self.cash_day[keep], self.cash_amount[keep]))
            offset += count
        results = [NO_FLOWS] * offset
        if parts and sum(len(p[0]) for p in parts):
            group, day, amount = (np.concatenate(c) for c in zip(*parts, strict=True))
            group, day, amount = _net(group, day, amount)
            changes = np.flatnonzero(group[1:] != group[:-1]) + 1
            bounds = np.r_[0, changes, len(group)]
            solved = xirr_netted(day, amount.astype(np.float64), bounds, self._solved)
            for g, result in zip(group[bounds[:-1]].tolist(), solved, strict=True):
                results[g] = result
        out, start = [], 0
        for _, count in poolings:
            out.append(results[start : start + count])
            start += count
        return out

    def holding_irrs(self) -> list[IrrResult]:
        """Each holding's own XIRR, by code (computed once: every figure shares it)."""
        if self._holding_irrs is None:
            self._holding_irrs = self.irrs((np.arange(self.size), self.size))[0]
        return self._holding_irrs

    @cached_property
    def _cash(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per (holding, day): the IRR cash flow netted, sorted by code then day.

        Drawdowns negative, receipts positive, write-offs left out (no cash),
        and each holding's non-nil NAV as a positive flow at T. A holding-day
        whose flows net to nil stays (as a nil flow), so a pool of such flows
        reads "net to nil", not "no flows".
        """
        cash = ~self._no_cash
        nav = self.positions["nav_pence"].to_numpy(dtype=np.int64)
        held = np.flatnonzero(nav != 0)  # a nil NAV is no flow
        t_day = np.datetime64(self.as_of.to_datetime64(), "D").astype(np.int64)
        code = np.concatenate([self.flow_code[cash], held])
        day = np.concatenate([self.flow_day[cash], np.full(len(held), t_day)])
        signed = np.where(self._draw, -self.flow_amount, self.flow_amount)[cash]
        amount = np.concatenate([signed, nav[held]])
        return _net(code, day, amount)

    @property
    def cash_code(self) -> np.ndarray:
        return self._cash[0]

    @property
    def cash_day(self) -> np.ndarray:
        return self._cash[1]

    @property
    def cash_amount(self) -> np.ndarray:
        return self._cash[2]


def _rolled_forward(
    start: np.ndarray, code: np.ndarray, day: np.ndarray, change: np.ndarray
) -> np.ndarray:
    """Each holding's ``start`` value carried through its ``change``s date by date,
    floored at nil after every date: vₖ = max(0, vₖ₋₁ + Δₖ).

    With Sₖ = start + Δ₁ + … + Δₖ (start ≥ 0) that is v = Sₙ − min(0, min over k of Sₖ),
    so one sort and two cumulative scans value every holding at once.
    """
    out = np.clip(start, 0, None)
    if not len(code):
        return out
    code, day, change = _net(code, day, change.astype(np.int64))
    sums = pd.Series(change).groupby(code).cumsum().to_numpy() + start[code]
    lowest = pd.Series(np.minimum(sums, 0)).groupby(code).cummin().to_numpy()
    ends = np.r_[code[1:] != code[:-1], True]
    out[code[ends]] = sums[ends] - lowest[ends]
    return out


def _net(
    group: np.ndarray, day: np.ndarray, amount: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (group, day) and add up the amounts of each (group, day), exactly."""
    if not len(group):
        return group, day, amount
    low = int(day.min())
    key = group.astype(np.int64) * (int(day.max()) - low + 1) + (day - low)
    # Flows arrive mostly in runs already sorted (one holding's series), which a
    # stable sort (timsort) merges in close to linear time.
    order = np.argsort(key, kind="stable")
    key, group, day, amount = key[order], group[order], day[order], amount[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return group[starts], day[starts], np.add.reduceat(amount, starts)
