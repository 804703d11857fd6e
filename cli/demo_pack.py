"""``passu demo``: the sample loaded, valued and saved; its committee pack and statement written.

Here in cli/ because it joins both layers: portfolio/ loads, values and reads the run,
reports/ renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from passu.portfolio.dates import last_month_end
from passu.portfolio.demo import run_demo
from passu.portfolio.reporting import committee_bundle, statement_bundle
from passu.portfolio.store.database import make_engine
from passu.portfolio.value import value_and_save
from passu.reports.committee import committee_pack
from passu.reports.pack_cache import PackCache, default_cache_dir
from passu.reports.statements import write_statement

GOVERNMENT_SHAREHOLDER = "DCMS"  # the sample's government investor


@dataclass(frozen=True)
class DemoPack:
    database: Path
    as_of: dt.date
    run_id: int
    committee_pack: Path
    shareholder_statement: Path
    text: str


def build_demo(
    directory: Path,
    *,
    user: str,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> DemoPack:
    as_of = as_of or last_month_end()
    loaded = run_demo(directory, user=user, progress=progress)
    engine = make_engine(loaded.database_url)
    saved = value_and_save(
        engine, as_of, None, save=True, replace=False, user=user, progress=progress
    ).saved
    assert saved is not None
    progress("rendering the committee pack and the shareholder statement")
    database = directory / "passu.db"
    # the cache `passu report committee` uses by default for this database: laying the
    # pack out in parts is quicker even cold, and next month's pack starts warm
    cache = PackCache(default_cache_dir(database.resolve(), loaded.database_url))
    pack = committee_pack(
        committee_bundle(engine, as_of, None),
        directory / f"committee-ALL-{as_of}.pdf",
        cache=cache,
    )
    statement = Path(
        write_statement(
            statement_bundle(engine, as_of),
            GOVERNMENT_SHAREHOLDER,
            directory / f"shareholder-{GOVERNMENT_SHAREHOLDER}-{as_of}.pdf",
            "shareholder",
        )
    )
    engine.dispose()
    db = f"--database sqlite:///{database}"
    text = "\n".join(
        [
            f"The illustrative sample portfolio is in {database}, valued as of {as_of} "
            f"(run {saved.run_id}, a draft).",
            "(Synthetic project detail built to reproduce a published programme's totals.)",
            "",
            f"Committee pack:          {pack}",
            f"Shareholder statement:   {statement}",
            "",
            "Try next:",
            f"  passu {db} show fund",
            f"  passu {db} value --as-of {as_of}",
            f"  passu {db} outcomes --as-of {as_of}",
            f"  passu {db} project economics FT-LONDON",
            f"  passu {db} check",
            f"  passu {db} runs approve {as_of}      # locks the period",
        ]
    )
    return DemoPack(database, as_of, saved.run_id, pack, statement, text)
