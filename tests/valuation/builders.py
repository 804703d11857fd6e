"""Small builders for valuation frames, in pounds and ISO dates, as the domain reads.

They build exactly the frames the storage layer hands to ``passu.valuation``:
int64 pence in ``*_pence`` columns, datetime64[ns] dates, string ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from passu.valuation.money import decimal_to_pence

Money = int | str | Decimal
Dated = tuple[str, Money]


def pence(pounds: Money) -> int:
    return decimal_to_pence(Decimal(str(pounds)))


def _frame(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for column in columns:
        if column.endswith("_pence"):
            frame[column] = frame[column].astype("int64")
        elif column in ("date", "start_date", "end_date", "quarter_end"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif column in ("tenor_years", "year"):
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype(object)
    return frame


HOLDING_COLUMNS = ["project_id", "holder_id", "tranche", "instrument", "commitment_pence"]
FLOW_COLUMNS = ["project_id", "holder_id", "tranche", "date", "kind", "amount_pence"]
MARK_COLUMNS = ["project_id", "holder_id", "tranche", "date", "fair_value_pence"]


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
            [
                {**keys(h), "instrument": "loan", "commitment_pence": pence(h.commitment)}
                for h in holdings
            ],
            HOLDING_COLUMNS,
        ),
        _frame(
            [
                {**keys(h), "date": d, "kind": k, "amount_pence": pence(a)}
                for h in holdings
                for d, k, a in h.flows
            ],
            FLOW_COLUMNS,
        ),
        _frame(
            [
                {**keys(h), "date": d, "fair_value_pence": pence(v)}
                for h in holdings
                for d, v in h.marks
            ],
            MARK_COLUMNS,
        ),
    )


def commitments_frame(rows: Iterable[tuple[str, str, str, Money, str]]) -> pd.DataFrame:
    """(fund_id, investor_id, share_class, £, date) rows."""
    return _frame(
        [
            {"fund_id": f, "investor_id": i, "share_class": c, "amount_pence": pence(a), "date": d}
            for f, i, c, a, d in rows
        ],
        ["fund_id", "investor_id", "share_class", "amount_pence", "date"],
    )


def investor_flows_frame(rows: Iterable[tuple[str, str, str, str, Money]]) -> pd.DataFrame:
    """(fund_id, investor_id, date, kind, £) rows; kind 'call' or 'distribution'."""
    return _frame(
        [
            {"fund_id": f, "investor_id": i, "date": d, "kind": k, "amount_pence": pence(a)}
            for f, i, d, k, a in rows
        ],
        ["fund_id", "investor_id", "date", "kind", "amount_pence"],
    )


def fund_expenses_frame(rows: Iterable[tuple[str, str, str, Money]] = ()) -> pd.DataFrame:
    """(fund_id, date, kind, £) rows."""
    return _frame(
        [{"fund_id": f, "date": d, "kind": k, "amount_pence": pence(a)} for f, d, k, a in rows],
        ["fund_id", "date", "kind", "amount_pence"],
    )


def projects_frame(rows: Iterable[tuple[str, str, str | None]]) -> pd.DataFrame:
    """(project_id, start_date, end_date or None) rows; the other columns filled in."""
    return _frame(
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
        [
            "project_id",
            "name",
            "policy_area",
            "region",
            "coordinator",
            "start_date",
            "end_date",
            "status",
        ],
    )


def outcome_contracts_frame(rows: Iterable[tuple[str, str, str | None]] = ()) -> pd.DataFrame:
    """(contract_id, project_id, end_date) rows."""
    return _frame(
        [{"contract_id": c, "project_id": p, "end_date": e} for c, p, e in rows],
        ["contract_id", "project_id", "end_date"],
    )


def gilt_yields_frame(rows: Iterable[tuple[str, int, float]]) -> pd.DataFrame:
    """(quarter_end, tenor_years, yield) rows."""
    return _frame(
        [{"quarter_end": q, "tenor_years": t, "yield_": y} for q, t, y in rows],
        ["quarter_end", "tenor_years", "yield_"],
    )


def benchmark_frame(rows: Iterable[tuple[int, float, float, float]]) -> pd.DataFrame:
    """(year, stpr_real, gdp_deflator_growth, stpr_nominal_equivalent) rows; NaN allowed."""
    frame = pd.DataFrame(
        list(rows), columns=["year", "stpr_real", "gdp_deflator_growth", "stpr_nominal_equivalent"]
    )
    frame["year"] = frame["year"].astype("int64")
    for column in ("stpr_real", "gdp_deflator_growth", "stpr_nominal_equivalent"):
        frame[column] = frame[column].astype("float64")
    return frame
