"""A large ledger end to end: import, value, check, the fund-level pack and an append.

For each size (holdings; each has 120 monthly flows: 10,000 holdings are 1.2M flows,
100,000 are 12M) the script writes the synthetic portfolio of
``bench/valuation_speed.py`` once, then on each database runs, each stage a fresh
``passu`` process timed on the wall clock, its peak memory read from the kernel
(``wait4``'s maximum resident set size of the process and its children):

1. ``passu import`` of the folder into an empty database;
2. the floor, in the same run: the register imported (untimed), then the flows alone
   loaded as bare as the driver allows, in one transaction: ``executemany`` of the
   CSV rows on SQLite, ``COPY … FROM STDIN (FORMAT csv)`` of the file on PostgreSQL;
3. ``passu value --format json`` to a file, ``passu check``, then (up to
   ``--pack-up-to`` holdings) ``passu value --save``, which adds the sections the pack
   shows (the year-end history, the fair value from expected outcomes), and
   ``passu report committee --summary --no-cache`` (no page per project);
4. ``passu import --append`` of a month's flows, one per holding;
5. with ``--flows-times K``, the smallest size imported again with its flows K times
   over and the same register: the import's memory as the flows alone grow.

Usage:
  python bench/scale.py                                   # 1,000 and 10,000 holdings, SQLite
  python bench/scale.py --sizes 10000,100000 --postgresql postgresql://postgres@127.0.0.1:5432/postgres

``--postgresql`` takes a server's admin URL: a database is created for each size and
dropped afterwards. Prints Markdown tables (the README's "Speed" section).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from valuation_speed import AS_OF, write_portfolio

from passu.portfolio.store.database import make_engine, normalise_url, upgrade

FLOWS = "project_flows.csv"
MONTH = "2022-01-31"  # the appended month: after the generated ledger's last flows


@dataclass(frozen=True)
class Stage:
    database: str
    holdings: int
    name: str
    seconds: float
    peak_mb: float


def measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process (and the children it waited for)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, env={**os.environ, "PASSU_USER": "bench"}
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # passu check exits 1 on findings: the run still counts
        raise SystemExit(f"{' '.join(args)} exited {code}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def passu(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "passu", "--database", url, "--quiet", *args]


def write_outcomes(folder: Path, holdings: int) -> None:
    """What ``write_portfolio`` leaves out and a real ledger has: each contract's payer
    (so that ``passu check`` finds payer shares summing to 1) and, for one contract in
    a hundred, a priced metric with forecast outcomes after the valuation date, which
    the fair value from expected outcomes (``passu value --save``) values. Only a few:
    this bench times the ledger's size, not the Monte Carlo (bench/scenarios_speed.py)."""
    contracts = [f"C{p:05d}" for p in range(holdings // 2)]
    priced = contracts[::100]

    def write(name: str, header: list[str], rows: Iterator[list[str]]) -> None:
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)

    write(
        "contract_payers",
        ["contract_id", "payer", "payer_kind", "share"],
        ([c, "Department", "central_government", "1"] for c in contracts),
    )
    write(
        "outcome_metrics",
        ["metric_id", "contract_id", "name", "price", "unit_value_code"],
        ([f"{c}-M", c, "Outcome", "1000.00", ""] for c in priced),
    )
    write(
        "outcomes",
        ["metric_id", "period_end", "forecast", "achieved"],
        ([f"{c}-M", f"{year}-12-31", "10", "0"] for c in priced for year in (2023, 2024)),
    )


def write_month(folder: Path, holdings: int) -> None:
    """A month's interest receipts, one per holding of ``write_portfolio``'s ledger."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / FLOWS).open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["project_id", "holder_id", "tranche", "date", "kind", "amount"])
        for p in range(holdings // 2):
            for holder in ("F1", f"CO{p:05d}"):
                out.writerow([f"P{p:05d}", holder, "A", MONTH, "interest", "125.00"])


FLOOR_SCRIPT = r"""
import csv, sys
import sqlalchemy as sa
from passu.portfolio.store.database import make_engine
url, path = sys.argv[1], sys.argv[2]
engine = make_engine(url)
columns = "project_id, holder_id, tranche, date, kind, amount"
with engine.begin() as conn:
    cursor = conn.connection.dbapi_connection.cursor()
    if engine.dialect.name == "postgresql":
        with open(path, "rb") as handle, cursor.copy(
            f"COPY project_flows ({columns}) FROM STDIN (FORMAT csv, HEADER true)"
        ) as copy:
            while block := handle.read(1 << 20):
                copy.write(block)
    else:
        with open(path, newline="") as handle:
            rows = csv.reader(handle)
            next(rows)
            cursor.executemany(
                f"INSERT INTO project_flows ({columns}) VALUES (?, ?, ?, ?, ?, ?)",
                ((p, h, t, d, k, int(a.replace(".", ""))) for p, h, t, d, k, a in rows),
            )
"""


def floor(url: str, folder: Path, scratch: Path) -> tuple[float, float]:
    """The register imported (untimed), then the flows loaded bare in one transaction."""
    register = scratch / "register"
    shutil.copytree(folder, register, ignore=shutil.ignore_patterns(FLOWS))
    subprocess.run(
        passu(url, "import", str(register)), check=True, stdout=subprocess.DEVNULL, env=os.environ
    )
    try:
        return measured([sys.executable, "-c", FLOOR_SCRIPT, url, str(folder / FLOWS)])
    finally:
        shutil.rmtree(register)


@contextmanager
def database(kind: str, scratch: Path, admin: str | None) -> Iterator[str]:
    """An empty, migrated database: a SQLite file, or a PostgreSQL one made and dropped."""
    if kind == "sqlite":
        path = scratch / f"{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        upgrade(make_engine(url))
        yield url
        path.unlink(missing_ok=True)
        return
    assert admin is not None
    server = sa.create_engine(normalise_url(admin), isolation_level="AUTOCOMMIT")
    name = f"passu_scale_{uuid.uuid4().hex[:8]}"
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def repeated_flows(folder: Path, scratch: Path, times: int) -> Path:
    """The portfolio with its flows ``times`` over (the same rows again: flows are a
    multiset), for the import's memory as the flows grow and the register does not."""
    again = scratch / f"flows-x{times}"
    shutil.copytree(folder, again, ignore=shutil.ignore_patterns(FLOWS))
    with (folder / FLOWS).open("rb") as source, (again / FLOWS).open("wb") as target:
        header = source.readline()
        target.write(header)
        for _ in range(times):
            source.seek(len(header))
            shutil.copyfileobj(source, target)
    return again


def run(
    kind: str,
    holdings: int,
    folder: Path,
    scratch: Path,
    admin: str | None,
    pack: bool,
    flows_times: int,
) -> list[Stage]:
    stages: list[Stage] = []

    def stage(name: str, result: tuple[float, float]) -> None:
        stages.append(Stage(kind, holdings, name, *result))
        print(f"  {kind} {holdings:,}: {name} {result[0]:.1f} s, {result[1]:.0f} MB", flush=True)

    with database(kind, scratch, admin) as url:
        stage("floor: flows loaded bare", floor(url, folder, scratch))
    with database(kind, scratch, admin) as url:
        stage("import", measured(passu(url, "import", str(folder))))
        as_of = AS_OF.isoformat()
        value = passu(url, "value", "--as-of", as_of, "--format", "json")
        stage("value", measured([*value, "-o", str(scratch / "value.json")]))
        stage("check", measured(passu(url, "check", "--as-of", as_of)))
        if pack:  # the pack reads a saved run
            saved = [*value, "--save", "-o", str(scratch / "value.json")]
            stage("value --save", measured(saved))
            report = ["report", "committee", "--as-of", as_of, "--summary", "--no-cache"]
            stage("pack --summary", measured(passu(url, *report, "-o", str(scratch / "pack.pdf"))))
        month = scratch / "month"
        write_month(month, holdings)
        stage("import --append (a month)", measured(passu(url, "import", "--append", str(month))))
        shutil.rmtree(month)
    if flows_times > 1:
        again = repeated_flows(folder, scratch, flows_times)
        with database(kind, scratch, admin) as url:
            name = f"import, flows ×{flows_times}, same register"
            stage(name, measured(passu(url, "import", str(again))))
        shutil.rmtree(again)
    return stages


def table(stages: list[Stage], sizes: list[int]) -> None:
    """Time and peak memory per stage and size, the ratio between the largest and the
    smallest size; then the import beside its floor."""
    ratio = len(sizes) > 1
    heads = [f"{n:,} holdings ({n * 120:,} flows)" for n in sizes]
    print()
    print("| database | stage | " + " | ".join(heads) + (" | ratio |" if ratio else " |"))
    print("|---|---|" + "---:|" * (len(sizes) + ratio))
    for kind in dict.fromkeys(s.database for s in stages):
        for name in dict.fromkeys(s.name for s in stages if s.database == kind):
            found = {s.holdings: s for s in stages if s.database == kind and s.name == name}
            cells = [
                f"{found[n].seconds:.1f} s, {found[n].peak_mb:,.0f} MB" if n in found else "–"
                for n in sizes
            ]
            if ratio and sizes[0] in found and sizes[-1] in found:
                small, big = found[sizes[0]], found[sizes[-1]]
                times = big.seconds / small.seconds
                cells.append(f"{times:.1f}× time, {big.peak_mb / small.peak_mb:.2f}× memory")
            elif ratio:
                cells.append("–")
            print(f"| {kind} | {name} | " + " | ".join(cells) + " |")
    print()
    print("| database | holdings | import | floor | import ÷ floor | import peak |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in dict.fromkeys(s.database for s in stages):
        for n in sizes:
            got = {s.name: s for s in stages if s.database == kind and s.holdings == n}
            if "import" in got:
                imp, low = got["import"], got["floor: flows loaded bare"]
                print(
                    f"| {kind} | {n:,} | {imp.seconds:.1f} s | {low.seconds:.1f} s | "
                    f"{imp.seconds / low.seconds:.1f}× | {imp.peak_mb:,.0f} MB |"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="holdings, comma-separated")
    parser.add_argument("--postgresql", metavar="ADMIN_URL", help="also run on this server")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--pack-up-to",
        type=int,
        default=10_000,
        metavar="N",
        help="save the run and render the pack only up to N holdings (default 10,000): "
        "value --save recomputes every year-end: about 25 s at 10,000, 6 minutes at 100,000",
    )
    parser.add_argument(
        "--flows-times",
        type=int,
        default=1,
        metavar="K",
        help="also import the smallest size with its flows K times over (memory as flows grow)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgresql else [])
    stages: list[Stage] = []
    for holdings in sizes:
        with tempfile.TemporaryDirectory() as work:
            scratch = Path(work)
            folder = scratch / "portfolio"
            started = time.perf_counter()
            write_portfolio(folder, holdings)
            write_outcomes(folder, holdings)
            size = (folder / FLOWS).stat().st_size / 1e6
            print(
                f"{holdings:,} holdings: written in {time.perf_counter() - started:.0f} s "
                f"({size:,.0f} MB of flows)",
                flush=True,
            )
            for kind in kinds:
                pack = holdings <= args.pack_up_to
                times = args.flows_times if holdings == sizes[0] else 1
                stages += run(kind, holdings, folder, scratch, args.postgresql, pack, times)
    table(stages, sizes)


if __name__ == "__main__":
    main()
