"""Write the blended-fund example's CSV files (examples/blended/README.md) beside this script.

Run ``.venv/bin/python examples/blended/generate.py``. Deterministic: the same files every
time. The projects' flows, marks and outcomes are written down below; the investor
flows follow from them: calls pro rata to commitments, each project receipt passed on 14
days later through the fund's waterfall (``passu.valuation.waterfall``: the
distributions follow the agreement, so ``passu check`` finds nothing to say about them),
and the management fee recorded each quarter as the terms give it (``valuation.fees``).
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from passu.valuation.fees import quarter_fees
from passu.valuation.ledger import Ledger
from passu.valuation.money import allocate_largest_remainder
from passu.valuation.waterfall import (
    ClassTerms,
    Contribution,
    Deal,
    Distribution,
    WaterfallTerms,
    run_waterfall,
    split_to_investors,
)

HERE = Path(__file__).parent
FUND = "BLF1"
MANAGER = "BLMGR"
LAST_QUARTER_END = dt.date(2026, 9, 30)
D = dt.date.fromisoformat

FUNDS: list[dict[str, object]] = [
    {
        "fund_id": FUND,
        "name": "Blended Outcomes Fund I",
        "currency": "GBP",
        "vintage": 2021,
        "manager": "Illustrative Blended Managers LLP",
        "illustrative": "true",
    }
]
INVESTORS = [
    ("BLF1", "Blended Outcomes Fund I", "fund"),
    ("BLMGR", "Illustrative Blended Managers LLP (carried interest)", "manager"),
    ("DCMS", "Department for Culture, Media and Sport", "government"),
    ("HRBF", "Harbour Foundation", "foundation"),
    ("NGSB", "Northgate Social Bank", "bank"),
]
# investor → (class, commitment £)
COMMITMENTS = {"NGSB": ("S", 6_000_000), "HRBF": ("S", 2_000_000), "DCMS": ("J", 2_000_000)}
CLASS_TERMS: list[dict[str, Any]] = [
    # senior: repaid first with a 4% preferred return, capped at 1.3x its contributions
    {"share_class": "S", "rank": 1, "preferred_return": "0.04", "return_cap": "1.3"},
    # junior, first loss: repaid last, no preferred return, no cap
    {"share_class": "J", "rank": 2, "preferred_return": "0", "return_cap": ""},
]
WATERFALL = {
    "style": "european",
    "hurdle": "0.05",
    "catch_up": "1",
    "carry": "0.2",
    "carry_holder": MANAGER,
    "applies_to": "S;J",
}
FUND_TERMS = {
    "allocation_basis": "paid_in",
    "management_fee_rate": "0.02",
    "fee_basis": "commitment",
    "fee_step_down_date": "2024-01-01",
    "step_down_rate": "0.0125",
    "fee_basis_after_step_down": "commitment",
    "fee_offset_share": "",
    "equalisation_rate": "",
}
CALLS = [  # date, £ called across all commitments (pro rata)
    ("2021-03-31", 2_000_000),
    ("2021-06-30", 1_000_000),
    ("2021-09-30", 1_000_000),
    ("2021-12-31", 2_000_000),
    ("2022-03-31", 500_000),
    ("2022-06-30", 1_000_000),
    ("2022-09-30", 600_000),
    ("2023-06-30", 500_000),
]

# project_id, name, policy_area, region, coordinator, start, end, status, commitment,
# drawdowns, receipts (date, kind, £), final marks (date, £), write-offs
PROJECTS = [
    (
        "HL-LEEDS", "Homelessness partnership, Leeds", "homelessness", "Leeds",
        "Northern Outcomes Partnership", "2021-04-01", "2025-03-31", "completed", 2_000_000,
        [("2021-04-01", 800_000), ("2021-10-01", 700_000), ("2022-04-01", 500_000)],
        [("2023-03-31", "repayment", 900_000), ("2024-03-31", "repayment", 1_100_000),
         ("2024-03-31", "interest", 400_000), ("2025-03-31", "dividend", 1_000_000)],
        [("2025-03-31", 0)], [],
    ),
    (
        "YE-HULL", "Youth employment partnership, Hull", "youth employment", "Hull",
        "Humber Futures", "2021-07-01", "2027-06-30", "active", 2_000_000,
        [("2021-07-01", 1_000_000), ("2022-01-01", 1_000_000)],
        [("2024-06-30", "repayment", 800_000), ("2025-06-30", "repayment", 1_200_000),
         ("2026-06-30", "dividend", 1_000_000)],
        [("2026-06-30", 1_000_000), ("2026-09-30", 1_050_000)], [],
    ),
    (
        "FC-KENT", "Families on the edge of care, Kent", "children's social care", "Kent",
        "Garden of England Outcomes", "2021-10-01", "2028-09-30", "active", 2_000_000,
        [("2021-10-01", 1_200_000), ("2022-07-01", 800_000)],
        [("2025-12-31", "repayment", 1_200_000)],
        [("2025-12-31", 1_600_000), ("2026-09-30", 1_900_000)], [],
    ),
    (
        "MH-BRUM", "Employment for people with mental ill health, Birmingham",
        "mental health", "Birmingham", "Midlands Work and Wellbeing", "2022-01-03",
        "2025-06-30", "written_off", 2_000_000,
        [("2022-01-03", 1_000_000), ("2022-10-01", 500_000)],
        [("2024-12-31", "repayment", 400_000)],
        [("2025-06-30", 0)], [("2025-06-30", 1_100_000)],
    ),
]  # fmt: skip
PARTNERS = {
    "HL-LEEDS": ["Leeds Housing First", "St Anne's Community Services"],
    "YE-HULL": ["Hull Youth Works"],
    "FC-KENT": ["Kent Family Therapy Service", "Medway Parenting Network"],
    "MH-BRUM": ["Birmingham IPS Employment"],
}
# contract per project: payer(s) and shares, metric (name, £ price, unit value code),
# quarterly forecast and achieved counts from the project's start
OUTCOMES = {
    "HL-LEEDS": (
        [("Leeds City Council", "local_government", "0.6"),
         ("Better Futures Outcomes Fund", "central_government", "0.4")],
        ("Tenancy sustained 12 months", 9_000, "EX-TENANCY"), 2_400_000, 16, 5, 7,
    ),
    "YE-HULL": (
        [("Department for Work and Pensions", "central_government", "1")],
        ("Sustained employment 26 weeks", 4_000, "EX-EMPLOY"), 2_800_000, 20, 30, 34,
    ),
    "FC-KENT": (
        [("Kent County Council", "local_government", "0.75"),
         ("Better Futures Outcomes Fund", "central_government", "0.25")],
        ("Child remains safely at home 12 months", 20_000, "EX-CARE"), 3_000_000, 16, 4, 4,
    ),
    "MH-BRUM": (
        [("Birmingham City Council", "local_government", "1")],
        ("Job start", 2_500, "EX-EMPLOY"), 1_000_000, 12, 20, 9,
    ),
}  # fmt: skip
UNIT_VALUES: list[dict[str, object]] = [
    {
        "code": "EX-TENANCY", "description": "Tenancy sustained: a year of homelessness avoided",
        "fiscal": "9500.00", "economic": "3000.00", "social": "12000.00", "price_year": 2021,
        "source": "Illustrative values for the blended example", "deadweight": "0.2",
        "attribution": "0.8", "optimism_bias": "0.1", "transfer": "false", "duration_years": 1,
    },
    {
        "code": "EX-EMPLOY", "description": "Sustained employment: a year off out-of-work benefits",
        "fiscal": "8000.00", "economic": "14000.00", "social": "4000.00", "price_year": 2021,
        "source": "Illustrative values for the blended example", "deadweight": "0.3",
        "attribution": "0.7", "optimism_bias": "0.1", "transfer": "false", "duration_years": 1,
    },
    {
        "code": "EX-CARE", "description": "Entry to care avoided for a year",
        "fiscal": "55000.00", "economic": "5000.00", "social": "20000.00", "price_year": 2021,
        "source": "Illustrative values for the blended example", "deadweight": "0.25",
        "attribution": "0.75", "optimism_bias": "0.15", "transfer": "false", "duration_years": 1,
    },
]  # fmt: skip


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    return [d.date() for d in pd.date_range(first, last, freq="QE")]


def write(name: str, header: list[str], rows: list[dict[str, object]]) -> None:
    with (HERE / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in header})


def investor_flows() -> list[dict[str, object]]:
    investors = sorted(COMMITMENTS)
    weights = [COMMITMENTS[i][1] for i in investors]
    flows: list[dict[str, object]] = []
    contributions: list[Contribution] = []
    paid_in: dict[str, int] = dict.fromkeys(investors, 0)
    for day, amount in CALLS:
        for investor, part in zip(
            investors, allocate_largest_remainder(amount * 100, weights, investors), strict=True
        ):
            flows.append(call(investor, day, part))
            contributions.append(Contribution(COMMITMENTS[investor][0], D(day), part))
            paid_in[investor] += part
    by_day: dict[dt.date, int] = {}
    for p in PROJECTS:
        for day, _, amount in p[10]:  # receipts on one day are passed on together
            paid_on = D(day) + dt.timedelta(days=14)
            by_day[paid_on] = by_day.get(paid_on, 0) + amount * 100
    receipts = sorted(by_day.items())
    terms = [
        ClassTerms(FUND, c["share_class"], c["rank"], Decimal(c["preferred_return"]),
                   Decimal(c["return_cap"]) if c["return_cap"] else None)
        for c in CLASS_TERMS
    ]  # fmt: skip
    waterfall = WaterfallTerms(
        FUND, "european", Decimal(WATERFALL["hurdle"]), Decimal(WATERFALL["catch_up"]),
        Decimal(WATERFALL["carry"]), MANAGER, ("S", "J"),
    )  # fmt: skip
    paid = tuple(Distribution(day, amount) for day, amount in receipts)
    run = run_waterfall(waterfall, terms, [Deal(FUND, tuple(contributions), paid)])
    for allocation in run.whole_fund.allocations:
        day = allocation.date.isoformat()
        for share_class, amount in allocation.by_class().items():
            members = {i: paid_in[i] for i in investors if COMMITMENTS[i][0] == share_class}
            for investor, part in split_to_investors(amount, members).items():
                if part:
                    flows.append(distribution(investor, day, part))
        if allocation.to_carry():
            flows.append(distribution(MANAGER, day, allocation.to_carry()))
    return flows


def call(investor: str, day: str, pence: int) -> dict[str, object]:
    return {"fund_id": FUND, "investor_id": investor, "date": day, "kind": "call",
            "amount": pounds(pence)}  # fmt: skip


def distribution(investor: str, day: str, pence: int) -> dict[str, object]:
    return {"fund_id": FUND, "investor_id": investor, "date": day, "kind": "distribution",
            "amount": pounds(pence)}  # fmt: skip


def management_fees(flows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each quarter's fee from the terms (valuation.fees), recorded on the quarter's end."""
    terms_rows = [{"fund_id": FUND, "share_class": c, **FUND_TERMS} for c in ("J", "S")]
    ledger = Ledger.from_records(
        fund_terms=terms_rows,
        commitments=[
            {"fund_id": FUND, "investor_id": i, "share_class": c, "amount": a, "date": "2021-01-01"}
            for i, (c, a) in sorted(COMMITMENTS.items())
        ],
        investor_flows=flows,
    )
    fees = quarter_fees(ledger.fund_terms, ledger.commitments, ledger.investor_flows,
                        LAST_QUARTER_END)  # fmt: skip
    by_quarter = fees.groupby("end")["fee_pence"].sum()
    return [
        {"fund_id": FUND, "date": pd.Timestamp(end).date().isoformat(),
         "kind": "management_fee", "amount": pounds(int(fee))}
        for end, fee in by_quarter.items()
        if fee > 0
    ]  # fmt: skip


