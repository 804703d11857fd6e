"""The committee pack's ``fair_value`` report section (issue #15), from the whole ledger.

Each active project's proposed value, calibrated rate and performance ratio, and per
fund its holdings' proposed marks against their current NAV with the scenarios' bands
(``FAIR_VALUE_PATHS`` paths, seed ``FAIR_VALUE_SEED``: enough for the pack's fan chart,
and about a second at ``passu value --save`` on the sample). JSON-ready: money as
two-decimal strings, rates as fractions rounded to 10 places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from .fair_value import ModelInputs, calibrated_rates, projects_to_value, propose_fair_values
from .ledger import Ledger
from .money import money_text
from .scenarios import MoneyBand, run_scenarios

__all__ = ["FAIR_VALUE_PATHS", "FAIR_VALUE_SEED", "fair_value_section"]

FAIR_VALUE_PATHS = 2_000
FAIR_VALUE_SEED = 1


def _rate(value: float | None) -> float | None:
    return None if value is None else round(float(value), 10)


def _band(band: MoneyBand | None) -> dict[str, str | None] | None:
    if band is None:
        return None
    return {f"p{p}": money_text(getattr(band, f"p{p}")) for p in (5, 25, 50, 75, 95)}


def fair_value_section(
    ledger: Ledger,
    as_of: dt.date,
    fund_ids: Collection[str],
    *,
    paths: int = FAIR_VALUE_PATHS,
    seed: int = FAIR_VALUE_SEED,
) -> dict[str, Any]:
    """The ``fair_value`` section (module docstring); ``ledger`` is the whole ledger.

    A project's ``performance_ratio`` is Σ achieved ÷ Σ forecast over all its metrics'
    periods ending ≤ T (None when nothing was forecast yet).
    """
    inputs = ModelInputs.from_ledger(ledger)
    ids, _ = projects_to_value(
        ledger.projects, ledger.holdings, ledger.outcome_contracts, ledger.cost_forecasts, fund_ids
    )
    section: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "paths": paths,
        "seed": seed,
        "projects": {},
        "funds": {},
    }
    if not ids:
        return section
    rates = calibrated_rates(inputs, ids)
    model = propose_fair_values(inputs, as_of, project_ids=ids, rates=rates)
    for x in model.projects:
        achieved = sum(m.achieved for m in x.performance)
        forecast = sum(m.forecast for m in x.performance)
        section["projects"][x.project_id] = {
            "value": money_text(x.value),
            "rate": _rate(x.rate),
            "rate_note": x.rate_note,
            "performance_ratio": _rate(achieved / forecast) if forecast else None,
            "expected_payments": money_text(x.expected_payments),
            "expected_costs": money_text(x.expected_costs),
            "cash_held": money_text(x.cash_held),
        }
    held = ledger.holdings
    for fund in sorted(fund_ids):
        own = sorted(set(held.loc[held["holder_id"] == fund, "project_id"]) & set(ids))
        if not own:
            continue
        mine = [h for h in model.holdings if h.holder_id == fund]
        result = run_scenarios(
            inputs, as_of, paths=paths, seed=seed, project_ids=own, fund_ids=[fund], rates=rates
        )
        valued = [h for h in mine if h.proposed is not None]
        section["funds"][fund] = {
            "holdings": [
                {
                    "project_id": h.project_id,
                    "tranche": h.tranche,
                    "kind": h.kind,
                    "proposed": money_text(h.proposed),
                    "current": money_text(h.current),
                    "difference": money_text(h.difference),
                    "rate": _rate(h.rate),
                    "note": h.note,
                }
                for h in mine
            ],
            "totals": {
                "proposed": money_text(
                    sum((h.proposed for h in valued if h.proposed is not None), Decimal("0.00"))
                ),
                "current": money_text(sum((h.current for h in valued), Decimal("0.00"))),
                "difference": money_text(
                    sum((h.difference for h in valued if h.difference is not None), Decimal(0))
                ),
            },
            "dispersion": _rate(result.dispersion),
            "dispersion_source": result.dispersion_note,
            "payments_to_come": _band(result.payments_to_come),
            "payments_by_year": [
                {"year": y.year, **(_band(y.payments) or {})} for y in result.payments_by_year
            ],
            "stakes": [
                {"date": s.day.isoformat(), **(_band(s.value) or {})} for s in result.fund_stakes
            ],
            "nav": _band(result.fund_nav),
            "less_than_paid_in": result.less_than_paid_in,
        }
    return section
