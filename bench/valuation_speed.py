"""How fast is `passu value`? Synthetic portfolios of 1,000 and 10,000 holdings.

Each holding has 120 monthly flows (24 drawdowns, then interest and repayments)
and a year-end mark. For each size the script:

1. writes the portfolio in the interchange format and imports it (timed);
2. times `passu value --format json` end to end, in a fresh process;
3. times the stages in-process: read (load every table), compute (the
   document), write (serialise the JSON);
4. measures a floor in the same run: the same flows read with one SQL query
   and pyxirr called once per holding's series.

Usage: python bench/valuation_speed.py [--sizes 1000,10000] [--database URL]
Prints a Markdown table (the README's "Speed" section).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyxirr
from sqlalchemy import text

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store.database import make_engine, upgrade
from passu.portfolio.value import build_document, dumps, load_inputs
from passu.valuation.schema import SCHEMAS

AS_OF = dt.date(2022, 12, 31)
START = np.datetime64("2012-01-31")
# Each table's header, from the format's one schema (rows below are written in this order).
# the format-1 columns: the rows below give no purpose or recallable flag
COLUMNS = {s.name: [c.name for c in s.columns if c.since == 1] for s in SCHEMAS}


def write_portfolio(folder: Path, holdings: int) -> None:
    rng = np.random.default_rng(holdings)
    projects = holdings // 2  # each project: the fund and one co-investor, one tranche
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: object) -> None:
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)  # type: ignore[arg-type]

    write(
        "funds",
        COLUMNS["funds"],
        [["F1", "Bench Fund", "GBP", "2012", "Bench LLP"]],
    )
    investors = [
        ["F1", "Bench Fund", "fund"],
        ["GOV", "Department", "government"],
        ["FDN", "Foundation", "foundation"],
        ["BANK", "Social bank", "bank"],
    ]
    investors += [[f"CO{p:05d}", f"Co-investor {p}", "social_investor"] for p in range(projects)]
    write("investors", COLUMNS["investors"], investors)
    per_project = 240_000_00  # pence the fund draws per project in all
    total = projects * per_project
    shares = {"GOV": 0.2, "FDN": 0.3, "BANK": 0.5}
    write(
        "commitments",
        COLUMNS["commitments"],
        [
            ["F1", i, "A", f"{int(total * s * 1.2) / 100:.2f}", "2012-01-01"]
            for i, s in shares.items()
        ],
    )
    write(
        "investor_flows",
        COLUMNS["investor_flows"],
        [
            ["F1", i, "2012-01-15", "call", f"{int(total * s * 1.1) / 100:.2f}"]
            for i, s in shares.items()
        ],
    )
    write(
        "projects",
        COLUMNS["projects"],
        [
            [
                f"P{p:05d}",
                f"Project {p}",
                ["housing", "health"][p % 2],
                "England",
                "",
                "2012-01-01",
                "2021-12-31",
                "active",
            ]
            for p in range(projects)
        ],
    )
    write(
        "holdings",
        COLUMNS["holdings"],
        [
            row
            for p in range(projects)
            for row in (
                [f"P{p:05d}", "F1", "A", "loan", "2400000.00"],
                [f"P{p:05d}", f"CO{p:05d}", "A", "loan", "2400000.00"],
            )
        ],
    )
    months = START + np.arange(120).astype("timedelta64[M]").astype("timedelta64[D]")
    dates = [str(d) for d in (months.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1]
    kinds = ["drawdown"] * 24 + ["interest", "interest", "repayment"] * 32
    draw = per_project // 24
    with (folder / "project_flows.csv").open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS["project_flows"])
        for p in range(projects):
            back = rng.uniform(0.9, 1.25)
            repay = int(draw * 24 / 32 * back)
            interest = int(draw * 24 * 0.004 * back)
            amounts = [draw] * 24 + [interest, interest, repay] * 32
            for holder in ("F1", f"CO{p:05d}"):
                out.writerows(
                    [f"P{p:05d}", holder, "A", d, k, f"{a / 100:.2f}"]
                    for d, k, a in zip(dates, kinds, amounts, strict=True)
                )
    write(
        "marks",
        COLUMNS["marks"],
        [
            [f"P{p:05d}", h, "A", "2021-12-31", "0.00", "nil", "repaid"]
            for p in range(projects)
            for h in ("F1", f"CO{p:05d}")
        ],
    )
    write(
        "outcome_contracts",
        COLUMNS["outcome_contracts"],
        [
            [f"C{p:05d}", f"P{p:05d}", "Outcomes", "2012-01-01", "2021-12-31", "9000000.00"]
            for p in range(projects)
        ],
    )


def floor_seconds(url: str) -> float:
    """One SQL query for the flows, then pyxirr once per holding: the least work possible."""
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT project_id, holder_id, tranche, date, kind, amount FROM project_flows "
                "ORDER BY project_id, holder_id, tranche, date"
            )
        ).all()
    series: dict[tuple[str, str, str], tuple[list[object], list[float]]] = {}
    for p, h, t, d, k, a in rows:
        dates, amounts = series.setdefault((p, h, t), ([], []))
        dates.append(d)
        amounts.append(-float(a) if k == "drawdown" else float(a))
    for dates, amounts in series.values():
        with contextlib.suppress(Exception):  # the floor only times the calls
            pyxirr.xirr(dates, amounts)
    engine.dispose()
    return time.perf_counter() - started


def run(size: int, url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "portfolio"
        write_portfolio(folder, size)
        database = url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        engine = make_engine(database)
        upgrade(engine)
        started = time.perf_counter()
        import_portfolio(engine, folder, user="bench")
        imported = time.perf_counter() - started

        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "passu",
                "--database",
                database,
                "--quiet",
                "value",
                "--as-of",
                AS_OF.isoformat(),
                "--format",
                "json",
                "-o",
                str(Path(scratch) / "v.json"),
            ],
            check=True,
            env={**os.environ, "PASSU_USER": "bench"},
        )
        end_to_end = time.perf_counter() - started

        started = time.perf_counter()
        inputs = load_inputs(engine, AS_OF)
        read = time.perf_counter() - started
        started = time.perf_counter()
        document = build_document(inputs, AS_OF, None)
        compute = time.perf_counter() - started
        started = time.perf_counter()
        dumps(document)
        write = time.perf_counter() - started
        engine.dispose()
        floor = floor_seconds(database)
    return {
        "holdings": size,
        "flows": size * 120,
        "import": imported,
        "end_to_end": end_to_end,
        "read": read,
        "compute": compute,
        "write": write,
        "floor": floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--database", help="a PostgreSQL URL to use instead of SQLite")
    args = parser.parse_args()
    results = [run(int(s), args.database) for s in args.sizes.split(",")]
    print(
        "| holdings | flows | import | value end to end | read | compute | write "
        "| floor (1 query + pyxirr) | end to end ÷ floor |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['holdings']:,} | {r['flows']:,} | {r['import']:.1f} s | "
            f"{r['end_to_end']:.1f} s | {r['read']:.1f} s | {r['compute']:.1f} s | "
            f"{r['write']:.2f} s | {r['floor']:.1f} s | {r['end_to_end'] / r['floor']:.1f}× |"
        )


if __name__ == "__main__":
    main()
