"""The sample's terms and cost forecasts (format 2): what ``passu marks propose`` reads.

- ``holding_terms``: every holding's instrument terms. Tranche A is the senior loan
  (seniority 1) at the coupon agreed when the project started: 4% for starts by 2015,
  2.2% in 2016-17, 1.8% from 2018 (the base of ``_capital._terms``, before the
  performance adjustment the flows show); tranche B is equity (seniority 2, no
  coupon). Maturity: the project's planned end.
- ``cost_forecasts``: for each active project, its delivery and management cost plan:
  - the costs still to be spent: each quarter after the cut-off to the planned end at
    the average of the last four quarters spent (``project_costs`` summed by quarter);
  - the plan it was priced on, for the quarters from its first drawdown to the cut-off:
    what was then spent in each quarter × one factor k per project, k such that the
    plan's net cash (the outcome payments forecast, less the planned costs) is worth
    nil at the project's **entry rate** (its senior coupon + 5 points, the equity's
    premium), discounted Actual/365 from the first drawdown. The drawdown itself is
    still in the bank that day, so that is the rate at which ``passu marks propose``
    values the project at its price on entry: its calibrated rate.

Both are derived from rows already generated (no random draws), so adding them leaves
every other table as it was.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ._catalogue import PROJECTS, ProjectSpec
from ._common import CUTOFF, Row, pounds, quarter_end, quarter_ends
from ._outcomes import Contract

PLANNED = ("delivery", "management")
EQUITY_PREMIUM = Decimal("0.05")


def coupon(project: ProjectSpec) -> Decimal:
    """The senior loan's agreed coupon, by the year the project started."""
    base = 40 if project.start.year <= 2015 else 22 if project.start.year <= 2017 else 18
    return Decimal(base) / 1000


def holding_term_rows(holdings: list[Row]) -> list[Row]:
    projects = {p.project_id: p for p in PROJECTS}
    rows = []
    for h in holdings:
        project = projects[h["project_id"]]
        loan = h["instrument"] in ("loan", "bond")
        rows.append(
            {
                "project_id": h["project_id"],
                "holder_id": h["holder_id"],
                "tranche": h["tranche"],
                "seniority": "1" if loan else "2",
                "coupon": format(coupon(project), "f") if loan else "",
                "maturity_date": project.end.isoformat(),
            }
        )
    return rows


def cost_forecast_rows(
    project_costs: list[Row], project_flows: list[Row], contracts: list[Contract]
) -> list[Row]:
    spent: dict[tuple[str, str, date], int] = defaultdict(int)
    for row in project_costs:
        if row["category"] in PLANNED:
            day = quarter_end(date.fromisoformat(row["date"]))
            spent[(row["project_id"], row["category"], day)] += _pence(row["amount"])
    rows = []
    for project in PROJECTS:
        if project.status != "active":
            continue
        entry = min(
            date.fromisoformat(f["date"])
            for f in project_flows
            if f["project_id"] == project.project_id and f["kind"] == "drawdown"
        )
        quarters = quarter_ends(project.start, project.end)
        past = [q for q in quarters if q <= CUTOFF]
        plan: dict[tuple[str, date], int] = {}
        for category in PLANNED:
            recent = [spent.get((project.project_id, category, q), 0) for q in past[-4:]]
            ahead = sum(recent) // len(recent) if recent else 0
            for q in quarters:
                if q > CUTOFF and ahead > 0:
                    plan[(category, q)] = ahead
        priced = [q for q in past if q > entry]
        k = _plan_factor(project, entry, priced, plan, spent, contracts)
        for category in PLANNED:
            for q in priced:
                amount = round(k * spent.get((project.project_id, category, q), 0))
                if amount > 0:
                    plan[(category, q)] = amount
        for (category, q), amount in plan.items():
            rows.append(
                {
                    "project_id": project.project_id,
                    "period_end": q.isoformat(),
                    "category": category,
                    "amount": pounds(amount),
                }
            )
    return rows


def _plan_factor(
    project: ProjectSpec,
    entry: date,
    priced: list[date],
    ahead: dict[tuple[str, date], int],
    spent: dict[tuple[str, str, date], int],
    contracts: list[Contract],
) -> float:
    """k: the plan's net cash from ``entry`` is worth nil at the project's entry rate."""
    rate = float(coupon(project) + EQUITY_PREMIUM)

    def worth(day: date, pence: int) -> float:
        return pence * (1.0 + rate) ** (-(day - entry).days / 365.0)

    payments = sum(
        worth(day, count * metric.price_pence)
        for contract in contracts
        if contract.project is project
        for metric in contract.metrics
        for day, count in (*metric.forecast.items(), *metric.forecast_after.items())
        if day > entry
    )
    later = sum(worth(q, amount) for (_, q), amount in ahead.items())
    before = sum(
        worth(q, spent.get((project.project_id, category, q), 0))
        for category in PLANNED
        for q in priced
    )
    return (payments - later) / before


def _pence(amount: str) -> int:
    pounds_part, _, pence_part = amount.partition(".")
    sign = -1 if pounds_part.startswith("-") else 1
    return sign * (abs(int(pounds_part)) * 100 + int((pence_part + "00")[:2]))
