"""Scanning NPV over a grid of rates: brackets of its roots, refined and polished.

The expensive part of XIRR when a series may have several roots: used by
``returns`` to find every root between −99% and +1,000% (for the warning) and,
when pyxirr finds none, to look for one over a wide range. Rates are handled as
s = log(1 + r), where NPV(s) = Σ cfᵢ·e^(−tᵢ·s) with tᵢ in years.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "WARN_SEGMENTS",
    "WIDE_SEGMENTS",
    "polish_rate",
    "refine_root",
    "root_brackets",
]

# The window in which a second root makes the reported rate ambiguous
# (DESIGN.md: between −99% and +1,000%), scanned in s = log(1 + r). The grid is
# densest where real-world rates live (−50% to +100%, steps of about 0.35
# percentage points near 0) so that two roots a few points apart are both seen.
WARN_SEGMENTS = (
    (math.log(0.01), math.log(0.5), 61),
    (math.log(0.5), math.log(2.0), 401),
    (math.log(2.0), math.log(11.0), 61),
)
# Fallback bracket search when pyxirr finds no root: 1 + r from 1e-6 to 1e6.
WIDE_SEGMENTS = (
    (math.log(1e-6), 0.0, 601),
    (0.0, math.log(1e6), 601),
)
_REFINE_POINTS = 65
# Past this |s|·t the discount factors could overflow a float, so a grid
# segment that straddles s = 0 is split there (see _scaled_npv_segment).
_MAX_EXPONENT = 600.0


def polish_rate(years: np.ndarray, flows: np.ndarray, rate: float) -> float:
    """A few Newton steps on NPV, kept only while they shrink |NPV|.

    pyxirr stops at a tolerance that leaves errors of up to ~1e-9 (and answers
    that differ at that level when every flow is scaled); rates are published
    to 10 decimal places, so finish the job: Newton converges quadratically
    from there.
    """

    def npv_and_slope(r: float) -> tuple[float, float]:
        discount = np.exp(-years * math.log1p(r))
        return float(flows @ discount), float(-(flows * years) @ discount / (1.0 + r))

    value, slope = npv_and_slope(rate)
    for _ in range(4):
        if value == 0 or slope == 0:
            break
        candidate = rate - value / slope
        if not candidate > -1.0:
            break
        candidate_value, candidate_slope = npv_and_slope(candidate)
        if abs(candidate_value) >= abs(value):
            break
        rate, value, slope = candidate, candidate_value, candidate_slope
    return rate


def root_brackets(
    years: np.ndarray, flows: np.ndarray, segments: Sequence[tuple[float, float, int]]
) -> list[tuple[float, float]]:
    """Intervals of s = log(1 + r) on the grid where NPV changes sign (or is 0)."""
    grid_parts, value_parts = [], []
    for start, stop, count in segments:
        grid, values = _scaled_npv_segment(years, flows, start, stop, count)
        grid_parts.append(grid)
        value_parts.append(values)
    grid, first = np.unique(np.concatenate(grid_parts), return_index=True)
    signs = np.sign(np.concatenate(value_parts)[first])
    brackets = [(float(s), float(s)) for s in grid[signs == 0]]
    for i in np.flatnonzero(signs[:-1] * signs[1:] < 0):
        brackets.append((float(grid[i]), float(grid[i + 1])))
    return sorted(brackets)


def _scaled_npv_segment(
    years: np.ndarray, flows: np.ndarray, start: float, stop: float, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """NPV on ``count`` evenly spaced s = log(1 + r) in [start, stop], each times a positive factor.

    Discount factors on an even grid are a geometric sequence, so they are built
    with one cumulative product (a multiplication per point) instead of an
    exponential per point: this scan is the costly part of XIRR. Where s < 0 the
    factors are taken relative to the last date, e^((t_max − tᵢ)·s), and walked
    from s = stop downwards, so every factor is at most 1 and nothing overflows;
    only the sign of each value is used.
    """
    grid = np.linspace(start, stop, count)
    step = (stop - start) / (count - 1)
    if start < 0 < stop and max(-start, stop) * years[-1] > _MAX_EXPONENT:
        low = _scaled_npv_segment(years, flows, start, 0.0, max(2, round(-start / step) + 1))
        high = _scaled_npv_segment(years, flows, 0.0, stop, max(2, round(stop / step) + 1))
        return np.concatenate([low[0], high[0]]), np.concatenate([low[1], high[1]])
    factors = np.empty((count, years.size))
    if stop <= 0:
        to_last = years[-1] - years
        factors[0] = np.exp(to_last * stop)
        factors[1:] = np.exp(-to_last * step)
        np.cumprod(factors, axis=0, out=factors)
        return grid, (factors @ flows)[::-1]
    factors[0] = np.exp(-years * start)
    factors[1:] = np.exp(-years * step)
    np.cumprod(factors, axis=0, out=factors)
    return grid, factors @ flows


def _scaled_npv(years: np.ndarray, flows: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """NPV at each s = log(1 + r) in ``grid``, divided by a positive factor per point.

    Σ sign(cfᵢ)·exp(log|cfᵢ| − tᵢ·s − m), m the largest exponent: safe at any s.
    """
    exponents = np.log(np.abs(flows))[None, :] - grid[:, None] * years[None, :]
    exponents -= exponents.max(axis=1, keepdims=True)
    return (np.sign(flows)[None, :] * np.exp(exponents)).sum(axis=1)


def refine_root(years: np.ndarray, flows: np.ndarray, low: float, high: float, tol: float) -> float:
    """Narrow a bracket of s = log(1 + r) to ``tol`` by sampling it on a fine grid."""
    while high - low > tol * max(1.0, abs(low)):
        grid = np.linspace(low, high, _REFINE_POINTS)
        if grid[1] in (low, high):  # adjacent floats: nothing left to narrow
            break
        signs = np.sign(_scaled_npv(years, flows, grid))
        zeros = np.flatnonzero(signs == 0)
        if zeros.size:
            return float(grid[zeros[0]])
        flips = np.flatnonzero(signs[:-1] * signs[1:] < 0)
        if not flips.size:  # rounding hid the crossing: the bracket is as good as it gets
            break
        low, high = float(grid[flips[0]]), float(grid[flips[0] + 1])
    return 0.5 * (low + high)
