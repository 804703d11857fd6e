"""Each project page's economics: its cost stack, innovation register, cash and evaluations.

The figures come from the use cases the CLI prints (``passu project economics``,
``passu project cash-profile``), over the frames the pack already loaded as of T:
the stack from ``portfolio/economics_report.py`` (every project's holdings valued
in one pass), the register from ``valuation/innovations.py``, the quarterly cash
from ``valuation/cash_profile.py``. Nothing here recomputes a figure; it picks the
unit each reads in and says what a missing one means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from passu.portfolio.economics import economics_of_projects
from passu.portfolio.store.frames import Ledger
from passu.valuation.cash_profile import CashQuarter, cash_profiles
from passu.valuation.economics import NO_COSTS, ProjectEconomics
from passu.valuation.innovations import InnovationCost, innovation_register

from . import charts
from .formatting import (
    MISSING,
    count,
    label,
    money_change,
    money_millions,
    money_short,
    percent,
    short_date,
)
from .line_svg import line_chart
from .model import Chart, Table

# What the what-if credits the innovations with: the published family-therapy programme
# reports an 80% productivity increase from the £1.8m it spent on innovations.
WHAT_IF_PRODUCTIVITY_GAIN = Decimal("0.8")
# A stack whose largest figure reaches this reads in millions throughout (£0.3m beside
# £6.6m, as the published example does); a smaller one in the units each amount needs.
MILLIONS_FROM = Decimal(1_000_000)
# Room for "−£1.2m" on the left and a one-row legend above, on a 6.6 × 2.2 in chart.
STAGES = {"design": "design (at bid)", "pilot": "pilot (in delivery)"}
EVALUATION_KINDS = {
    "qca": "Qualitative comparative analysis",
    "participant_voice": "Participant voice",
}


@dataclass(frozen=True)
class StackLine:
    """One line of the cost stack; ``kind`` is the stylesheet's: item, part, subtotal, total."""

    label: str
    text: str
    kind: str = "item"


@dataclass(frozen=True)
class ProjectEconomicsView:
    stack: tuple[StackLine, ...]
    stack_notes: tuple[str, ...]
    register: Table
    cash: Chart | None
    cash_note: str
    evaluations: Table


def economics_views(
    frames: Ledger, project_ids: Collection[str], as_of: dt.date
) -> dict[str, ProjectEconomicsView]:
    """The economics part of each project's page (the frames are already as of T)."""
    ids = sorted(project_ids)
    stacks = economics_of_projects(frames, ids, as_of)
    registers: dict[str, list[InnovationCost]] = {pid: [] for pid in ids}
    for innovation in innovation_register(
        innovations=frames.innovations,
        project_costs=frames.project_costs,
        as_of=as_of,
        project_ids=ids,
    ):
        registers[innovation.project_id].append(innovation)
    cash = {
        "project_flows": frames.project_flows,
        "project_costs": frames.project_costs,
        "outcome_payments": frames.outcome_payments,
        "outcome_contracts": frames.outcome_contracts,
        "as_of": as_of,
        "project_ids": ids,
    }
    actuals = cash_profiles(**cash)  # type: ignore[arg-type]
    innovating = [pid for pid in ids if registers[pid]]
    what_ifs = (
        cash_profiles(
            **{**cash, "project_ids": innovating},  # type: ignore[arg-type]
            without_innovation=True,
            productivity_gain=WHAT_IF_PRODUCTIVITY_GAIN,
        )
        if innovating
        else {}
    )
    evaluations = frames.evaluations.groupby("project_id")
    views = {}
    for pid in ids:
        actual = actuals.get(pid, ())
        views[pid] = ProjectEconomicsView(
            stack=cost_stack(stacks[pid]),
            stack_notes=_stack_notes(stacks[pid]),
            register=_register(registers[pid]),
            cash=cash_chart(actual, what_ifs.get(pid, ()) if registers[pid] else None),
            cash_note="No drawdown, spending, outcome receipt or return recorded yet."
            if not actual
            else "",
            evaluations=_evaluations(
                evaluations.get_group(pid)
                if pid in evaluations.groups
                else frames.evaluations.iloc[0:0]
            ),
        )
    return views


