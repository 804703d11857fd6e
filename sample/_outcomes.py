"""Outcome contracts, payers, metrics, quarterly outcomes, claims and payments."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ._catalogue import (
    BALANCING_CONTRACT,
    FT_LONDON_COUNTS,
    METRICS,
    PROJECTS,
    TOTAL_OUTCOME_PAYMENTS,
    MetricTemplate,
    ProjectSpec,
)
from ._claims import add_claims
from ._common import CUTOFF, FORECASTS_AFTER, Row, add_months, allocate, pounds, quarter_ends
from ._payments import payment_rows


@dataclass
class Metric:
    """A priced outcome of one contract, with its counts per quarter."""

    metric_id: str
    template: MetricTemplate
    forecast: dict[date, int] = field(default_factory=dict)
    achieved: dict[date, int] = field(default_factory=dict)
    # an active contract's forecast for the periods after the demo's valuation date
    # (no outcome achieved yet): what ``passu marks propose`` projects forward
    forecast_after: dict[date, int] = field(default_factory=dict)

    @property
    def price_pence(self) -> int:
        return self.template.price * 100


@dataclass
class Contract:
    """An outcome contract as generated: dates, payers, metrics, payments."""

    contract_id: str
    project: ProjectSpec
    name: str
    start: date
    end: date
    forecast_value: int
    payers: list[tuple[str, str, Decimal]]
    metrics: list[Metric] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)

    def paid_pence(self) -> int:
        return sum(_pence(row["amount"]) for row in self.payments)

    def achieved_value_pence(self) -> int:
        return sum(m.price_pence * n for m in self.metrics for n in m.achieved.values())


def _pence(amount: str) -> int:
    whole, part = amount.split(".")
    return int(whole) * 100 + int(part)


def build_contracts(rng: random.Random) -> list[Contract]:
    """Every contract with counts and payments; totals are exact (see the catalogue)."""
    contracts = []
    for project in PROJECTS:
        for spec in project.contracts:
            contract = Contract(
                contract_id=f"{project.project_id}-{spec.suffix}",
                project=project,
                name=spec.name,
                start=spec.start or project.start,
                end=spec.end or project.end,
                forecast_value=spec.value,
                payers=[(payer, kind, Decimal(share)) for (payer, kind), share in spec.payers],
            )
            _check_shares(contract)
            _add_counts(contract, rng)
            contracts.append(contract)
    balancing = next(c for c in contracts if c.contract_id == BALANCING_CONTRACT)
    claim_numbers = itertools.count(1)
    for contract in contracts:
        if contract is not balancing:
            _add_payments(contract, claim_numbers)
    _solve_balancing_counts(balancing, contracts)
    _add_payments(balancing, claim_numbers)
    total = sum(c.paid_pence() for c in contracts)
    if total != TOTAL_OUTCOME_PAYMENTS * 100:
        raise AssertionError(f"outcome payments total {pounds(total)}")
    return contracts


def _check_shares(contract: Contract) -> None:
    if sum(share for _, _, share in contract.payers) != 1:
        raise AssertionError(f"payer shares of {contract.contract_id} do not add up to 1")


def outcome_periods(contract: Contract) -> list[date]:
    """Quarter ends on which outcomes are counted, over the contract's whole life."""
    return quarter_ends(add_months(contract.start, 2), contract.end)


def _profile(n: int) -> list[int]:
    """Forecast weights per period: a ramp over the first year, then flat."""
    return [min(k + 1, 4) for k in range(n)]


def _last_counted(contract: Contract) -> date:
    """Outcomes stop at the cut-off, or when a written-off project was terminated."""
    if contract.project.status == "written_off":
        return min(contract.project.end, CUTOFF)
    return CUTOFF


def _add_counts(contract: Contract, rng: random.Random) -> None:
    periods = outcome_periods(contract)
    weights = _profile(len(periods))
    keys = list(zip(periods, weights, strict=True))
    counted = [d for d in periods if d <= _last_counted(contract)]
    fixed = FT_LONDON_COUNTS.get(contract.contract_id)
    performance = contract.project.performance
    for template in METRICS[contract.project.policy_area]:
        metric = Metric(f"{contract.contract_id}-{template.key}", template)
        forecast_total = _round(contract.forecast_value * template.weight / template.price)
        if fixed is not None:
            forecast_total = _round(fixed[template.key] / performance)
        forecast = allocate(forecast_total, keys)
        jitter = Decimal(rng.randint(95, 105)) / 100
        achieved_total = _round(forecast_total * performance * jitter)
        if fixed is not None:
            achieved_total = fixed[template.key]
        noisy = [(d, w * rng.randint(75, 125)) for d, w in keys]
        achieved = allocate(achieved_total, noisy)
        metric.forecast = {d: forecast[d] for d in counted}
        metric.achieved = {d: achieved[d] for d in counted}
        if contract.project.status == "active":
            metric.forecast_after = {d: forecast[d] for d in periods if d > FORECASTS_AFTER}
        contract.metrics.append(metric)


