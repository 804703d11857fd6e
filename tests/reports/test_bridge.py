"""The NAV bridge page: from the previous approved run to this one, or says there is none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from passu.portfolio.store.runs import approve_run, get_run
from passu.portfolio.value import nav_bridge, value_and_save
from passu.reports.bridge import nav_bridge_view
from passu.reports.formatting import money_short

from .builders import AS_OF, sample_portfolio

EARLIER = dt.date(2025, 12, 31)


def test_bridge_from_the_previous_approved_run(tmp_path):
    engine = sample_portfolio(tmp_path, scopes=())
    value_and_save(engine, EARLIER, None, save=True, replace=False, user="tester")
    value_and_save(engine, AS_OF, None, save=True, replace=False, user="tester")
    run = get_run(engine, AS_OF)
    assert nav_bridge_view(engine, run).table is None  # the earlier run is only a draft

    approve_run(engine, EARLIER, user="tester")
    view = nav_bridge_view(engine, run)
    bridge = nav_bridge(engine, "ALL", EARLIER, AS_OF)
    # the bridge adds up, and closes on the NAV of the run the pack renders
    assert (
        bridge.opening_nav + bridge.contributions - bridge.distributions + bridge.value_change
        == bridge.closing_nav
    )
    assert bridge.closing_nav == Decimal(run.document["fund"]["nav"])
    assert bridge.opening_nav == Decimal(get_run(engine, EARLIER).document["fund"]["nav"])
    assert view.table is not None
    assert [row[1] for row in view.table.rows] == [
        money_short(bridge.opening_nav),
        money_short(bridge.contributions),
        money_short(bridge.distributions),
        money_short(bridge.value_change),
    ]
    assert view.table.total == ("Closing NAV, 31 October 2026", money_short(bridge.closing_nav))
    assert "31 December 2025" in view.text
