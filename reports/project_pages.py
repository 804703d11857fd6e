"""One page per project: who holds it, what it returned, who pays for its outcomes,
what it cost (``project_economics.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formatting import MISSING, label, money_short, multiple, percent, short_date
from .model import Figure, Table
from .portfolio_tables import irr_text
from .project_economics import ProjectEconomicsView
from .project_facts import ProjectFacts


@dataclass(frozen=True)
class ProjectPage:
    anchor: str
    title: str
    facts: tuple[Figure, ...]
    figures: tuple[Figure, ...]
    holders: Table
    contracts: Table
    metrics: Table
    marks: Table
    partners: str
    economics: ProjectEconomicsView


def _achieved_share(achieved: int, forecast: int) -> str:
    return percent(Decimal(achieved) / forecast, 0) if forecast else "no forecast"


def _irr_figure(record: dict[str, Any]) -> Figure:
    note = record.get("irr_note")
    if record.get("multiple_sign_changes") and not note:
        note = "the flows change sign more than once"
    if record.get("irr") is None and record.get("period_return") is not None:
        # Flows spanning less than a year: the simple return, marked as such (issue 18).
        return Figure(
            "Return for the period (not annualised)", percent(record["period_return"]), note
        )
    return Figure("IRR", percent(record.get("irr")), note)


def project_page(
    index: int,
    project: dict[str, Any],
    holdings: list[dict[str, Any]],
    facts: ProjectFacts,
    names: dict[str, str],
    economics: ProjectEconomicsView,
    fair_value: tuple[Figure, ...] = (),
) -> ProjectPage:
    pid = project["project_id"]
    end = short_date(facts.end_date) if facts.end_date else "open"
    return ProjectPage(
        anchor=f"project-{index}",
        title=f"{project['name']} ({pid})",
        facts=(
            Figure("Policy area", project["policy_area"]),
            Figure("Region", project["region"]),
            Figure("Partnership coordinator", facts.coordinator),
            Figure("Term", f"{short_date(facts.start_date)} to {end}"),
            Figure("Status", label(project["status"])),
            Figure("Commissioners (payers)", "; ".join(facts.payers) or MISSING),
        ),
        figures=(
            Figure("Invested", money_short(project["invested"])),
            Figure("Realised", money_short(project["realised"])),
            Figure("NAV", money_short(project["nav"])),
            Figure("Cost outstanding", money_short(project["cost_outstanding"])),
            Figure("MOIC", multiple(project["moic"])),
            _irr_figure(project),
            Figure(
                "Outcomes against forecast",
                _achieved_share(facts.outcomes.achieved, facts.outcomes.forecast),
                f"{facts.outcomes.achieved:,} achieved, {facts.outcomes.forecast:,} forecast",
            ),
            Figure("Outcome payments", money_short(facts.outcomes.payments)),
            Figure(
                "Cost per outcome",
                money_short(facts.outcomes.cost_per_outcome),
                facts.outcomes.note,
            ),
            *fair_value,  # an active project's proposed value, rate and performance (#15)
        ),
        holders=_holders(holdings, facts, names),
        contracts=_contracts(facts),
        metrics=_metrics(facts),
        marks=_marks(facts, names),
        partners="; ".join(facts.delivery_partners) or "none recorded",
        economics=economics,
    )


def _holders(holdings: list[dict[str, Any]], facts: ProjectFacts, names: dict[str, str]) -> Table:
    rows = tuple(
        (
            f"{names.get(h['holder_id'], h['holder_id'])} ({h['holder_id']})",
            h["tranche"],
            label(facts.instruments.get((h["holder_id"], h["tranche"]), MISSING)),
            money_short(facts.holding_commitments.get((h["holder_id"], h["tranche"]))),
            money_short(h["invested"]),
            money_short(h["realised"]),
            money_short(h["nav"]),
            multiple(h["moic"]),
            irr_text(h),
        )
        for h in holdings
    )
    return Table(
        headers=(
            "Holder",
            "Tranche",
            "Instrument",
            "Commitment",
            "Invested",
            "Realised",
            "NAV",
            "MOIC",
            "IRR",
        ),
        numeric=(False, False, False, True, True, True, True, True, True),
        rows=rows,
        caption="Holders",
    )


def _contracts(facts: ProjectFacts) -> Table:
    rows = tuple(
        (
            f"{c.name} ({c.contract_id})",
            "; ".join(f"{payer} {percent(share, 0)}" for payer, share in c.payers) or MISSING,
            money_short(c.position.cap) if c.position.cap is not None else "no cap",
            money_short(c.position.paid),
            money_short(c.position.headroom) if c.position.headroom is not None else MISSING,
            "over the cap" if c.position.over_cap else "within",
        )
        for c in facts.contracts
    )
    return Table(
        headers=(
            "Outcome contract",
            "Payers (co-payment)",
            "Cap",
            "Paid to date",
            "Headroom",
            "Position",
        ),
        numeric=(False, False, True, True, True, False),
        rows=rows,
        caption="Outcome contracts",
        empty_text="No outcome contract recorded.",
    )


def _metrics(facts: ProjectFacts) -> Table:
    rows = tuple(
        (
            name,
            contract,
            f"{progress.achieved:,}",
            f"{progress.forecast:,}",
            percent(Decimal(progress.achieved) / progress.forecast, 0)
            if progress.forecast
            else MISSING,
            money_short(progress.payments),
        )
        for name, contract, progress in facts.metrics
    )
    return Table(
        headers=(
            "Outcome",
            "Contract",
            "Achieved",
            "Forecast",
            "Achieved ÷ forecast",
            "Payments naming it",
        ),
        numeric=(False, False, True, True, True, True),
        rows=rows,
        caption="Outcomes to date",
        empty_text="No priced outcome recorded.",
    )


def _marks(facts: ProjectFacts, names: dict[str, str]) -> Table:
    rows = tuple(
        (
            f"{names.get(m.holder_id, m.holder_id)} ({m.holder_id})",
            m.tranche,
            short_date(m.date),
            money_short(m.fair_value),
            m.method.replace("_", " "),
            m.note,
        )
        for m in facts.latest_marks
    )
    return Table(
        headers=("Holder", "Tranche", "Marked on", "Fair value", "Method", "Note"),
        numeric=(False, False, False, True, False, False),
        rows=rows,
        caption="Latest valuation marks (IPEV), rolled forward to the as-of date for NAV",
        empty_text="No mark yet: the holdings are valued at cost.",
    )
