"""Fair value from expected outcomes (IPEV: discounted expected cash flows), issue #15 item 2.

Each figure is defined once, here, at an as-of date T (per project: calibration runs the
same model at the project's first drawdown date):

- **performance to date** of a metric = Σ achieved ÷ Σ forecast over its periods ending
  ≤ T; 1 when nothing was forecast yet, and 1 throughout with ``keep_forecast``;
- **expected count** of a future period (ending after T) = forecast × that ratio; its
  **expected payment** = expected count × price, rounded half up to the penny, per metric
  and period;
- **arrears** of a contract = Σ achieved × price (periods ending ≤ T) − outcome payments
  dated ≤ T, never below nil, expected at the contract's next period end (at T when it
  has none);
- each contract's payments, arrears first, then period by period, are **capped** at its
  headroom, cap − payments dated ≤ T (never below nil); what is left after the cap is
  not paid. Each payer's part of a period's payment is its share (``contract_payers``),
  to the penny by largest remainder;
- **net cash to holders** of a period = the project's expected payments − its forecast
  costs (``cost_forecasts`` rows with period_end after T);
- **project value** at T = Σ net cash × (1 + rate)^−(days from T to the period end ÷ 365)
  (Actual/365, as XIRR), rounded half up to the penny once;
- **calibration** (IPEV): the rate is the XIRR of − the amount drawn on the project's
  first drawdown date D₀ (every holder, that date) and the net cash the model expects,
  run at D₀ with achievement ratio 1 (the forecasts as they stand, payments and achieved
  counts dated ≤ D₀): the rate at which the model values the project at its entry price.
  Or one rate given for every project;
- **sharing** among the project's holdings: the value (nil when negative) goes first to
  the loan tranches (``holding_terms`` rows with a coupon), by seniority (1 first) then
  tranche, each up to its claim = Σ its holdings' cost outstanding at T + coupon accrued
  to T; then the rest to the equity holdings (no coupon) pro rata to commitment; within a
  tranche pro rata to commitment (each split to the penny by largest remainder, ties by
  holder). Interest accrues Actual/365, simple, on the cost outstanding of each day from
  the holding's last interest receipt ≤ T (its first drawdown when none). A holding with
  no terms row is a loan at no coupon ranking after every termed tranche if its
  instrument is a loan or bond, else equity (the note says so). A value beyond every
  claim with no equity to take it is reported as ``unallocated``.

Money is whole pence: int64, or float64 holding whole pence (exact below 2⁵³) in the
vectorised engine that ``scenarios.py`` runs over thousands of paths at once; the
deterministic model is that engine run on one path whose multipliers are all 1, so
``scenarios`` with dispersion 0 reproduces it by construction. Floats appear only for the
ratio, discount factors and interest, and every figure is rounded half up to the penny
once. ``outcomes`` must hold the forecast rows after T, so pass the ledger's full table,
not ``Ledger.as_of(T)``'s (which leaves out periods ending after T).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from .holdings import holding_positions
from .money import allocate_largest_remainder, pence_to_decimal
from .returns import xirr

__all__ = [
    "COST_FORECAST_COLUMNS",
    "GOVERNMENT_PAYER_KINDS",
    "HOLDING_TERMS_COLUMNS",
    "METHOD",
    "CashPeriod",
    "ContractOutlook",
    "Engine",
    "FairValue",
    "HoldingProposal",
    "MetricPerformance",
    "ModelInputs",
    "ProjectFairValue",
    "accrued_interest",
    "build_engine",
    "calibrated_rates",
    "empty_cost_forecasts",
    "empty_holding_terms",
    "propose_fair_values",
    "split_largest_remainder",
]

METHOD = "dcf_expected_outcomes"
GOVERNMENT_PAYER_KINDS = ("central_government", "local_government", "nhs", "school")
COST_FORECAST_COLUMNS = ("project_id", "period_end", "category", "amount_pence")
HOLDING_TERMS_COLUMNS = (
    "project_id",
    "holder_id",
    "tranche",
    "seniority",
    "coupon",
    "maturity_date",
)
DAYS_PER_YEAR = 365.0


def empty_cost_forecasts() -> pd.DataFrame:
    """``cost_forecasts`` with no rows: its columns and dtypes."""
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype=object),
            "period_end": pd.Series(dtype="datetime64[ns]"),
            "category": pd.Series(dtype=object),
            "amount_pence": pd.Series(dtype="int64"),
        }
    )


def empty_holding_terms() -> pd.DataFrame:
    """``holding_terms`` with no rows: its columns and dtypes."""
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype=object),
            "holder_id": pd.Series(dtype=object),
            "tranche": pd.Series(dtype=object),
            "seniority": pd.Series(dtype="int64"),
            "coupon": pd.Series(dtype=object),
            "maturity_date": pd.Series(dtype="datetime64[ns]"),
        }
    )


@dataclass(frozen=True)
class ModelInputs:
    """The ledger's frames the model reads, and the two tables of issue #15 item 1."""

    outcome_contracts: pd.DataFrame
    contract_payers: pd.DataFrame
    outcome_metrics: pd.DataFrame
    outcomes: pd.DataFrame  # every period, those ending after T included
    outcome_payments: pd.DataFrame
    holdings: pd.DataFrame
    project_flows: pd.DataFrame
    marks: pd.DataFrame
    cost_forecasts: pd.DataFrame
    holding_terms: pd.DataFrame
    investor_flows: pd.DataFrame | None = None  # the fund figures of scenarios only
    fund_expenses: pd.DataFrame | None = None

    @classmethod
    def from_ledger(
        cls,
        ledger: Any,
        *,
        cost_forecasts: pd.DataFrame | None = None,
        holding_terms: pd.DataFrame | None = None,
    ) -> ModelInputs:
        """From a ``Ledger`` (not cut at T: the forecasts after T are needed).

        ``cost_forecasts`` and ``holding_terms`` default to the ledger's own tables once
        it has them, else to empty tables.
        """
        costs = cost_forecasts
        if costs is None:
            costs = getattr(ledger, "cost_forecasts", None)
        terms = holding_terms
        if terms is None:
            terms = getattr(ledger, "holding_terms", None)
        return cls(
            outcome_contracts=ledger.outcome_contracts,
            contract_payers=ledger.contract_payers,
            outcome_metrics=ledger.outcome_metrics,
            outcomes=ledger.outcomes,
            outcome_payments=ledger.outcome_payments,
            holdings=ledger.holdings,
            project_flows=ledger.project_flows,
            marks=ledger.marks,
            cost_forecasts=empty_cost_forecasts() if costs is None else costs,
            holding_terms=empty_holding_terms() if terms is None else terms,
            investor_flows=ledger.investor_flows,
            fund_expenses=ledger.fund_expenses,
        )


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricPerformance:
    metric_id: str
    contract_id: str
    achieved: int  # Σ achieved, periods ending ≤ T
    forecast: int  # Σ forecast, periods ending ≤ T
    ratio: float  # the ratio the model applies (1 when nothing forecast, or kept)


