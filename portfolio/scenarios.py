"""``passu scenarios``: the range of outcomes around the fair-value model, from the database.

The Monte Carlo is ``valuation/scenarios.py`` (pure, seeded, vectorised); this module
reads the whole ledger (forecasts after T are the model's input), chooses the scope as
``passu marks propose`` does (the active projects with an outcome contract or a cost
forecast; with ``--fund`` those the fund holds, and that fund's NAV and IRR; without,
every fund's together) and turns the result into the command's document and tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Listing
from passu.portfolio.marks import active_scope, load_ledger
from passu.valuation import valuer
from passu.valuation.fair_value import ModelInputs
from passu.valuation.ledger import Ledger
from passu.valuation.money import money_text
from passu.valuation.report_sections import fair_value_section
from passu.valuation.run import Run
from passu.valuation.scenarios import MoneyBand, RateBand, ScenarioResult, run_scenarios

__all__ = ["scenario_document", "scenario_listings", "scenarios_of", "with_fair_value"]

MAX_PATHS = 1_000_000  # beyond this a run takes minutes and gigabytes: refused up front


def scenarios_of(
    engine: Engine | None,
    as_of: dt.date,
    fund_id: str | None = None,
    *,
    paths: int = 10_000,
    seed: int = 1,
    dispersion: float | None = None,
    rate: float | None = None,
    ledger: Ledger | None = None,
) -> tuple[str, ScenarioResult]:
    """(scope label, the Monte Carlo of the scope at ``as_of``)."""
    if not 1 <= paths <= MAX_PATHS:
        raise UsageError(f"--paths: expected 1 to {MAX_PATHS:,}, found {paths}")
    if dispersion is not None and not 0 <= dispersion <= 5:
        raise UsageError(
            f"--dispersion: expected 0 to 5 (a log standard deviation), found {dispersion}"
        )
    if ledger is None:
        if engine is None:
            raise ValueError("scenarios_of needs a database engine or a ledger")
        ledger = load_ledger(engine)
    label, ids, _ = active_scope(ledger, fund_id)
    _, fund_ids = valuer.fund_scope(ledger, fund_id)
    result = run_scenarios(
        ModelInputs.from_ledger(ledger),
        as_of,
        paths=paths,
        seed=seed,
        dispersion=dispersion,
        rate=rate,
        project_ids=ids,
        fund_ids=fund_ids,
    )
    return label, result


def _band(band: MoneyBand | None) -> dict[str, str | None] | None:
    if band is None:
        return None
    return {f"p{p}": money_text(getattr(band, f"p{p}")) for p in (5, 25, 50, 75, 95)}


def _rates(band: RateBand | None) -> dict[str, Any] | None:
    if band is None:
        return None
    out: dict[str, Any] = {
        f"p{p}": None if getattr(band, f"p{p}") is None else round(getattr(band, f"p{p}"), 10)
        for p in (5, 25, 50, 75, 95)
    }
    out["undefined_paths"] = band.undefined
    return out


def scenario_document(label: str, r: ScenarioResult) -> dict[str, Any]:
    """The JSON document of ``passu scenarios`` (docs/fair-value.md)."""
    return {
        "as_of": r.as_of.isoformat(),
        "scope": label,
        "paths": r.paths,
        "seed": r.seed,
        "dispersion": round(r.dispersion, 10),
        "dispersion_source": r.dispersion_note,
        "dispersion_contracts": r.dispersion_contracts,
        "payments_to_come": _band(r.payments_to_come),
        "payments_by_year": [
            {"year": y.year, **(_band(y.payments) or {})} for y in r.payments_by_year
        ],
        "projects": [
            {
                "project_id": p.project_id,
                "rate": None if p.rate is None else round(p.rate, 10),
                "value": _band(p.value),
            }
            for p in r.projects
        ],
        "fund_nav": _band(r.fund_nav),
        "fund_net_irr": _rates(r.fund_net_irr),
        "government_cost_per_outcome": _band(r.government_cost_per_outcome),
        "probability_less_than_paid_in": r.less_than_paid_in,
        "fund_stakes": [
            {"date": s.day.isoformat(), **(_band(s.value) or {})} for s in r.fund_stakes
        ],
        "contracts": [
            {
                "contract_id": c.contract_id,
                "project_id": c.project_id,
                "probability_cap_reached": c.cap_reached,
            }
            for c in r.contracts
        ],
    }


_BANDS = (
    Column("p5", "money", "P5"),
    Column("p25", "money", "P25"),
    Column("p50", "money", "P50"),
    Column("p75", "money", "P75"),
    Column("p95", "money", "P95"),
)


def _row(band: MoneyBand | None) -> tuple[Decimal | None, ...]:
    if band is None:
        return (None,) * 5
    return (band.p5, band.p25, band.p50, band.p75, band.p95)


def scenario_listings(label: str, r: ScenarioResult) -> list[Listing]:
    irr = r.fund_net_irr
    figures = Listing(
        f"Range of outcomes at {r.as_of} ({label})",
        (Column("figure"), *_BANDS),
        (
            ("outcome payments to come", *_row(r.payments_to_come)),
            ("fund NAV", *_row(r.fund_nav)),
            ("government cost per outcome", *_row(r.government_cost_per_outcome)),
        ),
        (
            f"{r.paths:,} paths, seed {r.seed}; dispersion {r.dispersion:.4f} "
            f"({r.dispersion_note})",
            "fund net IRR at the end of the last contract: "
            + (
                "—"
                if irr is None
                else " / ".join(
                    "—" if v is None else f"{v * 100:.2f}%"
                    for v in (irr.p5, irr.p25, irr.p50, irr.p75, irr.p95)
                )
                + " (P5 / P25 / P50 / P75 / P95"
                + (f"; no rate on {irr.undefined} paths)" if irr.undefined else ")")
            ),
            "probability the fund returns less than paid-in: "
            + ("—" if r.less_than_paid_in is None else f"{r.less_than_paid_in * 100:.1f}%"),
        ),
    )
    years = Listing(
        "Outcome payments to come by year",
        (Column("year"), *_BANDS),
        tuple((str(y.year), *_row(y.payments)) for y in r.payments_by_year),
    )
    projects = Listing(
        "Project values",
        (Column("project_id"), Column("rate", "rate"), *_BANDS),
        tuple((p.project_id, p.rate, *_row(p.value)) for p in r.projects),
    )
    caps = Listing(
        "Chance each contract reaches its cap",
        (Column("contract_id"), Column("project_id"), Column("probability", "rate")),
        tuple((c.contract_id, c.project_id, c.cap_reached) for c in r.contracts),
    )
    return [figures, years, projects, caps]


def with_fair_value(engine: Engine, run: Run) -> Run:
    """``run`` with the ``fair_value`` report section (valuation/report_sections.py), from
    the whole ledger: what ``passu value --save`` stores for the committee pack."""
    ledger = load_ledger(engine)
    as_of = dt.date.fromisoformat(run.as_of)
    _, fund_ids = valuer.fund_scope(ledger, None if run.scope == "ALL" else run.scope)
    section = fair_value_section(ledger, as_of, fund_ids)
    return replace(run, sections={**run.sections, "fair_value": section})
