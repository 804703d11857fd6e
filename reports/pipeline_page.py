"""The portfolio's innovations and outcome claims page: what each project tried, and the
claims pipeline from claimed to paid.

The project × theme matrix is ``passu innovations``'s (``portfolio/innovations_report``)
over the pack's frames. The claims totals are the stored run's ``claims`` section, so
the committee reads the figures that were saved; their ageing, which the run does not
hold, is ``passu claims``'s (``portfolio/claims_report``) as of the same date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passu.portfolio.claims import position
from passu.portfolio.innovations import innovation_listings
from passu.portfolio.listing import Column, Listing
from passu.portfolio.store.frames import Ledger
from passu.valuation.claims import BUCKETS, AgeingBucket

from .formatting import MISSING, count, days, money_short, percent
from .model import Figure, FigureGroup, Table


@dataclass(frozen=True)
class PipelineView:
    matrix: Table
    claims: tuple[FigureGroup, ...]
    claims_note: str
    ageing: Table


def pipeline_view(
    frames: Ledger,
    document: dict[str, Any],
    label: str,
    fund_ids: Collection[str],
    as_of: dt.date,
) -> PipelineView:
    _by_theme_stage, matrix, _register = innovation_listings(frames, label, fund_ids, as_of)
    stored = document.get("claims")
    return PipelineView(
        matrix=_matrix(matrix),
        claims=claims_groups(stored) if stored else (),
        claims_note="Totals from the stored run; the ageing read from the portfolio as of "
        "the same date."
        if stored
        else "This run was saved before passu valued outcome claims: value and save it "
        "again to show the pipeline.",
        ageing=_ageing(position(frames, fund_ids, as_of).ageing),
    )


def _cell(column: Column, value: object) -> str:
    if column.kind == "money":  # a theme: blank where the project tried nothing in it
        return "" if value is None else money_short(value)  # type: ignore[arg-type]
    if value is None:
        return MISSING
    if column.kind == "count":
        return count(value)  # type: ignore[arg-type]
    if column.kind == "rate":
        return percent(value, 0)  # type: ignore[arg-type]
    return str(value)


def _matrix(listing: Listing) -> Table:
    themes = [c for c in listing.columns if c.kind == "money"]
    headers = {"project_id": "Project", "achieved_rate": "Achieved ÷ forecast"}
    return Table(
        headers=tuple(headers.get(c.name, c.heading.capitalize()) for c in listing.columns),
        numeric=tuple(c.kind != "text" for c in listing.columns),
        rows=tuple(
            tuple(_cell(c, v) for c, v in zip(listing.columns, row, strict=True))
            for row in listing.rows
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


def _ageing(ageing: tuple[AgeingBucket, ...]) -> Table:
    cells = {(a.stage, a.bucket): a for a in ageing}

    def pair(stage: str, bucket: str) -> tuple[str, str]:
        a = cells.get((stage, bucket))
        return (count(a.claims), money_short(a.amount)) if a else ("0", "£0")

    def total(stage: str) -> tuple[str, str]:
        waiting = [a for a in ageing if a.stage == stage]
        return (
            count(sum(a.claims for a in waiting)),
            money_short(sum((a.amount for a in waiting), Decimal(0))),
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
