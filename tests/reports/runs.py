"""Runs saved with their report sections, as ``passu value --save`` saves them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Engine

from passu.portfolio.store import runs
from passu.portfolio.value import load_inputs, run_of

from .builders import AS_OF, Edit, sample_portfolio


def document_with_sections(engine: Engine, as_of: dt.date, fund_id: str | None) -> str:
    """The run document's text, report sections included."""
    inputs = load_inputs(engine, as_of)
    return run_of(inputs, as_of, fund_id, report_sections=True).to_json()


def save_reportable(
    engine: Engine, as_of: dt.date, fund_id: str | None, *, replace: bool = False
) -> runs.RunInfo:
    text = document_with_sections(engine, as_of, fund_id)
    document = json.loads(text)
    return runs.save_run(
        engine,
        as_of=as_of,
        scope=document["scope"],
        fingerprint=document["fingerprint"],
        figures=text,
        user="tester",
        replace=replace,
    )


def reportable_portfolio(
    directory: Path, *, edit: Edit | None = None, scopes: tuple[str | None, ...] = (None,)
) -> Engine:
    """The sample (edited) in ``directory/passu.db`` with a reportable run per scope at AS_OF."""
    engine = sample_portfolio(directory, edit=edit, scopes=())
    for fund_id in scopes:
        save_reportable(engine, AS_OF, fund_id)
    return engine
