"""Holdings, projects and pools of holdings valued at an as-of date T.

Per holding (project_id, holder_id, tranche), using only rows dated ≤ T:

- invested = Σ drawdowns
- realised = Σ repayments + interest + dividends (the receipts)
- NAV = the latest mark dated ≤ T, rolled forward to T: + drawdowns − receipts
  dated after the mark and ≤ T, never below 0; with no mark, rolled forward
  from 0 (a new holding is valued at cost)
- cost outstanding = invested − repayments − write-offs (a write-off moves no
  cash: it leaves invested, realised and the cash flows unchanged)
- MOIC = (realised + NAV) / invested, ``None`` when nothing was invested
- IRR = XIRR of drawdowns (negative) and receipts (positive) plus NAV as a
  positive flow at T

A pool (a project, a tranche, a fund's own holdings) is the same over its
holdings together: their flows pooled and their NAVs at T summed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .money import pence_to_decimal
from .returns import NOTE_NO_FLOWS, IrrResult, xirr_grouped

__all__ = [
    "HOLDING_KEYS",
    "RECEIPT_KINDS",
    "HoldingValue",
    "PoolValue",
    "ProjectValue",
    "holding_cash_flows",
    "holding_positions",
    "restrict_holdings",
    "value_groups",
    "value_holdings",
    "value_pool",
    "value_projects",
]

HOLDING_KEYS = ("project_id", "holder_id", "tranche")
RECEIPT_KINDS = ("repayment", "interest", "dividend")
_NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)
# invested, realised, nav, cost_outstanding, moic, irr, irr_note, multiple_sign_changes
_Figures = tuple[Decimal, Decimal, Decimal, Decimal, float | None, float | None, str | None, bool]


@dataclass(frozen=True, slots=True)
class HoldingValue:
    """One holding at T. Money in pounds; moic and irr as fractions or ``None``."""

    project_id: str
    holder_id: str
    tranche: str
    invested: Decimal
    realised: Decimal
    nav: Decimal
    cost_outstanding: Decimal
    moic: float | None
    irr: float | None
    irr_note: str | None
    multiple_sign_changes: bool


@dataclass(frozen=True, slots=True)
class ProjectValue:
    """All of a project's holdings together: what the project pays for its capital."""

    project_id: str
    invested: Decimal
    realised: Decimal
    nav: Decimal
    cost_outstanding: Decimal
    moic: float | None
    irr: float | None
    irr_note: str | None
    multiple_sign_changes: bool


@dataclass(frozen=True, slots=True)
class PoolValue:
    """Any set of holdings pooled (a fund's own holdings, a tranche), named by ``label``."""

    label: str
    invested: Decimal
    realised: Decimal
    nav: Decimal
    cost_outstanding: Decimal
    moic: float | None
    irr: float | None
    irr_note: str | None
    multiple_sign_changes: bool


