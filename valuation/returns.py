"""Internal rates of return: XIRR (dated flows) and periodic IRR/NPV.

XIRR solves Σ cfᵢ / (1 + r)^((dᵢ − d₀) / 365) = 0: Actual/365 fixed, as spreadsheet
XIRR. Flows on one date are netted first. The root is found by pyxirr; when it
finds none a bracketing scan of NPV is the fallback, so a rate is reported only
when it really solves NPV = 0, and otherwise ``rate`` is ``None`` with the reason
in ``note`` (never 0 or a guess).

Flows spanning less than a year (first to last netted
flow, NAV at T included, under 365 days) are not annualised (GIPS): rate
``None``, note ``less than a year: not annualised``, and ``period_return`` the
simple return over the period, Σ inflows ÷ Σ outflows − 1. A caller computing a
rate that is not a return shown to investors (a model's calibration rate)
passes ``annualise_short=True`` to solve such flows anyway.

A total loss (money went in, nothing came back and nothing is held: every
netted flow an outflow) is the market convention's −100%: rate ``-1.0``, note
``total loss``, over any span. A caller passing ``annualise_short=True`` asks
for a plain root instead, and gets ``None`` with the note ``no receipts or NAV
yet: all flows are outflows`` (no finite rate solves NPV = 0).

A series with more than one sign change (common: drawdowns go on after receipts
start) is flagged ``multiple_sign_changes``; the note warns that the rate is one
of several only when NPV has a second root between −99% and +1,000%.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pandas as pd
import pyxirr

from .npv_scan import WARN_SEGMENTS, WIDE_SEGMENTS, polish_rate, refine_root, root_brackets

__all__ = [
    "NOTE_ALL_INFLOWS",
    "NOTE_ALL_OUTFLOWS",
    "NOTE_NETS_TO_NIL",
    "NOTE_NO_FLOWS",
    "NOTE_NO_ROOT",
    "NOTE_SHORT",
    "NOTE_TOTAL_LOSS",
    "TOTAL_LOSS",
    "IrrResult",
    "periodic_irr",
    "periodic_npv",
    "xirr",
    "xirr_grouped",
    "xirr_netted",
]

NOTE_NO_FLOWS = "no flows"
NOTE_NETS_TO_NIL = "flows net to nil on every date"
NOTE_ALL_OUTFLOWS = "no receipts or NAV yet: all flows are outflows"
NOTE_SHORT = "less than a year: not annualised"
NOTE_TOTAL_LOSS = "total loss"
NOTE_ALL_INFLOWS = "all flows one sign: inflows only, nothing invested"
NOTE_NO_ROOT = "no rate solves NPV = 0"

DAYS_PER_YEAR = 365.0  # Actual/365 fixed, as spreadsheet XIRR.
SHORT_DAYS = 365  # flows spanning fewer days than this are not annualised
TOTAL_LOSS = -1.0  # money in, nothing back, nothing held: −100%


@dataclass(frozen=True, slots=True)
class IrrResult:
    """An XIRR with the reason when there is none.

    rate: the annual rate as a fraction (0.0734 = 7.34%), ``-1.0`` for a total loss,
    or ``None``.
    note: why ``rate`` is ``None``, the warning that it is one of several roots, or
    ``total loss``.
    multiple_sign_changes: the netted flows change sign more than once.
    period_return: flows spanning less than a year: the simple return over the
    period (Σ inflows ÷ Σ outflows − 1) shown instead of a rate; else ``None``.
    """

    rate: float | None
    note: str | None
    multiple_sign_changes: bool
    period_return: float | None = None


def xirr(
    dates: Iterable[object],
    amounts: Iterable[int | float | Decimal],
    *,
    annualise_short: bool = False,
) -> IrrResult:
    """XIRR of dated flows (negative = money out, positive = money in).

    Solves Σ cfᵢ / (1 + r)^((dᵢ − d₀) / 365) = 0 after netting flows on one date.
    Dates may be ``datetime.date``, ``datetime``, ``pandas.Timestamp``, ISO strings
    or ``numpy.datetime64``; amounts any real numbers (pence or pounds alike: the
    rate does not depend on the unit).
    """
    day_numbers = _day_numbers(np.asarray(list(dates), dtype="datetime64[D]"))
    values = np.asarray([float(a) for a in amounts], dtype=np.float64)
    if day_numbers.size != values.size:
        raise ValueError(f"{day_numbers.size} dates but {values.size} amounts")
    if values.size == 0:
        return IrrResult(None, NOTE_NO_FLOWS, False)
    unique_days, position = np.unique(day_numbers, return_inverse=True)
    netted = np.bincount(position, weights=values, minlength=unique_days.size)
    bounds = np.array([0, unique_days.size])
    return _solve_batch(unique_days, netted, bounds, annualise_short=annualise_short)[0]


def xirr_grouped(
    frame: pd.DataFrame,
    keys: Sequence[str],
    date_col: str = "date",
    amount_col: str = "amount_pence",
) -> dict[tuple[Hashable, ...], IrrResult]:
    """XIRR per group of ``frame``, keyed by the tuple of ``keys`` values.

    The same definition as ``xirr``, batched: one groupby nets same-date flows and
    sorts, group boundaries come from NumPy, and pyxirr is called once per series
    with NumPy arrays. Signed amounts (negative = money out) are expected.
    """
    key_cols = list(keys)
    if not key_cols:
        raise ValueError("xirr_grouped needs at least one key column")
    if frame.empty:
        return {}
    dates = frame[date_col]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates)
    days = dates.to_numpy().astype("datetime64[D]")
    work = frame[key_cols].copy()
    work["_day"] = _day_numbers(days)
    work["_amount"] = frame[amount_col].to_numpy(dtype=np.float64)
    netted = work.groupby([*key_cols, "_day"], sort=True, dropna=False)["_amount"].sum()
    index = netted.index
    assert isinstance(index, pd.MultiIndex)
    key_codes = np.vstack([np.asarray(c) for c in index.codes[: len(key_cols)]])
    changes = np.flatnonzero((np.diff(key_codes, axis=1) != 0).any(axis=0)) + 1
    bounds = np.concatenate([[0], changes, [len(netted)]])
    day_values = index.get_level_values(-1).to_numpy(dtype=np.int64)
    results = xirr_netted(day_values, netted.to_numpy(dtype=np.float64), bounds)
    group_keys = index[bounds[:-1]].droplevel(-1)
    if len(key_cols) == 1:
        return {(k,): r for k, r in zip(group_keys, results, strict=True)}
    return {tuple(k): r for k, r in zip(group_keys, results, strict=True)}


def xirr_netted(
    days: np.ndarray,
    netted: np.ndarray,
    bounds: np.ndarray,
    memo: dict[bytes, IrrResult] | None = None,
) -> list[IrrResult]:
    """XIRR of each series ``days[bounds[i]:bounds[i + 1]]`` (int day numbers, sorted,
    one row per date) with its ``netted`` amounts (float64).

    The result depends on nothing but the series, so a series identical to one
    already solved (co-investors side by side, a project with one tranche) takes
    that one's result instead of being solved again. ``memo`` (series → result)
    carries this across calls, e.g. for every pool of one run.
    """
    known = {} if memo is None else memo
    count = len(bounds) - 1
    keys: list[bytes] = []
    todo: dict[bytes, int] = {}
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        series = days[lo:hi].tobytes() + netted[lo:hi].tobytes()
        keys.append(series)
        if series not in known and series not in todo:
            todo[series] = len(keys) - 1
    if todo:
        unique = np.fromiter(todo.values(), dtype=np.int64, count=len(todo))
        if len(unique) == count:
            solved = _solve_batch(days, netted, bounds)
        else:
            sizes = np.diff(bounds)[unique]
            ends = np.cumsum(sizes)
            rows = np.arange(int(ends[-1]) if len(ends) else 0)
            rows += np.repeat(bounds[unique] - (ends - sizes), sizes)
            solved = _solve_batch(days[rows], netted[rows], np.r_[0, ends])
        known.update(zip(todo, solved, strict=True))
    return [known[k] for k in keys]


def periodic_irr(values: Sequence[float]) -> float | None:
    """IRR of equally spaced flows (values[0] at period 0): Σ vᵢ / (1 + r)^i = 0.

    numpy-financial's ``irr``; ``None`` instead of NaN when no rate solves it.
    """
    rate = float(npf.irr(np.asarray(values, dtype=np.float64)))
    return rate if math.isfinite(rate) else None


def periodic_npv(rate: float, values: Sequence[float]) -> float:
    """NPV of equally spaced flows, values[0] undiscounted: Σ vᵢ / (1 + rate)^i.

    numpy-financial's convention, not the spreadsheet NPV's (which discounts the
    first value by one period).
    """
    return float(npf.npv(rate, np.asarray(values, dtype=np.float64)))


# --- the solver -------------------------------------------------------------


def _day_numbers(days: np.ndarray) -> np.ndarray:
    if np.isnat(days).any():
        raise ValueError("a flow has no date")
    return days.astype("datetime64[D]").astype(np.int64)


def _solve_batch(
    days: np.ndarray, netted: np.ndarray, bounds: np.ndarray, *, annualise_short: bool = False
) -> list[IrrResult]:
    """Solve each series ``days[bounds[i]:bounds[i+1]]`` (sorted, one row per date).

    The classification (signs, sign changes, whether a second root is possible)
    is vectorised over every series at once; only the root finding loops.
    ``annualise_short``: a plain solve (no GIPS short-period rule, no total loss).
    """
    group_count = len(bounds) - 1
    sizes = np.diff(bounds)
    group = np.repeat(np.arange(group_count), sizes)
    keep = netted != 0  # a nil net flow changes neither NPV nor its signs
    days, netted, group = days[keep], netted[keep], group[keep]
    starts = np.searchsorted(group, np.arange(group_count + 1))

    has_pos = np.bincount(group[netted > 0], minlength=group_count) > 0
    has_neg = np.bincount(group[netted < 0], minlength=group_count) > 0
    sign_changes = _sign_changes(netted, group, group_count)
    several_possible = _several_roots_possible(netted, group, group_count)

    results: list[IrrResult] = []
    as_dates = days.astype("datetime64[D]")
    for g in range(group_count):
        lo, hi = starts[g], starts[g + 1]
        if sizes[g] == 0:
            results.append(IrrResult(None, NOTE_NO_FLOWS, False))
        elif lo == hi:
            results.append(IrrResult(None, NOTE_NETS_TO_NIL, False))
        elif not has_pos[g] and annualise_short:
            results.append(IrrResult(None, NOTE_ALL_OUTFLOWS, False))
        elif not has_pos[g]:
            results.append(IrrResult(TOTAL_LOSS, NOTE_TOTAL_LOSS, False))
        elif not has_neg[g]:
            results.append(IrrResult(None, NOTE_ALL_INFLOWS, False))
        elif not annualise_short and days[hi - 1] - days[lo] < SHORT_DAYS:
            inflows = float(netted[lo:hi][netted[lo:hi] > 0].sum())
            outflows = -float(netted[lo:hi][netted[lo:hi] < 0].sum())
            results.append(
                IrrResult(None, NOTE_SHORT, bool(sign_changes[g] > 1), inflows / outflows - 1.0)
            )
        else:
            results.append(
                _solve_one(
                    as_dates[lo:hi],
                    days[lo:hi],
                    netted[lo:hi],
                    multiple=bool(sign_changes[g] > 1),
                    may_have_second_root=bool(several_possible[g]),
                )
            )
    return results


def _sign_changes(values: np.ndarray, group: np.ndarray, group_count: int) -> np.ndarray:
    """Sign changes per group of a sequence, zeros skipped."""
    nonzero = values != 0
    signs, owner = np.sign(values[nonzero]), group[nonzero]
    flips = (signs[1:] != signs[:-1]) & (owner[1:] == owner[:-1])
    return np.bincount(owner[1:][flips], minlength=group_count)


def _several_roots_possible(netted: np.ndarray, group: np.ndarray, group_count: int) -> np.ndarray:
    """Whether NPV may have more than one root with r > −1, per group.

    Laguerre's rule of signs (the basis of Norstrom's criterion): with
    x = 1/(1 + r), the roots with x in (0, 1), i.e. r > 0, number at most the
    sign changes of the partial sums S₀, S₁, … in date order; the roots with
    r in (−1, 0) at most those of the partial sums taken from the last date
    back; r = 0 is a root exactly when the total is 0. When these bounds add up
    to at most 1 the root is unique and the costly NPV scan is skipped.
    """
    forward = pd.Series(netted).groupby(group).cumsum().to_numpy()
    totals = np.bincount(group, weights=netted, minlength=group_count)
    backward = totals[group] - forward + netted
    bound = (
        _sign_changes(forward, group, group_count)
        + _sign_changes(backward, group, group_count)
        + (totals == 0)
    )
    return bound > 1


def _solve_one(
    dates: np.ndarray,
    days: np.ndarray,
    netted: np.ndarray,
    *,
    multiple: bool,
    may_have_second_root: bool,
) -> IrrResult:
    """Solve one netted series with both signs present.

    With a unique root (``may_have_second_root`` false) pyxirr's answer is the
    rate. Otherwise NPV is scanned over −99%..+1,000% first; the rate is the root
    nearest 10% (the spreadsheet's default guess), polished by pyxirr from that
    bracket, and any other root in the window goes into the warning.
    """
    years = (days - days[0]) / DAYS_PER_YEAR
    flows = netted / np.abs(netted).max()  # the rate does not depend on scale
    brackets = root_brackets(years, flows, WARN_SEGMENTS) if may_have_second_root else []
    if not brackets:
        # A unique root, or none in the window (so no warning): it may lie outside.
        rate = _pyxirr(dates, netted, None)
        if rate is None:
            rate = _rate_from_brackets(dates, netted, years, flows, WIDE_SEGMENTS)
        if rate is None:
            return IrrResult(None, NOTE_NO_ROOT, multiple)
        return IrrResult(polish_rate(years, flows, rate), None, multiple)
    chosen = min(brackets, key=lambda b: abs(math.expm1(0.5 * (b[0] + b[1])) - 0.1))
    rate = _rate_in_bracket(dates, netted, years, flows, chosen)
    others = [b for b in brackets if b is not chosen]
    if not others:
        return IrrResult(rate, None, multiple)
    listed = ", ".join(
        f"{math.expm1(refine_root(years, flows, lo, hi, 1e-7)):.2%}" for lo, hi in others
    )
    note = f"one of several rates: NPV is also 0 at {listed} (between −99% and +1,000%)"
    return IrrResult(rate, note, multiple)


def _pyxirr(dates: np.ndarray, netted: np.ndarray, guess: float | None) -> float | None:
    rate = pyxirr.xirr(dates, netted, guess=guess, silent=True)
    if rate is None or not (math.isfinite(rate) and rate > -1.0):
        return None
    return float(rate)


def _rate_in_bracket(
    dates: np.ndarray,
    netted: np.ndarray,
    years: np.ndarray,
    flows: np.ndarray,
    bracket: tuple[float, float],
) -> float:
    """The root in a bracket of s = log(1 + r): pyxirr from its middle, else sampled."""
    low, high = bracket
    rate = _pyxirr(dates, netted, math.expm1(0.5 * (low + high)))
    slack = 1e-9 * max(1.0, abs(low))
    if rate is None or not low - slack <= math.log1p(rate) <= high + slack:
        rate = math.expm1(refine_root(years, flows, low, high, 1e-15))
    return polish_rate(years, flows, rate)


def _rate_from_brackets(
    dates: np.ndarray,
    netted: np.ndarray,
    years: np.ndarray,
    flows: np.ndarray,
    segments: Sequence[tuple[float, float, int]],
) -> float | None:
    """Fallback when pyxirr finds nothing: the bracketed root nearest 10%, if any."""
    brackets = root_brackets(years, flows, segments)
    if not brackets:
        return None
    chosen = min(brackets, key=lambda b: abs(math.expm1(0.5 * (b[0] + b[1])) - 0.1))
    return _rate_in_bracket(dates, netted, years, flows, chosen)