def cost_stack(e: ProjectEconomics) -> tuple[StackLine, ...]:
    """The stack as the published family-therapy example reads, top to bottom.

    With no cost rows the expenditure lines say so (never £0), and what is
    unexplained cannot be known.
    """
    amounts = [e.project_expenditure, e.cost_to_government, e.cost_of_financing]
    largest = max((abs(a) for a in amounts if a is not None), default=Decimal(0))
    money = money_millions if largest >= MILLIONS_FROM else money_short
    if e.project_expenditure is None:
        spent: tuple[StackLine, ...] = (StackLine("Project expenditure", NO_COSTS, "subtotal"),)
    else:
        spent = (
            StackLine("Delivery", money(e.delivery_cost)),
            StackLine("Innovations", money(e.innovation_cost)),
            StackLine("at bid (design)", money(e.innovation_design_cost), "part"),
            StackLine("added in delivery (pilot)", money(e.innovation_pilot_cost), "part"),
            StackLine("Management and other", money(e.other_cost)),
            StackLine("Project expenditure", money(e.project_expenditure), "subtotal"),
        )
    return (
        *spent,
        StackLine("Cost of financing (what the holders earned)", money(e.cost_of_financing)),
        StackLine("Unexplained (surplus or data gap)", money(e.unexplained)),
        StackLine("Cost to government (outcome payments)", money(e.cost_to_government), "total"),
        StackLine("Beneficiaries (participants)", count(e.beneficiaries)),
        StackLine("Cost per beneficiary", money_short(e.cost_per_beneficiary)),
        StackLine("Outcomes payers", count(e.payers)),
        StackLine("Cost per payer", money_short(e.cost_per_payer)),
    )


def _stack_notes(e: ProjectEconomics) -> tuple[str, ...]:
    """Only what is particular to this project: the stack's definitions are in Methods."""
    notes = []
    if e.project_expenditure is None:
        notes.append(
            "No costs recorded for this project: its expenditure is unknown, not zero, "
            "so what is unexplained cannot be shown."
        )
    missing = [n for n in e.notes if n != NO_COSTS]
    if missing:
        notes.append(f"Also: {'; '.join(missing)}.")
    return tuple(notes)


def _register(register: list[InnovationCost]) -> Table:
    estimated = sum((i.estimated_cost for i in register), Decimal(0))
    actual = sum((i.actual_cost for i in register), Decimal(0))
    return Table(
        headers=("Id", "Stage", "Theme", "Innovation", "Estimated", "Actual", "Variance", "Status"),
        numeric=(False, False, False, False, True, True, True, False),
        rows=tuple(
            (
                i.innovation_id,
                STAGES.get(i.stage, i.stage),
                i.theme,
                i.name,
                money_short(i.estimated_cost),
                money_short(i.actual_cost),
                money_change(i.variance),
                i.status,
            )
            for i in register
        ),
        total=(
            "Total",
            "",
            "",
            f"{count(len(register))} innovations",
            money_short(estimated),
            money_short(actual),
            money_change(actual - estimated),
            "",
        )
        if register
        else None,
        caption="Innovation register",
        notes=(
            "Actual = the cost rows recorded against each innovation to date; "
            "variance = actual − estimated.",
        )
        if register
        else (),
        empty_text="No innovation recorded.",
    )


def _evaluations(rows: pd.DataFrame) -> Table:
    def text(value: object) -> str:
        return "" if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]

    ordered = rows.sort_values(["date", "evaluator"])
    return Table(
        headers=("Date", "Evaluator", "Kind", "Summary", "Link"),
        numeric=(False,) * 5,
        rows=tuple(
            (
                short_date(pd.Timestamp(r.date).date()),
                text(r.evaluator),
                EVALUATION_KINDS.get(str(r.kind), label(str(r.kind))),
                text(r.summary) or MISSING,
                text(r.link) or MISSING,
            )
            for r in ordered.itertuples(index=False)
        ),
        caption="Evaluations",
        # a link is a reference for the reader; the renderer never follows one
        notes=("Links are printed as text and were not opened.",) if len(ordered) else (),
        empty_text="No evaluation recorded.",
    )


def cash_chart(
    actual: tuple[CashQuarter, ...], what_if: tuple[CashQuarter, ...] | None
) -> Chart | None:
    """Cumulative net cash by quarter; beside it, with innovations, the what-if without them."""
    if not actual:
        return None
    series = [_cumulative("Actual", actual)]
    caption = "Drawdowns + outcome receipts − spending − returns to holders, cumulated."
    if what_if:
        gain = percent(WHAT_IF_PRODUCTIVITY_GAIN, 0)
        series.append(_cumulative(f"Without the innovation spending ({gain} gain)", what_if))
        caption += (
            " Without the innovation spending: innovation costs dropped and outcome receipts "
            f"divided by 1 + {gain}, assuming the innovations bought a productivity increase "
            f"of {gain} (the published family-therapy programme's figure); drawdowns and "
            "returns to holders unchanged."
        )
    return Chart(
        "Cash profile: cumulative net position by quarter",
        line_chart(series, label=charts.money_axis_label, height_in=2.2),
        caption,
    )


def _cumulative(name: str, quarters: tuple[CashQuarter, ...]) -> charts.Series:
    return charts.Series(
        name,
        tuple(q.quarter_end for q in quarters),
        tuple(float(q.cumulative_net) for q in quarters),
        "line",  # markers cost WeasyPrint twice the drawing time, forty charts a pack
    )
