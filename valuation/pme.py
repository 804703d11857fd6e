"""Public-market equivalent (PME) of a fund against 10-year gilts.

The benchmark index starts at 1 on the fund's first flow date and compounds
daily, Actual/365, at the Bank of England 10-year nominal par gilt yield
averaged over each day's quarter:

    index(d) = Π (1 + y_q(t))^(1/365) over each day t from the first flow date
               (inclusive) to d (exclusive)

so the day d itself is not compounded into index(d), and index(T) needs yields
for the quarters of the days before T only.

- KS-PME (Kaplan–Schoar) = (Σ distributionsᵢ / index(dᵢ) + NAV / index(T))
  / (Σ |callsᵢ| / index(dᵢ)), each row on its own (a call and a distribution on
  one date both count, as paid-in and distributed do for TVPI)
- direct alpha = XIRR of every flow carried to T by index(T) / index(dᵢ), plus
  NAV at T (carried by 1), as a discrete annual rate; like every IRR passu
  reports (returns.py), not annualised over flows spanning less than a year
  (``None``, the note says so) and −100% for a total loss

Flows are ``date`` and ``amount_pence`` (calls negative, distributions
positive); rows dated after T are ignored. A figure is ``None`` with the
reason in ``note`` when there is nothing to compare: no calls, a quarter
without a 10-year yield, or (direct alpha only) an XIRR with no rate or flows
spanning less than a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyxirr import pe

from .returns import xirr

__all__ = ["BENCHMARK", "NOTE_NO_CALLS", "TENOR_YEARS", "Pme", "fund_pme", "fund_pme_figure"]

BENCHMARK = "gilts_10y"
TENOR_YEARS = 10
NOTE_NO_CALLS = "no calls yet"
DAYS_PER_YEAR = 365.0  # Actual/365 fixed: the same year as XIRR's, so the two agree


@dataclass(frozen=True, slots=True)
class Pme:
    """A fund's public-market equivalent at T against 10-year gilts.

    ks_pme: the Kaplan–Schoar PME, a multiple (above 1: the fund beat gilts).
    direct_alpha: the annual rate by which the fund beat gilts, as a fraction.
    benchmark: always ``"gilts_10y"``.
    note: why a figure is ``None``, else ``None``.
    """

    ks_pme: float | None
    direct_alpha: float | None
    benchmark: str
    note: str | None


def fund_pme(
    flows: pd.DataFrame,
    nav_pence: int,
    as_of: dt.date,
    gilt_yields: pd.DataFrame,
) -> Pme:
    """The fund's KS-PME and direct alpha at ``as_of`` (definitions in the module docstring).

    ``gilt_yields`` is long: ``quarter_end``, ``tenor_years`` (only 10 is used) and
    ``yield_`` (a fraction). Raises ``ValueError`` for an undated flow, a quarter
    with two 10-year yields, or a yield of −100% or below: those are bad data, not
    a missing comparison.
    """
    days = flows["date"].to_numpy().astype("datetime64[D]")
    if np.isnat(days).any():
        raise ValueError("a flow has no date")
    amounts = flows["amount_pence"].to_numpy(dtype=np.int64)
    t = np.datetime64(as_of, "D")
    # A nil row moves no money; dropping it keeps it from stretching the index
    # back into quarters (perhaps without a yield) that no money spent time in.
    keep = (days <= t) & (amounts != 0)
    days, amounts = days[keep], amounts[keep]
    if not (amounts < 0).any():
        return Pme(None, None, BENCHMARK, NOTE_NO_CALLS)

    first = days.min()
    log_index = _log_index(first, t, gilt_yields)
    if isinstance(log_index, str):
        return Pme(None, None, BENCHMARK, log_index)
    log_at_flow = log_index[(days - first).astype(np.int64)]
    log_at_t = float(log_index[-1])

    # pyxirr.pe.ks_pme_2 is KS-PME exactly as defined here once the index's last
    # element is index(T) and NAV sits at T: it carries each contribution and
    # distribution to the last element, amount × index[-1] / index[i], which
    # after dividing through by index(T) is the discounted form above. So it is
    # used, with a nil row appended for T. It wants both as positive magnitudes.
    calls = np.where(amounts < 0, -amounts, 0).astype(np.float64)
    distributions = np.where(amounts > 0, amounts, 0).astype(np.float64)
    index = np.exp(np.append(log_at_flow, log_at_t))
    ks = pe.ks_pme_2(np.append(calls, 0.0), np.append(distributions, 0.0), index, float(nav_pence))

    # pyxirr.pe.direct_alpha is not used: it takes no dates and returns the IRR per
    # index period, whereas the definition here is a dated XIRR (Actual/365) of
    # flows carried daily. The XIRR is the project's own (pyxirr underneath, an NPV
    # scan when it finds no root), so at a nil yield direct alpha is the net IRR.
    carried = amounts.astype(np.float64) * np.exp(log_at_t - log_at_flow)
    result = xirr(np.append(days, t), np.append(carried, float(nav_pence)))
    # A multiple-root warning from xirr (rate given, note set) is not carried:
    # Pme.note only ever says why a figure is missing.
    note = None if result.rate is not None else f"direct alpha: {result.note}"
    return Pme(
        None if ks is None else float(ks),
        result.rate,
        BENCHMARK,
        note,
    )


def fund_pme_figure(
    flows: pd.DataFrame,
    nav_pence: int,
    as_of: dt.date,
    gilt_yields: pd.DataFrame,
) -> tuple[Pme | None, str | None]:
    """The run's ``pme`` and ``pme_note``: no PME at all when there is no KS-PME to compare
    (a direct alpha alone would be a rate without its multiple), and the reason why."""
    result = fund_pme(flows, nav_pence, as_of, gilt_yields)
    return (None if result.ks_pme is None else result), result.note


def _log_index(
    first: np.datetime64, t: np.datetime64, gilt_yields: pd.DataFrame
) -> np.ndarray | str:
    """ln index(d) for every day d from ``first`` to ``t`` inclusive, else the missing-yield note.

    Element k is Σ ln(1 + y) / 365 over the k days before first + k, so element 0
    is 0 (the index starts at 1) and the last is ln index(T).
    """
    compounded = np.arange(first, t, dtype="datetime64[D]")  # T itself is not compounded
    if compounded.size == 0:
        return np.zeros(1)
    # Quarters counted from 1970Q1: calendar months since 1970-01, floor-divided by 3.
    quarter = compounded.astype("datetime64[M]").astype(np.int64) // 3
    lo, hi = int(quarter[0]), int(quarter[-1])

    tens = gilt_yields.loc[
        (gilt_yields["tenor_years"] == TENOR_YEARS) & gilt_yields["yield_"].notna()
    ]
    yield_quarter = tens["quarter_end"].to_numpy().astype("datetime64[M]").astype(np.int64) // 3
    rates = tens["yield_"].to_numpy(dtype=np.float64)
    if np.unique(yield_quarter).size != yield_quarter.size:
        seen, counts = np.unique(yield_quarter, return_counts=True)
        doubled = _quarter_runs(seen[counts > 1])
        raise ValueError(f"more than one {TENOR_YEARS}-year gilt yield for {doubled}")
    if (rates <= -1.0).any():
        raise ValueError(f"a {TENOR_YEARS}-year gilt yield of −100% or below cannot compound")

    # One slot per quarter the span touches; the days are consecutive, so every
    # slot has days in it and an empty one is a quarter the index cannot price.
    table = np.full(hi - lo + 1, np.nan)
    inside = (yield_quarter >= lo) & (yield_quarter <= hi)
    table[yield_quarter[inside] - lo] = rates[inside]
    missing = np.flatnonzero(np.isnan(table)) + lo
    if missing.size:
        return f"no {TENOR_YEARS}-year gilt yield for {_quarter_runs(missing)}"

    daily = np.log1p(table[quarter - lo]) / DAYS_PER_YEAR
    return np.concatenate([[0.0], np.cumsum(daily)])


def _quarter_name(quarter: int) -> str:
    year, q = divmod(int(quarter), 4)
    return f"{1970 + year}Q{q + 1}"


def _quarter_runs(quarters: np.ndarray) -> str:
    """Sorted quarter numbers as names, consecutive runs shortened (a 40-year gap is one)."""
    breaks = np.flatnonzero(np.diff(quarters) != 1) + 1
    runs = []
    for run in np.split(quarters, breaks):
        start, end = _quarter_name(run[0]), _quarter_name(run[-1])
        runs.append(start if start == end else f"{start}–{end}")
    return ", ".join(runs)
