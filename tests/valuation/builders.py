"""Small builders for valuation frames, in pounds and ISO dates, as the domain reads.

They build exactly the frames the storage layer hands to ``passu.valuation``:
the columns and dtypes of ``valuation/schema.py`` (int64 pence in ``*_pence``
columns, datetime64[ns] dates, string ids), the one place they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from passu.valuation.money import decimal_to_pence
from passu.valuation.schema import BY_NAME

Money = int | str | Decimal
Dated = tuple[str, Money]


def pence(pounds: Money) -> int:
    return decimal_to_pence(Decimal(str(pounds)))


def _frame(table: str, rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """Rows of one ledger table as its frame, with the schema's columns and dtypes.

    Keys name the frame's columns (money already in pence, ``amount_pence``); the
    frame holds the schema's columns the rows give, in the schema's order (all of
    them for no rows), each in the dtype the database's frames have.
    """
    schema = BY_NAME[table]
    given = {key for row in rows for key in row}
    columns = [c for c in schema.columns if not rows or c.frame_name in given]
    frame = pd.DataFrame(list(rows), columns=[c.frame_name for c in columns])
    for col in columns:
        values = frame[col.frame_name]
        if col.kind == "date":
            frame[col.frame_name] = pd.to_datetime(values).astype(col.dtype)
        else:
            frame[col.frame_name] = values.astype(col.dtype)
    return frame


@dataclass
class Holding:
    project_id: str
    holder_id: str
    tranche: str
    commitment: Money
    flows: list[tuple[str, str, Money]] = field(default_factory=list)  # (date, kind, £)
    marks: list[Dated] = field(default_factory=list)


def a_holding(
    project_id: str = "P1",
    holder_id: str = "F1",
    tranche: str = "A",
    *,
    commitment: Money = 0,
    drawdowns: Iterable[Dated] = (),
    repayments: Iterable[Dated] = (),
    interest: Iterable[Dated] = (),
    dividends: Iterable[Dated] = (),
    write_offs: Iterable[Dated] = (),
    marks: Iterable[Dated] = (),
) -> Holding:
    flows = [
        (date, kind, amount)
        for kind, dated in (
            ("drawdown", drawdowns),
            ("repayment", repayments),
            ("interest", interest),
            ("dividend", dividends),
            ("write_off", write_offs),
        )
        for date, amount in dated
    ]
    return Holding(project_id, holder_id, tranche, commitment, flows, list(marks))


@dataclass
class HoldingFrames:
    holdings: pd.DataFrame
    project_flows: pd.DataFrame
    marks: pd.DataFrame


def holding_frames(*holdings: Holding) -> HoldingFrames:
    keys = lambda h: {"project_id": h.project_id, "holder_id": h.holder_id, "tranche": h.tranche}  # noqa: E731
    return HoldingFrames(
        _frame(
            "holdings",
            [
                {**keys(h), "instrument": "loan", "commitment_pence": pence(h.commitment)}
                for h in holdings
            ],
        ),
        _frame(
            "project_flows",
            [
                {**keys(h), "date": d, "kind": k, "amount_pence": pence(a)}
                for h in holdings
                for d, k, a in h.flows
            ],
        ),
        _frame(
            "marks",
            [
                {**keys(h), "date": d, "fair_value_pence": pence(v)}
                for h in holdings
                for d, v in h.marks
            ],
        ),
    )


def commitments_frame(rows: Iterable[tuple[str, str, str, Money, str]]) -> pd.DataFrame:
    """(fund_id, investor_id, share_class, £, date) rows."""
    return _frame(
        "commitments",
        [
            {"fund_id": f, "investor_id": i, "share_class": c, "amount_pence": pence(a), "date": d}
            for f, i, c, a, d in rows
        ],
    )


def investor_flows_frame(rows: Iterable[tuple[str, str, str, str, Money]]) -> pd.DataFrame:
    """(fund_id, investor_id, date, kind, £) rows; kind 'call' or 'distribution'."""
    return _frame(
        "investor_flows",
        [
            {"fund_id": f, "investor_id": i, "date": d, "kind": k, "amount_pence": pence(a)}
            for f, i, d, k, a in rows
        ],
    )


def fund_expenses_frame(rows: Iterable[tuple[str, str, str, Money]] = ()) -> pd.DataFrame:
    """(fund_id, date, kind, £) rows."""
    return _frame(
        "fund_expenses",
        [{"fund_id": f, "date": d, "kind": k, "amount_pence": pence(a)} for f, d, k, a in rows],
    )


def projects_frame(rows: Iterable[tuple[str, str, str | None]]) -> pd.DataFrame:
    """(project_id, start_date, end_date or None) rows; the other columns filled in."""
    return _frame(
        "projects",
        [
            {
                "project_id": p,
                "name": f"Project {p}",
                "policy_area": "homelessness",
                "region": "North West",
                "coordinator": "Coordinator",
                "start_date": s,
                "end_date": e,
                "status": "active",
            }
            for p, s, e in rows
        ],
    )


def outcome_contracts_frame(rows: Iterable[tuple[str, str, str | None]] = ()) -> pd.DataFrame:
    """(contract_id, project_id, end_date) rows."""
    return _frame(
        "outcome_contracts",
        [{"contract_id": c, "project_id": p, "end_date": e} for c, p, e in rows],
    )


def gilt_yields_frame(rows: Iterable[tuple[str, int, float]]) -> pd.DataFrame:
    """(quarter_end, tenor_years, yield) rows."""
    frame = pd.DataFrame(list(rows), columns=["quarter_end", "tenor_years", "yield_"])
    frame["quarter_end"] = pd.to_datetime(frame["quarter_end"]).astype("datetime64[ns]")
    frame["tenor_years"] = frame["tenor_years"].astype("int64")
    frame["yield_"] = frame["yield_"].astype(object)
    return frame


def benchmark_frame(rows: Iterable[tuple[int, float, float, float]]) -> pd.DataFrame:
    """(year, stpr_real, gdp_deflator_growth, stpr_nominal_equivalent) rows; NaN allowed."""
    frame = pd.DataFrame(
        list(rows), columns=["year", "stpr_real", "gdp_deflator_growth", "stpr_nominal_equivalent"]
    )
    frame["year"] = frame["year"].astype("int64")
    for column in ("stpr_real", "gdp_deflator_growth", "stpr_nominal_equivalent"):
        frame[column] = frame[column].astype("float64")
    return frame