def holding_positions(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """Per holding at T, in pence: one row per holding, sorted by key.

    Columns: project_id, holder_id, tranche, commitment_pence, invested_pence,
    realised_pence, repaid_pence, written_off_pence, nav_pence,
    cost_outstanding_pence (definitions in the module docstring). Holdings
    are those in ``holdings`` plus any that only flows or marks name, so no
    money is dropped for want of a holdings row.
    """
    keys = list(HOLDING_KEYS)
    cutoff = pd.Timestamp(as_of)
    flows = project_flows.loc[
        project_flows["date"] <= cutoff, [*keys, "date", "kind", "amount_pence"]
    ]
    dated_marks = marks.loc[marks["date"] <= cutoff, [*keys, "date", "fair_value_pence"]]

    index = (
        pd.concat([holdings[keys], flows[keys], dated_marks[keys]], ignore_index=True)
        .drop_duplicates()
        .sort_values(keys)
    )
    positions = index.set_index(keys)
    commitments = holdings.groupby(keys)["commitment_pence"].sum()
    positions["commitment_pence"] = commitments.reindex(positions.index, fill_value=0)

    kind = flows["kind"]
    amount = flows["amount_pence"].astype(np.int64)
    per_kind = pd.DataFrame(
        {
            "invested_pence": amount.where(kind == "drawdown", 0),
            "realised_pence": amount.where(kind.isin(RECEIPT_KINDS), 0),
            "repaid_pence": amount.where(kind == "repayment", 0),
            "written_off_pence": amount.where(kind == "write_off", 0),
        }
    )
    sums = per_kind.groupby([flows[k] for k in keys]).sum()
    for column in per_kind.columns:
        positions[column] = sums[column].reindex(positions.index, fill_value=0).astype(np.int64)

    latest = dated_marks.sort_values([*keys, "date"]).drop_duplicates(keys, keep="last")
    latest = latest.rename(columns={"date": "mark_date"}).set_index(keys)
    mark_value = latest["fair_value_pence"].reindex(positions.index, fill_value=0)

    # Roll the mark forward with the cash that moved after it (strictly after:
    # a mark is the value on its date, flows of that date included).
    moved = flows.join(latest["mark_date"], on=keys)
    after = moved["mark_date"].isna() | (moved["date"] > moved["mark_date"])
    signed = amount.where(kind == "drawdown", 0) - amount.where(kind.isin(RECEIPT_KINDS), 0)
    roll = signed[after].groupby([moved.loc[after, k] for k in keys]).sum()
    rolled = mark_value.astype(np.int64) + roll.reindex(positions.index, fill_value=0)
    positions["nav_pence"] = rolled.clip(lower=0).astype(np.int64)

    positions["cost_outstanding_pence"] = (
        positions["invested_pence"] - positions["repaid_pence"] - positions["written_off_pence"]
    )
    return positions.reset_index()


def holding_cash_flows(
    project_flows: pd.DataFrame,
    positions: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """The IRR cash flows of each holding: keys, date, amount_pence (signed).

    Drawdowns negative, receipts positive, write-offs left out (no cash), and
    each holding's non-nil NAV from ``positions`` as a positive flow dated T.
    """
    keys = list(HOLDING_KEYS)
    cutoff = pd.Timestamp(as_of)
    flows = project_flows.loc[
        (project_flows["date"] <= cutoff) & project_flows["kind"].ne("write_off"),
        [*keys, "date", "kind", "amount_pence"],
    ]
    sign = np.where(flows["kind"].eq("drawdown"), -1, 1)
    cash = flows[[*keys, "date"]].assign(amount_pence=flows["amount_pence"].to_numpy() * sign)
    held = positions.loc[positions["nav_pence"] != 0]  # a nil NAV is no flow
    navs = held[[*keys]].assign(date=cutoff, amount_pence=held["nav_pence"].to_numpy())
    cash["date"] = cash["date"].astype("datetime64[ns]")
    navs["date"] = navs["date"].astype("datetime64[ns]")
    return pd.concat([cash, navs], ignore_index=True)


def value_holdings(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> list[HoldingValue]:
    """Every holding at T, sorted by (project_id, holder_id, tranche)."""
    groups = _value_by(holdings, project_flows, marks, as_of, HOLDING_KEYS)
    return [
        HoldingValue(str(key[0]), str(key[1]), str(key[2]), *figures)
        for key, figures in groups.items()
    ]


def value_projects(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> list[ProjectValue]:
    """Every project at T over all of its holdings together, sorted by project_id."""
    groups = _value_by(holdings, project_flows, marks, as_of, ("project_id",))
    return [ProjectValue(str(key[0]), *figures) for key, figures in groups.items()]


def value_groups(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    by: Sequence[str],
) -> dict[tuple[Hashable, ...], PoolValue]:
    """Holdings pooled by any of the key columns (e.g. project_id, tranche).

    Each pool's label is its key values joined by "/" (``"PROJ/A"``).
    """
    groups = _value_by(holdings, project_flows, marks, as_of, tuple(by))
    return {
        key: PoolValue("/".join(str(k) for k in key), *figures) for key, figures in groups.items()
    }


def value_pool(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    label: str,
    holder_ids: Collection[str] | None = None,
    project_ids: Collection[str] | None = None,
) -> PoolValue:
    """One pool of holdings at T, e.g. a fund's own holdings for its gross IRR and MOIC.

    The pool is every holding whose holder is in ``holder_ids`` and whose
    project is in ``project_ids`` (``None`` means no restriction).
    """
    holdings = restrict_holdings(holdings, holder_ids, project_ids)
    project_flows = restrict_holdings(project_flows, holder_ids, project_ids)
    marks = restrict_holdings(marks, holder_ids, project_ids)
    frame = holding_positions(holdings, project_flows, marks, as_of).assign(_pool=label)
    cash = holding_cash_flows(project_flows, frame, as_of).assign(_pool=label)
    figures = _figures(frame, cash, ("_pool",))
    return PoolValue(label, *figures.get((label,), _empty_figures()))


def restrict_holdings(
    frame: pd.DataFrame,
    holder_ids: Collection[str] | None,
    project_ids: Collection[str] | None,
) -> pd.DataFrame:
    """Rows of a holdings, flows or marks frame for those holders and projects (None: all)."""
    keep = pd.Series(True, index=frame.index)
    if holder_ids is not None:
        keep &= frame["holder_id"].isin(list(holder_ids))
    if project_ids is not None:
        keep &= frame["project_id"].isin(list(project_ids))
    return frame.loc[keep]


def _value_by(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    by: tuple[str, ...],
) -> dict[tuple[Hashable, ...], _Figures]:
    positions = holding_positions(holdings, project_flows, marks, as_of)
    cash = holding_cash_flows(project_flows, positions, as_of)
    return _figures(positions, cash, by)


def _figures(
    positions: pd.DataFrame, cash: pd.DataFrame, by: tuple[str, ...]
) -> dict[tuple[Hashable, ...], _Figures]:
    """Sum positions by ``by`` and attach the pooled XIRR; keys sorted ascending."""
    money = ["invested_pence", "realised_pence", "nav_pence", "cost_outstanding_pence"]
    totals = positions.groupby(list(by), sort=True)[money].sum()
    irrs = xirr_grouped(cash, by, "date", "amount_pence") if len(cash) else {}
    result: dict[tuple[Hashable, ...], _Figures] = {}
    for row in totals.itertuples(index=True, name=None):
        key = row[0] if isinstance(row[0], tuple) else (row[0],)
        invested, realised, nav, cost_outstanding = (int(v) for v in row[1:])
        irr = irrs.get(key, _NO_FLOWS)
        result[key] = (
            pence_to_decimal(invested),
            pence_to_decimal(realised),
            pence_to_decimal(nav),
            pence_to_decimal(cost_outstanding),
            (realised + nav) / invested if invested else None,
            irr.rate,
            irr.note,
            irr.multiple_sign_changes,
        )
    return result


def _empty_figures() -> _Figures:
    nil = pence_to_decimal(0)
    return (nil, nil, nil, nil, None, _NO_FLOWS.rate, _NO_FLOWS.note, False)