@dataclass(frozen=True)
class ContractOutlook:
    contract_id: str
    project_id: str
    cap: Decimal
    paid: Decimal  # outcome payments dated ≤ T
    headroom: Decimal  # cap − paid, never below nil
    arrears: Decimal  # achieved × price − paid, never below nil
    expected: Decimal  # payments to come, arrears included, after the cap
    headroom_after: Decimal  # headroom − expected
    cap_reached: bool  # the uncapped expectation reaches the headroom (or none is left)


@dataclass(frozen=True)
class CashPeriod:
    period_end: dt.date
    payments: Decimal
    costs: Decimal
    net: Decimal
    discount_factor: float | None  # None when the project has no rate
    present_value: Decimal | None  # net × discount factor, to the penny (shown, not summed)


@dataclass(frozen=True)
class ProjectFairValue:
    project_id: str
    as_of: dt.date
    rate: float | None
    rate_method: str  # "given" | "calibrated"
    rate_note: str | None  # why rate is None, or how it was calibrated
    value: Decimal | None  # None when there is no rate
    expected_payments: Decimal
    expected_costs: Decimal
    performance: tuple[MetricPerformance, ...]
    contracts: tuple[ContractOutlook, ...]
    cash: tuple[CashPeriod, ...]
    unallocated: Decimal  # value beyond every claim with no equity to take it


@dataclass(frozen=True)
class HoldingProposal:
    project_id: str
    holder_id: str
    tranche: str
    kind: str  # "loan" | "equity"
    seniority: int | None
    claim: Decimal | None  # loans: cost outstanding + accrued interest
    accrued_interest: Decimal | None
    proposed: Decimal | None
    current: Decimal  # the rolled-forward NAV at T (holdings.py)
    difference: Decimal | None  # proposed − current
    rate: float | None
    method: str
    note: str | None


