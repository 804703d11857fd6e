"""The NAV bridge page: from the previous approved run to this one, or says there is none.

The bridge's value change is its balancing item, so "it adds up" proves nothing: each
line is held to an independent recomputation instead, the NAVs from two separate
valuations and the flows summed here from the investor flows table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from passu.portfolio.register import load_all
from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store.runs import approve_run
from passu.portfolio.value import value_document
from passu.reports.bridge import nav_bridge_view

from .builders import AS_OF, sample_portfolio
from .runs import save_reportable

EARLIER = dt.date(2025, 12, 31)


def test_bridge_from_the_previous_approved_run_against_an_independent_recomputation(tmp_path):
    engine = sample_portfolio(tmp_path, scopes=())
    save_reportable(engine, EARLIER, None)
    save_reportable(engine, AS_OF, None)
    draft = committee_bundle(engine, AS_OF, None)
    assert draft.bridge is None  # the earlier run is only a draft
    assert nav_bridge_view(draft.bridge, draft.run.info).table is None

    approve_run(engine, EARLIER, user="tester")
    bundle = committee_bundle(engine, AS_OF, None)
    assert bundle.bridge is not None
    bridge = bundle.bridge.figures

    opening = Decimal(value_document(engine, EARLIER)["fund"]["nav"])
    closing = Decimal(value_document(engine, AS_OF)["fund"]["nav"])
    flows = load_all(engine, AS_OF).investor_flows
    moved = flows[(flows["date"] > pd.Timestamp(EARLIER)) & (flows["date"] <= pd.Timestamp(AS_OF))]
    calls = sum(
        (Decimal(int(p)) / 100 for p in moved.loc[moved["kind"] == "call", "amount_pence"]),
        Decimal("0.00"),
    )
    paid_out = sum(
        (Decimal(int(p)) / 100 for p in moved.loc[moved["kind"] == "distribution", "amount_pence"]),
        Decimal("0.00"),
    )
    assert moved["kind"].eq("distribution").any()  # the period has flows to bridge
    assert (bridge.opening_nav, bridge.closing_nav) == (opening, closing)
    assert (bridge.contributions, bridge.distributions) == (calls, paid_out)
    assert bridge.value_change == closing - opening - calls + paid_out
    assert bundle.bridge.previous.as_of == EARLIER

    view = nav_bridge_view(bundle.bridge, bundle.run.info)
    assert view.table is not None
    assert [row[0] for row in view.table.rows] == [
        "Opening NAV, 31 December 2025",
        "+ Contributions (capital calls)",
        "− Distributions",
        "+ Change in value",
    ]
    assert view.table.total is not None
    assert view.table.total[0] == "Closing NAV, 31 October 2026"
    assert "as of 31 December 2025) to this one" in view.text
