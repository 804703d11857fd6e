"""The NAV bridge since the previous approved run: how the committee's last NAV became this one.

opening NAV + contributions − distributions + change in value = closing NAV, between
the two stored runs (``valuation.history.bridge_between_runs``, in the bundle
``portfolio/reporting.py`` reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from passu.portfolio.report_bundle import Bridge
from passu.portfolio.store.run_info import RunInfo

from .formatting import long_date, money_short
from .model import Table


@dataclass(frozen=True)
class BridgeView:
    text: str
    table: Table | None


def nav_bridge_view(bridge: Bridge | None, run: RunInfo) -> BridgeView:
    if bridge is None:
        return BridgeView(
            "No earlier approved run for this scope: there is no NAV to bridge from.", None
        )
    b, previous = bridge.figures, bridge.previous
    rows = (
        (f"Opening NAV, {long_date(previous.as_of)}", money_short(b.opening_nav)),
        ("+ Contributions (capital calls)", money_short(b.contributions)),
        ("− Distributions", money_short(b.distributions)),
        ("+ Change in value", money_short(b.value_change)),
    )
    return BridgeView(
        f"From the previous approved run (run {previous.run_id}, as of "
        f"{long_date(previous.as_of)}) to this one.",
        Table(
            headers=("", "Amount"),
            numeric=(False, True),
            rows=rows,
            total=(f"Closing NAV, {long_date(run.as_of)}", money_short(b.closing_nav)),
            caption="NAV bridge",
        ),
    )