@dataclass(frozen=True)
class FairValue:
    as_of: dt.date
    projects: tuple[ProjectFairValue, ...]
    holdings: tuple[HoldingProposal, ...]
    expected_payments: pd.DataFrame  # contract_id, project_id, payer, period_end, amount_pence


# --- the engine -------------------------------------------------------------------------


def _day(value: Any) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _group_sum(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Σ of ``values`` (paths × n) by ``group`` (n,) into (paths × groups), in input order."""
    paths = values.shape[0]
    if groups == 0:
        return np.zeros((paths, 0))
    index = (np.arange(paths)[:, None] * groups + group[None, :]).ravel()
    summed = np.bincount(index, weights=values.ravel(), minlength=paths * groups)
    return summed.reshape(paths, groups)


def half_up(values: np.ndarray) -> np.ndarray:
    """Round float pence to whole pence, halves up (away from zero)."""
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


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
class _Waterfall:
    """One project's holdings in the order they share its value."""

    loans: tuple[tuple[float, np.ndarray, np.ndarray], ...]  # claim pence, holding idx, weights
    equity: np.ndarray  # holding indices
    equity_weights: np.ndarray


@dataclass(frozen=True)
class Paths:
    """The engine's figures for each path (rows), whole pence as float64."""

    cell_pay: np.ndarray  # paths × cells
    cap_reached: np.ndarray  # paths × contracts, bool
    value: np.ndarray  # paths × projects (NaN without a rate)
    holding_value: np.ndarray  # paths × holdings (NaN without a rate)
    unallocated: np.ndarray  # paths × projects
    outcomes_to_come: np.ndarray  # paths, expected counts
    government_outcomes_to_come: np.ndarray  # paths, on contracts a government body pays
    government_payments_to_come: np.ndarray  # paths, pence (float: shares)


@dataclass(frozen=True)
class Engine:
    """The model laid out as arrays: metric-period rows, contract-period cells, projects.

    ``run(multipliers, rates)`` values every path at once; ``multipliers`` (paths ×
    metrics) scale each metric's performance ratio (all 1: the deterministic model).
    """

    project_ids: tuple[str, ...]
    cut_day: np.ndarray  # per project: T (or D₀) as a day number
    metrics: pd.DataFrame  # metric_id, contract_id, project_id, achieved, forecast, ratio
    contracts: pd.DataFrame  # contract_id, project_id, cap, paid, headroom, arrears (pence)
    contract_project: np.ndarray
    headroom: np.ndarray
    row_metric: np.ndarray
    row_cell: np.ndarray  # sorted: every cell has at least one row
    row_base: np.ndarray  # forecast × ratio × price, pence (unrounded)
    row_count: np.ndarray  # forecast × ratio
    cell_contract: np.ndarray
    cell_project: np.ndarray
    cell_day: np.ndarray
    cell_arrears: np.ndarray
    cell_first: np.ndarray  # bool: the contract's first cell
    contract_first_cell: np.ndarray  # -1: no cell
    contract_last_cell: np.ndarray
    cost_project: np.ndarray
    cost_day: np.ndarray
    cost_pence: np.ndarray
    holdings: (
        pd.DataFrame
    )  # project_id, holder_id, tranche, kind, seniority, claim, ... per holding
    waterfalls: tuple[_Waterfall, ...]
    government_share: np.ndarray  # per contract, Σ government payers' shares

    @property
    def cells(self) -> int:
        return int(self.cell_contract.size)

    @property
    def row_start(self) -> np.ndarray:
        """Each cell's first row (rows are sorted by cell)."""
        return np.searchsorted(self.row_cell, np.arange(self.cells))

    def run(self, multipliers: np.ndarray, rates: np.ndarray) -> Paths:
        paths = multipliers.shape[0]
        drawn = multipliers[:, self.row_metric]
        raw = np.floor(self.row_base[None, :] * drawn + 0.5)  # ≥ 0: halves up
        cell = self.cell_arrears[None, :] + (
            np.add.reduceat(raw, self.row_start, axis=1) if self.cells else 0.0
        )
        cum = np.cumsum(cell, axis=1)
        first = self.cell_first.nonzero()[0]
        before = np.zeros((paths, self.cells))
        if self.cells:
            starts = np.where(first > 0, cum[:, np.maximum(first - 1, 0)], 0.0)
            before = starts[:, np.cumsum(self.cell_first) - 1]
        within = cum - before
        capped = np.minimum(within, self.headroom[self.cell_contract][None, :])
        previous = np.zeros_like(capped)
        previous[:, 1:] = capped[:, :-1]
        previous[:, self.cell_first] = 0.0
        pay = capped - previous

        has = self.contract_last_cell >= 0
        total = np.zeros((paths, self.headroom.size))
        total[:, has] = within[:, self.contract_last_cell[has]]
        reached = total >= self.headroom[None, :]

        n_projects = len(self.project_ids)
        years = (self.cell_day - self.cut_day[self.cell_project]) / DAYS_PER_YEAR
        discount = (1.0 + rates[self.cell_project]) ** (-years)
        pv_pay = np.zeros((paths, n_projects))
        if self.cells:
            starts = np.flatnonzero(np.r_[True, self.cell_project[1:] != self.cell_project[:-1]])
            pv_pay[:, self.cell_project[starts]] = np.add.reduceat(
                pay * discount[None, :], starts, axis=1
            )
        cost_years = (self.cost_day - self.cut_day[self.cost_project]) / DAYS_PER_YEAR
        cost_pv = np.bincount(
            self.cost_project,
            weights=self.cost_pence * (1.0 + rates[self.cost_project]) ** (-cost_years),
            minlength=n_projects,
        )
        value = half_up(pv_pay - cost_pv[None, :])  # values may be negative
        value[:, np.isnan(rates)] = np.nan  # no rate: no value, even with nothing to come
        holding_value, unallocated = self._share(value)

        counted = self.row_count[None, :] * drawn
        counts = counted.sum(axis=1)
        government_rows = self.government_share[self.cell_contract[self.row_cell]] > 0
        government_counts = counted[:, government_rows].sum(axis=1)
        government_pay = (pay * self.government_share[self.cell_contract][None, :]).sum(axis=1)
        return Paths(
            pay,
            reached,
            value,
            holding_value,
            unallocated,
            counts,
            government_counts,
            government_pay,
        )

    def _share(self, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        paths = value.shape[0]
        shares = np.zeros((paths, len(self.holdings)))
        unallocated = np.zeros_like(value)
        for p, fall in enumerate(self.waterfalls):
            left = np.where(np.isnan(value[:, p]), 0.0, np.maximum(value[:, p], 0.0))
            for claim, idx, weights in fall.loans:
                take = np.minimum(left, claim)
                shares[:, idx] = split_largest_remainder(take, weights)
                left = left - take
            if fall.equity.size:
                shares[:, fall.equity] = split_largest_remainder(left, fall.equity_weights)
            else:
                unallocated[:, p] = left
            if np.isnan(value[:, p]).any():  # no rate: no value, for every path alike
                shares[:, self.holdings["project"].to_numpy() == p] = np.nan
        return shares, unallocated


def _frame_day(column: pd.Series) -> np.ndarray:
    return column.to_numpy().astype("datetime64[D]").astype(np.int64)


def build_engine(
    inputs: ModelInputs,
    cut: Mapping[str, dt.date | pd.Timestamp],
    *,
    keep_forecast: bool = False,
    with_holdings: bool = True,
) -> Engine:
    """Lay out the model for each project of ``cut`` (project_id → its as-of date);
    ``with_holdings=False`` leaves out the holdings (values only, as calibration needs)."""
    project_ids = tuple(sorted(cut))
    project_index = {p: i for i, p in enumerate(project_ids)}
    cut_day = np.array([_day(cut[p]) for p in project_ids], dtype=np.int64)

    contracts = inputs.outcome_contracts[inputs.outcome_contracts["project_id"].isin(project_ids)][
        ["contract_id", "project_id", "cap_pence"]
    ]
    contracts = contracts.sort_values(["project_id", "contract_id"]).reset_index(drop=True)
    contracts["project"] = contracts["project_id"].map(project_index).astype(np.int64)
    contracts["cut"] = cut_day[contracts["project"].to_numpy()]
    contract_index = {c: i for i, c in enumerate(contracts["contract_id"])}

    metrics = inputs.outcome_metrics[["metric_id", "contract_id", "price_pence"]].merge(
        contracts[["contract_id", "project_id", "project", "cut"]], on="contract_id"
    )
    metrics = metrics.sort_values(["project_id", "contract_id", "metric_id"]).reset_index(drop=True)
    metrics["contract"] = metrics["contract_id"].map(contract_index).astype(np.int64)
    metric_index = {m: i for i, m in enumerate(metrics["metric_id"])}

    rows = inputs.outcomes[["metric_id", "period_end", "forecast", "achieved"]].merge(
        metrics[["metric_id", "price_pence", "cut", "contract"]], on="metric_id"
    )
    rows["day"] = _frame_day(rows["period_end"])
    past = rows[rows["day"] <= rows["cut"]]
    future = rows[rows["day"] > rows["cut"]].copy()

    done = past.groupby("metric_id")[["achieved", "forecast"]].sum()
    metrics["achieved"] = metrics["metric_id"].map(done["achieved"]).fillna(0).astype(np.int64)
    metrics["forecast"] = metrics["metric_id"].map(done["forecast"]).fillna(0).astype(np.int64)
    measured = (metrics["forecast"] > 0) & (not keep_forecast)
    metrics["ratio"] = np.where(
        measured, metrics["achieved"] / metrics["forecast"].where(measured, 1), 1.0
    )

    past_value = (past["achieved"] * past["price_pence"]).groupby(past["contract"]).sum()
    payments = inputs.outcome_payments.merge(contracts[["contract_id", "cut"]], on="contract_id")
    payments = payments[_frame_day(payments["date"]) <= payments["cut"]]
    paid = payments.groupby("contract_id")["amount_pence"].sum()
    contracts["paid_pence"] = contracts["contract_id"].map(paid).fillna(0).astype(np.int64)
    contracts["headroom_pence"] = (contracts["cap_pence"] - contracts["paid_pence"]).clip(lower=0)
    achieved_value = contracts.index.map(past_value).fillna(0).astype(np.int64)
    contracts["arrears_pence"] = (achieved_value - contracts["paid_pence"]).clip(lower=0)
    next_day = future.groupby("contract")["day"].min()
    contracts["next_day"] = contracts.index.map(next_day).fillna(-1).astype(np.int64).to_numpy()
    contracts["next_day"] = np.where(
        contracts["next_day"] < 0, contracts["cut"], contracts["next_day"]
    )

    # cells: (contract, future period end), plus the arrears' date
    cell_keys = pd.concat(
        [
            future[["contract", "day"]],
            pd.DataFrame(
                {
                    "contract": contracts.index[contracts["arrears_pence"] > 0],
                    "day": contracts.loc[contracts["arrears_pence"] > 0, "next_day"],
                }
            ),
        ]
    )
    cell_keys = cell_keys.astype(np.int64).drop_duplicates().sort_values(["contract", "day"])
    cell_keys = cell_keys.reset_index(drop=True)
    cell_contract = cell_keys["contract"].to_numpy(dtype=np.int64)
    cell_day = cell_keys["day"].to_numpy(dtype=np.int64)
    cell_of = {(c, d): i for i, (c, d) in enumerate(zip(cell_contract, cell_day, strict=True))}
    cell_arrears = np.zeros(cell_contract.size)
    for c in np.flatnonzero(contracts["arrears_pence"].to_numpy() > 0):
        cell_arrears[cell_of[(c, int(contracts["next_day"].iat[c]))]] = float(
            contracts["arrears_pence"].iat[c]
        )
    cell_first = (
        np.r_[True, cell_contract[1:] != cell_contract[:-1]]
        if cell_contract.size
        else (np.zeros(0, dtype=bool))
    )
    n_contracts = len(contracts)
    first_cell = np.full(n_contracts, -1, dtype=np.int64)
    last_cell = np.full(n_contracts, -1, dtype=np.int64)
    if cell_contract.size:
        first_cell[cell_contract[::-1]] = np.arange(cell_contract.size)[::-1]
        last_cell[cell_contract] = np.arange(cell_contract.size)

    ratio = metrics["ratio"].to_numpy(dtype=np.float64)
    row_metric = future["metric_id"].map(metric_index).to_numpy(dtype=np.int64)
    row_cell = np.array(
        [cell_of[(c, d)] for c, d in zip(future["contract"], future["day"], strict=True)],
        dtype=np.int64,
    )
    forecast = future["forecast"].to_numpy(dtype=np.float64)
    row_count = forecast * ratio[row_metric]
    row_base = row_count * future["price_pence"].to_numpy(dtype=np.float64)
    # a cell with arrears only gets a row of nothing, so that every cell has a row and
    # the rows, sorted by cell, sum by cell with one reduceat
    bare = np.setdiff1d(np.arange(cell_contract.size), row_cell)
    row_metric = np.r_[row_metric, np.zeros(bare.size, dtype=np.int64)]
    row_count = np.r_[row_count, np.zeros(bare.size)]
    row_base = np.r_[row_base, np.zeros(bare.size)]
    row_cell = np.r_[row_cell, bare]
    order = np.argsort(row_cell, kind="stable")
    row_metric, row_count, row_base, row_cell = (
        row_metric[order],
        row_count[order],
        row_base[order],
        row_cell[order],
    )

    costs = inputs.cost_forecasts[inputs.cost_forecasts["project_id"].isin(project_ids)]
    cost_project = costs["project_id"].map(project_index).to_numpy(dtype=np.int64)
    cost_day = _frame_day(costs["period_end"])
    later = cost_day > cut_day[cost_project]

    payers = inputs.contract_payers
    government = payers[payers["payer_kind"].isin(GOVERNMENT_PAYER_KINDS)]
    gov_share = government.groupby("contract_id")["share"].sum()
    government_share = np.array(
        [float(gov_share.get(c, 0)) for c in contracts["contract_id"]], dtype=np.float64
    )

    if with_holdings:
        holdings, waterfalls = _holdings_layout(inputs, project_ids, cut)
    else:
        holdings = pd.DataFrame({"project": pd.Series(dtype=np.int64)})
        nothing = np.zeros(0, dtype=np.int64)
        waterfalls = tuple(_Waterfall((), nothing, nothing.astype(np.float64)) for _ in project_ids)
    return Engine(
        project_ids=project_ids,
        cut_day=cut_day,
        metrics=metrics,
        contracts=contracts,
        contract_project=contracts["project"].to_numpy(dtype=np.int64),
        headroom=contracts["headroom_pence"].to_numpy(dtype=np.float64),
        row_metric=row_metric,
        row_cell=row_cell,
        row_base=row_base,
        row_count=row_count,
        cell_contract=cell_contract,
        cell_project=contracts["project"].to_numpy(dtype=np.int64)[cell_contract],
        cell_day=cell_day,
        cell_arrears=cell_arrears,
        cell_first=cell_first,
        contract_first_cell=first_cell,
        contract_last_cell=last_cell,
        cost_project=cost_project[later],
        cost_day=cost_day[later],
        cost_pence=costs["amount_pence"].to_numpy(dtype=np.float64)[later],
        holdings=holdings,
        waterfalls=waterfalls,
        government_share=government_share,
    )


# --- holdings: claims and the waterfall -------------------------------------------------


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


def _holdings_layout(
    inputs: ModelInputs, project_ids: tuple[str, ...], cut: Mapping[str, Any]
) -> tuple[pd.DataFrame, tuple[_Waterfall, ...]]:
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
    positions = []
    for at, group in held.groupby("cut"):  # one reading per as-of date
        scope = group["project_id"].unique()
        positions.append(
            holding_positions(
                group[[*keys, "instrument", "commitment_pence"]],
                inputs.project_flows[inputs.project_flows["project_id"].isin(scope)],
                inputs.marks[inputs.marks["project_id"].isin(scope)],
                pd.Timestamp(str(at)),
            )
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

    falls: list[_Waterfall] = []
    for p in range(len(project_ids)):
        mine = held[held["project"] == p]
        loans = mine[mine["kind"] == "loan"]
        tranches = []
        for _, tranche in loans.groupby(["rank", "tranche"], sort=True):
            tranches.append(
                (
                    float(sum(int(c) for c in tranche["claim_pence"])),
                    tranche.index.to_numpy(),
                    tranche["commitment_pence"].to_numpy(dtype=np.float64),
                )
            )
        equity = mine[mine["kind"] == "equity"]
        falls.append(
            _Waterfall(
                tuple(tranches),
                equity.index.to_numpy(),
                equity["commitment_pence"].to_numpy(dtype=np.float64),
            )
        )
    return held, tuple(falls)


# --- the deterministic model ------------------------------------------------------------


def _pounds(pence: float) -> Decimal:
    return pence_to_decimal(int(pence))


def _project_cut(inputs: ModelInputs, project_ids: Collection[str] | None) -> list[str]:
    if project_ids is not None:
        return sorted(set(project_ids))
    named = set(inputs.outcome_contracts["project_id"]) | set(inputs.cost_forecasts["project_id"])
    return sorted(str(p) for p in named)


def calibrated_rates(
    inputs: ModelInputs, project_ids: Collection[str]
) -> dict[str, tuple[float | None, str]]:
    """project_id → (rate, note): the IPEV calibration of the module docstring.

    The rate is the XIRR (Actual/365, solved over any span) of − the amount drawn on
    the first drawdown date D₀ and the model's net cash run at D₀ with ratio 1. None,
    with the reason, when the project has no drawdown or no rate solves it.
    """
    drawdowns = inputs.project_flows[
        inputs.project_flows["project_id"].isin(list(project_ids))
        & (inputs.project_flows["kind"] == "drawdown")
    ]
    first = drawdowns.groupby("project_id")["date"].min()
    out: dict[str, tuple[float | None, str]] = {}
    for p in project_ids:
        if p not in first.index:
            out[p] = (None, "no drawdown: nothing to calibrate to")
    entry = {p: first[p] for p in project_ids if p in first.index}
    if not entry:
        return out
    engine = build_engine(inputs, entry, keep_forecast=True, with_holdings=False)
    paths = engine.run(np.ones((1, len(engine.metrics))), np.zeros(len(engine.project_ids)))
    for i, p in enumerate(engine.project_ids):
        d0 = pd.Timestamp(entry[p])
        drawn = int(
            drawdowns.loc[
                drawdowns["project_id"].eq(p) & drawdowns["date"].eq(d0), "amount_pence"
            ].sum()
        )
        cells = engine.cell_project == i
        costs = engine.cost_project == i
        days = np.r_[engine.cut_day[i], engine.cell_day[cells], engine.cost_day[costs]]
        amounts = np.r_[-drawn, paths.cell_pay[0, cells], -engine.cost_pence[costs]]
        result = xirr(days.astype("datetime64[D]"), amounts.tolist(), annualise_short=True)
        note = f"calibrated at {d0.date().isoformat()} to £{pence_to_decimal(drawn)} drawn"
        out[p] = (result.rate, note if result.note is None else f"{note}: {result.note}")
    return out


def propose_fair_values(
    inputs: ModelInputs,
    as_of: dt.date,
    *,
    rate: float | None = None,
    keep_forecast: bool = False,
    project_ids: Collection[str] | None = None,
    rates: Mapping[str, tuple[float | None, str]] | None = None,
) -> FairValue:
    """The deterministic model at T for each project (default: every project with an
    outcome contract or a cost forecast): its value and workings, and every holding's
    proposed fair value against its current NAV. ``rate`` sets one rate for all
    projects; without it each project's rate is calibrated (``calibrated_rates``, or
    the ``rates`` given, as ``scenarios`` passes them)."""
    ids = _project_cut(inputs, project_ids)
    engine = build_engine(inputs, {p: as_of for p in ids}, keep_forecast=keep_forecast)
    rate_of = _rates(inputs, ids, rate, rates)
    rate_array = np.array([np.nan if rate_of[p][0] is None else rate_of[p][0] for p in ids])
    paths = engine.run(np.ones((1, len(engine.metrics))), rate_array)
    return _fair_value(
        inputs, engine, paths, rate_of, "given" if rate is not None else "calibrated", as_of
    )


def _rates(
    inputs: ModelInputs,
    ids: list[str],
    rate: float | None,
    rates: Mapping[str, tuple[float | None, str]] | None,
) -> Mapping[str, tuple[float | None, str]]:
    if rate is not None:
        return {p: (rate, "given") for p in ids}
    if rates is not None:
        return rates
    return calibrated_rates(inputs, ids)


def _fair_value(
    inputs: ModelInputs,
    engine: Engine,
    paths: Paths,
    rate_of: Mapping[str, tuple[float | None, str]],
    rate_method: str,
    as_of: dt.date,
) -> FairValue:
    pay = paths.cell_pay[0]
    payer_rows = _payer_split(inputs, engine, pay)
    projects: list[ProjectFairValue] = []
    for i, p in enumerate(engine.project_ids):
        r, note = rate_of[p]
        metrics = engine.metrics[engine.metrics["project"] == i]
        performance = tuple(
            MetricPerformance(
                str(m.metric_id),
                str(m.contract_id),
                int(m.achieved),
                int(m.forecast),
                float(m.ratio),
            )
            for m in metrics.itertuples()
        )
        contracts = []
        for c in np.flatnonzero(engine.contract_project == i):
            row = engine.contracts.iloc[c]
            expected = int(pay[engine.cell_contract == c].sum())
            contracts.append(
                ContractOutlook(
                    contract_id=str(row["contract_id"]),
                    project_id=p,
                    cap=pence_to_decimal(int(row["cap_pence"])),
                    paid=pence_to_decimal(int(row["paid_pence"])),
                    headroom=pence_to_decimal(int(row["headroom_pence"])),
                    arrears=pence_to_decimal(int(row["arrears_pence"])),
                    expected=pence_to_decimal(expected),
                    headroom_after=pence_to_decimal(int(row["headroom_pence"]) - expected),
                    cap_reached=bool(paths.cap_reached[0, c]),
                )
            )
        cells = engine.cell_project == i
        costs = engine.cost_project == i
        by_day: dict[int, list[int]] = {}
        for d, amount in zip(engine.cell_day[cells], pay[cells], strict=True):
            by_day.setdefault(int(d), [0, 0])[0] += int(amount)
        for d, amount in zip(engine.cost_day[costs], engine.cost_pence[costs], strict=True):
            by_day.setdefault(int(d), [0, 0])[1] += int(amount)
        cash = []
        for d in sorted(by_day):
            paid, spent = by_day[d]
            factor = (
                None if r is None else (1.0 + r) ** (-(d - int(engine.cut_day[i])) / DAYS_PER_YEAR)
            )
            cash.append(
                CashPeriod(
                    period_end=np.datetime64(d, "D").astype(dt.date),
                    payments=pence_to_decimal(paid),
                    costs=pence_to_decimal(spent),
                    net=pence_to_decimal(paid - spent),
                    discount_factor=factor,
                    present_value=None
                    if factor is None
                    else pence_to_decimal(int(half_up(np.array([(paid - spent) * factor]))[0])),
                )
            )
        value = paths.value[0, i]
        projects.append(
            ProjectFairValue(
                project_id=p,
                as_of=as_of,
                rate=r,
                rate_method=rate_method,
                rate_note=None if rate_method == "given" else note,
                value=None if math.isnan(value) else _pounds(value),
                expected_payments=pence_to_decimal(int(pay[cells].sum())),
                expected_costs=pence_to_decimal(int(engine.cost_pence[costs].sum())),
                performance=performance,
                contracts=tuple(contracts),
                cash=tuple(cash),
                unallocated=_pounds(paths.unallocated[0, i]),
            )
        )
    holdings = []
    for h, (_, row) in enumerate(engine.holdings.iterrows()):
        r, note = rate_of[str(row["project_id"])]
        proposed_pence = paths.holding_value[0, h]
        proposed = None if math.isnan(proposed_pence) else _pounds(proposed_pence)
        current = pence_to_decimal(int(row["current_pence"]))
        loan = row["kind"] == "loan"
        holdings.append(
            HoldingProposal(
                project_id=str(row["project_id"]),
                holder_id=str(row["holder_id"]),
                tranche=str(row["tranche"]),
                kind=str(row["kind"]),
                seniority=int(row["rank"]),
                claim=pence_to_decimal(int(row["claim_pence"])) if loan else None,
                accrued_interest=pence_to_decimal(int(row["accrued_pence"])) if loan else None,
                proposed=proposed,
                current=current,
                difference=None if proposed is None else proposed - current,
                rate=r,
                method=METHOD,
                note=row["note"] if proposed is not None else f"no value: {note}",
            )
        )
    return FairValue(as_of, tuple(projects), tuple(holdings), payer_rows)


def _payer_split(inputs: ModelInputs, engine: Engine, pay: np.ndarray) -> pd.DataFrame:
    """Each cell's payment split among its contract's payers by share (largest remainder)."""
    payers = inputs.contract_payers.sort_values(["contract_id", "payer"])
    by_contract = {c: g for c, g in payers.groupby("contract_id")}
    rows: list[dict[str, object]] = []
    for cell, amount in enumerate(pay.astype(np.int64).tolist()):
        c = int(engine.cell_contract[cell])
        contract_id = str(engine.contracts["contract_id"].iat[c])
        day = np.datetime64(int(engine.cell_day[cell]), "D").astype("datetime64[ns]")
        group = by_contract.get(contract_id)
        if group is None or group.empty:
            names, parts = [""], [amount]
        else:
            names = [str(x) for x in group["payer"]]
            parts = allocate_largest_remainder(amount, list(group["share"]), names)
        for name, part in zip(names, parts, strict=True):
            rows.append(
                {
                    "contract_id": contract_id,
                    "project_id": engine.project_ids[int(engine.cell_project[cell])],
                    "payer": name,
                    "period_end": day,
                    "amount_pence": part,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["contract_id", "project_id", "payer", "period_end", "amount_pence"]
    )
    frame["period_end"] = frame["period_end"].astype("datetime64[ns]")
    frame["amount_pence"] = frame["amount_pence"].astype("int64")
    return frame