def project_tables() -> dict[str, list[dict[str, object]]]:
    t: dict[str, list[dict[str, object]]] = {
        k: []
        for k in ("projects", "delivery_partners", "holdings", "project_flows", "marks",
                  "outcome_contracts", "contract_payers", "outcome_metrics", "outcomes",
                  "outcome_payments")
    }  # fmt: skip
    for (
        pid,
        name,
        area,
        region,
        coord,
        start,
        end,
        status,
        commit,
        draws,
        back,
        final,
        wo,
    ) in PROJECTS:
        t["projects"].append(
            {"project_id": pid, "name": name, "policy_area": area, "region": region,
             "coordinator": coord, "start_date": start, "end_date": end, "status": status}
        )  # fmt: skip
        t["delivery_partners"] += [{"project_id": pid, "organisation": o} for o in PARTNERS[pid]]
        key = {"project_id": pid, "holder_id": FUND, "tranche": "A"}
        t["holdings"].append({**key, "instrument": "loan", "commitment": f"{commit}.00"})
        events = [(D(d), "drawdown", a) for d, a in draws]
        events += [(D(d), k, a) for d, k, a in back] + [(D(d), "write_off", a) for d, a in wo]
        for day, kind, amount in sorted(events):
            t["project_flows"].append(
                {**key, "date": day.isoformat(), "kind": kind, "amount": f"{amount}.00"}
            )
        # marks: cost outstanding each quarter-end until the final marks take over
        finals = {D(d): a for d, a in final}
        first_final = min(finals)
        for q in quarter_ends(D(draws[0][0]), LAST_QUARTER_END):
            if q >= first_final:
                value = finals[max(d for d in finals if d <= q)]
                method, note = ("nil", "Repaid or written off") if value == 0 else (
                    "dcf_expected_outcomes", "Expected outcome payments discounted")  # fmt: skip
            else:
                drawn = sum(a for d, k, a in events if k == "drawdown" and d <= q)
                repaid = sum(a for d, k, a in events if k == "repayment" and d <= q)
                value, method, note = max(0, drawn - repaid), "cost", "Held at cost"
            t["marks"].append({**key, "date": q.isoformat(), "fair_value": f"{value}.00",
                               "method": method, "note": note})  # fmt: skip
        payers, (metric, price, code), cap, quarters, forecast, achieved = OUTCOMES[pid]
        contract = f"{pid}-1"
        t["outcome_contracts"].append(
            {"contract_id": contract, "project_id": pid, "name": f"{name}: outcomes",
             "start_date": start, "end_date": end, "cap": f"{cap}.00"}
        )  # fmt: skip
        t["contract_payers"] += [
            {"contract_id": contract, "payer": p, "payer_kind": k, "share": s} for p, k, s in payers
        ]
        metric_id = f"{contract}-M1"
        t["outcome_metrics"].append(
            {"metric_id": metric_id, "contract_id": contract, "name": metric,
             "price": f"{price}.00", "unit_value_code": code}
        )  # fmt: skip
        ends = quarter_ends(D(start) + dt.timedelta(days=80), LAST_QUARTER_END)[:quarters]
        for n, q in enumerate(ends):
            got = achieved if n % 4 else achieved - 1  # a weaker first quarter each year
            t["outcomes"].append({"metric_id": metric_id, "period_end": q.isoformat(),
                                  "forecast": forecast, "achieved": got})  # fmt: skip
            paid_on = q + dt.timedelta(days=45)
            if paid_on > LAST_QUARTER_END:
                continue
            total = got * price * 100
            shares = [Decimal(s) for _, _, s in payers]
            names = [p for p, _, _ in payers]
            for payer, part in zip(
                names, allocate_largest_remainder(total, shares, names), strict=True
            ):
                t["outcome_payments"].append(
                    {"contract_id": contract, "payer": payer, "date": paid_on.isoformat(),
                     "amount": pounds(part), "metric_id": metric_id}
                )  # fmt: skip
    return t


