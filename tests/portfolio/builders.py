"""Small portfolios written as CSV folders, readable at a glance."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from passu.valuation.schema import BY_NAME

Table = list[dict[str, str]]


def a_portfolio() -> dict[str, Table]:
    """One fund, three investors in class A, one project held by the fund and a co-investor."""
    return {
        "funds": [
            {
                "fund_id": "F1",
                "name": "Outcomes Fund I",
                "currency": "GBP",
                "vintage": "2014",
                "manager": "Example Manager LLP",
            },
        ],
        "investors": [
            {"investor_id": "F1", "name": "Outcomes Fund I", "kind": "fund"},
            {"investor_id": "DEPT", "name": "A Department", "kind": "government"},
            {"investor_id": "FDN", "name": "A Foundation", "kind": "foundation"},
            {"investor_id": "BANK", "name": "A Social Bank", "kind": "bank"},
            {"investor_id": "CO1", "name": "A Co-investor", "kind": "social_investor"},
        ],
        "commitments": [
            {
                "fund_id": "F1",
                "investor_id": "DEPT",
                "share_class": "A",
                "amount": "300000",
                "date": "2014-01-15",
            },
            {
                "fund_id": "F1",
                "investor_id": "FDN",
                "share_class": "A",
                "amount": "500000",
                "date": "2014-01-15",
            },
            {
                "fund_id": "F1",
                "investor_id": "BANK",
                "share_class": "A",
                "amount": "1200000.50",
                "date": "2014-01-15",
            },
        ],
        "investor_flows": [
            {
                "fund_id": "F1",
                "investor_id": "DEPT",
                "date": "2014-03-31",
                "kind": "call",
                "amount": "30000",
            },
            {
                "fund_id": "F1",
                "investor_id": "FDN",
                "date": "2014-03-31",
                "kind": "call",
                "amount": "50000",
            },
            {
                "fund_id": "F1",
                "investor_id": "BANK",
                "date": "2014-03-31",
                "kind": "call",
                "amount": "120000.05",
            },
        ],
        "fund_expenses": [
            {"fund_id": "F1", "date": "2014-06-30", "kind": "management_fee", "amount": "2500"},
        ],
        "projects": [
            {
                "project_id": "P1",
                "name": "Youth homes West Yorkshire",
                "policy_area": "youth homelessness",
                "region": "West Yorkshire",
                "coordinator": "A Coordinator",
                "start_date": "2014-04-01",
                "end_date": "2018-03-31",
                "status": "completed",
            },
        ],
        "delivery_partners": [
            {"project_id": "P1", "organisation": "Charity One"},
            {"project_id": "P1", "organisation": "Charity Two"},
        ],
        "holdings": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "instrument": "loan",
                "commitment": "150000",
            },
            {
                "project_id": "P1",
                "holder_id": "CO1",
                "tranche": "A",
                "instrument": "loan",
                "commitment": "100000",
            },
        ],
        "project_flows": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2014-04-15",
                "kind": "drawdown",
                "amount": "60000",
            },
            {
                "project_id": "P1",
                "holder_id": "CO1",
                "tranche": "A",
                "date": "2014-04-15",
                "kind": "drawdown",
                "amount": "40000",
            },
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2015-04-15",
                "kind": "interest",
                "amount": "3000",
            },
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2015-04-15",
                "kind": "interest",
                "amount": "3000",
            },
        ],
        "marks": [
            {
                "project_id": "P1",
                "holder_id": "F1",
                "tranche": "A",
                "date": "2014-12-31",
                "fair_value": "61000",
                "method": "cost",
                "note": "at cost plus accrued",
            },
        ],
        "outcome_contracts": [
            {
                "contract_id": "C1",
                "project_id": "P1",
                "name": "Accommodation outcomes",
                "start_date": "2014-04-01",
                "end_date": "2018-03-31",
                "cap": "500000",
            },
        ],
        "contract_payers": [
            {
                "contract_id": "C1",
                "payer": "Leeds City Council",
                "payer_kind": "local_government",
                "share": "0.333333",
            },
            {
                "contract_id": "C1",
                "payer": "Central Fund",
                "payer_kind": "central_government",
                "share": "0.333333",
            },
            {
                "contract_id": "C1",
                "payer": "The Lottery",
                "payer_kind": "lottery",
                "share": "0.333334",
            },
        ],
        "unit_values": [
            {
                "code": "UV1",
                "description": "Sustained accommodation 6 months",
                "fiscal": "2000",
                "economic": "500",
                "social": "1500.50",
                "price_year": "2015",
                "source": "test",
                "deadweight": "0.2",
                "attribution": "",
                "optimism_bias": "0.1",
                "transfer": "false",
                "duration_years": "1",
            },
        ],
        "outcome_metrics": [
            {
                "metric_id": "M1",
                "contract_id": "C1",
                "name": "Sustained accommodation",
                "price": "1500",
                "unit_value_code": "UV1",
            },
        ],
        "outcomes": [
            {"metric_id": "M1", "period_end": "2014-09-30", "forecast": "10", "achieved": "12"},
            {"metric_id": "M1", "period_end": "2014-12-31", "forecast": "10", "achieved": "8"},
        ],
        "outcome_claims": [
            {
                "claim_id": "CL1",
                "contract_id": "C1",
                "metric_id": "M1",
                "period_end": "2014-09-30",
                "count": "12",
                "amount": "18000",
                "claimed_on": "2014-10-10",
                "verified_on": "2014-10-30",
                "verified_count": "12",
                "verified_amount": "18000",
                "rejected_on": "",
            },
        ],
        "outcome_payments": [
            {
                "contract_id": "C1",
                "payer": "Leeds City Council",
                "date": "2014-11-15",
                "amount": "6000",
                "metric_id": "M1",
                "claim_id": "CL1",
            },
            {
                "contract_id": "C1",
                "payer": "Central Fund",
                "date": "2014-11-15",
                "amount": "6000",
                "metric_id": "M1",
                "claim_id": "CL1",
            },
            {
                "contract_id": "C1",
                "payer": "The Lottery",
                "date": "2014-11-15",
                "amount": "6000",
                "metric_id": "",
                "claim_id": "",
            },
        ],
        "fund_forecasts": [
            {
                "fund_id": "F1",
                "measure": "delivery_partners",
                "forecast": "20",
                "forecast_high": "30",
            },
        ],
        "innovations": [
            {
                "innovation_id": "I1",
                "project_id": "P1",
                "name": "Referral process",
                "objective": "faster referrals",
                "stage": "design",
                "theme": "referrals",
                "estimated_cost": "10000",
                "start_date": "2014-04-01",
                "status": "adopted",
            },
        ],
        "project_costs": [
            {
                "project_id": "P1",
                "date": "2014-06-30",
                "category": "delivery",
                "amount": "40000",
                "innovation_id": "",
            },
            {
                "project_id": "P1",
                "date": "2014-06-30",
                "category": "innovation",
                "amount": "9000",
                "innovation_id": "I1",
            },
        ],
        "project_measures": [
            {
                "project_id": "P1",
                "period_end": "2014-06-30",
                "measure": "participants",
                "value": "25",
            },
        ],
        "evaluations": [
            {
                "project_id": "P1",
                "date": "2016-05-01",
                "evaluator": "An Evaluator",
                "kind": "process",
                "summary": "Worked as planned",
                "link": "",
            },
        ],
    }


def write_csvs(folder: Path, tables: dict[str, Table]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = list(rows[0]) if rows else list(BY_NAME[name].column_names)
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def a_generated_portfolio(seed: int, projects: int = 6) -> dict[str, Table]:
    """A second, randomly shaped portfolio (deterministic per seed) for round trips."""
    rng = random.Random(seed)
    tables = a_portfolio()
    for i in range(2, projects + 2):
        pid = f"P{i}"
        tables["projects"].append(
            {
                "project_id": pid,
                "name": f"Project {i} — “quoted”, with comma",
                "policy_area": rng.choice(["care leavers", "rough sleeping"]),
                "region": rng.choice(["Bristol", "Devon"]),
                "coordinator": "",
                "start_date": f"20{rng.randint(14, 19)}-0{rng.randint(1, 9)}-01",
                "end_date": "",
                "status": "active",
            }
        )
        tables["holdings"].append(
            {
                "project_id": pid,
                "holder_id": "F1",
                "tranche": "A",
                "instrument": "equity",
                "commitment": f"{rng.randint(1, 9) * 10000}.{rng.randint(0, 99):02d}",
            }
        )
        for _ in range(rng.randint(1, 4)):
            tables["project_flows"].append(
                {
                    "project_id": pid,
                    "holder_id": "F1",
                    "tranche": "A",
                    "date": f"2020-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "kind": rng.choice(["drawdown", "repayment", "interest", "dividend"]),
                    "amount": f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}",
                }
            )
    return tables
