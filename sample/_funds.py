"""The funds' own cash: commitments, capital calls, distributions, fees and expenses.

Calls come a few days before each quarter's outgoings (drawdowns, fees,
expenses) and cover them in £10,000 steps; distributions pass on what the
projects paid the fund in a quarter, three weeks after the quarter ends. So the
fund's cash is never negative, and every investor in the share class is called
and paid exactly pro rata to its commitment.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ._catalogue import COMMITMENTS, PROJECTS
from ._common import (
    CUTOFF,
    Row,
    add_months,
    cumulative_split,
    pounds,
    quarter_end,
    to_pence,
)

CALL_STEP = 10_000 * 100
FEE_RATE = Decimal("0.001875")  # per quarter (0.75% a year), on the cost outstanding
ESTABLISHMENT = {"SOF1": 30_000, "SOF2": 35_000}

Flow = tuple[date, int]


def fund_rows(project_flows: list[Row], rng: random.Random) -> dict[str, list[Row]]:
    """commitments, investor_flows and fund_expenses for every fund."""
    tables: dict[str, list[Row]] = {"commitments": [], "investor_flows": [], "fund_expenses": []}
    for fund_id, (share_class, close, investors) in COMMITMENTS.items():
        weights = [(investor, amount * 100) for investor, amount in investors]
        for investor, amount in investors:
            tables["commitments"].append(
                {
                    "fund_id": fund_id,
                    "investor_id": investor,
                    "share_class": share_class,
                    "amount": pounds(amount * 100),
                    "date": close.isoformat(),
                }
            )
        own = [r for r in project_flows if r["holder_id"] == fund_id]
        expenses = _expenses(fund_id, close, own, rng)
        tables["fund_expenses"] += [
            {"fund_id": fund_id, "date": d.isoformat(), "kind": kind, "amount": pounds(a)}
            for d, kind, a in expenses
        ]
        calls, distributions = _calls_and_distributions(fund_id, close, own, expenses)
        for kind, flows in (("call", calls), ("distribution", distributions)):
            split = cumulative_split([amount for _, amount in flows], weights)
            for (day, _), parts in zip(flows, split, strict=True):
                tables["investor_flows"] += [
                    {
                        "fund_id": fund_id,
                        "investor_id": investor,
                        "date": day.isoformat(),
                        "kind": kind,
                        "amount": pounds(part),
                    }
                    for investor, part in parts.items()
                    if part
                ]
        if sum(amount for _, amount in calls) > sum(w for _, w in weights):
            raise AssertionError(f"{fund_id} called more than its commitments")
    return tables


def _dated(rows: list[Row], kinds: tuple[str, ...]) -> list[Flow]:
    return sorted(
        (date.fromisoformat(r["date"]), to_pence(r["amount"])) for r in rows if r["kind"] in kinds
    )


def fund_is_realised(fund_id: str) -> bool:
    """True when every project the fund holds has finished (completed or written off)."""
    return all(p.status != "active" for p in PROJECTS if any(f == fund_id for f, _ in p.funds))


def _life_end(fund_id: str, own: list[Row]) -> date:
    if not fund_is_realised(fund_id):
        return CUTOFF
    return quarter_end(max(date.fromisoformat(r["date"]) for r in own))


def _expenses(
    fund_id: str, close: date, own: list[Row], rng: random.Random
) -> list[tuple[date, str, int]]:
    """Quarterly management fees (0.75% a year on cost outstanding), audits, establishment."""
    end = _life_end(fund_id, own)
    rows = [(close + timedelta(days=30), "expense", ESTABLISHMENT[fund_id] * 100)]
    fee_day = add_months(close, 3)
    while fee_day <= end:
        fee = int(_cost_outstanding(own, fee_day) * FEE_RATE) // 100 * 100
        if fee >= 100 * 100:
            rows.append((fee_day, "management_fee", fee))
        fee_day = add_months(fee_day, 3)
    for year in range(close.year + 1, end.year + 1):
        audit_day = date(year, 6, 30)
        if audit_day <= end:
            rows.append((audit_day, "expense", rng.randint(8, 12) * 1_000 * 100))
    return sorted(rows)


def _cost_outstanding(own: list[Row], day: date) -> int:
    signs = {"drawdown": 1, "repayment": -1, "write_off": -1}
    return sum(
        signs[r["kind"]] * to_pence(r["amount"])
        for r in own
        if r["kind"] in signs and date.fromisoformat(r["date"]) <= day
    )


def _calls_and_distributions(
    fund_id: str, close: date, own: list[Row], expenses: list[tuple[date, str, int]]
) -> tuple[list[Flow], list[Flow]]:
    outgoings = _dated(own, ("drawdown",)) + [(d, a) for d, _, a in expenses]
    by_quarter: dict[date, list[Flow]] = defaultdict(list)
    for day, amount in outgoings:
        by_quarter[quarter_end(day)].append((day, amount))
    calls, spare = [], 0
    for q in sorted(by_quarter):
        need = sum(amount for _, amount in by_quarter[q])
        if need > spare:
            call = -(-(need - spare) // CALL_STEP) * CALL_STEP
            first = min(day for day, _ in by_quarter[q])
            calls.append((max(close, first - timedelta(days=10)), call))
            spare += call
        spare -= need
    distributions = _distributions(_dated(own, ("repayment", "interest", "dividend")))
    if fund_is_realised(fund_id) and spare:
        last_day, last_amount = distributions[-1]
        distributions[-1] = (last_day, last_amount + spare)
    return calls, distributions


def _distributions(receipts: list[Flow]) -> list[Flow]:
    """What the projects paid in each quarter, passed on three weeks after it ends."""
    by_quarter: dict[date, int] = defaultdict(int)
    for day, amount in receipts:
        by_quarter[quarter_end(day)] += amount
    paid = [(q + timedelta(days=21), amount) for q, amount in sorted(by_quarter.items())]
    return [(day, amount) for day, amount in paid if day <= CUTOFF]
