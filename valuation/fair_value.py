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
- **cash held** at T = the cumulative net of the project's cash profile
  (``cash_profile.cash_held``: drawdowns + outcome payments − spending − returns to
  holders, rows dated ≤ T), never below nil; nil for a project with no spending recorded
  (no ``project_costs`` row), whose cash the ledger cannot see. It belongs to the
  holders as surely as the payments to come: a model without it would mark a project
  that has banked its outcome payments below its cash;
- **project value** at T = cash held + Σ net cash × (1 + rate)^−(days from T to the
  period end ÷ 365) (Actual/365, as XIRR), rounded half up to the penny once;
- **calibration** (IPEV): the rate at which the model, run at the project's first
  drawdown date D₀ with achievement ratio 1 (the forecasts as they stand, payments and
  achieved counts dated ≤ D₀), values the project at the amount drawn that day (every
  holder): the XIRR of (cash held at D₀ − amount drawn) on D₀ and the net cash the model
  expects after D₀. Its costs are the cost forecasts after D₀ and, before the first
  cost-forecast period, the spending recorded after D₀ (a ledger whose cost forecasts
  only cover what is left has what was spent stand for the plan of that date). Or one
  rate given for every project;
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
from decimal import Decimal

import numpy as np
import pandas as pd

from .fair_value_engine import Engine, Paths, build_engine, half_up
from .fair_value_inputs import (
    COST_FORECAST_COLUMNS,
    DAYS_PER_YEAR,
    GOVERNMENT_PAYER_KINDS,
    HOLDING_TERMS_COLUMNS,
    METHOD,
    ModelInputs,
    empty_cost_forecasts,
    empty_holding_terms,
)
from .fair_value_results import (
    CashPeriod,
    ContractOutlook,
    FairValue,
    HoldingProposal,
    MetricPerformance,
    ProjectFairValue,
)
from .fair_value_sharing import accrued_interest, split_largest_remainder
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
    "Paths",
    "ProjectFairValue",
    "accrued_interest",
    "build_engine",
    "calibrated_rates",
    "choose_rates",
    "empty_cost_forecasts",
    "empty_holding_terms",
    "project_cut",
    "projects_to_value",
    "propose_fair_values",
    "split_largest_remainder",
]


def _pounds(pence: float) -> Decimal:
    return pence_to_decimal(int(pence))


def projects_to_value(
    projects: pd.DataFrame,
    holdings: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    cost_forecasts: pd.DataFrame,
    fund_ids: Collection[str] | None = None,
) -> tuple[list[str], list[str]]:
    """(projects to value, active projects with nothing to model): the **active** projects
    (``status`` active) with an outcome contract or a cost forecast, held by one of
    ``fund_ids`` (None: by anyone), sorted."""
    active = set(projects.loc[projects["status"] == "active", "project_id"])
    if fund_ids is not None:
        active &= set(holdings.loc[holdings["holder_id"].isin(list(fund_ids)), "project_id"])
    modelled = set(outcome_contracts["project_id"]) | set(cost_forecasts["project_id"])
    return sorted(str(p) for p in active & modelled), sorted(str(p) for p in active - modelled)


