"""What the committee pack and the statements show beyond the run's figures, computed when
the run is made and stored in it, so a report renders the run and nothing else.

``report_sections(ledger, as_of, fund_ids, label, fund_at)`` returns the document's
sections after ``claims`` (docs/run-document.md), JSON-ready: money as two-decimal
strings, rates as fractions rounded to 10 places, dates ISO, counts integers:

- ``names``: each fund's and investor's name, by id;
- ``history``: the fund at each past 31 December (``fund_at(day)`` is the run's
  ``fund`` object valued at ``day`` with the same ledger) and the J-curve's cumulative
  net cash to investors (``valuation.history``);
- ``project_details``: per project in scope, who pays for its outcomes, outcomes against
  forecast (by project and metric), contracts against caps, partners, holdings'
  commitments and instruments, latest marks, the cost stack, the innovation register,
  the quarterly cash profile and, for a project that innovated, the what-if without its
  innovation spending (``valuation.what_if``), evaluations;
- ``innovations``: the project × theme matrix (actual cost) beside outcomes;
- ``claims_ageing``: claims waiting, by stage and days;
- ``investor_flows``: every call and distribution of the funds in scope (statements).

``fair_value_section(ledger, as_of, fund_ids)`` (valuation/fair_value_report.py) is one
more, optional section (``fair_value``), computed from the **whole** ledger (forecasts
after T are its input, which the others' ledger as of T has left out): each active
project's proposed value, calibrated rate and performance ratio, and per fund its
holdings' proposed marks against their current NAV with the scenarios' bands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any

import pandas as pd

from .cash_profile import CashQuarter, cash_profiles
from .claims import claims_position
from .economics import ProjectEconomics, ledger_economics, measure_number
from .fair_value_report import FAIR_VALUE_PATHS, FAIR_VALUE_SEED, fair_value_section
from .history import cumulative_cash, first_call, net_cash_at, year_ends
from .innovations import InnovationCost, innovation_portfolio, innovation_register
from .ledger import Ledger
from .money import money_text, pence_to_decimal
from .outcomes import CapPosition, OutcomeProgress, outcome_progress, payments_against_caps
from .what_if import WHAT_IF_PRODUCTIVITY_GAIN, what_if_profiles

__all__ = [
    "FAIR_VALUE_PATHS",
    "FAIR_VALUE_SEED",
    "HISTORY_KEYS",
    "SECTION_KEYS",
    "FundAt",
    "fair_value_section",
    "report_sections",
]


FundAt = Callable[[dt.date], dict[str, Any]]
# The fund figures each year-end keeps (the charts draw these).
HISTORY_KEYS = (
    "nav",
    "net_irr",
    "cost_of_capital",
    "hmt_benchmark",
    "green_book_real",
    "green_book_nominal",
)
SECTION_KEYS = (
    "names",
    "history",
    "project_details",
    "innovations",
    "claims_ageing",
    "investor_flows",
)


def _rate(value: float | Decimal | None) -> float | None:
    return None if value is None else round(float(value), 10)


def _day(value: object) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def scope_project_ids(ledger: Ledger, fund_ids: Collection[str]) -> tuple[str, ...]:
    """The projects any fund in ``fund_ids`` holds a stake in, sorted."""
    held = ledger.holdings[ledger.holdings["holder_id"].isin(list(fund_ids))]
    return tuple(sorted(str(p) for p in held["project_id"].unique()))


def report_sections(
    ledger: Ledger,
    as_of: dt.date,
    fund_ids: Collection[str],
    label: str,
    fund_at: FundAt,
) -> dict[str, Any]:
    """The report sections of the run of ``label`` (``fund_ids``) at ``as_of`` (module
    docstring); ``ledger`` is as of ``as_of``."""
    ids = scope_project_ids(ledger, fund_ids)
    progress = _progress(ledger, ids, as_of)
    return {
        "names": {
            "funds": _names(ledger.funds, "fund_id"),
            "investors": _names(ledger.investors, "investor_id"),
        },
        "history": _history(ledger, as_of, fund_ids, fund_at),
        "project_details": _project_details(ledger, ids, as_of, progress),
        "innovations": _innovation_matrix(ledger, ids, as_of, progress),
        "claims_ageing": _claims_ageing(ledger, ids, as_of),
        "investor_flows": _investor_flows(ledger, fund_ids),
    }


def _names(frame: pd.DataFrame, key: str) -> dict[str, str]:
    ordered = frame.sort_values(key)
    return {str(k): str(n) for k, n in zip(ordered[key], ordered["name"], strict=True)}


def _history(
    ledger: Ledger, as_of: dt.date, fund_ids: Collection[str], fund_at: FundAt
) -> dict[str, Any]:
    start = first_call(ledger.investor_flows, fund_ids)
    cash = cumulative_cash(ledger.investor_flows, fund_ids, as_of)
    points = []
    for day in year_ends(start, as_of) if start else ():
        fund = fund_at(day)
        net = net_cash_at(cash, day)
        points.append(
            {
                "as_of": day.isoformat(),
                **{key: fund.get(key) for key in HISTORY_KEYS},
                "net_cash": money_text(net),
                "net_cash_plus_nav": money_text(net + Decimal(fund["nav"])),
            }
        )
    net = net_cash_at(cash, as_of)
    nav = Decimal(fund_at(as_of)["nav"])
    return {
        "year_ends": points,
        "net_cash": money_text(net),
        "net_cash_plus_nav": money_text(net + nav),
        "cumulative_cash": [
            {"date": c.date.isoformat(), "cumulative_net": money_text(c.cumulative_net)}
            for c in cash
        ],
    }


def _progress(
    ledger: Ledger, ids: tuple[str, ...], as_of: dt.date
) -> dict[str, dict[str, OutcomeProgress]]:
    args = {
        "outcomes": ledger.outcomes,
        "outcome_metrics": ledger.outcome_metrics,
        "outcome_contracts": ledger.outcome_contracts,
        "projects": ledger.projects,
        "outcome_payments": ledger.outcome_payments,
        "as_of": as_of,
        "project_ids": ids,
    }
    return {
        level: {p.key: p for p in outcome_progress(level=level, **args)}  # type: ignore[arg-type]
        for level in ("project", "metric")
    }


def _outcomes(p: OutcomeProgress) -> dict[str, Any]:
    return {
        "achieved": p.achieved,
        "forecast": p.forecast,
        "payments": money_text(p.payments),
        "cost_per_outcome": money_text(p.cost_per_outcome),
        "note": p.note,
    }


def _stack(e: ProjectEconomics) -> dict[str, Any]:
    return {
        "delivery_cost": money_text(e.delivery_cost),
        "innovation_cost": money_text(e.innovation_cost),
        "innovation_design_cost": money_text(e.innovation_design_cost),
        "innovation_pilot_cost": money_text(e.innovation_pilot_cost),
        "other_cost": money_text(e.other_cost),
        "project_expenditure": money_text(e.project_expenditure),
        "cost_of_financing": money_text(e.cost_of_financing),
        "unexplained": money_text(e.unexplained),
        "cost_to_government": money_text(e.cost_to_government),
        "beneficiaries": measure_number(e.beneficiaries),
        "cost_per_beneficiary": money_text(e.cost_per_beneficiary),
        "payers": e.payers,
        "cost_per_payer": money_text(e.cost_per_payer),
        "notes": list(e.notes),
    }


def innovation_record(i: InnovationCost) -> dict[str, Any]:
    return {
        "innovation_id": i.innovation_id,
        "stage": i.stage,
        "theme": i.theme,
        "name": i.name,
        "estimated_cost": money_text(i.estimated_cost),
        "actual_cost": money_text(i.actual_cost),
        "variance": money_text(i.variance),
        "status": i.status,
    }


def _cumulative(quarters: Iterable[CashQuarter]) -> list[dict[str, Any]]:
    return [
        {
            "quarter": q.quarter,
            "quarter_end": q.quarter_end.isoformat(),
            "cumulative_net": money_text(q.cumulative_net),
        }
        for q in quarters
    ]


def _split(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """``frame``'s rows (named tuples) by ``project_id``, each group in the frame's order."""
    rows: dict[str, list[Any]] = {}
    for row in frame.itertuples(index=False):
        rows.setdefault(str(row.project_id), []).append(row)
    return rows


def _contract(c: Any, payers: list[Any], position: CapPosition) -> dict[str, Any]:
    own = sorted((p for p in payers if p.contract_id == c.contract_id), key=lambda p: p.payer)
    return {
        "contract_id": str(c.contract_id),
        "name": str(c.name),
        "start_date": _day(c.start_date),
        "end_date": _day(c.end_date),
        "payers": [{"payer": str(p.payer), "share": _rate(Decimal(str(p.share)))} for p in own],
        "cap": money_text(position.cap),
        "paid": money_text(position.paid),
        "headroom": money_text(position.headroom),
        "over_cap": position.over_cap,
    }


def _project_details(
    ledger: Ledger,
    ids: tuple[str, ...],
    as_of: dt.date,
    progress: dict[str, dict[str, OutcomeProgress]],
) -> list[dict[str, Any]]:
    caps = {
        c.contract_id: c
        for c in payments_against_caps(
            outcome_contracts=ledger.outcome_contracts,
            outcome_payments=ledger.outcome_payments,
            as_of=as_of,
            project_ids=ids,
        )
    }
    stacks = ledger_economics(ledger, ids, as_of)
    registers: dict[str, list[InnovationCost]] = {pid: [] for pid in ids}
    for innovation in innovation_register(
        innovations=ledger.innovations,
        project_costs=ledger.project_costs,
        as_of=as_of,
        project_ids=ids,
    ):
        registers[innovation.project_id].append(innovation)
    cash = {
        "project_flows": ledger.project_flows,
        "project_costs": ledger.project_costs,
        "outcome_payments": ledger.outcome_payments,
        "outcome_contracts": ledger.outcome_contracts,
        "as_of": as_of,
    }
    actuals = cash_profiles(**cash, project_ids=ids) if ids else {}  # type: ignore[arg-type]
    what_ifs = what_if_profiles(
        **cash,  # type: ignore[arg-type]
        project_ids=[pid for pid in ids if registers[pid]],
        productivity_gain=WHAT_IF_PRODUCTIVITY_GAIN,
    )

    contracts = ledger.outcome_contracts[ledger.outcome_contracts["project_id"].isin(ids)]
    payers = ledger.contract_payers.merge(
        contracts[["contract_id", "project_id"]], on="contract_id"
    )
    metrics = ledger.outcome_metrics.merge(
        contracts[["contract_id", "project_id"]], on="contract_id"
    )
    partners = ledger.delivery_partners[ledger.delivery_partners["project_id"].isin(ids)]
    holdings = ledger.holdings[ledger.holdings["project_id"].isin(ids)]
    marks = ledger.marks[ledger.marks["project_id"].isin(ids)].sort_values(
        ["project_id", "holder_id", "tranche", "date"]
    )
    latest = marks.groupby(["project_id", "holder_id", "tranche"]).tail(1)
    evaluations = ledger.evaluations[ledger.evaluations["project_id"].isin(ids)].sort_values(
        ["date", "evaluator"]
    )
    projects = ledger.projects.set_index("project_id")
    by_project, by_metric = progress["project"], progress["metric"]
    # each table split by project once: a filter per project costs projects × rows
    payers_of, holdings_of, partners_of = _split(payers), _split(holdings), _split(partners)
    metrics_of = _split(metrics.sort_values("metric_id"))
    contracts_of = _split(contracts.sort_values("contract_id"))
    latest_of = _split(latest)
    evaluations_of = _split(evaluations)

    details = []
    for pid in ids:
        row = projects.loc[pid]
        own_payers = payers_of.get(pid, [])
        details.append(
            {
                "project_id": pid,
                "coordinator": str(row["coordinator"]),
                "start_date": _day(row["start_date"]),
                "end_date": _day(row["end_date"]),
                "payers": sorted({str(p.payer) for p in own_payers}),
                "delivery_partners": sorted(str(o.organisation) for o in partners_of.get(pid, [])),
                "outcomes": _outcomes(by_project[pid]),
                "metrics": [
                    {"name": str(m.name), "contract_id": str(m.contract_id)}
                    | _outcomes(by_metric[m.metric_id])
                    for m in metrics_of.get(pid, [])
                    if m.metric_id in by_metric
                ],
                "contracts": [
                    _contract(c, own_payers, caps[c.contract_id]) for c in contracts_of.get(pid, [])
                ],
                "holdings": [
                    {
                        "holder_id": str(h.holder_id),
                        "tranche": str(h.tranche),
                        "instrument": str(h.instrument),
                        "commitment": None
                        if pd.isna(h.commitment_pence)
                        else money_text(pence_to_decimal(h.commitment_pence)),
                    }
                    for h in holdings_of.get(pid, [])
                ],
                "latest_marks": [
                    {
                        "holder_id": str(m.holder_id),
                        "tranche": str(m.tranche),
                        "date": _day(m.date),
                        "fair_value": money_text(pence_to_decimal(m.fair_value_pence)),
                        "method": _text(m.method) or "",
                        "note": _text(m.note) or "",
                    }
                    for m in latest_of.get(pid, [])
                ],
                "economics": _stack(stacks[pid]),
                "innovations": [innovation_record(i) for i in registers[pid]],
                "cash_profile": _cumulative(actuals.get(pid, ())),
                "what_if": {
                    "productivity_gain": _rate(WHAT_IF_PRODUCTIVITY_GAIN),
                    "cash_profile": _cumulative(what_ifs.get(pid, ())),
                }
                if registers[pid]
                else None,
                "evaluations": [
                    {
                        "date": _day(e.date),
                        "evaluator": _text(e.evaluator),
                        "kind": str(e.kind),
                        "summary": _text(e.summary),
                        "link": _text(e.link),
                    }
                    for e in evaluations_of.get(pid, [])
                ],
            }
        )
    return details


def _innovation_matrix(
    ledger: Ledger,
    ids: tuple[str, ...],
    as_of: dt.date,
    progress: dict[str, dict[str, OutcomeProgress]],
) -> dict[str, Any]:
    summary = innovation_portfolio(
        innovations=ledger.innovations,
        project_costs=ledger.project_costs,
        as_of=as_of,
        project_ids=ids,
    )
    themes = sorted({cell.theme for cell in summary.project_theme})
    cells: dict[str, dict[str, str | None]] = {pid: {} for pid in ids}
    for cell in summary.project_theme:
        cells[cell.project_id][cell.theme] = money_text(cell.actual_cost)
    by_project = progress["project"]
    return {
        "themes": themes,
        "projects": [
            {
                "project_id": pid,
                "actual_by_theme": cells[pid],
                "achieved": by_project[pid].achieved,
                "forecast": by_project[pid].forecast,
                "achieved_rate": None
                if by_project[pid].forecast == 0
                else _rate(by_project[pid].achieved / by_project[pid].forecast),
            }
            for pid in ids
        ],
    }


def _claims_ageing(ledger: Ledger, ids: tuple[str, ...], as_of: dt.date) -> list[dict[str, Any]]:
    contracts = ledger.outcome_contracts
    in_scope = contracts[contracts["project_id"].isin(list(ids))]["contract_id"]
    position = claims_position(
        outcome_claims=ledger.outcome_claims,
        outcome_payments=ledger.outcome_payments,
        as_of=as_of,
        contract_ids=list(in_scope),
    )
    return [
        {"stage": a.stage, "bucket": a.bucket, "claims": a.claims, "amount": money_text(a.amount)}
        for a in position.ageing
    ]


def _investor_flows(ledger: Ledger, fund_ids: Collection[str]) -> list[dict[str, Any]]:
    flows = ledger.investor_flows[ledger.investor_flows["fund_id"].isin(list(fund_ids))]
    flows = flows.sort_values(["fund_id", "investor_id", "date", "kind", "amount_pence"])
    return [
        {
            "fund_id": str(f.fund_id),
            "investor_id": str(f.investor_id),
            "date": _day(f.date),
            "kind": str(f.kind),
            "amount": money_text(pence_to_decimal(int(f.amount_pence))),
        }
        for f in flows.itertuples(index=False)
    ]
