"""Generate the illustrative sample portfolio as interchange-format CSV files.

    python -m passu.sample.generate [OUT_DIR]

writes every table of ``FORMAT.md`` into OUT_DIR (default: this package's own
folder). The output is deterministic: one seeded ``random.Random(2013)``, no
clock, rows sorted by key, so regenerating gives byte-identical files.

The sample is illustrative: synthetic project detail built so that the
programme's published totals come out (see ``README.md``).
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ._capital import build_tranches, holding_rows, wind_down_end
from ._catalogue import CO_INVESTORS, FUND_INVESTORS, FUNDS, PROJECTS, ProjectSpec
from ._common import Row
from ._details import (
    cost_rows,
    evaluation_rows,
    financing_by_project,
    forecast_rows,
    innovation_rows,
    measure_rows,
    partner_rows,
)
from ._forecasts import cost_forecast_rows, holding_term_rows
from ._funds import fund_rows
from ._outcomes import Contract, build_contracts, contract_rows
from ._social import unit_value_rows

SEED = 2013

# table -> (columns in FORMAT.md order, key columns; None = every column)
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    # `illustrative` is an attribute column (FORMAT.md keeps extra columns): every
    # output built from the sample says the data are illustrative.
    "funds": (("fund_id", "name", "currency", "vintage", "manager", "illustrative"), ("fund_id",)),
    "investors": (("investor_id", "name", "kind"), ("investor_id",)),
    "commitments": (
        ("fund_id", "investor_id", "share_class", "amount", "date"),
        ("fund_id", "investor_id", "share_class"),
    ),
    "investor_flows": (("fund_id", "investor_id", "date", "kind", "amount"), None),
    "fund_expenses": (("fund_id", "date", "kind", "amount"), None),
    "projects": (
        ("project_id", "name", "policy_area", "region", "coordinator", "start_date",
         "end_date", "status"),
        ("project_id",),
    ),
    "delivery_partners": (("project_id", "organisation"), ("project_id", "organisation")),
    "holdings": (
        ("project_id", "holder_id", "tranche", "instrument", "commitment"),
        ("project_id", "holder_id", "tranche"),
    ),
    "project_flows": (("project_id", "holder_id", "tranche", "date", "kind", "amount"), None),
    "marks": (
        ("project_id", "holder_id", "tranche", "date", "fair_value", "method", "note"),
        ("project_id", "holder_id", "tranche", "date"),
    ),
    "outcome_contracts": (
        ("contract_id", "project_id", "name", "start_date", "end_date", "cap"),
        ("contract_id",),
    ),
    "contract_payers": (("contract_id", "payer", "payer_kind", "share"), ("contract_id", "payer")),
    "outcome_metrics": (
        ("metric_id", "contract_id", "name", "price", "unit_value_code"),
        ("metric_id",),
    ),
    "outcomes": (("metric_id", "period_end", "forecast", "achieved"), ("metric_id", "period_end")),
    "outcome_payments": (
        ("contract_id", "payer", "date", "amount", "metric_id", "claim_id"),
        None,
    ),
    "unit_values": (
        ("code", "description", "fiscal", "economic", "social", "price_year", "source",
         "deadweight", "attribution", "optimism_bias", "transfer", "duration_years"),
        ("code",),
    ),
    "fund_forecasts": (("fund_id", "measure", "forecast", "forecast_high"), ("fund_id", "measure")),
    "innovations": (
        ("innovation_id", "project_id", "name", "objective", "stage", "theme", "estimated_cost",
         "start_date", "status"),
        ("innovation_id",),
    ),
    "project_costs": (("project_id", "date", "category", "amount", "innovation_id"), None),
    "project_measures": (
        ("project_id", "period_end", "measure", "value"),
        ("project_id", "period_end", "measure"),
    ),
    "outcome_claims": (
        ("claim_id", "contract_id", "metric_id", "period_end", "count", "amount", "claimed_on",
         "verified_on", "verified_count", "verified_amount", "rejected_on"),
        ("claim_id",),
    ),
    "evaluations": (
        ("project_id", "date", "evaluator", "kind", "summary", "link"),
        ("project_id", "date", "evaluator"),
    ),
    "cost_forecasts": (
        ("project_id", "period_end", "category", "amount"),
        ("project_id", "period_end", "category"),
    ),
    "holding_terms": (
        ("project_id", "holder_id", "tranche", "seniority", "coupon", "maturity_date"),
        ("project_id", "holder_id", "tranche"),
    ),
}  # fmt: skip


def build_tables() -> dict[str, list[Row]]:
    """Every table of the sample, rows unsorted."""
    rng = random.Random(SEED)
    contracts = build_contracts(rng)
    tranches = build_tranches(rng)
    tables: dict[str, list[Row]] = {}
    tables.update(contract_rows(contracts))
    tables.update(holding_rows(tranches))
    tables.update(fund_rows(tables["project_flows"], rng))
    tables["funds"] = [
        {
            "fund_id": f[0],
            "name": f[1],
            "currency": f[2],
            "vintage": str(f[3]),
            "manager": f[4],
            "illustrative": "true",
        }
        for f in FUNDS
    ]
    tables["investors"] = [
        {"investor_id": i, "name": name, "kind": kind}
        for i, name, kind in (*FUND_INVESTORS, *CO_INVESTORS)
    ] + [{"investor_id": f[0], "name": f[1], "kind": "fund"} for f in FUNDS]
    tables["projects"] = [_project_row(p) for p in PROJECTS]
    tables["delivery_partners"] = partner_rows(rng)
    financing = financing_by_project(tables["project_flows"], tables["marks"])
    tables["project_costs"] = cost_rows(financing, _paid_by_project(contracts))
    tables["innovations"] = innovation_rows()
    tables["project_measures"] = measure_rows(_first_metric_counts(contracts), rng)
    tables["evaluations"] = evaluation_rows()
    tables["fund_forecasts"] = forecast_rows()
    tables["unit_values"] = unit_value_rows(contracts)
    tables["cost_forecasts"] = cost_forecast_rows(
        tables["project_costs"], tables["project_flows"], contracts
    )
    tables["holding_terms"] = holding_term_rows(tables["holdings"])
    return tables


def _project_row(project: ProjectSpec) -> Row:
    end = wind_down_end(project)
    return {
        "project_id": project.project_id,
        "name": project.name,
        "policy_area": project.policy_area,
        "region": project.region,
        "coordinator": project.coordinator,
        "start_date": project.start.isoformat(),
        "end_date": end.isoformat() if project.show_end else "",
        "status": project.status,
    }


def _paid_by_project(contracts: list[Contract]) -> dict[str, int]:
    paid: dict[str, int] = {}
    for c in contracts:
        paid[c.project.project_id] = paid.get(c.project.project_id, 0) + c.paid_pence()
    return paid


def _first_metric_counts(contracts: list[Contract]) -> dict[str, dict[date, int]]:
    first: dict[str, dict[date, int]] = {}
    for c in contracts:
        first.setdefault(c.project.project_id, c.metrics[0].achieved)
    return first


def _sort_key(columns: tuple[str, ...]) -> Callable[[Row], tuple[str, ...]]:
    """Rows sort by the text of their key columns, as ``passu export`` sorts them."""
    return lambda row: tuple(row[c] for c in columns)


def write_tables(tables: dict[str, list[Row]], out_dir: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, LF, header row, sorted rows)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (columns, key) in COLUMNS.items():
        rows = sorted(tables[name], key=_sort_key(key or columns))
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([row[c] for c in columns] for row in rows)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the sample into OUT_DIR (default: the folder of this module)."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else Path(__file__).resolve().parent
    paths = write_tables(build_tables(), out_dir)
    print(f"wrote {len(paths)} tables to {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
