"""``passu publish``: a fund's projects at a quarter's end in the INDIGO data standard.

Writes the flat CSV layout of the GO Lab INDIGO export (``publish_layout.py``:
same file names, same headers), filling the columns passu knows and leaving the
rest empty, plus ``metrics.csv`` (the same measures for every project, for the
quarter and to date) and a README. Aggregates only: nothing about individual
people served; investors and outcome payers are organisations and are named,
as INDIGO does.

Definitions, so a reader of the publication (or ``passu market import`` of it)
gets the fund's own figures back:

- capital raised (INDIGO "Total investment commitment") = Σ holding commitments
  of every holder of the project, the fund and its co-investors;
- maximum potential outcome payment = Σ caps of the project's outcome contracts;
- outcome payments (Type ``Actual``) = payments dated ≤ the quarter's end, one
  row per contract, payer, metric and calendar quarter;
- total funds invested (latest) = Σ drawdowns dated ≤ the quarter's end.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.market import publish_metrics
from passu.portfolio.market.publish_layout import FILES
from passu.portfolio.market.publish_metrics import (
    METRICS_COLUMNS,
    metric_scope,
    money,
    number,
    quarter_label,
)
from passu.portfolio.outcomes import scope_projects
from passu.portfolio.register import fund_scope, load_all
from passu.portfolio.store.frames import Ledger
from passu.valuation.money import pence_to_decimal
from passu.valuation.raw_tables import escape_formula

COUNTRY = "GB"
CURRENCY = "GBP"
STAGES = {
    "pipeline": "Design",
    "active": "Implementation",
    "completed": "Complete",
    "written_off": "Complete",
}
INVESTOR_TYPES = {
    "government": ("Government body", "Government/Public Sector/Public Bank"),
    "foundation": (
        "Registered non-profit organisation, charity or foundation",
        "Foundation/Philanthropist",
    ),
    "social_investor": (
        "Registered company, partnership or commercial association",
        "Impact Investor",
    ),
    "bank": ("Registered company, partnership or commercial association", "Commercial"),
    "fund": ("Registered company, partnership or commercial association", "Investment Fund"),
    "other": ("", ""),
}
PAYER_TYPES = {
    "central_government": "Government body",
    "local_government": "Government body",
    "nhs": "Government body",
    "school": "Government body",
    "lottery": "Registered non-profit organisation, charity or foundation",
    "philanthropy": "Registered non-profit organisation, charity or foundation",
}
INSTRUMENTS = {"loan": "Loan", "equity": "Equity", "quasi_equity": "Quasi-equity", "bond": "Bond"}


@dataclass(frozen=True)
class Publication:
    directory: Path
    quarter: str
    as_of: dt.date
    scope: str
    projects: int
    files: tuple[tuple[str, int], ...]  # (file, data rows)


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """``2025-Q3`` → (2025-07-01, 2025-09-30)."""
    match = re.fullmatch(r"(\d{4})-?Q([1-4])", quarter.strip().upper())
    if not match:
        raise UsageError(f"--quarter: expected a quarter such as 2025-Q3, found {quarter!r}")
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
    return start, end


def _iso(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def publish(engine: Engine, quarter: str, fund_id: str | None, directory: Path) -> Publication:
    """Write the publication of the fund's (or every fund's) projects at the quarter's end."""
    start, end = quarter_bounds(quarter)
    frames = load_all(engine, end)
    label, fund_ids = fund_scope(frames, fund_id)
    projects = scope_projects(frames, fund_ids)
    if not projects:
        raise UsageError(f"{label}: no projects held by the quarter's end, nothing to publish")
    orgs = _organisations(frames, projects)
    tables = {
        "projects.csv": _projects(frames, projects, orgs, end),
        "orgs.csv": [
            {"ID": o["id"], "Name": o["name"], "Type - (Value)": o["type"], "Country": COUNTRY}
            for o in sorted(orgs.values(), key=lambda o: o["id"])
        ],
        "projects_investments.csv": _investments(frames, projects, orgs),
        "projects_outcome_payments.csv": _payments(frames, projects, orgs, end),
        "projects_results.csv": _results(frames, projects, end),
        "projects_outcome_metrics.csv": _metrics(frames, projects),
    }
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        _write(directory / name, FILES[name], rows)
        written.append((name, len(rows)))
    measures = publish_metrics.measures(frames, projects, start, end, quarter_label(start))
    _write(directory / "metrics.csv", METRICS_COLUMNS, measures)
    written.append(("metrics.csv", len(measures)))
    (directory / "README.md").write_text(
        publish_metrics.readme(frames, fund_ids, label, start, end), "utf-8"
    )
    return Publication(directory, quarter_label(start), end, label, len(projects), tuple(written))


