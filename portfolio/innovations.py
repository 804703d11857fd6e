"""``passu innovations``: innovations across a fund's projects, by theme and stage.

Three tables: totals of estimated and actual cost by theme and stage (with
theme, stage and overall subtotals); the project × theme matrix (actual cost
per cell) with each project's outcomes achieved against forecast beside it;
and the register of every innovation in scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Engine

from passu.portfolio.economics import register_listing
from passu.portfolio.listing import Column, Listing
from passu.portfolio.outcomes import scope_projects
from passu.portfolio.register import ILLUSTRATIVE, fund_scope, is_illustrative, load_all
from passu.portfolio.store.frames import Ledger
from passu.valuation.innovations import (
    InnovationTotal,
    innovation_portfolio,
    innovation_register,
)
from passu.valuation.outcomes import outcome_progress

ALL = "all"


def innovations_report(engine: Engine, fund_id: str | None, as_of: dt.date) -> list[Listing]:
    """Innovations of the fund's projects (every fund's with no fund_id) at T."""
    frames = load_all(engine, as_of)
    label, fund_ids = fund_scope(frames, fund_id)
    return innovation_listings(frames, label, fund_ids, as_of)


def innovation_listings(
    frames: Ledger, label: str, fund_ids: Collection[str], as_of: dt.date
) -> list[Listing]:
    """``innovations_report`` over frames already loaded as of T (the committee pack's)."""
    projects = scope_projects(frames, fund_ids)
    common = {
        "innovations": frames.innovations,
        "project_costs": frames.project_costs,
        "as_of": as_of,
        "project_ids": projects,
    }
    summary = innovation_portfolio(**common)  # type: ignore[arg-type]
    register = innovation_register(**common)  # type: ignore[arg-type]
    progress = {
        p.key: p
        for p in outcome_progress(
            outcomes=frames.outcomes,
            outcome_metrics=frames.outcome_metrics,
            outcome_contracts=frames.outcome_contracts,
            projects=frames.projects,
            outcome_payments=frames.outcome_payments,
            as_of=as_of,
            level="project",
            project_ids=projects,
        )
    }
    notes = (ILLUSTRATIVE,) if is_illustrative(frames) else ()

    totals = (
        *summary.by_theme_stage,
        *summary.by_theme,
        *summary.by_stage,
        summary.total,
    )
    by_theme_stage = Listing(
        f"Innovations by theme and stage ({label})",
        (
            Column("theme"),
            Column("stage"),
            Column("innovations", "count"),
            Column("estimated_cost", "money", "estimated"),
            Column("actual_cost", "money", "actual"),
            Column("variance", "money"),
        ),
        tuple(_total_row(t) for t in totals),
        ("Rows with stage 'all' or theme 'all' are subtotals; 'all', 'all' is the total.",),
    )

    themes = sorted({cell.theme for cell in summary.project_theme})
    cells = {(c.project_id, c.theme): c.actual_cost for c in summary.project_theme}
    matrix = Listing(
        "Projects by theme (actual cost) with outcomes achieved against forecast",
        (
            Column("project_id"),
            *(Column(theme, "money") for theme in themes),
            Column("achieved", "count"),
            Column("forecast", "count"),
            Column("achieved_rate", "rate", "achieved ÷ forecast"),
        ),
        tuple(
            (
                project,
                *(cells.get((project, theme)) for theme in themes),
                progress[project].achieved,
                progress[project].forecast,
                None
                if progress[project].forecast == 0
                else progress[project].achieved / progress[project].forecast,
            )
            for project in projects
        ),
        notes,
    )
    return [
        by_theme_stage,
        matrix,
        register_listing("Innovation register", register, with_project=True),
    ]


def _total_row(total: InnovationTotal) -> tuple[object, ...]:
    return (
        total.theme or ALL,
        total.stage or ALL,
        total.innovations,
        total.estimated_cost,
        total.actual_cost,
        total.variance,
    )