def project_cut(inputs: ModelInputs, project_ids: Collection[str] | None) -> list[str]:
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
    # summed once for all projects: a filter per project costs projects × rows
    drawn_on = drawdowns.groupby(["project_id", "date"])["amount_pence"].sum()
    out: dict[str, tuple[float | None, str]] = {}
    for p in project_ids:
        if p not in first.index:
            out[p] = (None, "no drawdown: nothing to calibrate to")
    entry = {p: first[p] for p in project_ids if p in first.index}
    if not entry:
        return out
    engine = build_engine(inputs, entry, keep_forecast=True, with_holdings=False, at_entry=True)
    paths = engine.run(np.ones((1, len(engine.metrics))), np.zeros(len(engine.project_ids)))
    cell_rows = _groups(engine.cell_project, len(engine.project_ids))
    cost_rows = _groups(engine.cost_project, len(engine.project_ids))
    for i, p in enumerate(engine.project_ids):
        d0 = pd.Timestamp(entry[p])
        drawn = int(drawn_on[(p, d0)])
        cells, costs = cell_rows[i], cost_rows[i]
        days = np.r_[engine.cut_day[i], engine.cell_day[cells], engine.cost_day[costs]]
        # the price paid at entry, less the cash the project then held (the drawdown
        # itself, until it is spent): what the model's net cash to come must repay
        at_entry = engine.cash[i] - drawn
        amounts = np.r_[at_entry, paths.cell_pay[0, cells], -engine.cost_pence[costs]]
        result = xirr(days.astype("datetime64[D]"), amounts.tolist(), annualise_short=True)
        note = f"calibrated at {d0.date().isoformat()} to £{pence_to_decimal(drawn):,} drawn"
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
    ids = project_cut(inputs, project_ids)
    engine = build_engine(inputs, {p: as_of for p in ids}, keep_forecast=keep_forecast)
    rate_of = choose_rates(inputs, ids, rate, rates)
    rate_array = np.array([np.nan if rate_of[p][0] is None else rate_of[p][0] for p in ids])
    paths = engine.run(np.ones((1, len(engine.metrics))), rate_array)
    return _fair_value(
        inputs, engine, paths, rate_of, "given" if rate is not None else "calibrated", as_of
    )


def choose_rates(
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
    # Each project's metrics, contracts, cells and costs as index groups worked out once:
    # a mask per project costs projects × rows, hours at 50,000 projects.
    n = len(engine.project_ids)
    metric_rows = _groups(engine.metrics["project"].to_numpy(), n)
    contract_rows = _groups(engine.contract_project, n)
    cell_rows = _groups(engine.cell_project, n)
    cost_rows = _groups(engine.cost_project, n)
    cells_of_contract = _groups(engine.cell_contract, len(engine.contracts))
    metric_list = engine.metrics[["metric_id", "contract_id", "achieved", "forecast", "ratio"]]
    metric_values = list(metric_list.itertuples(index=False, name=None))
    contract_values = engine.contracts[
        ["contract_id", "cap_pence", "paid_pence", "headroom_pence", "arrears_pence"]
    ].to_numpy(dtype=object)
    for i, p in enumerate(engine.project_ids):
        r, note = rate_of[p]
        performance = tuple(
            MetricPerformance(str(mid), str(cid), int(achieved), int(forecast), float(ratio))
            for mid, cid, achieved, forecast, ratio in (metric_values[m] for m in metric_rows[i])
        )
        contracts = []
        for c in contract_rows[i]:
            contract_id, cap, paid, headroom, arrears = contract_values[c]
            expected = int(pay[cells_of_contract[c]].sum())
            contracts.append(
                ContractOutlook(
                    contract_id=str(contract_id),
                    project_id=p,
                    cap=pence_to_decimal(int(cap)),
                    paid=pence_to_decimal(int(paid)),
                    headroom=pence_to_decimal(int(headroom)),
                    arrears=pence_to_decimal(int(arrears)),
                    expected=pence_to_decimal(expected),
                    headroom_after=pence_to_decimal(int(headroom) - expected),
                    cap_reached=bool(paths.cap_reached[0, c]),
                )
            )
        cells = cell_rows[i]
        costs = cost_rows[i]
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
                cash_held=_pounds(engine.cash[i]),
                performance=performance,
                contracts=tuple(contracts),
                cash=tuple(cash),
                unallocated=_pounds(paths.unallocated[0, i]),
            )
        )
    holdings = []
    for h, row in enumerate(engine.holdings.to_dict("records")):
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


def _groups(keys: np.ndarray, count: int) -> list[np.ndarray]:
    """For each k below ``count``, the positions where ``keys`` is k, ascending."""
    keys = np.asarray(keys, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    return np.split(order, np.cumsum(np.bincount(keys, minlength=count))[:-1])


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
