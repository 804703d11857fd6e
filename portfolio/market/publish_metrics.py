"""``passu publish``'s own files beside the INDIGO layout: ``metrics.csv`` (the same
measures for every project, for the quarter and to date) and the README."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd

from passu.portfolio.store.frames import Ledger
from passu.valuation.money import money_text, pence_to_decimal

METRICS_COLUMNS = (
    "project_id",
    "measure",
    "metric_id",
    "quarter",
    "quarter_value",
    "to_date_value",
)


def quarter_label(start: dt.date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def money(pence: int) -> str:
    return str(money_text(pence_to_decimal(int(pence))))


def number(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def metric_scope(frames: Ledger, projects: tuple[str, ...]) -> pd.DataFrame:
    """The projects' outcome metrics with their project_id and policy_area."""
    metrics = frames.outcome_metrics.merge(
        frames.outcome_contracts[["contract_id", "project_id"]], on="contract_id"
    ).merge(frames.projects[["project_id", "policy_area"]], on="project_id")
    return metrics[metrics["project_id"].isin(projects)].sort_values(["project_id", "metric_id"])


def measures(
    frames: Ledger, projects: tuple[str, ...], start: dt.date, end: dt.date, label: str
) -> list[dict[str, Any]]:
    """The same measures for every project: this quarter and to date (money as £ with 2 dp)."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    rows: list[dict[str, Any]] = []

    def add(project: str, measure: str, metric: str, quarter: Any, to_date: Any) -> None:
        rows.append(
            {
                "project_id": project,
                "measure": measure,
                "metric_id": metric,
                "quarter": label,
                "quarter_value": quarter,
                "to_date_value": to_date,
            }
        )

    pm = frames.project_measures
    contracts = frames.outcome_contracts[["contract_id", "project_id"]]
    paid = frames.outcome_payments.merge(contracts, on="contract_id")
    paid = paid[paid["date"] <= last]
    flows = frames.project_flows
    drawn = flows[(flows["kind"] == "drawdown") & (flows["date"] <= last)]
    metrics = metric_scope(frames, projects)
    outcomes = frames.outcomes[frames.outcomes["period_end"] <= last].merge(
        metrics[["metric_id", "project_id"]], on="metric_id"
    )

    def total(frame: pd.DataFrame, column: str, date: str, key: str, value: Any) -> tuple[Any, Any]:
        mine = frame[frame[key] == value]
        in_quarter = mine[mine[date] >= first]
        return in_quarter[column].sum(), mine[column].sum()

    for project in projects:
        for measure in ("referrals", "participants"):
            mine = pm[
                (pm["project_id"] == project)
                & (pm["measure"] == measure)
                & (pm["period_end"] <= last)
            ]
            to_date = sum((Decimal(v) for v in mine["value"]), Decimal(0))
            quarter = sum(
                (Decimal(v) for v in mine[mine["period_end"] >= first]["value"]), Decimal(0)
            )
            add(project, measure, "", number(quarter), number(to_date))
        q, t = total(outcomes, "achieved", "period_end", "project_id", project)
        add(project, "outcomes_achieved", "", int(q), int(t))
        for metric in metrics[metrics["project_id"] == project]["metric_id"]:
            q, t = total(outcomes, "achieved", "period_end", "metric_id", metric)
            add(project, "outcomes_achieved", metric, int(q), int(t))
        q, t = total(paid, "amount_pence", "date", "project_id", project)
        add(project, "outcome_payments", "", money(q), money(t))
        q, t = total(drawn, "amount_pence", "date", "project_id", project)
        add(project, "capital_drawn", "", money(q), money(t))
    return rows


def readme(
    frames: Ledger, fund_ids: tuple[str, ...], label: str, start: dt.date, end: dt.date
) -> str:
    funds = frames.funds[frames.funds["fund_id"].isin(fund_ids)].sort_values("fund_id")
    managers = ", ".join(sorted(set(funds["manager"])))
    names = "; ".join(f"{r.fund_id} ({r.name})" for r in funds.itertuples())
    return f"""# Outcomes partnerships of {names}: {quarter_label(start)}

- Publisher: {managers}, fund manager of {names}.
- As of: {end.isoformat()} (the end of {quarter_label(start)}); only rows dated on or before it.
- Source: the fund's own records in passu (holdings and their drawdowns, outcome contracts,
  outcomes achieved, outcome payments, project measures); scope {label}.
- Layout: the INDIGO data standard's flat CSV files, with the same file names and column
  headers as the GO Lab INDIGO Impact Bond Dataset export (projects.csv, orgs.csv,
  projects_investments.csv, projects_outcome_payments.csv, projects_results.csv,
  projects_outcome_metrics.csv); columns passu does not hold are left empty.
- Aggregates only: nothing about any individual person served. Investors and outcome payers
  are organisations and are named, as INDIGO does.

## Definitions
- Capital raised (Total investment commitment): the sum of every holder's commitment to the
  project (the fund and its co-investors).
- Maximum potential outcome payment: the sum of the caps of the project's outcome contracts.
- Outcome payments (Type Actual): paid by each payer, summed per contract, metric and
  calendar quarter, up to {end.isoformat()}.
- Total funds invested (latest): all holders' drawdowns up to {end.isoformat()}.
- metrics.csv: the same measures for every project, for {quarter_label(start)} and to date:
  referrals and participants (project measures), outcomes achieved (in all and by metric,
  periods ending in the quarter / by its end), outcome payments and capital drawn (pounds).
"""
