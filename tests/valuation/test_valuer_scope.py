"""Issue 18, point 7: a project held only by direct co-investors is in the ALL run."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from passu.valuation.ledger import Ledger
from passu.valuation.valuer import value

T = dt.date(2026, 1, 1)


def _ledger() -> Ledger:
    """F1 holds P1; the co-investor C1 alone holds P2 (drew £200, no mark)."""
    project = {
        "policy_area": "housing",
        "region": "London",
        "status": "active",
        "start_date": "2024-01-01",
        "end_date": "2030-01-01",
    }
    return Ledger.from_records(
        funds=[{"fund_id": "F1", "name": "F", "currency": "GBP", "vintage": 2025, "manager": "M"}],
        investors=[{"investor_id": "I1", "name": "I", "kind": "foundation"}],
        commitments=[
            {"fund_id": "F1", "investor_id": "I1", "share_class": "A", "amount": "100.00"}
        ],
        investor_flows=[
            {"fund_id": "F1", "investor_id": "I1", "date": "2024-06-01", "kind": "call",
             "amount": "100.00"},
        ],
        projects=[{"project_id": "P1", "name": "One", **project},
                  {"project_id": "P2", "name": "Two", **project}],
        holdings=[
            {"project_id": "P1", "holder_id": "F1", "tranche": "A", "instrument": "loan",
             "commitment": "100.00"},
            {"project_id": "P2", "holder_id": "C1", "tranche": "A", "instrument": "loan",
             "commitment": "200.00"},
        ],
        project_flows=[
            {"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2024-06-01",
             "kind": "drawdown", "amount": "100.00"},
            {"project_id": "P2", "holder_id": "C1", "tranche": "A", "date": "2024-06-01",
             "kind": "drawdown", "amount": "200.00"},
        ],
    )  # fmt: skip


def _yields() -> pd.DataFrame:
    ends = pd.to_datetime(["2024-06-30", "2024-06-30"])
    return pd.DataFrame(
        {"quarter_end": ends.astype("datetime64[ns]"), "tenor_years": [5, 10],
         "yield_": [0.04, 0.04]}
    )  # fmt: skip


def _run(fund_id: str | None):
    ledger = _ledger()
    return value(
        ledger,
        T,
        fund_id,
        gilt_yields=_yields(),
        annual_benchmarks=pd.DataFrame(
            {"year": [2024], "stpr_real": [0.035], "stpr_nominal_equivalent": [0.0753]}
        ),
        unit_values=ledger.unit_values,
    )


def test_all_funds_list_projects_held_only_by_co_investors() -> None:
    run = _run(None)
    # ALL: both projects and both holdings; P2 is C1's £200, unmarked, so at cost.
    assert [p.project_id for p in run.projects] == ["P1", "P2"]
    assert [(h.project_id, h.holder_id, str(h.nav)) for h in run.holdings] == [
        ("P1", "F1", "100.00"),
        ("P2", "C1", "200.00"),
    ]
    # One fund's run keeps to the projects that fund holds.
    assert [p.project_id for p in _run("F1").projects] == ["P1"]
