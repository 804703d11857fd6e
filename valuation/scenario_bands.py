"""The scenarios' results: percentile bands over the paths, and the XIRR of every path.

Percentiles are NumPy's linear ones; money is float pence rounded half up to the penny
once, into ``Decimal`` pounds. ``irr_paths`` solves each path's XIRR at once (Actual/365,
as ``returns.xirr``). The method is in ``scenarios.py``'s docstring.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = [
    "PERCENTILES",
    "ContractChance",
    "DateBand",
    "MoneyBand",
    "ProjectBand",
    "RateBand",
    "ScenarioResult",
    "YearBand",
    "irr_paths",
    "money_band",
    "rate_band",
]

PERCENTILES = (5, 25, 50, 75, 95)


@dataclass(frozen=True)
class MoneyBand:
    p5: Decimal
    p25: Decimal
    p50: Decimal
    p75: Decimal
    p95: Decimal


@dataclass(frozen=True)
class RateBand:
    p5: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p95: float | None
    undefined: int  # paths on which no rate solves NPV = 0


@dataclass(frozen=True)
class ProjectBand:
    project_id: str
    rate: float | None
    value: MoneyBand | None  # None: the project has no rate


@dataclass(frozen=True)
class ContractChance:
    contract_id: str
    project_id: str
    cap_reached: float  # share of paths


@dataclass(frozen=True)
class YearBand:
    year: int
    payments: MoneyBand  # outcome payments to come dated in the calendar year


@dataclass(frozen=True)
class DateBand:
    day: dt.date
    value: MoneyBand


@dataclass(frozen=True)
class ScenarioResult:
    as_of: dt.date
    paths: int
    seed: int
    dispersion: float
    dispersion_contracts: int  # completed contracts the default was measured on
    dispersion_note: str
    payments_to_come: MoneyBand
    payments_by_year: tuple[YearBand, ...]
    projects: tuple[ProjectBand, ...]
    contracts: tuple[ContractChance, ...]
    government_cost_per_outcome: MoneyBand | None  # None: no government outcome
    fund_nav: MoneyBand | None  # None: no fund in scope
    fund_net_irr: RateBand | None
    less_than_paid_in: float | None  # share of paths
    # the fund's stakes in the modelled projects at T and each later 31 December
    fund_stakes: tuple[DateBand, ...] = ()


def irr_paths(days: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """XIRR of each row of ``flows`` (paths × dates) on ``days`` (sorted day numbers).

    Σ f / (1 + r)^(days from the first ÷ 365) = 0 (Actual/365, as ``returns.xirr``), by
    Newton's method in ln(1 + r) on every path at once, bisection between −99% and
    +1,000% for paths Newton leaves; NaN where no rate solves it or a row is one sign.
    """
    years = (days - days[0]) / 365.0
    scale = np.abs(flows).sum(axis=1)
    scale[scale == 0] = 1.0
    unit = flows / scale[:, None]
    rate = np.full(flows.shape[0], math.log(1.1))

    def npv(x: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        weight = np.exp(-years[None, :] * x[:, None])
        values = unit[rows] * weight
        return values.sum(axis=1), -(values * years[None, :]).sum(axis=1)

    everyone = np.arange(flows.shape[0])
    for _ in range(60):
        value, slope = npv(rate, everyone)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(slope != 0, value / slope, 0.0)
        rate = np.clip(rate - step, math.log(0.01), math.log(11.0))
        if np.all(np.abs(step) < 1e-13):
            break
    value, _ = npv(rate, everyone)
    solved = np.abs(value) < 1e-12
    left = np.flatnonzero(~solved)
    if left.size:
        lo = np.full(left.size, math.log(0.01))
        hi = np.full(left.size, math.log(11.0))
        f_lo, _ = npv(lo, left)
        f_hi, _ = npv(hi, left)
        bracket = np.sign(f_lo) != np.sign(f_hi)
        for _ in range(200):
            mid = (lo + hi) / 2
            f_mid, _ = npv(mid, left)
            same = np.sign(f_mid) == np.sign(f_lo)
            lo = np.where(same, mid, lo)
            f_lo = np.where(same, f_mid, f_lo)
            hi = np.where(same, hi, mid)
        rate[left] = np.where(bracket, (lo + hi) / 2, np.nan)
        solved[left] = bracket
    out = np.expm1(rate)
    out[~solved] = np.nan
    return out


def money_band(values: np.ndarray) -> MoneyBand:
    marks = np.percentile(values, PERCENTILES)
    return MoneyBand(*(_pence(v) for v in marks))


def _pence(value: float) -> Decimal:
    """Float pence to pounds, rounded half up to the penny once."""
    return (Decimal(float(value)) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate_band(values: np.ndarray) -> RateBand:
    known = values[~np.isnan(values)]
    undefined = int(values.size - known.size)
    if not known.size:
        return RateBand(None, None, None, None, None, undefined)
    p5, p25, p50, p75, p95 = (float(v) for v in np.percentile(known, PERCENTILES))
    return RateBand(p5, p25, p50, p75, p95, undefined)
