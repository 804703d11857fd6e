"""The range of outcomes: a seeded Monte Carlo over the fair-value model (issue #15 item 4).

Each path draws one future achievement ratio per metric, lognormal around its
performance to date: ratio × exp(D × Z), Z standard normal, so the median path is the
deterministic model and D is the standard deviation of the log ratio. The model of
``fair_value.py`` (payments, caps, costs, discounting, sharing by seniority) then runs
on every path at once in NumPy (``Engine.run``): paths go through in chunks that keep
each array near 32 MB, never one at a time. Rates are those of the deterministic model
(given, or calibrated once); they are not drawn.

For each path, with T the as-of date:

- **outcome payments to come** = Σ expected payments after the caps, arrears included;
- **project value** and each holding's share, as ``fair_value`` defines them;
- **fund NAV** = fund cash at T + the NAV at T of the fund's holdings the model does not
  value (projects out of scope or with no rate) + the fund's shares of the projects'
  values;
- **fund net IRR at the end of the last contract**: the XIRR of investors' calls (−) and
  distributions (+) dated ≤ T, fund cash and the unmodelled NAV at T (+), and the fund's
  part of each project's net cash at its period end, the part being the fund's share of
  the project's value on that path (nothing when the value is not positive), and its
  part of the cash each project holds at T, paid out on the project's last cash date
  (it is assumed to earn nothing meanwhile). No further fees or expenses are assumed;
- **returns less than paid-in**: distributions + fund cash + unmodelled NAV + Σ the fund's
  future cash (undiscounted) < Σ calls;
- **government's cost per outcome** = (outcome payments dated ≤ T by government payers
  (central and local government, NHS, schools) + each contract's payments to come × its
  government payers' shares) ÷ (outcomes achieved to date + expected, on contracts a
  government payer pays into);
- a contract **reaches its cap** when its uncapped expected payments reach its headroom;
- the **fund's stakes** at a day X (T, then each 31 December to the last cash date) =
  Σ over the projects' net cash dated after X of the fund's part × (1 + rate)^−(days
  from X ÷ 365), + the fund's part of the cash each project holds at T while the
  project has cash still to come after X (at T, always): at T the fund's shares of the
  projects' values, later what is left of them (the fan chart of the committee pack).

Percentiles are NumPy's linear ones over the paths; money is rounded half up to the
penny once. The same inputs and seed give the same result; with D = 0 every path is the
deterministic model, so every percentile equals it.

The default D is the dispersion of achievement across the portfolio's completed
contracts (end_date ≤ T): the sample standard deviation of ln(Σ achieved ÷ Σ forecast),
periods ending ≤ T, over contracts with both positive; 0, with the note saying so, when
fewer than two contracts qualify.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .fair_value import ModelInputs, choose_rates, project_cut
from .fair_value_engine import Engine, Paths, build_engine, group_sum
from .fair_value_inputs import DAYS_PER_YEAR, GOVERNMENT_PAYER_KINDS
from .fund_cash import fund_cash_movements
from .holdings import holding_positions
from .scenario_bands import (
    PERCENTILES,
    ContractChance,
    DateBand,
    MoneyBand,
    ProjectBand,
    RateBand,
    ScenarioResult,
    YearBand,
    irr_paths,
    money_band,
    rate_band,
)

__all__ = [
    "PERCENTILES",
    "ContractChance",
    "DateBand",
    "MoneyBand",
    "ProjectBand",
    "RateBand",
    "ScenarioResult",
    "YearBand",
    "irr_paths",
    "portfolio_dispersion",
    "run_scenarios",
]

_CELLS_PER_CHUNK = 4_000_000  # path × row elements per array (32 MB of float64)


def portfolio_dispersion(inputs: ModelInputs, as_of: dt.date) -> tuple[float, int, str]:
    """(D, contracts measured, note): the default dispersion of the module docstring."""
    cut = pd.Timestamp(as_of)
    contracts = inputs.outcome_contracts
    done = contracts[contracts["end_date"].notna() & (contracts["end_date"] <= cut)]
    rows = inputs.outcomes[inputs.outcomes["period_end"] <= cut].merge(
        inputs.outcome_metrics[["metric_id", "contract_id"]], on="metric_id"
    )
    rows = rows[rows["contract_id"].isin(done["contract_id"])]
    sums = rows.groupby("contract_id")[["achieved", "forecast"]].sum()
    sums = sums[(sums["achieved"] > 0) & (sums["forecast"] > 0)]
    logs = np.log(sums["achieved"].to_numpy(np.float64) / sums["forecast"].to_numpy(np.float64))
    if logs.size < 2:
        return 0.0, int(logs.size), "fewer than two completed contracts: dispersion 0"
    spread = float(np.std(logs, ddof=1))
    return spread, int(logs.size), f"from {logs.size} completed contracts"


@dataclass(frozen=True)
class _Fund:
    """The fund's side: its constant flows and where its holdings sit in the engine."""

    days: np.ndarray  # every day of the IRR series, sorted
    past: np.ndarray  # investor flows by day, calls negative
    at_t: float  # fund cash + unmodelled NAV, a flow at T
    t_index: int  # T's index in ``days``
    paid_in: float
    distributed: float
    holding: np.ndarray  # engine holding indices of the fund's modelled holdings
    group_day: np.ndarray  # per (project, day) group: its index in ``days``
    group_project: np.ndarray
    points: np.ndarray  # day numbers of T and each later 31 December (the stakes' fan)
    weights: np.ndarray  # groups × points: discount from each group's day to each point
    cash_day: np.ndarray  # per project: index in ``days`` of its last cash day (T if none)
    cash_weights: np.ndarray  # projects × points: 1 while its held cash is still held


