"""The portfolio's innovations and outcome claims page: what each project tried, and the
claims pipeline from claimed to paid.

All from the stored run: the project × theme matrix is its ``innovations`` section,
the claims totals its ``claims`` section and their ageing its ``claims_ageing``
(``valuation/report_sections.py``), so the committee reads the figures that were saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passu.valuation.claims import BUCKETS

from .formatting import MISSING, count, days, money_short, percent
from .largest import largest_rows, weight_of
from .model import Figure, FigureGroup, Table


@dataclass(frozen=True)
class PipelineView:
    matrix: Table
    claims: tuple[FigureGroup, ...]
    claims_note: str
    ageing: Table


def pipeline_view(document: dict[str, Any], keep: int | None = None) -> PipelineView:
    """``keep``: the matrix's rows, the projects of largest innovation spending (``largest.py``)."""
    innovations = document["innovations"]
    projects = innovations["projects"]
    weights = [sum(map(weight_of, p["actual_by_theme"].values()), Decimal(0)) for p in projects]
    by = "innovation spending"
    if not any(weights):  # nothing tried: the projects that matter most to outcomes
        weights, by = [weight_of(p["forecast"]) for p in projects], "outcomes forecast"
    return PipelineView(
        matrix=largest_rows(_matrix(innovations), weights, keep, "projects", by),
        claims=claims_groups(document["claims"]),
        claims_note="Totals and their ageing from the stored run.",
        ageing=_ageing(document["claims_ageing"]),
    )


def _matrix(innovations: dict[str, Any]) -> Table:
    themes = innovations["themes"]
    return Table(
        headers=(
            "Project",
            *(theme.replace("_", " ").capitalize() for theme in themes),
            "Achieved",
            "Forecast",
            "Achieved ÷ forecast",
        ),
        numeric=(False, *(True for _ in themes), True, True, True),
        rows=tuple(
            (
                p["project_id"],
                # a theme: blank where the project tried nothing in it
                *(
                    money_short(p["actual_by_theme"][t]) if t in p["actual_by_theme"] else ""
                    for t in themes
                ),
                count(p["achieved"]),
                count(p["forecast"]),
                MISSING if p["achieved_rate"] is None else percent(p["achieved_rate"], 0),
            )
            for p in innovations["projects"]
        ),
        caption="What each project tried: actual innovation spending to date by theme, "
        "with the project's outcomes achieved against forecast beside it",
        notes=("A blank cell: no innovation in that theme.",)
        if themes
        else ("No innovation recorded in these projects.",),
        empty_text="No project in scope.",
    )


def claims_groups(claims: dict[str, Any]) -> tuple[FigureGroup, ...]:
    """The run's ``claims`` section, every figure formatted as the pack formats it."""
    return (
        FigureGroup(
            "Claims to date",
            (
                Figure("Claims", count(claims["claims"])),
                Figure("Claimed", money_short(claims["claimed"])),
                Figure("Verified", money_short(claims["verified"])),
                Figure("Rejected", money_short(claims["rejected"])),
                Figure("Paid", money_short(claims["paid"])),
            ),
        ),
        FigureGroup(
            "Outstanding and timing",
            (
                Figure("Awaiting verification", money_short(claims["outstanding_unverified"])),
                Figure("Verified, awaiting payment", money_short(claims["outstanding_unpaid"])),
                Figure("Verification rate", percent(claims["verification_rate"])),
                Figure("Median days to verify", days(claims["median_days_to_verify"])),
                Figure("Median days to pay", days(claims["median_days_to_pay"])),
            ),
        ),
    )


def _ageing(ageing: list[dict[str, Any]]) -> Table:
    cells = {(a["stage"], a["bucket"]): a for a in ageing}

    def pair(stage: str, bucket: str) -> tuple[str, str]:
        a = cells.get((stage, bucket))
        return (count(a["claims"]), money_short(a["amount"])) if a else ("0", "£0")

    def total(stage: str) -> tuple[str, str]:
        # the total row adds up the rows shown
        waiting = [a for a in ageing if a["stage"] == stage]
        return (
            count(sum(a["claims"] for a in waiting)),
            money_short(sum((Decimal(a["amount"]) for a in waiting), Decimal(0))),
        )

    return Table(
        headers=(
            "Days waiting",
            "Awaiting verification: claims",
            "Amount",
            "Verified, awaiting payment: claims",
            "Amount outstanding",
        ),
        numeric=(False, True, True, True, True),
        rows=tuple(
            (f"{bucket} days", *pair("verification", bucket), *pair("payment", bucket))
            for bucket in BUCKETS
        ),
        total=("Total", *total("verification"), *total("payment")),
        caption="Ageing of claims waiting",
        notes=(
            "Days count from the claim date for claims awaiting verification and from the "
            "verification date for verified claims awaiting payment.",
        ),
    )
