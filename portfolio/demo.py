"""``passu demo``: the illustrative sample in a fresh SQLite database, and what to try next."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from passu.portfolio.interchange.importer import ImportReport, import_portfolio
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.store.database import make_engine, upgrade


@contextmanager
def sample_path() -> Iterator[Path]:
    """The sample portfolio shipped inside the package, as a folder on disk."""
    with resources.as_file(resources.files("passu.sample")) as path:
        yield Path(path)


@dataclass(frozen=True)
class DemoResult:
    database_url: str
    imported: ImportReport
    text: str


def run_demo(
    directory: Path, *, user: str, progress: Callable[[str], None] = lambda _m: None
) -> DemoResult:
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "passu.db"
    for stale in (database, directory / "passu.db-wal", directory / "passu.db-shm"):
        stale.unlink(missing_ok=True)  # the demo always starts from the sample as shipped
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    progress(f"created {database}")
    with sample_path() as sample:
        report = import_portfolio(
            engine, sample, user=user, command="demo", library_codes=unit_cost_codes()
        )
    rows = sum(t.added for t in report.tables)
    progress(f"imported the illustrative sample: {rows:,} rows in {len(report.tables)} tables")
    engine.dispose()
    db = f"--database {url}"
    text = "\n".join(
        [
            f"The illustrative sample portfolio is in {database}.",
            "(Synthetic project detail built to reproduce a published programme's totals.)",
            "",
            "Try next:",
            f"  passu {db} show fund                 # both funds together: counts and totals",
            f"  passu {db} list projects",
            f"  passu {db} show project FT-LONDON",
            f"  passu {db} export sample-export/     # the interchange format, byte for byte",
        ]
    )
    return DemoResult(url, report, text)
