"""Two `passu value --save` runs for one date at once: one wins, the other is told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store.database import make_engine
from passu.portfolio.store.models import ValuationRun

from .builders import a_portfolio, write_csvs


def _save(url: str, user: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passu",
            "--database",
            url,
            "--user",
            user,
            "--quiet",
            "value",
            "--as-of",
            "2016-12-31",
            "--save",
            "--format",
            "json",
            "-o",
            os.devnull,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
def test_two_concurrent_saves_one_wins(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    import_portfolio(engine, write_csvs(tmp_path / "p", a_portfolio()), user="t")
    for attempt in range(2):  # bounded: two rounds of four writers at once
        with engine.begin() as conn:
            conn.execute(ValuationRun.__table__.delete())
        writers = [_save(pg_url, f"user{attempt}{i}") for i in range(4)]
        results = [(w.wait(timeout=120), w.stderr.read() if w.stderr else "") for w in writers]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 3, 3, 3], results
        for code, err in results:
            if code == 3:
                assert "a run for 2016-12-31 (ALL) already exists" in err
                assert "Traceback" not in err
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(ValuationRun)).scalar() == 1
    engine.dispose()
