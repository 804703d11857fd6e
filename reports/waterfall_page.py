"""The committee pack's waterfall page, one per fund with share-class terms (#14).

From the stored run only: each fund's ``waterfall`` object (``valuation.structure.
FundStructure.to_document``; docs/run-document.md), under ``fund`` for a one-fund run and
under each of ``funds`` for ALL. A fund without it has no page. The page shows the terms,
the carried interest (paid, accrued at NAV, clawback), each class's tiers to date and at
a hypothetical liquidation at NAV as a table, and the same as a stacked bar per class.

``government_table``: ``pari_passu.government``, what the structure costs (or gives)
each government investor against one class pro rata to paid-in with no carry: on the
pack's pari passu page and, for the investor alone, on its shareholder statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import charts
from .formatting import MISSING, basis_points, label, money_full, money_short, multiple, percent
from .model import Chart, Figure, FigureGroup, Table

TIER_NAMES = {
    "return_of_capital": "Return of capital",
    "preferred_return": "Preferred return",
    "catch_up": "Catch-up",
    "carried_interest": "Carried interest",
    "residual": "Residual",
}


@dataclass(frozen=True)
class WaterfallView:
    fund_id: str
    anchor: str
    title: str
    terms: tuple[FigureGroup, ...]
    tiers: Table
    chart: Chart | None


def waterfall_views(document: dict[str, Any]) -> tuple[WaterfallView, ...]:
    """A page per fund with a ``waterfall`` in the run, in the document's fund order."""
    funds = document.get("funds") or [document["fund"]]
    return tuple(
        _view(str(f["fund_id"]), f["waterfall"], f.get("accrued_carry"))
        for f in funds
        if f.get("waterfall")
    )


def government_table(
    document: dict[str, Any],
    names: dict[str, str],
    *,
    account: tuple[str, str, str] | None = None,
) -> Table | None:
    """``pari_passu.government`` as a table (``account``: only that (investor_id, fund_id,
    share_class), for its statement); None when the run has none. Full pounds: the
    difference is often a few per cent of what is compared, and £2.2m against £2.2m
    would hide it."""
    rows = [
        g
        for g in document["pari_passu"].get("government", [])
        if account is None or (g["investor_id"], g["fund_id"], g["share_class"]) == account
    ]
    if not rows:
        return None
    return Table(
        headers=(
            "Investor",
            "Fund",
            "Class",
            "Received + NAV",
            "Pro rata, no carry",
            "Cost (−) or benefit (+)",
            "IRR",
            "Pro rata IRR",
            "Difference",
        ),
        numeric=(False, False, False, True, True, True, True, True, True),
        rows=tuple(
            (
                f"{names.get(g['investor_id'], g['investor_id'])} ({g['investor_id']})",
                g["fund_id"],
                g["share_class"],
                money_full(g["actual_value"]),
                money_full(g["pro_rata_value"]),
                money_full(g["difference"]),
                percent(g["irr"], 2),
                percent(g["pro_rata_irr"], 2),
                basis_points(g["difference_bps"]),
            )
            for g in rows
        ),
        caption="What the fund's structure costs or gives government, against pari passu",
        notes=(
            "Received + NAV: distributions to date and the share of NAV after the "
            "waterfall (net of accrued carried interest). Pro rata: had every investor been "
            "in one class, sharing every distribution and NAV pro rata to paid-in, with no "
            "carried interest.",
        ),
    )


def _view(fund_id: str, w: dict[str, Any], accrued: str | None) -> WaterfallView:
    return WaterfallView(
        fund_id=fund_id,
        anchor="waterfall-" + re.sub(r"[^A-Za-z0-9_-]", "-", fund_id),
        title=f"Waterfall: {fund_id}",
        terms=_terms(w, w["accrued_carry"] if accrued is None else accrued),
        tiers=_tiers(w),
        chart=_chart(w),
    )


def _rate(value: float | None) -> str:
    return MISSING if value is None else percent(value)


def _terms(w: dict[str, Any], accrued: str) -> tuple[FigureGroup, ...]:
    classes = tuple(
        Figure(
            f"Class {c['share_class']} (rank {c['rank']})",
            f"preferred return {_rate(c['preferred_return'])}, cap "
            + ("none" if c["return_cap"] is None else multiple(c["return_cap"]))
            + (", pays carry" if c["pays_carry"] else ""),
        )
        for c in w["classes"]
    )
    carry = (
        (
            Figure("Style", label(w["style"])),
            Figure("Hurdle", _rate(w["hurdle"])),
            Figure("Catch-up", _rate(w["catch_up"])),
            Figure("Carried interest", _rate(w["carry"])),
            Figure("Carry holder", str(w["carry_holder"])),
        )
        if w["carry_holder"] is not None
        else (Figure("Style", label(w["style"]), "Class terms only: no carried interest."),)
    )
    return (
        FigureGroup("Terms", (*carry, *classes)),
        FigureGroup(
            "Carried interest",
            (
                Figure("Paid to date", money_short(w["carry_paid"])),
                Figure("The waterfall gives to date", money_short(w["carry_to_date"])),
                Figure(
                    "Accrued at NAV",
                    money_short(accrued),
                    "Carry at a hypothetical liquidation at NAV, net of clawback, less carry paid.",
                ),
                Figure("Clawback", money_short(w["clawback"])),
                Figure("NAV", money_short(w["nav"])),
            ),
        ),
    )


def _tiers(w: dict[str, Any]) -> Table:
    rows: list[tuple[str, ...]] = []
    for c in w["classes"]:
        for tier, name in TIER_NAMES.items():
            amounts = c["tiers"][tier]
            if Decimal(amounts["to_date"]) or Decimal(amounts["at_liquidation"]):
                rows.append(
                    (
                        c["share_class"],
                        name,
                        money_short(amounts["to_date"]),
                        money_short(amounts["at_liquidation"]),
                    )
                )
    to_date = sum((_total(c, "to_date") for c in w["classes"]), Decimal(0))
    at_nav = sum((_total(c, "at_liquidation") for c in w["classes"]), Decimal(0))
    notes = ["Each tier counts everything it paid out of the class's share: to the class "
             "and, in catch-up and carried interest, to the carry holder."]  # fmt: skip
    if Decimal(w["undistributed"]):
        notes.append(
            f"Beyond every class's cap, not distributed: {money_short(w['undistributed'])}."
        )
    return Table(
        headers=("Class", "Tier", "To date", "At hypothetical liquidation"),
        numeric=(False, False, True, True),
        rows=tuple(rows),
        total=("Total", "", money_short(to_date), money_short(at_nav)),
        caption="The distribution waterfall by class and tier: the distributions to date, "
        "and those with NAV distributed at the valuation date",
        notes=tuple(notes),
        empty_text="Nothing distributed and no NAV.",
    )


def _total(c: dict[str, Any], column: str) -> Decimal:
    return sum((Decimal(t[column]) for t in c["tiers"].values()), Decimal(0))


def _chart(w: dict[str, Any]) -> Chart | None:
    if not w["classes"]:
        return None
    categories = [
        f"{c['share_class']} {when}" for c in w["classes"] for when in ("to date", "at liquidation")
    ]
    stacks = [
        (
            name,
            [
                float(Decimal(c["tiers"][tier][column]))
                for c in w["classes"]
                for column in ("to_date", "at_liquidation")
            ],
        )
        for tier, name in TIER_NAMES.items()
    ]
    return Chart(
        "Each class's distributions by tier",
        charts.stacked_bars(categories, stacks),
        "For each class, the tiers of the distributions to date, and of those with NAV "
        "distributed at the valuation date (hypothetical liquidation).",
    )
