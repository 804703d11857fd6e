"""The NAV bridge since the previous approved run: how the committee's last NAV became this one.

opening NAV + contributions − distributions + change in value = closing NAV,
from the lead's ``nav_bridge`` in ``portfolio/valuation_run.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from passu.portfolio.store.runs import StoredRun, previous_approved

from .formatting import long_date, money_short
from .model import Table


@dataclass(frozen=True)
class BridgeView:
    text: str
    table: Table | None


def nav_bridge_view(engine: Engine, run: StoredRun) -> BridgeView:
    info = run.info
    previous = previous_approved(engine, info.as_of, info.scope)
    if previous is None:
        return BridgeView(
            "No earlier approved run for this scope: there is no NAV to bridge from.", None
        )
    from passu.portfolio.value import nav_bridge

    bridge = nav_bridge(engine, info.scope, previous.info.as_of, info.as_of)
    rows = (
        (f"Opening NAV, {long_date(previous.info.as_of)}", money_short(bridge.opening_nav)),
        ("+ Contributions (capital calls)", money_short(bridge.contributions)),
        ("− Distributions", money_short(bridge.distributions)),
        ("+ Change in value", money_short(bridge.value_change)),
    )
    return BridgeView(
        f"From the previous approved run (run {previous.info.run_id}, as of "
        f"{long_date(previous.info.as_of)}) to this one.",
        Table(
            headers=("", "Amount"),
            numeric=(False, True),
            rows=rows,
            total=(f"Closing NAV, {long_date(info.as_of)}", money_short(bridge.closing_nav)),
            caption="NAV bridge",
        ),
    )
