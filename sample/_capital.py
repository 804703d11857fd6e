"""Holdings in the projects: tranches, drawdowns, receipts, write-offs and marks.

Each tranche's cash flows are worked out once, for the tranche as a whole, and
then split between its holders pro rata to their commitments, keeping every
holder's running totals within a penny of its exact share (pari passu).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ._catalogue import CO_INVESTORS, PROJECTS, ProjectSpec
from ._common import (
    CUTOFF,
    Row,
    add_months,
    allocate,
    cumulative_split,
    next_quarter_end,
    pounds,
    quarter_ends,
)

FT_LONDON_INTEREST = 300_000 * 100  # pence: the project's whole cost of financing
STEP = 5_000 * 100  # holding commitments are multiples of £5,000
RECEIPTS = ("repayment", "interest", "dividend")

CashFlow = tuple[date, str, int]  # date, kind, pence


@dataclass
class Tranche:
    """One tranche of one project, its holders and its cash flows (pence)."""

    project: ProjectSpec
    tranche: str
    instrument: str
    holders: list[tuple[str, int]]
    flows: list[CashFlow] = field(default_factory=list)
    marks: list[tuple[date, int, str, str]] = field(default_factory=list)
    multiple: Decimal = Decimal(1)  # what the manager expects back per pound of cost

    @property
    def size(self) -> int:
        return sum(amount for _, amount in self.holders)


def wind_down_end(project: ProjectSpec) -> date:
    """The project's own end: a quarter after its last contract ends (or its termination)."""
    if project.status == "written_off":
        return project.end
    last = max(spec.end or project.end for spec in project.contracts)
    return next_quarter_end(add_months(last, 2))


def build_tranches(rng: random.Random) -> list[Tranche]:
    """Every tranche of every project, with flows and quarterly marks."""
    co_investors = [investor_id for investor_id, _, _ in CO_INVESTORS]
    rng.shuffle(co_investors)
    cycle = itertools.cycle(co_investors)
    tranches = []
    for project in PROJECTS:
        count = 2 if project.project_id == "FT-LONDON" else rng.randint(1, 3)
        partners = [next(cycle) for _ in range(count)]
        for tranche in _tranches_of(project, partners, rng):
            _add_flows(tranche, rng)
            _add_marks(tranche)
            tranches.append(tranche)
    return tranches


