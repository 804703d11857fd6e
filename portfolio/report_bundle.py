"""What a report is given: a stored run and, for the pack, what sits beside it.

Plain dataclasses in a module that imports no SQLAlchemy, so ``reports/`` can take
them without the database layer coming along (``portfolio/reporting.py`` fills them).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from passu.valuation.market import MarketSummary
from passu.valuation.nav_bridge import NavBridge


@dataclass(frozen=True)
class RunMeta:
    """Who saved a run, when, and whether the committee approved it."""

    run_id: int
    as_of: dt.date
    scope: str
    status: str
    fingerprint: str
    created_at: dt.datetime
    created_by: str
    approved_at: dt.datetime | None
    approved_by: str | None


@dataclass(frozen=True)
class ReportRun:
    info: RunMeta
    figures: str  # the JSON document exactly as `passu value --format json` printed it

    @property
    def document(self) -> dict[str, Any]:
        return json.loads(self.figures)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Bridge:
    """The NAV bridge from the previous approved run of the scope to this one."""

    previous: RunMeta
    figures: NavBridge


@dataclass(frozen=True)
class CommitteeBundle:
    run: ReportRun
    bridge: Bridge | None  # None: no earlier approved run of this scope
    market: MarketSummary | None  # None: no INDIGO market data loaded
    illustrative: str | None  # the note the sample's reports carry, else None


@dataclass(frozen=True)
class StatementBundle:
    run: ReportRun  # the run of every fund together (ALL)
    illustrative: str | None
