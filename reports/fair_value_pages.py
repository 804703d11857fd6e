"""The committee pack's fair-value pages: per fund, the proposed marks (discounted
expected outcomes, ``passu marks propose``) against the current ones, and a fan chart of
the range of outcomes; per active project, its proposed value, rate and performance.

Everything comes from the stored run's ``fair_value`` section, computed when the run was
saved (valuation/report_sections.py: ``fair_value_section``); a run without it (saved
before issue #15) has no such pages.
"""

from __future__ import annotations

from typing import Any

from .committee_charts import fan_chart
from .formatting import MISSING, money_full, money_short, multiple, percent, short_date
from .largest import largest_rows, weight_of
from .model import FairValuePage, Figure, Table

__all__ = ["fair_value_pages", "project_fair_value_figures"]


def _section(document: dict[str, Any]) -> dict[str, Any] | None:
    section = document.get("fair_value")
    return section if isinstance(section, dict) else None


def _rate(value: float | None) -> str:
    return MISSING if value is None else percent(value)


def fair_value_pages(
    document: dict[str, Any], fund_names: dict[str, str], keep: int | None = None
) -> tuple[FairValuePage, ...]:
    """A page per fund; ``keep``: its table's rows, the holdings of largest current NAV."""
    section = _section(document)
    if section is None:
        return ()
    pages = []
    for fund_id, fund in section["funds"].items():
        name = fund_names.get(fund_id, fund_id)
        rows = tuple(
            (
                h["project_id"],
                h["tranche"],
                h["kind"],
                money_full(h["current"]),
                money_full(h["proposed"]) if h["proposed"] is not None else MISSING,
                money_full(h["difference"]) if h["difference"] is not None else MISSING,
                _rate(h["rate"]),
            )
            for h in fund["holdings"]
        )
        totals = fund["totals"]
        marks = Table(
            ("Project", "Tranche", "Instrument", "Current NAV", "Proposed", "Difference", "Rate"),
            (False, False, False, True, True, True, True),
            rows,
            total=(
                "Total (holdings with a proposal)",
                "",
                "",
                money_full(totals["current"]),
                money_full(totals["proposed"]),
                money_full(totals["difference"]),
                "",
            ),
            caption="Proposed marks against the current (rolled-forward) NAV",
        )
        weights = [weight_of(h["current"]) for h in fund["holdings"]]
        marks = largest_rows(marks, weights, keep, "holdings", "current NAV")
        nav = fund["nav"]
        less = fund["less_than_paid_in"]
        figures = (
            Figure(
                "Proposed marks",
                money_short(totals["proposed"]),
                f"against {money_short(totals['current'])} now",
            ),
            Figure(
                "Outcome payments to come (P50)",
                money_short(fund["payments_to_come"]["p50"]),
                f"P5 {money_short(fund['payments_to_come']['p5'])}, "
                f"P95 {money_short(fund['payments_to_come']['p95'])}",
            ),
            Figure(
                "Fund NAV (P50)",
                money_short(nav["p50"]) if nav else MISSING,
                f"P5 {money_short(nav['p5'])}, P95 {money_short(nav['p95'])}" if nav else None,
            ),
            Figure(
                "Chance of returning less than paid-in",
                MISSING if less is None else percent(less),
            ),
        )
        notes = (
            f"{section['paths']:,} paths, seed {section['seed']}: each metric's future "
            f"achievement ratio drawn lognormal around its performance to date, dispersion "
            f"{fund['dispersion']:.3f} ({fund['dispersion_source']}). Rates calibrated to "
            "each project's entry price (IPEV). A proposal is not a mark until "
            "`passu marks accept` writes it.",
        )
        pages.append(
            FairValuePage(
                anchor=f"fair-value-{fund_id}",
                title=f"Fair value from expected outcomes: {name}",
                figures=figures,
                marks=marks,
                chart=fan_chart(fund["payments_by_year"], fund["stakes"]),
                notes=notes,
            )
        )
    return tuple(pages)


def project_fair_value_figures(document: dict[str, Any], project_id: str) -> tuple[Figure, ...]:
    """An active project's proposed value, rate and performance ratio (none for others)."""
    section = _section(document)
    project = None if section is None else section["projects"].get(project_id)
    if section is None or project is None:
        return ()
    ratio = project["performance_ratio"]
    return (
        Figure(
            "Proposed value",
            money_short(project["value"]) if project["value"] is not None else MISSING,
            f"at {short_date(section['as_of'])}: {money_short(project['cash_held'])} held + "
            "outcomes to come less costs"
            if project.get("cash_held") is not None
            else f"expected outcomes at {short_date(section['as_of'])}",
        ),
        Figure("Discount rate", _rate(project["rate"]), project["rate_note"]),
        Figure(
            "Performance ratio",
            MISSING if ratio is None else multiple(ratio),
            "achieved ÷ forecast to date",
        ),
    )