def main() -> None:
    flows = investor_flows()
    write("funds", list(FUNDS[0]), list(FUNDS))
    write(
        "investors",
        ["investor_id", "name", "kind"],
        [dict(zip(["investor_id", "name", "kind"], r, strict=True)) for r in INVESTORS],
    )
    write(
        "commitments",
        ["fund_id", "investor_id", "share_class", "amount", "date"],
        [
            {
                "fund_id": FUND,
                "investor_id": i,
                "share_class": c,
                "amount": f"{a}.00",
                "date": "2021-01-01",
            }
            for i, (c, a) in sorted(COMMITMENTS.items())
        ],
    )
    write(
        "investor_flows",
        ["fund_id", "investor_id", "date", "kind", "amount"],
        sorted(flows, key=lambda f: (str(f["date"]), str(f["investor_id"]), str(f["kind"]))),
    )
    write("fund_expenses", ["fund_id", "date", "kind", "amount"], management_fees(flows))
    write(
        "fund_terms",
        ["fund_id", "share_class", *FUND_TERMS],
        [{"fund_id": FUND, "share_class": c, **FUND_TERMS} for c in ("J", "S")],
    )
    write(
        "class_terms",
        ["fund_id", "share_class", "rank", "preferred_return", "return_cap"],
        [{"fund_id": FUND, **c} for c in sorted(CLASS_TERMS, key=lambda c: str(c["share_class"]))],
    )
    write("waterfalls", ["fund_id", *WATERFALL], [{"fund_id": FUND, **WATERFALL}])
    write("unit_values", list(UNIT_VALUES[0]), list(UNIT_VALUES))
    headers = {
        "projects": [
            "project_id",
            "name",
            "policy_area",
            "region",
            "coordinator",
            "start_date",
            "end_date",
            "status",
        ],
        "delivery_partners": ["project_id", "organisation"],
        "holdings": ["project_id", "holder_id", "tranche", "instrument", "commitment"],
        "project_flows": ["project_id", "holder_id", "tranche", "date", "kind", "amount"],
        "marks": ["project_id", "holder_id", "tranche", "date", "fair_value", "method", "note"],
        "outcome_contracts": ["contract_id", "project_id", "name", "start_date", "end_date", "cap"],
        "contract_payers": ["contract_id", "payer", "payer_kind", "share"],
        "outcome_metrics": ["metric_id", "contract_id", "name", "price", "unit_value_code"],
        "outcomes": ["metric_id", "period_end", "forecast", "achieved"],
        "outcome_payments": ["contract_id", "payer", "date", "amount", "metric_id"],
    }
    for name, rows in project_tables().items():
        write(name, headers[name], rows)


if __name__ == "__main__":
    main()
