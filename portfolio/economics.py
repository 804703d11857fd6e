"""``passu project economics`` and ``passu project cash-profile``: one project's cost stack
and its quarterly cash, with a what-if without innovation.

The stack reconciles as cost to government = project expenditure + cost of
financing + unexplained (``valuation/economics.py``); cost of financing is what
the holders earned from the project (realised + NAV − invested over all its
holdings, ``valuation/holdings.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.register import ILLUSTRATIVE, is_illustrative, load_all
from passu.portfolio.store.frames import Ledger
from passu.valuation.cash_profile import COLUMNS, CashQuarter, cash_profile
from passu.valuation.economics import ledger_economics, measure_number, project_capitals
from passu.valuation.innovations import InnovationCost, innovation_register
from passu.valuation.money import money_text
from passu.valuation.report_sections import innovation_record


@dataclass(frozen=True)
class EconomicsView:
    """The stack (figures, in reading order), the innovation register, and the JSON document."""

    stack: Figures
    register: Listing
    document: dict[str, Any]


def _project_frames(engine: Engine, project_id: str, as_of: dt.date) -> Ledger:
    frames = load_all(engine, as_of)
    if project_id not in set(frames.projects["project_id"]):
        raise UsageError(f"no project {project_id!r}: `passu list projects` shows the ids")
    return frames


def project_economics_report(engine: Engine, project_id: str, as_of: dt.date) -> EconomicsView:
    """The cost stack of one project at T, line by line, then its innovation register."""
    frames = _project_frames(engine, project_id, as_of)
    capital = project_capitals(frames, [project_id], as_of)
    invested, realised, nav = capital[project_id]
    e = ledger_economics(frames, [project_id], as_of, capital)[project_id]
    register = innovation_register(
        innovations=frames.innovations,
        project_costs=frames.project_costs,
        as_of=as_of,
        project_ids=[project_id],
    )
    notes = [*e.notes, *([ILLUSTRATIVE] if is_illustrative(frames) else [])]
    notes.append(
        "cost to government = project expenditure + cost of financing + unexplained "
        "(a surplus or a data gap); cost of financing = realised + NAV − invested."
    )
    stack = Figures(
        f"Project economics: {project_id} at {as_of.isoformat()}",
        (
            Figure("delivery_cost", e.delivery_cost, "money", "delivery"),
            Figure("innovation_cost", e.innovation_cost, "money", "innovations"),
            Figure("innovation_design", e.innovation_design_cost, "money", "  of which at bid"),
            Figure("innovation_pilot", e.innovation_pilot_cost, "money", "  of which in delivery"),
            Figure("other_cost", e.other_cost, "money", "management and other"),
            Figure("project_expenditure", e.project_expenditure, "money", "project expenditure"),
            Figure("cost_of_financing", e.cost_of_financing, "money", "cost of financing"),
            Figure("unexplained", e.unexplained, "money", "unexplained"),
            Figure("cost_to_government", e.cost_to_government, "money", "cost to government"),
            Figure("beneficiaries", measure_number(e.beneficiaries), "count", "beneficiaries"),
            Figure("cost_per_beneficiary", e.cost_per_beneficiary, "money", "per beneficiary"),
            Figure("payers", e.payers, "count", "outcomes payers"),
            Figure("cost_per_payer", e.cost_per_payer, "money", "per payer"),
            Figure("invested", invested, "money", "invested by holders"),
            Figure("realised", realised, "money", "realised by holders"),
            Figure("nav", nav, "money", "NAV of holdings"),
        ),
        tuple(notes),
    )
    document = {
        "project_id": project_id,
        "as_of": as_of.isoformat(),
        "delivery_cost": money_text(e.delivery_cost),
        "innovation_cost": money_text(e.innovation_cost),
        "innovation_by_stage": {
            "design": money_text(e.innovation_design_cost),
            "pilot": money_text(e.innovation_pilot_cost),
        },
        "other_cost": money_text(e.other_cost),
        "project_expenditure": money_text(e.project_expenditure),
        "cost_of_financing": money_text(e.cost_of_financing),
        "cost_to_government": money_text(e.cost_to_government),
        "unexplained": money_text(e.unexplained),
        "beneficiaries": measure_number(e.beneficiaries),
        "cost_per_beneficiary": money_text(e.cost_per_beneficiary),
        "payers": e.payers,
        "cost_per_payer": money_text(e.cost_per_payer),
        "invested": money_text(invested),
        "realised": money_text(realised),
        "nav": money_text(nav),
        "innovations": [innovation_record(i) for i in register],
        "notes": list(e.notes),
    }
    return EconomicsView(stack, register_listing("Innovation register", register), document)


def register_listing(
    title: str, register: tuple[InnovationCost, ...], *, with_project: bool = False
) -> Listing:
    """The innovation register: bid (design) innovations first, then those added in delivery."""
    lead = (Column("project_id"),) if with_project else ()
    return Listing(
        title,
        (
            *lead,
            Column("innovation_id"),
            Column("stage"),
            Column("theme"),
            Column("name"),
            Column("estimated_cost", "money", "estimated"),
            Column("actual_cost", "money", "actual"),
            Column("variance", "money"),
            Column("status"),
        ),
        tuple(
            (
                *((i.project_id,) if with_project else ()),
                i.innovation_id,
                i.stage,
                i.theme,
                i.name,
                i.estimated_cost,
                i.actual_cost,
                i.variance,
                i.status,
            )
            for i in register
        ),
    )


# --- cash profile ---------------------------------------------------------------------------

WHAT_IF = ("innovation", "outcome_receipts", "net", "cumulative_net")


def cash_profile_report(
    engine: Engine,
    project_id: str,
    as_of: dt.date,
    *,
    without_innovation: bool = False,
    productivity_gain: Decimal = Decimal(0),
) -> Listing:
    """The project's cash by calendar quarter; with the what-if, its columns beside the actual.

    The what-if drops innovation spending and divides outcome receipts by
    (1 + productivity_gain): what the partnership would have received without
    the productivity its innovations bought. Drawdowns and returns unchanged.
    """
    if productivity_gain != 0 and not without_innovation:
        raise UsageError("--productivity-gain applies only with --without-innovation")
    if productivity_gain <= -1:
        raise UsageError(f"--productivity-gain must be above -1, found {productivity_gain}")
    frames = _project_frames(engine, project_id, as_of)
    common = {
        "project_flows": frames.project_flows,
        "project_costs": frames.project_costs,
        "outcome_payments": frames.outcome_payments,
        "outcome_contracts": frames.outcome_contracts,
        "as_of": as_of,
        "project_ids": [project_id],
    }
    actual = cash_profile(**common)  # type: ignore[arg-type]
    columns = [Column("quarter"), Column("quarter_end", "date", "quarter end")]
    columns += [Column(name, "money", name.replace("_", " ")) for name in COLUMNS]
    columns += [Column("net", "money"), Column("cumulative_net", "money", "cumulative net")]
    notes = [
        "From the project's side: net = drawdowns + outcome receipts − spending − "
        "returns to holders (repayments, interest, dividends)."
    ]
    if not without_innovation:
        rows = tuple(_actual(q) for q in actual)
        return Listing(f"Cash profile: {project_id}", tuple(columns), rows, tuple(notes))

    what_if = {
        q.quarter: q
        for q in cash_profile(
            **common, without_innovation=True, productivity_gain=productivity_gain
        )  # type: ignore[arg-type]
    }
    columns += [Column(f"what_if_{name}", "money", f"what-if {name}") for name in WHAT_IF]
    rows_out = []
    carried = Decimal("0.00")
    for q in actual:
        alt = what_if.get(q.quarter)
        # a quarter with nothing but innovation spending vanishes from the what-if
        carried = alt.cumulative_net if alt is not None else carried
        extra = (
            _cells(alt, WHAT_IF)
            if alt is not None
            else (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), carried)
        )
        rows_out.append((*_actual(q), *extra))
    notes.append(
        "What-if without innovation: innovation spending dropped; outcome receipts ÷ "
        f"(1 + {productivity_gain}) = what the partnership would have received without the "
        "productivity its innovations bought; drawdowns and returns to holders unchanged."
    )
    return Listing(
        f"Cash profile: {project_id}, actual and without innovation",
        tuple(columns),
        tuple(rows_out),
        tuple(notes),
    )


def _cells(quarter: CashQuarter, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(quarter, n) for n in names)


def _actual(quarter: CashQuarter) -> tuple[Any, ...]:
    return (
        quarter.quarter,
        quarter.quarter_end,
        *_cells(quarter, (*COLUMNS, "net", "cumulative_net")),
    )
