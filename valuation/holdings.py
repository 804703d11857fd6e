"""Holdings, projects and pools of holdings valued at an as-of date T.

Per holding (project_id, holder_id, tranche), using only rows dated ≤ T:

- invested = Σ drawdowns
- realised = Σ repayments + interest + dividends (the receipts)
- NAV = the latest mark dated ≤ T (its value at the end of its date, so that
  date's flows are in it), rolled forward date by date to T: + drawdowns −
  receipts dated after the mark and ≤ T, floored at nil after each date (a
  drawdown after NAV reached nil is held at cost); with no mark, the cost
  outstanding (interest and dividends are income, not a return of cost)
- cost outstanding = invested − repayments − write-offs, never below nil (a
  write-off moves no cash: it leaves invested, realised and the cash flows
  unchanged); repayments beyond cost are the realised gain
- realised gain = repayments + write-offs − invested where that is positive
- MOIC = (realised + NAV) / invested, ``None`` when nothing was invested
  (``multiples.total_multiple``, the ratio TVPI is for a fund)
- IRR = XIRR of drawdowns (negative) and receipts (positive) plus NAV as a
  positive flow at T; over flows spanning less than a year no IRR, and the
  simple return of the period (``period_return``) instead (returns.py)

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

from .book import HOLDING_KEYS, HoldingBook, Pools
from .money import pence_to_decimal
from .multiples import total_multiple
from .returns import NOTE_NO_FLOWS, IrrResult

__all__ = [
    "HOLDING_KEYS",
    "HoldingBook",
    "HoldingValue",
    "PoolValue",
    "ProjectValue",
    "group_values",
    "holding_cash_flows",
    "holding_positions",
    "holding_values",
    "pool_value",
    "project_values",
    "restrict_holdings",
    "value_groups",
    "value_holdings",
    "value_pool",
    "value_projects",
]

_NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)
# invested, realised, nav, cost_outstanding, moic, irr, irr_note, multiple_sign_changes,
# realised_gain, period_return
_Figures = tuple[
    Decimal,
    Decimal,
    Decimal,
    Decimal,
    float | None,
    float | None,
    str | None,
    bool,
    Decimal,
    float | None,
]


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
    realised_gain: Decimal
    period_return: float | None


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
    realised_gain: Decimal
    period_return: float | None


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
    realised_gain: Decimal
    period_return: float | None


def holding_positions(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """Per holding at T, in pence: one row per holding, sorted by key.

    Columns: project_id, holder_id, tranche, commitment_pence, invested_pence,
    realised_pence, repaid_pence, written_off_pence, nav_pence,
    cost_outstanding_pence, realised_gain_pence (definitions in the module docstring). Holdings
    are those in ``holdings`` plus any that only flows or marks name, so no
    money is dropped for want of a holdings row.
    """
    return HoldingBook(holdings, project_flows, marks, as_of).positions.copy()


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
    return holding_values(HoldingBook(holdings, project_flows, marks, as_of))


def value_projects(
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> list[ProjectValue]:
    """Every project at T over all of its holdings together, sorted by project_id."""
    return project_values(HoldingBook(holdings, project_flows, marks, as_of))


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
    return group_values(HoldingBook(holdings, project_flows, marks, as_of), by)


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
    return pool_value(HoldingBook(holdings, project_flows, marks, as_of), label)


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


# --- the same figures from a HoldingBook built once per run ---------------------------


def holding_values(book: HoldingBook, mask: np.ndarray | None = None) -> list[HoldingValue]:
    """Every (masked) holding of ``book``, sorted by (project_id, holder_id, tranche)."""
    chosen = np.arange(book.size) if mask is None else np.flatnonzero(mask)
    pool_of = np.full(book.size, -1, dtype=np.int64)
    pool_of[chosen] = np.arange(len(chosen))
    own = book.holding_irrs()
    irrs = [own[c] for c in chosen.tolist()]
    positions = book.positions
    keys = zip(*(positions[k].to_numpy()[chosen].tolist() for k in HOLDING_KEYS), strict=True)
    figures = _figures((pool_of, len(chosen)), book, irrs)
    return [
        HoldingValue(str(p), str(h), str(t), *f) for (p, h, t), f in zip(keys, figures, strict=True)
    ]


def project_values(book: HoldingBook, mask: np.ndarray | None = None) -> list[ProjectValue]:
    """Every project of the (masked) holdings of ``book``, pooled, sorted by project_id."""
    return [
        ProjectValue(str(key[0]), *figures)
        for key, figures in _grouped(book, ("project_id",), mask).items()
    ]


def group_values(
    book: HoldingBook, by: Sequence[str], mask: np.ndarray | None = None
) -> dict[tuple[Hashable, ...], PoolValue]:
    """``value_groups`` over the (masked) holdings of ``book``."""
    return {
        key: PoolValue("/".join(str(k) for k in key), *figures)
        for key, figures in _grouped(book, tuple(by), mask).items()
    }


def pool_value(book: HoldingBook, label: str, mask: np.ndarray | None = None) -> PoolValue:
    """The (masked) holdings of ``book`` as one pool, named ``label``."""
    inside = np.ones(book.size, dtype=bool) if mask is None else mask
    if not inside.any():
        return PoolValue(label, *_empty_figures())
    pools = (np.where(inside, 0, -1), 1)
    return PoolValue(label, *_figures(pools, book, book.irrs(pools)[0])[0])


def _grouped(
    book: HoldingBook, by: tuple[str, ...], mask: np.ndarray | None
) -> dict[tuple[Hashable, ...], _Figures]:
    pools, keys = book.pools_by(by, mask)
    figures = _figures(pools, book, book.irrs(pools)[0])
    return dict(zip(keys, figures, strict=True))


def _figures(pools: Pools, book: HoldingBook, irrs: Sequence[IrrResult]) -> list[_Figures]:
    """Each pool's money summed over its holdings, with its pooled XIRR."""
    result: list[_Figures] = []
    # tolist() gives Python ints, so pounds are built directly (as pence_to_decimal
    # does, without its type check: tens of thousands of values per run).
    for (invested, realised, nav, cost_outstanding, gain), irr in zip(
        book.totals(pools).tolist(), irrs, strict=True
    ):
        result.append(
            (
                Decimal(invested).scaleb(-2),
                Decimal(realised).scaleb(-2),
                Decimal(nav).scaleb(-2),
                Decimal(cost_outstanding).scaleb(-2),
                total_multiple(invested, realised, nav),
                irr.rate,
                irr.note,
                irr.multiple_sign_changes,
                Decimal(gain).scaleb(-2),
                irr.period_return,
            )
        )
    return result


def _empty_figures() -> _Figures:
    nil = pence_to_decimal(0)
    return (nil, nil, nil, nil, None, _NO_FLOWS.rate, _NO_FLOWS.note, False, nil, None)
