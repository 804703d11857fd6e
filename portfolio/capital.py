"""``passu capital-account`` and ``passu report ilpa``: read the ledger, compute, return.

The statement is ``portfolio/capital_statement.py`` (from a ledger), the ILPA quarter
``valuation/ilpa.py``; this module reads the ledger as of the period's end from the
database (``value.load_inputs``) and turns bad requests into one-line usage errors.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from passu.portfolio.capital_statement import CapitalStatement, check_window, ledger_statement
from passu.portfolio.errors import UsageError
from passu.portfolio.value import load_inputs
from passu.valuation.ilpa import IlpaQuarter, ilpa_quarter, parse_quarter
from passu.valuation.valuer import is_illustrative

__all__ = ["capital_statement", "ilpa_report"]


def capital_statement(
    engine: Engine, investor_id: str, fund_id: str | None, start: dt.date, end: dt.date
) -> CapitalStatement:
    """The statement from the database, the ledger read as of ``end``."""
    check_window(start, end)
    return ledger_statement(load_inputs(engine, end).frames, investor_id, fund_id, start, end)


def ilpa_report(engine: Engine, quarter: str, fund_id: str | None) -> tuple[IlpaQuarter, bool]:
    """The quarter's ILPA figures (valuation/ilpa.py) from the database, and whether the
    portfolio is the illustrative sample."""
    try:
        _start, end = parse_quarter(quarter)
    except ValueError as error:
        raise UsageError(f"--quarter: {error}") from None
    ledger = load_inputs(engine, end).frames
    funds = sorted(set(ledger.funds["fund_id"]))
    if not funds:
        raise UsageError("the database holds no funds yet: import a portfolio first")
    if fund_id is not None and fund_id not in funds:
        raise UsageError(f"no fund {fund_id!r}: `passu list funds` shows the ids")
    report = ilpa_quarter(ledger, quarter, [fund_id] if fund_id else funds)
    return report, is_illustrative(ledger)
