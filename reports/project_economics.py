"""Each project page's economics: its cost stack, innovation register, cash and evaluations.

Every figure is the stored run's (``project_details``, computed by
``valuation/report_sections.py`` when the run was made: the stack by
``valuation/economics.py``, the register by ``valuation/innovations.py``, the quarterly
cash and its what-if by ``valuation/cash_profile.py`` and ``valuation/what_if.py``).
Nothing here computes a figure; it picks the unit each reads in and says what a
missing one means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passu.valuation.economics import NO_COSTS

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

# A stack whose largest figure reaches this reads in millions throughout (£0.3m beside
# £6.6m, as the published example does); a smaller one in the units each amount needs.
MILLIONS_FROM = Decimal(1_000_000)
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


def economics_views(document: dict[str, Any]) -> dict[str, ProjectEconomicsView]:
    """The economics part of each project's page, from the run's ``project_details``."""
    views = {}
    for d in document["project_details"]:
        actual = d["cash_profile"]
        views[d["project_id"]] = ProjectEconomicsView(
            stack=cost_stack(d["economics"]),
            stack_notes=_stack_notes(d["economics"]),
            register=_register(d["innovations"]),
            cash=cash_chart(actual, d["what_if"]),
            cash_note="No drawdown, spending, outcome receipt or return recorded yet."
            if not actual
            else "",
            evaluations=_evaluations(d["evaluations"]),
        )
    return views


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def cost_stack(e: dict[str, Any]) -> tuple[StackLine, ...]:
    """The stack as the published family-therapy example reads, top to bottom.

    With no cost rows the expenditure lines say so (never £0), and what is
    unexplained cannot be known.
    """
    amounts = [
        _money(e[k]) for k in ("project_expenditure", "cost_to_government", "cost_of_financing")
    ]
    largest = max((abs(a) for a in amounts if a is not None), default=Decimal(0))
    money = money_millions if largest >= MILLIONS_FROM else money_short
    if e["project_expenditure"] is None:
        spent: tuple[StackLine, ...] = (StackLine("Project expenditure", NO_COSTS, "subtotal"),)
    else:
        spent = (
            StackLine("Delivery", money(e["delivery_cost"])),
            StackLine("Innovations", money(e["innovation_cost"])),
            StackLine("at bid (design)", money(e["innovation_design_cost"]), "part"),
            StackLine("added in delivery (pilot)", money(e["innovation_pilot_cost"]), "part"),
            StackLine("Management and other", money(e["other_cost"])),
            StackLine("Project expenditure", money(e["project_expenditure"]), "subtotal"),
        )
    beneficiaries = e["beneficiaries"]
    return (
        *spent,
        StackLine("Cost of financing (what the holders earned)", money(e["cost_of_financing"])),
        StackLine("Unexplained (surplus or data gap)", money(e["unexplained"])),
        StackLine("Cost to government (outcome payments)", money(e["cost_to_government"]), "total"),
        StackLine(
            "Beneficiaries (participants)",
            count(None if beneficiaries is None else Decimal(str(beneficiaries))),
        ),
        StackLine("Cost per beneficiary", money_short(e["cost_per_beneficiary"])),
        StackLine("Outcomes payers", count(e["payers"])),
        StackLine("Cost per payer", money_short(e["cost_per_payer"])),
    )


def _stack_notes(e: dict[str, Any]) -> tuple[str, ...]:
    """Only what is particular to this project: the stack's definitions are in Methods."""
    notes = []
    if e["project_expenditure"] is None:
        notes.append(
            "No costs recorded for this project: its expenditure is unknown, not zero, "
            "so what is unexplained cannot be shown."
        )
    missing = [n for n in e["notes"] if n != NO_COSTS]
    if missing:
        notes.append(f"Also: {'; '.join(missing)}.")
    return tuple(notes)


def _register(register: list[dict[str, Any]]) -> Table:
    # the total row adds up the rows shown, to the penny (Decimal)
    estimated = sum((Decimal(i["estimated_cost"]) for i in register), Decimal(0))
    actual = sum((Decimal(i["actual_cost"]) for i in register), Decimal(0))
    return Table(
        headers=("Id", "Stage", "Theme", "Innovation", "Estimated", "Actual", "Variance", "Status"),
        numeric=(False, False, False, False, True, True, True, False),
        rows=tuple(
            (
                i["innovation_id"],
                STAGES.get(i["stage"], i["stage"]),
                i["theme"],
                i["name"],
                money_short(i["estimated_cost"]),
                money_short(i["actual_cost"]),
                money_change(i["variance"]),
                i["status"],
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


def _evaluations(rows: list[dict[str, Any]]) -> Table:
    return Table(
        headers=("Date", "Evaluator", "Kind", "Summary", "Link"),
        numeric=(False,) * 5,
        rows=tuple(
            (
                short_date(r["date"]),
                r["evaluator"] or "",
                EVALUATION_KINDS.get(r["kind"], label(r["kind"])),
                r["summary"] or MISSING,
                r["link"] or MISSING,
            )
            for r in rows
        ),
        caption="Evaluations",
        # a link is a reference for the reader; the renderer never follows one
        notes=("Links are printed as text and were not opened.",) if rows else (),
        empty_text="No evaluation recorded.",
    )


def cash_chart(actual: list[dict[str, Any]], what_if: dict[str, Any] | None) -> Chart | None:
    """Cumulative net cash by quarter; beside it, with innovations, the what-if without them."""
    if not actual:
        return None
    series = [_cumulative("Actual", actual)]
    caption = "Drawdowns + outcome receipts − spending − returns to holders, cumulated."
    if what_if and what_if["cash_profile"]:
        gain = percent(what_if["productivity_gain"], 0)
        series.append(
            _cumulative(f"Without the innovation spending ({gain} gain)", what_if["cash_profile"])
        )
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


def _cumulative(name: str, quarters: list[dict[str, Any]]) -> charts.Series:
    return charts.Series(
        name,
        tuple(dt.date.fromisoformat(q["quarter_end"]) for q in quarters),
        tuple(float(Decimal(q["cumulative_net"])) for q in quarters),
        "line",  # markers cost WeasyPrint twice the drawing time, forty charts a pack
    )
