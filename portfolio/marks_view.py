"""``passu marks propose``'s output: the proposals as a JSON document and as tables.

Money is a two-decimal string in the document (``money_text``), rates are fractions;
docs/fair-value.md lists the keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from passu.portfolio.listing import Column, Listing
from passu.portfolio.marks import Proposals
from passu.valuation.fair_value import METHOD, HoldingProposal, ProjectFairValue
from passu.valuation.money import money_text

__all__ = ["cap_headroom", "proposal_listings", "proposals_document"]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(float(value), 10)


def _money(value: Decimal | None) -> str | None:
    return money_text(value)


def _total(values: Sequence[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


def cap_headroom(project: ProjectFairValue) -> Decimal:
    """What the project's contracts could still pay after the expected payments:
    Σ (cap − paid to date − expected), each contract never below nil."""
    return sum((c.headroom_after for c in project.contracts), Decimal("0.00"))


def proposals_document(p: Proposals) -> dict[str, Any]:
    """The JSON document of ``passu marks propose`` (docs/fair-value.md): money as
    two-decimal strings, rates as fractions."""
    fv = p.fair_value
    proposed = [h.proposed for h in fv.holdings]
    current = [h.current for h in fv.holdings]
    valued = [h for h in fv.holdings if h.proposed is not None]
    return {
        "as_of": p.as_of.isoformat(),
        "scope": p.scope,
        "method": METHOD,
        "rate": "calibrated" if p.rate is None else _rate(p.rate),
        "performance": p.performance,
        "totals": {
            "proposed": _money(_total(proposed)),
            "current": _money(_total(current)),
            # over the holdings with a proposal only: a holding without one moves nothing
            "difference": _money(_total([h.difference for h in valued])),
        },
        "holdings": [_holding(h) for h in fv.holdings],
        "projects": [
            {
                "project_id": x.project_id,
                "value": _money(x.value),
                "expected_payments": _money(x.expected_payments),
                "expected_costs": _money(x.expected_costs),
                "cash_held": _money(x.cash_held),
                "rate": _rate(x.rate),
                "rate_method": x.rate_method,
                "rate_note": x.rate_note,
                "performance": [
                    {
                        "metric_id": m.metric_id,
                        "contract_id": m.contract_id,
                        "achieved": m.achieved,
                        "forecast": m.forecast,
                        "ratio": _rate(m.ratio),
                    }
                    for m in x.performance
                ],
                "cap_headroom": _money(
                    sum((c.headroom_after for c in x.contracts), Decimal("0.00"))
                ),
                "unallocated": _money(x.unallocated),
                "contracts": [
                    {
                        "contract_id": c.contract_id,
                        "cap": _money(c.cap),
                        "paid": _money(c.paid),
                        "headroom": _money(c.headroom),
                        "arrears": _money(c.arrears),
                        "expected": _money(c.expected),
                        "headroom_after": _money(c.headroom_after),
                        "cap_reached": c.cap_reached,
                    }
                    for c in x.contracts
                ],
                "cash": [
                    {
                        "period_end": c.period_end.isoformat(),
                        "payments": _money(c.payments),
                        "costs": _money(c.costs),
                        "net": _money(c.net),
                        "discount_factor": _rate(c.discount_factor),
                        "present_value": _money(c.present_value),
                    }
                    for c in x.cash
                ],
            }
            for x in fv.projects
        ],
        "left_out": [
            {"project_id": q, "note": "active, but no outcome contract and no cost forecast"}
            for q in p.left_out
        ],
    }


def _holding(h: HoldingProposal) -> dict[str, Any]:
    return {
        "project_id": h.project_id,
        "holder_id": h.holder_id,
        "tranche": h.tranche,
        "proposed": _money(h.proposed),
        "current": _money(h.current),
        "difference": _money(h.difference),
        "rate": _rate(h.rate),
        "method": h.method,
        "note": h.note,
        "kind": h.kind,
        "seniority": h.seniority,
        "claim": _money(h.claim),
        "accrued_interest": _money(h.accrued_interest),
    }


def proposal_listings(p: Proposals) -> list[Listing]:
    """The proposals as tables: holdings, projects, and each metric's performance."""
    fv = p.fair_value
    rate_note = "one rate for every project" if p.rate is not None else "calibrated per project"
    holdings = Listing(
        f"Proposed marks at {p.as_of} ({p.scope})",
        (
            Column("project_id"),
            Column("holder_id"),
            Column("tranche"),
            Column("kind"),
            Column("proposed", "money"),
            Column("current", "money"),
            Column("difference", "money"),
            Column("rate", "rate"),
            Column("note"),
        ),
        tuple(
            (
                h.project_id,
                h.holder_id,
                h.tranche,
                h.kind,
                h.proposed,
                h.current,
                h.difference,
                h.rate,
                h.note,
            )
            for h in fv.holdings
        ),
        (
            f"method {METHOD}: cash held + expected outcome payments less forecast costs, "
            "discounted; "
            f"rate {rate_note}; performance {p.performance}",
        ),
    )
    projects = Listing(
        "Projects",
        (
            Column("project_id"),
            Column("value", "money"),
            Column("expected_payments", "money"),
            Column("expected_costs", "money"),
            Column("cash_held", "money"),
            Column("rate", "rate"),
            Column("cap_headroom", "money"),
            Column("rate_note"),
        ),
        tuple(
            (
                x.project_id,
                x.value,
                x.expected_payments,
                x.expected_costs,
                x.cash_held,
                x.rate,
                cap_headroom(x),
                x.rate_note,
            )
            for x in fv.projects
        ),
        tuple(f"{q}: active, but no outcome contract and no cost forecast" for q in p.left_out),
    )
    performance = Listing(
        "Performance to date",
        (
            Column("project_id"),
            Column("metric_id"),
            Column("achieved", "count"),
            Column("forecast", "count"),
            Column("ratio", "multiple"),
        ),
        tuple(
            (x.project_id, m.metric_id, m.achieved, m.forecast, m.ratio)
            for x in fv.projects
            for m in x.performance
        ),
    )
    return [holdings, projects, performance]
