"""What a report is given: a stored run and, for the pack, what sits beside it.

Plain dataclasses in a module that imports no SQLAlchemy, so ``reports/`` can take
them without the database layer coming along (``portfolio/reporting.py`` fills them).
"""

from __future__ import annotations

from dataclasses import dataclass

from passu.portfolio.store.run_info import RunInfo, StoredRun
from passu.valuation.market import MarketSummary
from passu.valuation.nav_bridge import NavBridge


@dataclass(frozen=True)
class Bridge:
    """The NAV bridge from the previous approved run of the scope to this one."""

    previous: RunInfo
    figures: NavBridge


@dataclass(frozen=True)
class CommitteeBundle:
    run: StoredRun
    bridge: Bridge | None  # None: no earlier approved run of this scope
    market: MarketSummary | None  # None: no INDIGO market data loaded
    illustrative: str | None  # the note the sample's reports carry, else None


@dataclass(frozen=True)
class StatementBundle:
    run: StoredRun  # the run of every fund together (ALL)
    illustrative: str | None
