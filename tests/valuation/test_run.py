"""The typed run: one serialisation, read back exactly, and PME reaching it through the registry."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from passu.valuation.ledger import Ledger
from passu.valuation.registry import FUND_FIGURES, kinds
from passu.valuation.run import Run, RunFormatError
from passu.valuation.valuer import value

GOLDEN = Path(__file__).parents[1] / "data" / "golden"
T = dt.date(2026, 1, 1)


def _yields(rate: float) -> pd.DataFrame:
    """A 10-year gilt yield of ``rate`` for every quarter of 2025 (and 5-year alike)."""
    ends = pd.to_datetime(["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"] * 2)
    return pd.DataFrame(
        {
            "quarter_end": ends.astype("datetime64[ns]"),
            "tenor_years": [10] * 4 + [5] * 4,
            "yield_": [rate] * 8,
        }
    )


def _one_year_fund() -> Ledger:
    """One investor: a £100 call on 2025-01-01 and a £100 distribution on 2026-01-01."""
    return Ledger.from_records(
        funds=[{"fund_id": "F1", "name": "F", "currency": "GBP", "vintage": 2025, "manager": "M"}],
        investors=[{"investor_id": "I1", "name": "I", "kind": "foundation"}],
        commitments=[
            {"fund_id": "F1", "investor_id": "I1", "share_class": "A", "amount": "100.00"}
        ],
        investor_flows=[
            {"fund_id": "F1", "investor_id": "I1", "date": "2025-01-01", "kind": "call",
             "amount": "100.00"},
            {"fund_id": "F1", "investor_id": "I1", "date": "2026-01-01",
             "kind": "distribution", "amount": "100.00"},
        ],
    )  # fmt: skip


def _run(ledger: Ledger, yields: pd.DataFrame) -> Run:
    empty_annual = pd.DataFrame({"year": pd.Series(dtype="int64")})
    return value(
        ledger,
        T,
        "F1",
        gilt_yields=yields,
        annual_benchmarks=empty_annual,
        unit_values=ledger.unit_values,
    )


def test_pme_reaches_the_run_through_the_registry_alone() -> None:
    run = _run(_one_year_fund(), _yields(0.05))
    # 2025 has 365 days, each compounded at 1.05^(1/365): index(T) = 1.05 exactly.
    # Fund cash = 100 − 100 = 0, so NAV at T is 0.
    # KS-PME = (100 / 1.05 + 0) / (100 / 1) = 0.952381 (to six places)
    # direct alpha: −100 carried to T = −105, +100 at T: 100 / 105 − 1 = −0.0476190476
    assert run.fund.pme == {
        "ks_pme": pytest.approx(0.952381, abs=1e-6),
        "direct_alpha": pytest.approx(-0.0476190476, abs=1e-9),
        "benchmark": "gilts_10y",
    }
    assert run.fund.pme_note is None
    fund = json.loads(run.to_json())["fund"]
    keys = list(fund)
    # the new keys come after every earlier key, in registry order
    assert keys[-7:] == [
        "pme",
        "pme_note",
        "green_book_note",
        "benchmark_note",
        "net_period_return",
        "cost_of_capital_period_return",
        "gross_period_return",
    ]
    assert fund["pme"]["ks_pme"] == 0.952381
    assert fund["pme"]["benchmark"] == "gilts_10y"


def test_pme_is_null_with_the_missing_quarter_named() -> None:
    run = _run(_one_year_fund(), _yields(0.05).iloc[[0, 1, 2, 4, 5, 6, 7]])
    assert run.fund.pme is None
    assert run.fund.pme_note == "no 10-year gilt yield for 2025Q4"


@pytest.mark.parametrize("scope", ["ALL", "SOF1", "SOF2"])
def test_from_json_then_to_json_gives_the_same_bytes(scope: str) -> None:
    text = (GOLDEN / f"golden_{scope}.json").read_text(encoding="utf-8")
    document = json.loads(text)
    for fund in [document["fund"], *document["funds"]]:
        fund["pme"], fund["pme_note"] = None, "no calls yet"
        fund["green_book_note"], fund["benchmark_note"] = None, None
        fund["net_period_return"], fund["cost_of_capital_period_return"] = None, None
        fund["gross_period_return"] = None
    for row in [*document["projects"], *document["holdings"]]:
        row["realised_gain"], row["period_return"] = "0.00", None
    for row in [*document["investors"], *document["share_classes"]]:
        row["period_return"] = None
    for row in document["investors"]:
        row["capital_account"] = None  # issue 13: the investor's ILPA lines (none: no calls)
    document["pari_passu"]["excused"] = []
    document["social_value"]["rebased"] = False
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    run = Run.from_json(text)
    assert run.to_json() == text
    assert isinstance(run.fund.nav, Decimal) and isinstance(run.fund.tvpi, float)


def test_a_run_stored_before_pme_is_refused_with_the_way_out() -> None:
    text = (GOLDEN / "golden_SOF1.json").read_text(encoding="utf-8")
    with pytest.raises(RunFormatError, match=r"re-run `passu value --save`"):
        Run.from_json(text)


def test_every_fund_key_is_registered_and_written_by_kind() -> None:
    document = json.loads((GOLDEN / "golden_ALL.json").read_text(encoding="utf-8"))
    registered = ["fund_id", "funds"]
    for entry in FUND_FIGURES:
        registered += [entry.key, f"{entry.key}_note"] if entry.noted else [entry.key]
    # the previous release's keys are the registry's first ones, in the same order
    assert registered[: len(document["fund"])] == list(document["fund"])
    assert {"ks_pme", "tvpi", "dpi"} <= kinds()["multiple"]
    assert {"direct_alpha", "net_irr", "hmt_benchmark"} <= kinds()["rate"]
