"""The fair-value model laid out as arrays, run on many paths at once.

Rows are (metric, future period) forecasts; cells are (contract, period end) payments
after the cap; each project's value is its discounted net cash. ``Engine.run`` values
every path in one pass of NumPy (no loop over paths); the deterministic model is one
path whose multipliers are all 1. Money is whole pence held in float64 (exact below
2⁵³). The method in full is in ``fair_value.py``'s docstring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .cash_profile import cash_held
from .fair_value_inputs import DAYS_PER_YEAR, GOVERNMENT_PAYER_KINDS, ModelInputs
from .fair_value_sharing import Waterfall, holdings_layout, split_largest_remainder

__all__ = ["Engine", "Paths", "build_engine", "day_number", "group_sum", "half_up"]


def day_number(value: Any) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def group_sum(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Σ of ``values`` (paths × n) by ``group`` (n,) into (paths × groups), in input order."""
    paths = values.shape[0]
    if groups == 0:
        return np.zeros((paths, 0))
    index = (np.arange(paths)[:, None] * groups + group[None, :]).ravel()
    summed = np.bincount(index, weights=values.ravel(), minlength=paths * groups)
    # bincount of no values is int64, whatever the weights: sums are float pence
    return summed.reshape(paths, groups).astype(np.float64, copy=False)


def half_up(values: np.ndarray) -> np.ndarray:
    """Round float pence to whole pence, halves up (away from zero)."""
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


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
    cash: np.ndarray  # per project: the cash it holds at its cut date, pence
    holdings: (
        pd.DataFrame
    )  # project_id, holder_id, tranche, kind, seniority, claim, ... per holding
    waterfalls: tuple[Waterfall, ...]
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
        value = half_up(self.cash[None, :] + pv_pay - cost_pv[None, :])  # may be negative
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
                # the project's holdings are its tranches' and its equity's
                for _claim, idx, _weights in fall.loans:
                    shares[:, idx] = np.nan
                shares[:, fall.equity] = np.nan
        return shares, unallocated


def spending(inputs: ModelInputs) -> pd.DataFrame:
    """The spending recorded (``project_costs``), none when the inputs carry none."""
    if inputs.project_costs is not None:
        return inputs.project_costs
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype=object),
            "date": pd.Series(dtype="datetime64[ns]"),
            "category": pd.Series(dtype=object),
            "amount_pence": pd.Series(dtype="int64"),
        }
    )


def costs_to_come(
    inputs: ModelInputs, project_ids: tuple[str, ...], cut_day: np.ndarray, at_entry: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(project index, day, pence) of each cost after its project's cut date, as
    ``build_engine`` describes: cost forecasts, at entry with the spending before them."""
    index = {p: i for i, p in enumerate(project_ids)}
    forecasts = inputs.cost_forecasts[inputs.cost_forecasts["project_id"].isin(project_ids)]
    project = forecasts["project_id"].map(index).to_numpy(dtype=np.int64)
    day = frame_day(forecasts["period_end"])
    pence = forecasts["amount_pence"].to_numpy(dtype=np.float64)
    if at_entry:
        spent = spending(inputs)
        spent = spent[spent["project_id"].isin(project_ids)]
        spent_project = spent["project_id"].map(index).to_numpy(dtype=np.int64)
        spent_day = frame_day(spent["date"])
        planned = np.full(len(project_ids), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(planned, project, day)
        before_plan = spent_day < planned[spent_project]
        project = np.r_[spent_project[before_plan], project]
        day = np.r_[spent_day[before_plan], day]
        pence = np.r_[spent["amount_pence"].to_numpy(dtype=np.float64)[before_plan], pence]
    later = day > cut_day[project]
    return project[later], day[later], pence[later]


def frame_day(column: pd.Series) -> np.ndarray:
    return column.to_numpy().astype("datetime64[D]").astype(np.int64)


def build_engine(
    inputs: ModelInputs,
    cut: Mapping[str, dt.date | pd.Timestamp],
    *,
    keep_forecast: bool = False,
    with_holdings: bool = True,
    at_entry: bool = False,
) -> Engine:
    """Lay out the model for each project of ``cut`` (project_id → its as-of date);
    ``with_holdings=False`` leaves out the holdings (values only, as calibration needs).

    Costs to come are the ``cost_forecasts`` after the cut date. ``at_entry`` (the
    model run at the first drawdown, for calibration) adds the spending recorded after
    the cut date and before the project's first cost-forecast period: a ledger whose
    cost forecasts run from the start is the plan of that date; one whose forecasts
    only cover what is left has what was actually spent stand for the rest of it."""
    project_ids = tuple(sorted(cut))
    project_index = {p: i for i, p in enumerate(project_ids)}
    cut_day = np.array([day_number(cut[p]) for p in project_ids], dtype=np.int64)

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
    rows["day"] = frame_day(rows["period_end"])
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
    payments = payments[frame_day(payments["date"]) <= payments["cut"]]
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

    cost_project, cost_day, cost_pence = costs_to_come(inputs, project_ids, cut_day, at_entry)
    held = cash_held(
        project_flows=inputs.project_flows,
        project_costs=spending(inputs),
        outcome_payments=inputs.outcome_payments,
        outcome_contracts=inputs.outcome_contracts,
        cut={p: cut[p] for p in project_ids},
    )

    payers = inputs.contract_payers
    government = payers[payers["payer_kind"].isin(GOVERNMENT_PAYER_KINDS)]
    gov_share = government.groupby("contract_id")["share"].sum()
    government_share = np.array(
        [float(gov_share.get(c, 0)) for c in contracts["contract_id"]], dtype=np.float64
    )

    if with_holdings:
        holdings, waterfalls = holdings_layout(inputs, project_ids, cut)
    else:
        holdings = pd.DataFrame({"project": pd.Series(dtype=np.int64)})
        nothing = np.zeros(0, dtype=np.int64)
        waterfalls = tuple(Waterfall((), nothing, nothing.astype(np.float64)) for _ in project_ids)
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
        cost_project=cost_project,
        cost_day=cost_day,
        cost_pence=cost_pence,
        cash=np.array([float(held.get(p, 0)) for p in project_ids], dtype=np.float64),
        holdings=holdings,
        waterfalls=waterfalls,
        government_share=government_share,
    )
