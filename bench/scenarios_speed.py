"""Time the scenarios Monte Carlo (valuation/scenarios.py) on a synthetic portfolio.

    .venv/bin/python bench/scenarios_speed.py [--projects 200] [--paths 10000]

Each project has two contracts of two metrics, 24 quarterly periods (10 ended by T), a
cost forecast per future quarter, a senior loan (two holders) and equity (two holders,
one the fund). Prints the time to build the model, to calibrate the rates and to run
the paths, and the peak memory: the process's peak resident size, and the peak traced
by ``tracemalloc`` during a second run of the paths (NumPy's arrays included). Target:
200 projects × 10,000 paths within 10 s on the 2-core machine. Not asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
import tracemalloc
from decimal import Decimal

import numpy as np
import pandas as pd

from passu.valuation.fair_value import ModelInputs, calibrated_rates
from passu.valuation.ledger import Ledger
from passu.valuation.scenarios import run_scenarios

AS_OF = dt.date(2025, 12, 31)


def _quarter_ends(start: str, count: int) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, periods=count, freq="QE")]


def synthetic(projects: int, seed: int = 5) -> ModelInputs:
    rng = np.random.default_rng(seed)
    quarters = _quarter_ends("2023-06-30", 24)  # 10 end by 2025-12-31
    records: dict[str, list[dict[str, object]]] = {
        k: []
        for k in (
            "projects",
            "outcome_contracts",
            "contract_payers",
            "outcome_metrics",
            "outcomes",
            "outcome_payments",
            "holdings",
            "project_flows",
            "investor_flows",
        )
    }
    costs: list[tuple[str, str, str, int]] = []
    terms: list[tuple[str, str, str, int, Decimal | None, str]] = []
    for p in range(projects):
        pid = f"P{p:03d}"
        records["projects"].append(
            {
                "project_id": pid,
                "name": pid,
                "policy_area": "homelessness",
                "region": "North West",
                "start_date": "2023-04-01",
                "status": "active",
            }
        )
        for c in range(2):
            cid = f"{pid}C{c}"
            records["outcome_contracts"].append(
                {
                    "contract_id": cid,
                    "project_id": pid,
                    "name": cid,
                    "start_date": "2023-04-01",
                    "end_date": quarters[-1],
                    "cap": "300000",
                }
            )
            records["contract_payers"] += [
                {
                    "contract_id": cid,
                    "payer": "DCMS",
                    "payer_kind": "central_government",
                    "share": "0.5",
                },
                {
                    "contract_id": cid,
                    "payer": "Council",
                    "payer_kind": "local_government",
                    "share": "0.5",
                },
            ]
            for m in range(2):
                mid = f"{cid}M{m}"
                records["outcome_metrics"].append(
                    {"metric_id": mid, "contract_id": cid, "name": mid, "price": "500"}
                )
                for q, end in enumerate(quarters):
                    forecast = int(rng.integers(5, 25))
                    achieved = int(rng.binomial(forecast, 0.8)) if q < 10 else 0
                    records["outcomes"].append(
                        {
                            "metric_id": mid,
                            "period_end": end,
                            "forecast": forecast,
                            "achieved": achieved,
                        }
                    )
            records["outcome_payments"].append(
                {"contract_id": cid, "payer": "DCMS", "date": "2025-11-30", "amount": "60000"}
            )
        for holder, tranche, instrument, amount in (
            ("B1", "L", "loan", 200_000),
            ("F1", "L", "loan", 100_000),
            ("C1", "E", "equity", 50_000),
            ("F1", "E", "equity", 50_000),
        ):
            records["holdings"].append(
                {
                    "project_id": pid,
                    "holder_id": holder,
                    "tranche": tranche,
                    "instrument": instrument,
                    "commitment": str(amount),
                }
            )
            records["project_flows"].append(
                {
                    "project_id": pid,
                    "holder_id": holder,
                    "tranche": tranche,
                    "date": "2023-04-01",
                    "kind": "drawdown",
                    "amount": str(amount),
                }
            )
            terms.append(
                (
                    pid,
                    holder,
                    tranche,
                    1 if tranche == "L" else 2,
                    Decimal("0.07") if tranche == "L" else None,
                    "2029-12-31",
                )
            )
        costs += [(pid, end, "delivery", 500_000) for end in quarters[8:]]
    records["investor_flows"].append(
        {
            "fund_id": "F1",
            "investor_id": "I1",
            "date": "2023-03-01",
            "kind": "call",
            "amount": str(150_000 * projects),
        }
    )
    ledger = Ledger.from_records(**records)
    cost_frame = pd.DataFrame(
        {
            "project_id": pd.Series([c[0] for c in costs], dtype=object),
            "period_end": pd.to_datetime([c[1] for c in costs]).astype("datetime64[ns]"),
            "category": pd.Series([c[2] for c in costs], dtype=object),
            "amount_pence": pd.Series([c[3] for c in costs], dtype="int64"),
        }
    )
    term_frame = pd.DataFrame(
        {
            "project_id": pd.Series([t[0] for t in terms], dtype=object),
            "holder_id": pd.Series([t[1] for t in terms], dtype=object),
            "tranche": pd.Series([t[2] for t in terms], dtype=object),
            "seniority": pd.Series([t[3] for t in terms], dtype="int64"),
            "coupon": pd.Series([t[4] for t in terms], dtype=object),
            "maturity_date": pd.to_datetime([t[5] for t in terms]).astype("datetime64[ns]"),
        }
    )
    return ModelInputs.from_ledger(ledger, cost_forecasts=cost_frame, holding_terms=term_frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--paths", type=int, default=10_000)
    args = parser.parse_args()

    started = time.perf_counter()
    inputs = synthetic(args.projects)
    built = time.perf_counter()
    ids = sorted(inputs.outcome_contracts["project_id"].unique())
    rates = calibrated_rates(inputs, ids)
    calibrated = time.perf_counter()
    result = run_scenarios(
        inputs, AS_OF, paths=args.paths, seed=1, dispersion=0.3, rates=rates, fund_ids=["F1"]
    )
    ran = time.perf_counter()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    run_scenarios(
        inputs, AS_OF, paths=args.paths, seed=1, dispersion=0.3, rates=rates, fund_ids=["F1"]
    )
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"projects {args.projects}, paths {args.paths:,}")
    print(f"synthetic ledger        {built - started:6.2f} s")
    print(f"calibration (rates)     {calibrated - built:6.2f} s")
    print(f"scenarios (model+paths) {ran - calibrated:6.2f} s")
    print(f"calibration + scenarios {ran - built:6.2f} s   (target < 10 s)")
    print(f"peak resident memory    {peak_rss_mb:6.0f} MB (process)")
    print(f"peak traced in run      {traced_peak / 2**20:6.0f} MB (tracemalloc)")
    print(
        f"payments to come P5/P50/P95: {result.payments_to_come.p5} / "
        f"{result.payments_to_come.p50} / {result.payments_to_come.p95}"
    )
    if result.fund_nav is not None and result.fund_net_irr is not None:
        print(f"fund NAV P50 {result.fund_nav.p50}, net IRR P50 {result.fund_net_irr.p50}")


if __name__ == "__main__":
    main()
