"""What reports need, read once: the stored run (and beside it the previous approved run's
bridge and the INDIGO market), as the plain bundle of ``portfolio/report_bundle.py``.

Reports render the bundle and nothing else: every figure they show was computed by
``valuation/`` when the run was made (``passu value --save`` stores the report sections
of valuation/report_sections.py with the figures). A run saved before those sections
existed is refused with the command that saves it again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.register import ILLUSTRATIVE
from passu.portfolio.report_bundle import (
    Bridge,
    CommitteeBundle,
    StatementBundle,
)
from passu.portfolio.store.runs import StoredRun, get_run, previous_approved
from passu.valuation.history import FundTotals, bridge_between_runs
from passu.valuation.market import MarketSummary
from passu.valuation.report_sections import SECTION_KEYS


def _report_run(engine: Engine, as_of: dt.date, scope: str) -> StoredRun:
    run = get_run(engine, as_of, scope)
    missing = [key for key in SECTION_KEYS if key not in run.document]
    if missing:
        fund = "" if scope == "ALL" else f" --fund {scope}"
        raise UsageError(
            f"run {run.info.run_id} for {as_of} ({scope}) was saved before passu stored what "
            f"reports show ({', '.join(missing)}): save it again with `passu value --as-of "
            f"{as_of}{fund} --save --replace` (reopen it first if it is approved)"
        )
    return run


def _totals(document: dict[str, Any]) -> FundTotals:
    fund = document["fund"]
    return FundTotals(
        dt.date.fromisoformat(document["as_of"]),
        Decimal(fund["nav"]),
        Decimal(fund["paid_in"]),
        Decimal(fund["distributed"]),
    )


def _bridge(engine: Engine, run: StoredRun) -> Bridge | None:
    previous = previous_approved(engine, run.info.as_of, run.info.scope)
    if previous is None:
        return None
    figures = bridge_between_runs(run.info.scope, _totals(previous.document), _totals(run.document))
    return Bridge(previous.info, figures)


def _market(engine: Engine) -> MarketSummary | None:
    """The UK market by policy sector; None when no INDIGO data are loaded."""
    from passu.portfolio.market.store import market_summary_for

    try:
        summary = market_summary_for(engine, "GB", "policy_sector")
    except UsageError:  # "no market data yet": the pack shows the market only when loaded
        return None
    return summary if summary.breakdown else None


def committee_bundle(engine: Engine, as_of: dt.date, fund_id: str | None) -> CommitteeBundle:
    """Everything the committee pack renders, read from the database once."""
    run = _report_run(engine, as_of, fund_id or "ALL")
    return CommitteeBundle(
        run=run,
        bridge=_bridge(engine, run),
        market=_market(engine),
        illustrative=ILLUSTRATIVE if run.document.get("illustrative") else None,
    )


def statement_bundle(engine: Engine, as_of: dt.date) -> StatementBundle:
    """The run of every fund together, which investor statements render."""
    run = _report_run(engine, as_of, "ALL")
    return StatementBundle(run, ILLUSTRATIVE if run.document.get("illustrative") else None)