def _round(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _payment_date(period_end: date) -> date:
    """Outcomes are paid in arrears, on the 15th of the second month after the quarter."""
    return add_months(period_end, 2).replace(day=15)


def _add_payments(contract: Contract, claim_numbers: Iterator[int]) -> None:
    if contract.project.claims:
        add_claims(contract, claim_numbers)
        return
    for metric in contract.metrics:
        for period_end, count in sorted(metric.achieved.items()):
            paid_on = _payment_date(period_end)
            if count == 0 or paid_on > CUTOFF:
                continue
            contract.payments.extend(
                payment_rows(contract, metric, paid_on, count * metric.price_pence, "")
            )


def _solve_balancing_counts(balancing: Contract, contracts: list[Contract]) -> None:
    """Set three metrics' totals so that all payments come to exactly £72.2m.

    The sustained-accommodation metric (£1,500) takes up the bulk of the gap;
    the entry-into-accommodation (£500) and Level 2 (£1,230) metrics, whose
    prices have a greatest common divisor of £10, close it to the pound.
    """
    others = sum(c.paid_pence() for c in contracts if c is not balancing) // 100
    by_key = {m.template.key: m for m in balancing.metrics}
    fixed = sum(
        m.template.price * sum(m.achieved.values())
        for key, m in by_key.items()
        if key not in ("ACC", "SUS6", "L2")
    )
    gap = TOTAL_OUTCOME_PAYMENTS - others - fixed
    acc, sus6, l2 = (sum(by_key[k].achieved.values()) for k in ("ACC", "SUS6", "L2"))
    sus6 += _round(Decimal(gap - 500 * acc - 1500 * sus6 - 1230 * l2) / 1500)
    rest = gap - 1500 * sus6
    if rest % 10:
        raise AssertionError("all prices are multiples of £10, so the gap must be too")
    tens = rest // 10  # = 50 * acc + 123 * l2
    residue = (tens * pow(123, -1, 50)) % 50
    l2 = l2 - 25 + (residue - (l2 - 25)) % 50
    acc = (tens - 123 * l2) // 50
    if acc < 0 or 50 * acc + 123 * l2 != tens:
        raise AssertionError("balancing counts could not be solved")
    for key, total in (("ACC", acc), ("SUS6", sus6), ("L2", l2)):
        metric = by_key[key]
        weights = [(d, max(n, 1)) for d, n in sorted(metric.achieved.items())]
        metric.achieved = allocate(total, weights)


def contract_rows(contracts: list[Contract]) -> dict[str, list[Row]]:
    """The outcome tables of the interchange format."""
    tables: dict[str, list[Row]] = {
        "outcome_contracts": [],
        "contract_payers": [],
        "outcome_metrics": [],
        "outcomes": [],
        "outcome_payments": [],
        "outcome_claims": [],
    }
    for c in contracts:
        tables["outcome_contracts"].append(
            {
                "contract_id": c.contract_id,
                "project_id": c.project.project_id,
                "name": c.name,
                "start_date": c.start.isoformat(),
                "end_date": c.end.isoformat(),
                "cap": pounds(_cap(c)),
            }
        )
        for payer, kind, share in c.payers:
            tables["contract_payers"].append(
                {
                    "contract_id": c.contract_id,
                    "payer": payer,
                    "payer_kind": kind,
                    "share": format(share, "f"),
                }
            )
        for m in c.metrics:
            tables["outcome_metrics"].append(
                {
                    "metric_id": m.metric_id,
                    "contract_id": c.contract_id,
                    "name": m.template.name,
                    "price": pounds(m.price_pence),
                    "unit_value_code": m.template.unit_value_code,
                }
            )
            for period_end in sorted(m.achieved):
                tables["outcomes"].append(
                    {
                        "metric_id": m.metric_id,
                        "period_end": period_end.isoformat(),
                        "forecast": str(m.forecast[period_end]),
                        "achieved": str(m.achieved[period_end]),
                    }
                )
            for period_end in sorted(m.forecast_after):
                tables["outcomes"].append(
                    {
                        "metric_id": m.metric_id,
                        "period_end": period_end.isoformat(),
                        "forecast": str(m.forecast_after[period_end]),
                        "achieved": "0",
                    }
                )
        tables["outcome_payments"].extend(c.payments)
        tables["outcome_claims"].extend(c.claims)
    return tables


def _cap(contract: Contract) -> int:
    """Cap: 120% of the forecast value, never below what the outcomes earned; £50k steps."""
    needed = max(contract.forecast_value * 120, contract.achieved_value_pence())
    step = 50_000 * 100
    return -(-needed // step) * step
