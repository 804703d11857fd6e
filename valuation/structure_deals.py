"""An American waterfall's deals: a fund's flows attributed to the projects it drew into.

One deal per project the fund drew money into (``project_flows`` with holder_id the
fund), rows dated ≤ T (the attribution ``structure.fund_structure`` documents):

- contributions: each drawdown of the fund into the project, attributed to the classes
  pro rata to their contributions to date on the drawdown's day (before any, to their
  commitments), largest remainder, ties by class;
- distributions: each of the fund's distributions attributed to projects pro rata to
  what each had returned to the fund (repayments, interest, dividends) by that day
  (before any return, to what the fund had drawn into each), largest remainder, ties by
  project, so that the deals share out exactly what the fund distributed;
- NAV at T: the fund's NAV split over the deals pro rata to ``deal_navs`` (the run's NAV
  of the fund's holdings per project), else to each project's latest marks ≤ T (the
  fund's tranches summed), else to what was drawn into each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .ledger import Ledger
from .money import allocate_largest_remainder
from .waterfall import Contribution, Deal, Distribution

__all__ = ["american_deals"]

_RECEIPTS = ("repayment", "interest", "dividend")


def american_deals(
    ledger: Ledger,
    fund_id: str,
    cutoff: pd.Timestamp,
    contributions: Sequence[tuple[pd.Timestamp, str, int]],
    committed: pd.DataFrame,
    fund_distributions: pd.Series,
    nav_pence: int,
    deal_navs: Mapping[str, int] | None,
) -> tuple[list[Deal], dict[str, int]]:
    """The fund's deals and each deal's part of ``nav_pence`` (module docstring).

    ``contributions``: (date, class, pence) as the classes paid in; ``committed``: the
    classes' commitments (``share_class``, ``committed_pence``); ``fund_distributions``:
    pence by date, everything the fund distributed.
    """
    pf = ledger.project_flows
    own = pf.loc[(pf["holder_id"] == fund_id) & (pf["date"] <= cutoff)]
    drawn = (
        own.loc[own["kind"] == "drawdown"]
        .groupby(["date", "project_id"], sort=True)["amount_pence"]
        .sum()
    )
    returned = (
        own.loc[own["kind"].isin(_RECEIPTS)]
        .groupby(["date", "project_id"], sort=True)["amount_pence"]
        .sum()
    )
    projects = sorted({str(p) for _, p in drawn.index})
    if not projects:
        if int(fund_distributions.sum()) or nav_pence:
            raise ValueError(f"fund {fund_id}: an American waterfall needs drawdowns into projects")
        return [], {}
    class_names = sorted({c for _, c, _ in contributions} | set(committed["share_class"]))
    commitment_weights = committed.groupby("share_class")["committed_pence"].sum()
    paid: dict[str, int] = dict.fromkeys(class_names, 0)
    calls = sorted(contributions)
    deal_in: dict[str, list[Contribution]] = {p: [] for p in projects}
    position = 0
    for (day, project), pence in drawn.items():
        while position < len(calls) and calls[position][0] <= day:
            paid[calls[position][1]] += calls[position][2]
            position += 1
        weights = [paid[c] for c in class_names]
        if not any(weights):
            weights = [int(commitment_weights.get(c, 0)) for c in class_names]
        parts = allocate_largest_remainder(int(pence), weights, class_names)
        deal_in[str(project)] += [
            Contribution(c, pd.Timestamp(day).date(), part)
            for c, part in zip(class_names, parts, strict=True)
            if part
        ]
    deal_out: dict[str, list[Distribution]] = {p: [] for p in projects}
    back = _cumulative(returned, projects)
    put_in = _cumulative(drawn, projects)
    for day, pence in fund_distributions.items():
        weights = _as_of(back, day) or _as_of(put_in, day)
        if not any(weights):
            raise ValueError(f"fund {fund_id}: a distribution on {day.date()} before any drawdown")
        parts = allocate_largest_remainder(int(pence), weights, projects)
        for project, part in zip(projects, parts, strict=True):
            if part:
                deal_out[project].append(Distribution(pd.Timestamp(day).date(), part))
    deals = [Deal(p, tuple(deal_in[p]), tuple(deal_out[p])) for p in projects]
    return deals, _deal_nav_split(ledger, fund_id, cutoff, projects, nav_pence, deal_navs, put_in)


def _cumulative(amounts: pd.Series, projects: Sequence[str]) -> pd.DataFrame:
    """date → cumulative amount per project (columns in ``projects`` order)."""
    if amounts.empty:
        return pd.DataFrame(columns=list(projects), dtype=np.int64)
    wide = amounts.unstack("project_id", fill_value=0).reindex(columns=list(projects), fill_value=0)
    return wide.cumsum()


def _as_of(cumulative: pd.DataFrame, day: pd.Timestamp) -> list[int]:
    upto = cumulative.loc[cumulative.index <= day]
    if upto.empty:
        return [0] * len(cumulative.columns)
    return [int(v) for v in upto.iloc[-1]]


def _deal_nav_split(
    ledger: Ledger,
    fund_id: str,
    cutoff: pd.Timestamp,
    projects: Sequence[str],
    nav_pence: int,
    deal_navs: Mapping[str, int] | None,
    put_in: pd.DataFrame,
) -> dict[str, int]:
    if deal_navs is not None:
        weights = [max(0, int(deal_navs.get(p, 0))) for p in projects]
    else:
        marks = ledger.marks.loc[
            (ledger.marks["holder_id"] == fund_id) & (ledger.marks["date"] <= cutoff)
        ]
        latest = marks.sort_values("date").groupby(["project_id", "tranche"]).tail(1)
        by_project = latest.groupby("project_id")["fair_value_pence"].sum()
        weights = [int(by_project.get(p, 0)) for p in projects]
    if not any(weights):
        weights = _as_of(put_in, cutoff)
    parts = allocate_largest_remainder(int(nav_pence), weights, list(projects))
    return {p: part for p, part in zip(projects, parts, strict=True) if part}
