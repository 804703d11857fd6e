"""What is known of a stored run, as plain data: no SQLAlchemy here, so reports can hold one."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunInfo:
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
class StoredRun:
    info: RunInfo
    figures: str  # the JSON document exactly as `passu value --format json` printed it

    @property
    def document(self) -> dict[str, Any]:
        return json.loads(self.figures)  # type: ignore[no-any-return]
