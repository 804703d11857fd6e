"""``passu value``: read the ledger and the benchmarks, value with ``valuation/``, save.

The valuation itself is pure (``valuation/valuer.py: value`` returns a typed
``Run``); this module reads what it needs from the database and the shipped
reference data, turns valuation's errors into one-line usage errors, and stores
the run's document (docs/run-document.md) when asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.reference.benchmarks import yields_with
from passu.portfolio.reference.packaged import annual_benchmarks, gdp_deflator
from passu.portfolio.reference.unit_values import merged_unit_values
from passu.portfolio.scenarios import with_fair_value
from passu.portfolio.store import runs
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.frames import Ledger, load_frames, stored_gilt_yields
from passu.valuation import valuer
from passu.valuation.cost_of_capital import MissingTermError, MissingYieldError
from passu.valuation.nav_bridge import NavBridge, fund_nav_bridge
from passu.valuation.run import FORMAT, Run, dumps

__all__ = [
    "FORMAT",
    "Inputs",
    "ValueResult",
    "build_document",
    "dumps",
    "fund_document",
    "load_inputs",
    "nav_bridge",
    "run_of",
    "value_and_save",
    "value_document",
    "value_run",
]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Inputs:
    """What a valuation reads: the ledger as of T, the gilt yields (shipped + stored) and
    the annual benchmarks."""

    frames: Ledger
    yields: pd.DataFrame
    annual: pd.DataFrame


def load_inputs(engine: Engine, as_of: dt.date) -> Inputs:
    require_schema(engine)
    with engine.connect() as conn, conn.begin():
        frames = load_frames(conn, as_of)
        yields = yields_with(stored_gilt_yields(conn))
    return Inputs(frames, yields, annual_benchmarks())


def shipped_inputs(ledger: Ledger) -> Inputs:
    """A ledger read without a database, with the shipped gilt yields and benchmarks."""
    # The columns and dtypes stored_gilt_yields gives for a database with none stored,
    # so a ledger from CSV and the same ledger imported share one fingerprint.
    none_stored = pd.DataFrame(
        {
            "quarter_end": pd.Series(dtype="datetime64[ns]"),
            "tenor_years": pd.Series(dtype="int64"),
            "yield_": pd.Series(dtype=float),
            "source": pd.Series(dtype=object),
        }
    )
    return Inputs(ledger, yields_with(none_stored), annual_benchmarks())


@contextmanager
def _usage_errors() -> Iterator[None]:
    """valuation's errors about the data as the one-line messages of exit code 2."""
    try:
        yield
    except valuer.ScopeError as error:
        raise UsageError(str(error)) from None
    except MissingYieldError as error:
        raise UsageError(
            f"{error}: load the Bank of England yields for {error.quarter} with "
            "`passu benchmark load FILE`"
        ) from None
    except MissingTermError as error:
        raise UsageError(f"projects.csv: {error}") from None


def run_of(
    inputs: Inputs,
    as_of: dt.date,
    fund_id: str | None,
    progress: Progress = lambda _m: None,
    *,
    report_sections: bool = False,
) -> Run:
    """The run of the scope from inputs already read (with the report sections if asked)."""
    with _usage_errors():
        return valuer.value(
            inputs.frames,
            as_of,
            fund_id,
            gilt_yields=inputs.yields,
            annual_benchmarks=inputs.annual,
            unit_values=merged_unit_values(inputs.frames.unit_values),
            deflator=gdp_deflator(),
            report_sections=report_sections,
            progress=progress,
        )


def build_document(
    inputs: Inputs, as_of: dt.date, fund_id: str | None, progress: Progress = lambda _m: None
) -> dict[str, Any]:
    return run_of(inputs, as_of, fund_id, progress).to_dict()


def fund_document(inputs: Inputs, as_of: dt.date, fund_id: str | None) -> dict[str, Any]:
    """Only the ``as_of`` and ``fund`` parts of the document: enough for a history chart,
    at a fraction of the cost of the whole document (no projects, accounts or outcomes)."""
    with _usage_errors():
        fund = valuer.fund_run(
            inputs.frames,
            as_of,
            fund_id,
            gilt_yields=inputs.yields,
            annual_benchmarks=inputs.annual,
        )
    return {"as_of": as_of.isoformat(), "fund": fund.to_dict()}


def value_run(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None = None,
    progress: Progress = lambda _m: None,
    *,
    report_sections: bool = False,
) -> Run:
    """Value the scope from the database; nothing is written."""
    inputs = load_inputs(engine, as_of)
    return run_of(inputs, as_of, fund_id, progress, report_sections=report_sections)


def value_document(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None = None,
    progress: Progress = lambda _m: None,
) -> dict[str, Any]:
    return value_run(engine, as_of, fund_id, progress).to_dict()


@dataclass(frozen=True)
class ValueResult:
    run: Run
    document: dict[str, Any]
    text: str
    saved: runs.RunInfo | None


def value_and_save(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None,
    *,
    save: bool,
    replace: bool,
    user: str,
    progress: Progress = lambda _m: None,
) -> ValueResult:
    # A stored run is what reports render, so it carries their sections; a plain
    # valuation prints the figures alone (docs/run-document.md).
    run = value_run(engine, as_of, fund_id, progress, report_sections=save)
    if save:  # the committee pack's fair-value pages (#15): from the whole ledger
        run = with_fair_value(engine, run)
    document = run.to_dict()
    text = dumps(document)
    saved = None
    if save:
        saved = runs.save_run(
            engine,
            as_of=as_of,
            scope=run.scope,
            fingerprint=run.fingerprint,
            figures=text,
            user=user,
            replace=replace,
        )
        progress(f"saved run {saved.run_id} ({saved.scope}, {saved.as_of}) as a draft")
    return ValueResult(run, document, text, saved)


def nav_bridge(engine: Engine, scope: str, start: dt.date, end: dt.date) -> NavBridge:
    """Opening NAV + contributions − distributions + value change = closing NAV."""
    inputs = load_inputs(engine, end)
    f = inputs.frames
    with _usage_errors():
        label, fund_ids = valuer.fund_scope(f, None if scope == "ALL" else scope)
    return fund_nav_bridge(
        fund_ids,
        label,
        f.commitments,
        f.investor_flows,
        f.fund_expenses,
        f.holdings,
        f.project_flows,
        f.marks,
        start,
        end,
    )
