"""The innovation register and its across-projects view.

An innovation's actual cost = Σ of its project_costs rows dated on or before
T; variance = actual − estimated. Innovations starting after T are not yet in
the register at T (those with no start date always are).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ._frames import in_scope, timestamp
from .money import pence_to_decimal

STAGE_ORDER = {"design": 0, "pilot": 1}


@dataclass(frozen=True)
class InnovationCost:
    """One row of the innovation register at T."""

    innovation_id: str
    project_id: str
    stage: str  # design (in the bid) or pilot (launched during delivery)
    theme: str
    name: str
    estimated_cost: Decimal
    actual_cost: Decimal  # Σ of its cost rows dated ≤ T
    variance: Decimal  # actual − estimated
    status: str


@dataclass(frozen=True)
class InnovationTotal:
    """Innovations counted and costed for a theme and/or stage (None = all of them)."""

    theme: str | None
    stage: str | None
    innovations: int
    estimated_cost: Decimal
    actual_cost: Decimal
    variance: Decimal


@dataclass(frozen=True)
class ProjectThemeCell:
    """One cell of the project × theme matrix."""

    project_id: str
    theme: str
    innovations: int
    actual_cost: Decimal


@dataclass(frozen=True)
class InnovationPortfolio:
    """Innovations across projects: by theme and stage, the matrix, and totals."""

    by_theme_stage: tuple[InnovationTotal, ...]
    by_theme: tuple[InnovationTotal, ...]  # stage None
    by_stage: tuple[InnovationTotal, ...]  # theme None
    total: InnovationTotal  # theme and stage None
    project_theme: tuple[ProjectThemeCell, ...]


def innovation_register(
    *,
    innovations: pd.DataFrame,
    project_costs: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
) -> tuple[InnovationCost, ...]:
    """The register: estimated and actual cost of each innovation at T.

    actual_cost = Σ amount of the innovation's cost rows dated ≤ T;
    variance = actual_cost − estimated_cost. Sorted by project, stage
    (design before pilot), then innovation_id.
    """
    frame = _register_frame(innovations, project_costs, as_of, project_ids)
    return tuple(
        InnovationCost(
            innovation_id=str(row.innovation_id),
            project_id=str(row.project_id),
            stage=str(row.stage),
            theme=str(row.theme),
            name=str(row.name),
            estimated_cost=pence_to_decimal(row.estimated_cost_pence),
            actual_cost=pence_to_decimal(row.actual_pence),
            variance=pence_to_decimal(row.actual_pence - row.estimated_cost_pence),
            status=str(row.status),
        )
        for row in frame.itertuples(index=False)
    )


def innovation_portfolio(
    *,
    innovations: pd.DataFrame,
    project_costs: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
) -> InnovationPortfolio:
    """The register summed across projects: by (theme, stage), by theme, by stage, in all,
    and the project × theme matrix (count and actual cost per cell)."""
    frame = _register_frame(innovations, project_costs, as_of, project_ids)
    cells = frame.groupby(["project_id", "theme"], as_index=False).agg(
        innovations=("innovation_id", "count"), actual_pence=("actual_pence", "sum")
    )
    return InnovationPortfolio(
        by_theme_stage=_totals(frame, ["theme", "stage"]),
        by_theme=_totals(frame, ["theme"]),
        by_stage=_totals(frame, ["stage"]),
        total=_totals(frame.assign(all=""), ["all"])[0],
        project_theme=tuple(
            ProjectThemeCell(
                project_id=str(row.project_id),
                theme=str(row.theme),
                innovations=int(row.innovations),
                actual_cost=pence_to_decimal(row.actual_pence),
            )
            for row in cells.itertuples(index=False)
        ),
    )


def _register_frame(
    innovations: pd.DataFrame,
    project_costs: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None,
) -> pd.DataFrame:
    """Innovations started by T (or undated) with actual_pence = Σ their cost rows ≤ T."""
    started = innovations[
        innovations["start_date"].isna() | (innovations["start_date"] <= timestamp(as_of))
    ]
    started = in_scope(started, "project_id", project_ids)
    spent = project_costs[
        (project_costs["category"] == "innovation") & (project_costs["date"] <= timestamp(as_of))
    ]
    actual = spent.groupby("innovation_id")["amount_pence"].sum()
    frame = started.assign(
        actual_pence=started["innovation_id"].map(actual).fillna(0).astype("int64"),
        estimated_cost_pence=started["estimated_cost_pence"].fillna(0).astype("int64"),
        stage_order=started["stage"].map(STAGE_ORDER).fillna(len(STAGE_ORDER)),
    )
    return frame.sort_values(["project_id", "stage_order", "innovation_id"])


def _totals(frame: pd.DataFrame, keys: list[str]) -> tuple[InnovationTotal, ...]:
    """Count, estimated and actual per group of ``keys`` (an empty frame: one zero row
    when grouping everything)."""
    if frame.empty and keys == ["all"]:
        zero = Decimal("0.00")
        return (InnovationTotal(None, None, 0, zero, zero, zero),)
    grouped = frame.groupby(keys, as_index=False).agg(
        innovations=("innovation_id", "count"),
        estimated_pence=("estimated_cost_pence", "sum"),
        actual_pence=("actual_pence", "sum"),
    )
    if "stage" in keys:
        grouped = grouped.assign(order=grouped["stage"].map(STAGE_ORDER).fillna(9))
        grouped = grouped.sort_values([*[k for k in keys if k != "stage"], "order"])
    return tuple(
        InnovationTotal(
            theme=str(row.theme) if "theme" in keys else None,
            stage=str(row.stage) if "stage" in keys else None,
            innovations=int(row.innovations),
            estimated_cost=pence_to_decimal(row.estimated_pence),
            actual_cost=pence_to_decimal(row.actual_pence),
            variance=pence_to_decimal(row.actual_pence - row.estimated_pence),
        )
        for row in grouped.itertuples(index=False)
    )