def _write(path: Path, header: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """One CSV of the publication. It is public and opened in spreadsheets, so a text a
    spreadsheet would run as a formula (a project named ``=HYPERLINK(...)``) is written
    with a leading apostrophe, as ``passu export`` writes it (``escape_formula``)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            unknown = set(row) - set(header)
            assert not unknown, f"{path.name}: no such INDIGO column {unknown}"
            writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value: Any) -> str:
    return "" if value is None else escape_formula(str(value))


def _organisations(
    frames: Ledger, projects: tuple[str, ...]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every organisation named: holders (by investor id), payers and delivery partners
    (by name), each with a stable INDIGO-style id."""
    orgs: dict[tuple[str, str], dict[str, Any]] = {}
    holdings = frames.holdings[frames.holdings["project_id"].isin(projects)]
    investors = frames.investors.set_index("investor_id")
    for holder in sorted(set(holdings["holder_id"])):
        kind = str(investors.at[holder, "kind"])
        orgs[("holder", holder)] = {
            "id": f"PASSU-ORG-INV-{holder}",
            "name": str(investors.at[holder, "name"]),
            "type": INVESTOR_TYPES.get(kind, ("", ""))[0],
            "role": INVESTOR_TYPES.get(kind, ("", ""))[1],
        }
    contracts = frames.outcome_contracts[frames.outcome_contracts["project_id"].isin(projects)]
    payers = frames.contract_payers[
        frames.contract_payers["contract_id"].isin(contracts["contract_id"])
    ]
    kinds = payers.drop_duplicates("payer").set_index("payer")["payer_kind"]
    for n, payer in enumerate(sorted(kinds.index), start=1):
        orgs[("payer", payer)] = {
            "id": f"PASSU-ORG-PAY-{n:04d}",
            "name": payer,
            "type": PAYER_TYPES.get(str(kinds[payer]), ""),
        }
    partners = frames.delivery_partners[frames.delivery_partners["project_id"].isin(projects)]
    for n, name in enumerate(sorted(set(partners["organisation"])), start=1):
        orgs[("partner", name)] = {"id": f"PASSU-ORG-DP-{n:04d}", "name": name, "type": ""}
    return orgs


def _projects(
    frames: Ledger,
    projects: tuple[str, ...],
    orgs: dict[tuple[str, str], dict[str, Any]],
    end: dt.date,
) -> list[dict[str, Any]]:
    f = frames
    committed = f.holdings.groupby("project_id")["commitment_pence"].sum()
    contracts = f.outcome_contracts[f.outcome_contracts["project_id"].isin(projects)]
    caps = contracts.groupby("project_id")["cap_pence"].sum()
    paid = (
        f.outcome_payments.merge(contracts[["contract_id", "project_id"]], on="contract_id")
        .groupby("project_id")["amount_pence"]
        .sum()
    )
    drawn = (
        f.project_flows[f.project_flows["kind"] == "drawdown"]
        .groupby("project_id")["amount_pence"]
        .sum()
    )
    participants = _measure_totals(f, "participants")
    partners = f.delivery_partners.groupby("project_id")["organisation"].apply(set)
    holders = f.holdings.groupby("project_id")["holder_id"].apply(set)
    payers = f.contract_payers.merge(contracts[["contract_id", "project_id"]], on="contract_id")
    payers_by_project = payers.groupby("project_id")["payer"].apply(set)
    finance = "Overall project finance - "
    rows = []
    for p in (
        f.projects[f.projects["project_id"].isin(projects)].sort_values("project_id").itertuples()
    ):
        ids = sorted(
            [orgs[("holder", h)]["id"] for h in holders.get(p.project_id, set())]
            + [orgs[("payer", x)]["id"] for x in payers_by_project.get(p.project_id, set())]
            + [orgs[("partner", x)]["id"] for x in partners.get(p.project_id, set())]
        )
        engaged = participants.get(p.project_id)
        rows.append(
            {
                "ID": p.project_id,
                "Impact Bond Name - (Value)": p.name,
                "Stage of Development - (Value)": STAGES.get(str(p.status), ""),
                "Dates - Start date of service provision - (Value)": _iso(p.start_date),
                "Dates - Anticipated end date of service provision - (Value)": _iso(p.end_date),
                "Jurisdiction - (Notes)": p.region,
                finance + "Total investment commitment - Currency - (Value)": CURRENCY,
                finance + "Total investment commitment - Amount - Exact - (Value)": money(
                    committed.get(p.project_id, 0)
                ),
                finance + "Maximum potential outcome payment - Currency - (Value)": CURRENCY,
                finance + "Maximum potential outcome payment - Amount - (Value)": money(
                    caps.get(p.project_id, 0)
                ),
                finance + "Total outcome payments made - Currency - (Value)": CURRENCY,
                finance + "Total outcome payments made - Amount - (Value)": money(
                    paid.get(p.project_id, 0)
                ),
                "Investment Details - Total Funds Invested - Latest - Currency - (Value)": CURRENCY,
                "Investment Details - Total Funds Invested - Latest - Amount - (Value)": money(
                    drawn.get(p.project_id, 0)
                ),
                "Investment Details - Total Funds Invested - Latest - Date - (Value)": (
                    end.isoformat()
                ),
                "Purpose and classifications - Policy sector - (Value)": p.policy_area,
                "Service and beneficiaries - Actual number of unique service users or "
                "beneficiaries engaged (total) - (Value)": ""
                if engaged is None
                else number(engaged),
                "Notes - (Value)": f"Published by passu with figures to {end.isoformat()}; "
                f"partnership coordinator: {p.coordinator or 'not recorded'}.",
                "Organisations": ", ".join(ids),
                "Countries": COUNTRY,
            }
        )
    return rows


def _measure_totals(frames: Ledger, measure: str) -> dict[str, Decimal]:
    rows = frames.project_measures[frames.project_measures["measure"] == measure]
    totals: dict[str, Decimal] = {}
    # measure values are exact decimals (object column): summed per project in Python
    for project_id, value in zip(rows["project_id"], rows["value"], strict=True):
        totals[project_id] = totals.get(project_id, Decimal(0)) + Decimal(value)
    return totals


def _investments(
    frames: Ledger, projects: tuple[str, ...], orgs: dict[tuple[str, str], dict[str, Any]]
) -> list[dict[str, Any]]:
    holdings = frames.holdings[frames.holdings["project_id"].isin(projects)]
    return [
        {
            "Project ID": h.project_id,
            "Id": f"{h.holder_id}-{h.tranche}",
            "Organisation ID - (Value)": orgs[("holder", h.holder_id)]["id"],
            "Organisation Role Category - (Value)": orgs[("holder", h.holder_id)]["role"],
            "Investment Commitment - Currency - (Value)": CURRENCY,
            "Investment Commitment - Amount - Exact - (Value)": money(h.commitment_pence),
            "Investment Type - (Value)": INSTRUMENTS.get(str(h.instrument), str(h.instrument)),
        }
        for h in holdings.sort_values(["project_id", "holder_id", "tranche"]).itertuples()
    ]


def _payments(
    frames: Ledger,
    projects: tuple[str, ...],
    orgs: dict[tuple[str, str], dict[str, Any]],
    end: dt.date,
) -> list[dict[str, Any]]:
    contracts = frames.outcome_contracts[["contract_id", "project_id"]]
    paid = frames.outcome_payments.merge(contracts, on="contract_id")
    paid = paid[paid["project_id"].isin(projects) & (paid["date"] <= pd.Timestamp(end))]
    paid = paid.assign(
        quarter=paid["date"].dt.to_period("Q"), metric_id=paid["metric_id"].fillna("")
    )
    grouped = paid.groupby(
        ["project_id", "contract_id", "quarter", "payer", "metric_id"], as_index=False
    )["amount_pence"].sum()
    return [
        {
            "Project ID": r.project_id,
            "Outcome Payment Plan Id - (Value)": r.contract_id,
            "Outcome Metric Id - (Value)": r.metric_id,
            "Period - Start - (Value)": r.quarter.start_time.date().isoformat(),
            "Period - End - (Value)": r.quarter.end_time.date().isoformat(),
            "Payer Organisation ID - (Value)": orgs[("payer", r.payer)]["id"]
            if ("payer", r.payer) in orgs
            else "",
            "Type - (Value)": "Actual",
            "Payments - Currency - (Value)": CURRENCY,
            "Payments - Amount - (Value)": money(r.amount_pence),
            "Notes": "" if ("payer", r.payer) in orgs else f"paid by {r.payer}",
        }
        for r in grouped.itertuples()
    ]


def _results(frames: Ledger, projects: tuple[str, ...], end: dt.date) -> list[dict[str, Any]]:
    metrics = metric_scope(frames, projects)[["metric_id", "project_id"]]
    done = frames.outcomes[frames.outcomes["period_end"] <= pd.Timestamp(end)]
    rows = done.merge(metrics, on="metric_id").sort_values(
        ["project_id", "metric_id", "period_end"]
    )
    return [
        {
            "Project ID": r.project_id,
            "Outcome Metric Id - (Value)": r.metric_id,
            "Result level - (Value)": "Outcome level",
            "Result type - (Value)": "Interim",
            "Period - End - (Value)": _iso(r.period_end),
            "Outcomes achieved - (Value)": str(int(r.achieved)),
            "Notes": f"forecast {int(r.forecast)}",
        }
        for r in rows.itertuples()
    ]


def _metrics(frames: Ledger, projects: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "Project ID": m.project_id,
            "Id": m.metric_id,
            "Outcome Definition - (Value)": m.name,
            "Policy sector - (Value)": m.policy_area,
            "Notes": f"price £{pence_to_decimal(int(m.price_pence)):,.2f} per outcome",
        }
        for m in metric_scope(frames, projects).itertuples()
    ]