def _round_step(pence: Decimal | int) -> int:
    return int((Decimal(pence) / STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * STEP


def _tranches_of(project: ProjectSpec, partners: list[str], rng: random.Random) -> list[Tranche]:
    total = project.investment * 100
    equity = total * project.equity_pct // 100
    senior = total - equity
    funds = [(fund, _round_step(senior * pct / 100)) for fund, pct in project.funds]
    rest = senior - sum(amount for _, amount in funds)
    weights = [(partner, rng.randint(2, 4)) for partner in partners]
    shares = allocate(rest // STEP, weights)
    holders = funds + [(partner, shares[partner] * STEP) for partner in partners]
    tranches = [Tranche(project, "A", "loan", [h for h in holders if h[1] > 0])]
    if equity:
        fund_part = _round_step(equity * 3 // 4)
        fund_weights = [(fund, pct) for fund, pct in project.funds]
        fund_split = allocate(fund_part // STEP, fund_weights)
        b_holders = [(fund, fund_split[fund] * STEP) for fund, _ in project.funds]
        b_holders.append((partners[0], equity - fund_part))
        tranches.append(Tranche(project, "B", "equity", b_holders))
    return tranches


def _terms(project: ProjectSpec, rng: random.Random) -> tuple[Decimal, Decimal]:
    """Loan interest rate and equity multiple, from when it started and how it performed.

    The government set the risk/reward terms so that the partnerships' cost of
    capital would stay close to HM Treasury's own cost of borrowing. Senior loans
    were priced at about 4% for projects starting by 2015 (five-year gilts near
    1.5%), 2.2% in 2016-17 and 1.8% from 2018 (gilts below 1%), up to a point
    more for the strongest performers and a point less for the weaker ones;
    equity returned 1.10-1.25 times its cost on the strongest projects.
    """
    base = 40 if project.start.year <= 2015 else 22 if project.start.year <= 2017 else 18
    performance = project.performance
    if performance >= Decimal("1.05"):
        return Decimal(base + rng.randint(0, 10)) / 1000, Decimal(rng.randint(110, 125)) / 100
    if performance >= Decimal("0.95"):
        return Decimal(base + rng.randint(-5, 5)) / 1000, Decimal(rng.randint(102, 112)) / 100
    if performance >= Decimal("0.85"):
        return Decimal(base - 10) / 1000, Decimal(rng.randint(85, 95)) / 100
    return Decimal("0.01"), Decimal(rng.randint(50, 60)) / 100


def _drawdowns(tranche: Tranche, rng: random.Random) -> list[tuple[date, int]]:
    project = tranche.project
    if project.project_id == "FT-LONDON" or tranche.instrument == "equity":
        fraction = Decimal(1)
    else:
        fraction = Decimal(rng.choice((100, 95, 90, 85, 80))) / 100
    drawn = int(tranche.size * fraction) // 100_000 * 100_000  # whole £1,000s
    count = 1 if tranche.instrument == "equity" else rng.randint(2, 4)
    if project.status == "written_off":
        count = min(count, 2)
    offsets = (0, 4, 9, 15)[:count]
    weights = [(i, count - i + 1) for i in range(count)]
    parts = allocate(drawn // 100_000, weights)
    return [(add_months(project.start, offsets[i]), parts[i] * 100_000) for i in range(count)]


def _add_flows(tranche: Tranche, rng: random.Random) -> None:
    rate, multiple = _terms(tranche.project, rng)
    if tranche.instrument == "equity":
        tranche.multiple = multiple
    if tranche.project.status == "written_off":
        tranche.multiple = Decimal("0.3")
    draws = _drawdowns(tranche, rng)
    flows = [(day, "drawdown", amount) for day, amount in draws]
    if tranche.project.status == "written_off":
        flows += _written_off_receipts(tranche, draws)
    elif tranche.instrument == "loan":
        flows += _loan_receipts(tranche, draws, rate)
    else:
        flows += _equity_receipts(tranche, draws, multiple)
    tranche.flows = sorted(f for f in flows if f[0] <= CUTOFF)


def _repayment_dates(project: ProjectSpec, last_draw: date) -> list[date]:
    start, end = project.start, wind_down_end(project)
    months = (end.year - start.year) * 12 + end.month - start.month
    first = max(add_months(start, max(12, months * 2 // 5)), add_months(last_draw, 3))
    last = add_months(end, -1)
    dates = []
    current = first
    while current <= last:
        dates.append(current)
        current = add_months(current, 3)
    return dates or [last]


def _loan_receipts(
    tranche: Tranche, draws: list[tuple[date, int]], rate: Decimal
) -> list[CashFlow]:
    repay_dates = _repayment_dates(tranche.project, draws[-1][0])
    principal = sum(amount for _, amount in draws)
    parts = allocate(principal, [(i, 1) for i in range(len(repay_dates))])
    anniversaries = [add_months(draws[0][0], 12 * k) for k in range(1, 12)]
    interest_dates = sorted({d for d in anniversaries if d < repay_dates[0]} | set(repay_dates))
    events = sorted([(d, 0, a) for d, a in draws] + [(d, 1, 0) for d in interest_dates])
    outstanding, accrued, last = 0, Decimal(0), draws[0][0]
    repayments = dict(zip(repay_dates, (parts[i] for i in range(len(repay_dates))), strict=True))
    flows: list[CashFlow] = []
    for day, kind, amount in events:
        accrued += Decimal(outstanding) * rate * (day - last).days / 365
        last = day
        if kind == 0:
            outstanding += amount
            continue
        interest = int(accrued.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        accrued = Decimal(0)
        if interest:
            flows.append((day, "interest", interest))
        if day in repayments:
            outstanding -= repayments[day]
            flows.append((day, "repayment", repayments[day]))
    if tranche.project.project_id == "FT-LONDON":
        flows = _rescale_interest(flows, FT_LONDON_INTEREST)
    return flows


def _rescale_interest(flows: list[CashFlow], total: int) -> list[CashFlow]:
    """Scale the interest payments so they add up to ``total`` exactly."""
    interest = [(i, amount) for i, (_, kind, amount) in enumerate(flows) if kind == "interest"]
    parts = allocate(total, interest)
    return [
        (day, kind, parts[i] if kind == "interest" else amount)
        for i, (day, kind, amount) in enumerate(flows)
    ]


def _equity_receipts(
    tranche: Tranche, draws: list[tuple[date, int]], multiple: Decimal
) -> list[CashFlow]:
    dates = _repayment_dates(tranche.project, draws[-1][0])[-3:]
    cost = sum(amount for _, amount in draws)
    returned = min(cost, int(cost * multiple))
    parts = allocate(returned, [(i, 1) for i in range(len(dates))])
    flows = [(d, "repayment", parts[i]) for i, d in enumerate(dates) if parts[i]]
    if multiple > 1:
        flows.append((dates[-1], "dividend", int(cost * (multiple - 1))))
    elif returned < cost:
        flows.append((dates[-1], "write_off", cost - returned))
    return flows


def _written_off_receipts(tranche: Tranche, draws: list[tuple[date, int]]) -> list[CashFlow]:
    """A failed project: a year's interest, half the loan repaid, the rest written off."""
    cost = sum(amount for _, amount in draws)
    end = tranche.project.end
    if tranche.instrument == "equity":
        return [(end, "write_off", cost)]
    first_year = add_months(draws[0][0], 12)
    interest = int(Decimal(cost) * Decimal("0.04") * Decimal("0.75"))  # a year at 4% on 3/4
    repaid = cost // 2
    return [
        (first_year, "interest", interest),
        (add_months(end, -3), "repayment", repaid),
        (end, "write_off", cost - repaid),
    ]


def _add_marks(tranche: Tranche) -> None:
    """Quarterly fair values from the first quarter end after the first drawdown."""
    first = next_quarter_end(tranche.flows[0][0])
    resolved = tranche.project.status != "active"
    final = next_quarter_end(tranche.flows[-1][0]) if resolved else CUTOFF
    if tranche.project.status == "written_off":
        final = tranche.flows[-1][0]
    ends = quarter_ends(first, min(final, CUTOFF))
    target = tranche.multiple
    span = max((final - first).days, 1)
    for q in ends:
        cost = sum(
            amount if kind == "drawdown" else -amount
            for day, kind, amount in tranche.flows
            if day <= q and kind in ("drawdown", "repayment", "write_off")
        )
        progress = Decimal((q - first).days) / span
        factor = 1 + (target - 1) * progress
        value = int((cost * factor / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100
        tranche.marks.append((q, max(value, 0), *_method(tranche, q, first, value)))


def _method(tranche: Tranche, q: date, first: date, value: int) -> tuple[str, str]:
    if value <= 0:
        if tranche.project.status == "written_off":
            return "nil", "Written off: outcome contract terminated"
        return "nil", "Fully realised"
    if (q - first).days < 365:
        return "cost", "Held at cost in the first year of delivery"
    return "dcf_expected_outcomes", "Discounted expected outcome payments"


def holding_rows(tranches: list[Tranche]) -> dict[str, list[Row]]:
    """holdings, project_flows and marks, split between each tranche's holders."""
    tables: dict[str, list[Row]] = {"holdings": [], "project_flows": [], "marks": []}
    for t in tranches:
        key = {"project_id": t.project.project_id, "tranche": t.tranche}
        for holder, commitment in t.holders:
            tables["holdings"].append(
                {
                    "project_id": key["project_id"],
                    "holder_id": holder,
                    "tranche": t.tranche,
                    "instrument": t.instrument,
                    "commitment": pounds(commitment),
                }
            )
        for kind in ("drawdown", *RECEIPTS, "write_off"):
            of_kind = [(day, amount) for day, k, amount in t.flows if k == kind]
            split = cumulative_split([amount for _, amount in of_kind], t.holders)
            for (day, _), parts in zip(of_kind, split, strict=True):
                for holder, part in parts.items():
                    if part:
                        tables["project_flows"].append(
                            {
                                "project_id": key["project_id"],
                                "holder_id": holder,
                                "tranche": t.tranche,
                                "date": day.isoformat(),
                                "kind": kind,
                                "amount": pounds(part),
                            }
                        )
        for day, value, method, note in t.marks:
            parts = allocate(value, t.holders)
            for holder, _ in t.holders:
                tables["marks"].append(
                    {
                        "project_id": key["project_id"],
                        "holder_id": holder,
                        "tranche": t.tranche,
                        "date": day.isoformat(),
                        "fair_value": pounds(parts[holder]),
                        "method": method,
                        "note": note,
                    }
                )
    return tables
