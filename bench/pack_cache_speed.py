"""How much does the pack cache save? Next month's pack when only some projects changed.

Uses the synthetic portfolios of ``bench/report_speed.py``. Times, in one run:

- a cold 40-project pack (empty cache), against the target of 10 s, and the same pack
  without the cache (what writing the cache costs);
- a cold 200-project pack (empty cache);
- "next month": the same 200 projects with 20 of them changed (every tenth project's
  last quarter of outcomes one higher, so the fund's sections change too), rendered
  through the warm cache, against its floor: a 20-project pack, cold, without a
  cache, measured in the same run (target: within 25% of it).

Usage: python bench/pack_cache_speed.py [--jobs N] [--keep DIR]
Prints a Markdown table. Times are wall-clock, pack build and render (the run is
imported and saved beforehand, untimed).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store.database import make_engine, upgrade
from passu.portfolio.value import value_and_save
from passu.reports.committee import build_committee_pack
from passu.reports.committee import render_committee_pack as render_pack
from passu.reports.pack_cache import PackCache
from passu.reports.parts import available_cpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_speed import AS_OF, write_portfolio

CHANGED_EVERY = 10  # one project in ten changes: 20 of 200


def _database(work: Path, name: str, folder: Path) -> str:
    path = work / f"{name}.db"
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    import_portfolio(engine, folder, user="bench")
    value_and_save(engine, AS_OF, None, save=True, replace=False, user="bench")
    engine.dispose()
    return url


def _change_some_projects(folder: Path) -> int:
    """Every tenth project's last quarter of outcomes achieved one higher."""
    path = folder / "outcomes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    last: dict[str, int] = {}
    for number, row in enumerate(rows):
        project = int(row["metric_id"][1:4])
        if project % CHANGED_EVERY == 0:
            last[row["metric_id"]] = number
    for number in last.values():
        rows[number]["achieved"] = str(int(rows[number]["achieved"]) + 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len({m[:4] for m in last})


def _pack(
    url: str, out: Path, jobs: int | None, cache: PackCache | None
) -> tuple[float, int, PackCache | None]:
    engine = make_engine(url)
    started = time.perf_counter()
    pack = build_committee_pack(committee_bundle(engine, AS_OF, None))
    render_pack(pack, out, jobs=jobs, cache=cache)
    took = time.perf_counter() - started
    engine.dispose()
    return took, len(PdfReader(out).pages), cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="Keep the portfolios, caches and PDFs here.")
    parser.add_argument("--jobs", type=int, help="Render processes (default: one per CPU).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        urls = {}
        for size in (20, 40, 200):
            write_portfolio(work / f"portfolio-{size}", size)
            urls[size] = _database(work, f"bench-{size}", work / f"portfolio-{size}")
        changed = work / "portfolio-200-next"
        write_portfolio(changed, 200)
        count = _change_some_projects(changed)
        urls[-200] = _database(work, "bench-200-next", changed)

        rows: list[tuple[str, int, float, str, float | None, PackCache | None]] = []
        t, pages, _ = _pack(urls[40], work / "40-none.pdf", args.jobs, None)
        rows.append(("40, no cache", pages, t, "< 10 s", 10.0, None))
        cache = PackCache(work / "cache-40")
        t, pages, _ = _pack(urls[40], work / "40-cold.pdf", args.jobs, cache)
        rows.append(("40, cold cache", pages, t, "< 10 s", 10.0, cache))
        floor, floor_pages, _ = _pack(urls[20], work / "20-none.pdf", args.jobs, None)
        rows.append(("20, no cache (the floor)", floor_pages, floor, "", None, None))
        cache = PackCache(work / "cache-200")
        t, pages, _ = _pack(urls[200], work / "200-cold.pdf", args.jobs, cache)
        rows.append(("200, cold cache", pages, t, "< 45 s", 45.0, cache))
        cache = PackCache(work / "cache-200")
        t, pages, _ = _pack(urls[-200], work / "200-next.pdf", args.jobs, cache)
        target = 1.25 * floor
        rows.append(
            (
                f"200, next month ({count} changed), warm",
                pages,
                t,
                f"< {target:.1f} s",
                target,
                cache,
            )
        )
        sizes = {name: (work / f"{name}.pdf").stat().st_size for name in ("200-cold", "200-next")}

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    jobs = args.jobs or available_cpus()
    print(
        f"committee pack through the pack cache, as of {AS_OF}, {jobs} render process(es) "
        f"(load average {load:.1f} on {os.cpu_count()} CPUs)\n"
    )
    print("| pack | pages | wall | units laid out / reused | floor or target | ratio to floor | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, pages, took, target_text, target_s, used in rows:
        units = "all" if used is None else f"{used.misses} / {used.hits}"
        ratio = f"{took / floor:.2f}×" if "next month" in name or name.startswith("20,") else ""
        verdict = "" if target_s is None else ("ok" if took < target_s else "over")
        print(
            f"| {name} | {pages} | {took:.1f} s | {units} | {target_text} | {ratio} | {verdict} |"
        )
    print(
        f"\nPDF size, 200 projects: {sizes['200-cold'] / 1e6:.1f} MB cold, "
        f"{sizes['200-next'] / 1e6:.1f} MB next month"
    )


if __name__ == "__main__":
    main()
