"""How fast is `passu report committee`? Synthetic portfolios of 40 and 200 projects.

For each size the script writes a portfolio in the interchange format (one
fund with five investors; every project held by the fund and one direct
co-investor, with quarterly drawdowns, interest and repayments, yearly marks,
one outcome contract with two payers and two priced outcomes, quarterly
outcomes and payments), imports it, values and saves the run
(``value_and_save``), then times the committee pack: building its content
(including the recomputed year-end history) and rendering the PDF.

Usage: python bench/report_speed.py [--sizes 40,200] [--keep DIR] [--jobs N]
Prints a Markdown table; targets: under 10 s for 40 projects, 45 s for 200.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from pypdf import PdfReader

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store.database import make_engine, upgrade
from passu.portfolio.value import value_and_save
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.reports.parts import available_cpus
from passu.valuation.schema import SCHEMAS

AS_OF = dt.date(2024, 12, 31)
FIRST_YEAR = 2015
TARGETS = {40: 10.0, 200: 45.0}
AREAS = ("youth homelessness", "family therapy", "care leavers", "social prescribing",
         "school-based support")  # fmt: skip
INVESTORS = {"GOV": ("Government department", "government", 0.12),
             "FDN1": ("First foundation", "foundation", 0.2),
             "FDN2": ("Second foundation", "foundation", 0.2),
             "BANK": ("Social bank", "bank", 0.28),
             "SIF": ("Social investment fund", "social_investor", 0.2)}  # fmt: skip
# Each table's header, from the format's one schema (rows below are written in this order).
# the format-1 columns: the rows below give no purpose or recallable flag
COLUMNS = {s.name: [c.name for c in s.columns if c.since == 1] for s in SCHEMAS}


def _quarter_ends(first: dt.date, count: int) -> list[dt.date]:
    ends = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    for _ in range(count):
        month = quarter * 3
        next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(next_month - dt.timedelta(days=1))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return ends


def _write(folder: Path, name: str, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        # columns added to the format after this script (optional ones) are left empty
        out.writerows([*row, *[""] * (len(header) - len(row))] for row in rows)


def write_portfolio(folder: Path, projects: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"P{p:03d}" for p in range(projects)]
    starts = [dt.date(FIRST_YEAR + p % 5, 1 + 3 * (p % 4), 1) for p in range(projects)]
    draw = 50_000  # pounds per quarterly drawdown, 8 of them per holding
    _write(
        folder,
        "funds",
        COLUMNS["funds"],
        [["F1", "Bench Outcomes Fund", "GBP", FIRST_YEAR, "Bench Managers LLP"]],
    )
    _write(
        folder,
        "investors",
        COLUMNS["investors"],
        [["F1", "Bench Outcomes Fund", "fund"]]
        + [[i, n, k] for i, (n, k, _s) in INVESTORS.items()]
        + [[f"CO{p:03d}", f"Co-investor {p}", "social_investor"] for p in range(projects)],
    )
    total = projects * 8 * draw
    _write(
        folder,
        "commitments",
        COLUMNS["commitments"],
        [
            ["F1", i, "A", f"{total * 1.2 * s:.2f}", f"{FIRST_YEAR}-01-01"]
            for i, (_n, _k, s) in INVESTORS.items()
        ],
    )
    years = range(FIRST_YEAR, AS_OF.year + 1)
    flows = []
    for i, (_n, _k, share) in INVESTORS.items():
        for year in years:
            calls = total / 5 if year < FIRST_YEAR + 5 else 0
            if calls:
                flows.append(["F1", i, f"{year}-03-31", "call", f"{calls * share:.2f}"])
            if year >= FIRST_YEAR + 3:
                flows.append(
                    ["F1", i, f"{year}-09-30", "distribution", f"{total * 0.15 * share:.2f}"]
                )
    _write(folder, "investor_flows", COLUMNS["investor_flows"], flows)
    _write(
        folder,
        "projects",
        COLUMNS["projects"],
        [
            [
                pid,
                f"Synthetic outcomes partnership {pid}",
                AREAS[p % len(AREAS)],
                f"Region {p % 9}",
                "Bench Coordinator",
                starts[p],
                starts[p].replace(year=starts[p].year + 6),
                "active",
            ]
            for p, pid in enumerate(ids)
        ],
    )
    _write(
        folder,
        "delivery_partners",
        COLUMNS["delivery_partners"],
        [[pid, f"Partner {p % 30}"] for p, pid in enumerate(ids)],
    )
    holders = [("F1",), ("CO",)]
    _write(
        folder,
        "holdings",
        COLUMNS["holdings"],
        [
            [pid, h[0] if h[0] == "F1" else f"CO{p:03d}", "A", "loan", f"{8 * draw:.2f}"]
            for p, pid in enumerate(ids)
            for h in holders
        ],
    )
    project_flows, marks, outcomes, payments = [], [], [], []
    for p, pid in enumerate(ids):
        quarters = [q for q in _quarter_ends(starts[p], 24) if q <= AS_OF]
        for holder in ("F1", f"CO{p:03d}"):
            for n, quarter in enumerate(quarters):
                if n < 8:
                    project_flows.append([pid, holder, "A", quarter, "drawdown", f"{draw:.2f}"])
                else:
                    project_flows.append([pid, holder, "A", quarter, "interest", "3000.00"])
                    project_flows.append([pid, holder, "A", quarter, "repayment", "20000.00"])
                if quarter.month == 12:
                    value = max(0, 8 * draw - 20000 * max(0, n - 7)) * 1.05
                    marks.append(
                        [
                            pid,
                            holder,
                            "A",
                            quarter,
                            f"{value:.2f}",
                            "dcf_expected_outcomes",
                            "Synthetic mark",
                        ]
                    )
        for n, quarter in enumerate(quarters):
            for m in (1, 2):
                achieved = 20 + (p * 7 + n * 3 + m) % 15
                outcomes.append([f"{pid}-M{m}", quarter, 25, achieved])
            payments.append([f"{pid}-C", f"Council {p % 40}", quarter, "45000.00", ""])
            payments.append([f"{pid}-C", "Central outcomes fund", quarter, "30000.00", ""])
    _write(
        folder,
        "project_flows",
        COLUMNS["project_flows"],
        project_flows,
    )
    _write(
        folder,
        "marks",
        COLUMNS["marks"],
        marks,
    )
    _write(
        folder,
        "outcome_contracts",
        COLUMNS["outcome_contracts"],
        [
            [
                f"{pid}-C",
                pid,
                "Outcomes contract",
                starts[p],
                starts[p].replace(year=starts[p].year + 6),
                "3000000.00",
            ]
            for p, pid in enumerate(ids)
        ],
    )
    _write(
        folder,
        "contract_payers",
        COLUMNS["contract_payers"],
        [
            row
            for p, pid in enumerate(ids)
            for row in (
                [f"{pid}-C", f"Council {p % 40}", "local_government", "0.6"],
                [f"{pid}-C", "Central outcomes fund", "central_government", "0.4"],
            )
        ],
    )
    _write(
        folder,
        "outcome_metrics",
        COLUMNS["outcome_metrics"],
        [[f"{pid}-M{m}", f"{pid}-C", f"Outcome {m}", "1500.00", ""] for pid in ids for m in (1, 2)],
    )
    _write(folder, "outcomes", COLUMNS["outcomes"], outcomes)
    _write(
        folder,
        "outcome_payments",
        # every payment here pays an outcome, none a verified claim: no claim_id
        [c for c in COLUMNS["outcome_payments"] if c != "claim_id"],
        payments,
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the render workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(projects: int, work: Path, jobs: int | None) -> dict[str, float]:
    folder = work / f"portfolio-{projects}"
    write_portfolio(folder, projects)
    database = work / f"bench-{projects}.db"
    database.unlink(missing_ok=True)  # --keep DIR may hold a previous run's database
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    started = time.perf_counter()
    import_portfolio(engine, folder, user="bench")
    value_and_save(engine, AS_OF, None, save=True, replace=False, user="bench")
    prepared = time.perf_counter() - started
    started, cpu = time.perf_counter(), _cpu()
    pack = build_committee_pack(committee_bundle(engine, AS_OF, None))
    built = time.perf_counter() - started
    started = time.perf_counter()
    render_committee_pack(pack, work / f"committee-{projects}.pdf", jobs=jobs)
    rendered = time.perf_counter() - started
    cpu = _cpu() - cpu
    engine.dispose()
    return {
        "prepare": prepared,
        "build": built,
        "render": rendered,
        "pack": built + rendered,
        "cpu": cpu,  # with the render workers': what the pack costs on a machine of its own
        "pages": len(PdfReader(work / f"committee-{projects}.pdf").pages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="40,200", help="Project counts (default 40,200).")
    parser.add_argument("--keep", type=Path, help="Keep the portfolios and PDFs in this folder.")
    parser.add_argument(
        "--jobs", type=int, help=f"Render processes (default: one per CPU, {available_cpus()})."
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        results = {n: run(n, work, args.jobs) for n in sizes}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    jobs = args.jobs or available_cpus()
    print(
        f"committee pack, as of {AS_OF}, rendered by {jobs} process(es) "
        f"(load average {load:.1f} on {os.cpu_count()} CPUs)\n"
    )
    print(
        "| projects | pages | import + value --save (incl. history) | build | render PDF "
        "| pack, wall | pack, CPU | target | |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n, r in results.items():
        target = TARGETS.get(n)
        verdict = "" if target is None else ("ok" if r["pack"] < target else "over")
        print(
            f"| {n} | {r['pages']} | {r['prepare']:.1f} s | {r['build']:.1f} s "
            f"| {r['render']:.1f} s | {r['pack']:.1f} s | {r['cpu']:.1f} s "
            f"| {'' if target is None else f'< {target:.0f} s'} | {verdict} |"
        )


if __name__ == "__main__":
    main()