def _fund_side(
    inputs: ModelInputs,
    engine: Engine,
    fund_ids: list[str],
    as_of: dt.date,
    valued: np.ndarray,
    groups: pd.DataFrame,
    rates: np.ndarray,
) -> _Fund:
    if inputs.investor_flows is None or inputs.fund_expenses is None:
        raise ValueError("the fund figures need investor_flows and fund_expenses")
    cut = pd.Timestamp(as_of)
    flows = inputs.investor_flows[
        inputs.investor_flows["fund_id"].isin(fund_ids) & (inputs.investor_flows["date"] <= cut)
    ]
    expenses = inputs.fund_expenses[inputs.fund_expenses["date"] <= cut]
    project_flows = inputs.project_flows[inputs.project_flows["date"] <= cut]
    cash = fund_cash_movements(fund_ids, flows, expenses, project_flows)
    cash_now = float(cash.groupby("fund_id")["cash"].last().sum()) if len(cash) else 0.0

    modelled_projects = {p for p, ok in zip(engine.project_ids, valued, strict=True) if ok}
    own = inputs.holdings[inputs.holdings["holder_id"].isin(fund_ids)]
    outside = own[~own["project_id"].isin(modelled_projects)]
    positions = holding_positions(outside, inputs.project_flows, inputs.marks, cut)
    # positions also cover holdings only flows name: keep the fund's, outside the model
    positions = positions[
        positions["holder_id"].isin(fund_ids) & ~positions["project_id"].isin(modelled_projects)
    ]
    other_nav = float(positions["nav_pence"].sum())

    held = engine.holdings
    mine = held["holder_id"].isin(fund_ids) & held["project_id"].isin(modelled_projects)

    signed = np.where(flows["kind"] == "call", -1.0, 1.0) * flows["amount_pence"].to_numpy(float)
    flow_days = flows["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    t_day = int(np.datetime64(cut.date(), "D").astype(np.int64))
    group_days = groups["day"].to_numpy(dtype=np.int64)
    days = np.unique(np.r_[flow_days, t_day, group_days]).astype(np.int64)
    past = np.zeros(days.size)
    np.add.at(past, np.searchsorted(days, flow_days), signed)
    last = int(group_days.max()) if group_days.size else t_day
    points = np.array(
        [t_day]
        + [
            _day_number(dt.date(year, 12, 31))
            for year in range(cut.year, _to_date(last).year + 1)
            if _day_number(dt.date(year, 12, 31)) > t_day
        ],
        dtype=np.int64,
    )
    project_rate = rates[groups["project"].to_numpy(dtype=np.int64)]
    ahead = (group_days[:, None] - points[None, :]).astype(np.float64)
    with np.errstate(invalid="ignore"):
        weights = np.where(
            ahead > 0, (1.0 + project_rate[:, None]) ** (-ahead / DAYS_PER_YEAR), 0.0
        )
    # a project's held cash is paid out on its last cash day, at face
    n_projects = len(engine.project_ids)
    last_day = np.full(n_projects, t_day, dtype=np.int64)
    np.maximum.at(last_day, groups["project"].to_numpy(dtype=np.int64), group_days)
    cash_weights = (points[None, :] < last_day[:, None]) | (points[None, :] == t_day)
    return _Fund(
        days=days,
        past=past,
        at_t=cash_now + other_nav,
        t_index=int(np.searchsorted(days, t_day)),
        paid_in=float(-signed[signed < 0].sum()),
        distributed=float(signed[signed > 0].sum()),
        holding=np.flatnonzero(mine.to_numpy()),
        group_day=np.searchsorted(days, group_days),
        group_project=groups["project"].to_numpy(dtype=np.int64),
        points=points,
        weights=np.nan_to_num(weights),
        cash_day=np.searchsorted(days, last_day),
        cash_weights=cash_weights.astype(np.float64),
    )


def run_scenarios(
    inputs: ModelInputs,
    as_of: dt.date,
    *,
    paths: int = 10_000,
    seed: int = 1,
    dispersion: float | None = None,
    rate: float | None = None,
    keep_forecast: bool = False,
    project_ids: Collection[str] | None = None,
    fund_ids: Collection[str] | None = None,
    rates: Mapping[str, tuple[float | None, str]] | None = None,
) -> ScenarioResult:
    """The Monte Carlo of the module docstring over ``project_ids`` (default: every
    project with an outcome contract or a cost forecast). ``fund_ids``: the funds whose
    NAV, net IRR and chance of returning less than paid-in are reported (None: none).
    ``rate`` sets one rate; without it the projects' calibrated rates (or ``rates``)."""
    if paths < 1:
        raise ValueError("paths must be at least 1")
    ids = project_cut(inputs, project_ids)
    engine = build_engine(inputs, {p: as_of for p in ids}, keep_forecast=keep_forecast)
    rate_of = choose_rates(inputs, ids, rate, rates)
    rate_array = np.array([np.nan if rate_of[p][0] is None else rate_of[p][0] for p in ids])
    valued = ~np.isnan(rate_array)
    measured, contracts_measured, note = portfolio_dispersion(inputs, as_of)
    spread = measured if dispersion is None else float(dispersion)
    if dispersion is not None:
        note = "given"
    if spread < 0:
        raise ValueError("dispersion must not be negative")

    n_metrics = len(engine.metrics)
    draws = np.random.default_rng(seed).standard_normal((paths, n_metrics))

    # (project, day) groups of net cash, for the fund's future flows
    groups = (
        pd.DataFrame(
            {
                "project": np.r_[engine.cell_project, engine.cost_project],
                "day": np.r_[engine.cell_day, engine.cost_day],
            }
        )
        .drop_duplicates()
        .sort_values(["project", "day"])
        .reset_index(drop=True)
    )
    group_of = {
        (p, d): i for i, (p, d) in enumerate(zip(groups["project"], groups["day"], strict=True))
    }
    cell_group = np.array(
        [group_of[(p, d)] for p, d in zip(engine.cell_project, engine.cell_day, strict=True)],
        dtype=np.int64,
    )
    cost_group = np.array(
        [group_of[(p, d)] for p, d in zip(engine.cost_project, engine.cost_day, strict=True)],
        dtype=np.int64,
    )
    group_costs = np.bincount(cost_group, weights=engine.cost_pence, minlength=len(groups))
    fund = (
        _fund_side(inputs, engine, sorted(fund_ids), as_of, valued, groups, rate_array)
        if fund_ids
        else None
    )

    years = np.datetime64("1970-01-01") + engine.cell_day.astype("timedelta64[D]")
    cell_year = years.astype("datetime64[Y]").astype(np.int64) + 1970
    year_list = np.unique(cell_year)
    cell_year_index = np.searchsorted(year_list, cell_year)

    government_contract = engine.government_share > 0
    government_rows = government_contract[engine.contracts.index.to_numpy()]
    metric_gov = government_rows[engine.metrics["contract"].to_numpy(dtype=np.int64)]
    achieved_gov = float(engine.metrics["achieved"].to_numpy()[metric_gov].sum())
    paid_gov = _government_paid(inputs, engine, as_of)

    width = max(1, engine.row_base.size, engine.cells, len(engine.holdings), len(groups))
    chunk = max(1, _CELLS_PER_CHUNK // width)
    totals, by_year, values, government, reached = [], [], [], [], np.zeros(len(engine.contracts))
    navs, irrs, returned, stakes = [], [], [], []
    for start in range(0, paths, chunk):
        multipliers = np.exp(spread * draws[start : start + chunk])
        run = engine.run(multipliers, rate_array)
        totals.append(run.cell_pay.sum(axis=1))
        by_year.append(group_sum(run.cell_pay, cell_year_index, year_list.size))
        values.append(run.value)
        reached += run.cap_reached.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            government.append(
                (paid_gov + run.government_payments_to_come)
                / (achieved_gov + run.government_outcomes_to_come)
            )
        if fund is not None:
            nav, irr, total, stake = _fund_paths(
                engine, run, fund, cell_group, group_costs, len(groups)
            )
            stakes.append(stake)
            navs.append(nav)
            irrs.append(irr)
            returned.append(total)

    value_all = np.concatenate(values)
    gov_all = np.concatenate(government)
    return ScenarioResult(
        as_of=as_of,
        paths=paths,
        seed=seed,
        dispersion=spread,
        dispersion_contracts=contracts_measured,
        dispersion_note=note,
        payments_to_come=money_band(np.concatenate(totals)),
        payments_by_year=tuple(
            YearBand(int(y), money_band(column))
            for y, column in zip(year_list, np.concatenate(by_year).T, strict=True)
        ),
        projects=tuple(
            ProjectBand(p, rate_of[p][0], money_band(value_all[:, i]) if valued[i] else None)
            for i, p in enumerate(engine.project_ids)
        ),
        contracts=tuple(
            ContractChance(str(c), str(p), float(n / paths))
            for c, p, n in zip(
                engine.contracts["contract_id"],
                engine.contracts["project_id"],
                reached,
                strict=True,
            )
        ),
        government_cost_per_outcome=None if not np.isfinite(gov_all).any() else money_band(gov_all),
        fund_nav=None if fund is None else money_band(np.concatenate(navs)),
        fund_net_irr=None if fund is None else rate_band(np.concatenate(irrs)),
        less_than_paid_in=None
        if fund is None
        else float(np.mean(np.concatenate(returned) < fund.paid_in)),
        fund_stakes=()
        if fund is None
        else tuple(
            DateBand(_to_date(int(day)), money_band(column))
            for day, column in zip(fund.points, np.concatenate(stakes).T, strict=True)
        ),
    )


def _day_number(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def _to_date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def _government_paid(inputs: ModelInputs, engine: Engine, as_of: dt.date) -> float:
    payers = inputs.contract_payers[
        inputs.contract_payers["payer_kind"].isin(GOVERNMENT_PAYER_KINDS)
    ]
    paid = inputs.outcome_payments[
        (inputs.outcome_payments["date"] <= pd.Timestamp(as_of))
        & inputs.outcome_payments["contract_id"].isin(engine.contracts["contract_id"])
    ].merge(payers[["contract_id", "payer"]], on=["contract_id", "payer"])
    return float(paid["amount_pence"].sum())


def _fund_paths(
    engine: Engine,
    run: Paths,
    fund: _Fund,
    cell_group: np.ndarray,
    group_costs: np.ndarray,
    groups: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per path: the fund's NAV at T, its net IRR, Σ what it gets back (pence) and its
    stakes at each of ``fund.points``."""
    project = engine.holdings["project"].to_numpy(dtype=np.int64)[fund.holding]
    fund_value = group_sum(
        np.nan_to_num(run.holding_value[:, fund.holding]), project, len(engine.project_ids)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(run.value > 0, fund_value / run.value, 0.0)
    net = group_sum(run.cell_pay, cell_group, groups) - group_costs[None, :]
    mine = net * part[:, fund.group_project]
    cash = engine.cash[None, :] * part
    future = group_sum(mine, fund.group_day, fund.days.size)
    future += group_sum(cash, fund.cash_day, fund.days.size)
    flows = future + fund.past[None, :]
    flows[:, fund.t_index] += fund.at_t
    nav = fund.at_t + fund_value.sum(axis=1)
    total = fund.distributed + fund.at_t + future.sum(axis=1)
    stakes = mine @ fund.weights + cash @ fund.cash_weights
    return nav, irr_paths(fund.days.astype(np.float64), flows), total, stakes
