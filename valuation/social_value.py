"""Social value of the outcomes achieved: fiscal, economic and social.

For each outcome achieved to date (periods ending on or before the as-of date)::

    value = unit value × (1 − deadweight) × attribution × (1 − optimism bias)

summed separately for the fiscal, economic and social unit values of the
metric's ``unit_value_code``; total = fiscal + economic + social.

Price years. With ``price_year`` given every value is rebased to it with the GDP
deflator. With none asked, values already in one price year are summed as they
are; values in different price years are rebased to the latest of them (a sum of
2015 and 2020 pounds is no figure), and the report says so (``rebased``). A unit
value priced in a financial year (``price_basis`` "financial": the GMCA library's
2015/16) is moved with that financial year's index, derived from the calendar-year
deflator as three quarters of year y and one of y + 1: (3 × I[y] + I[y + 1]) / 4.

Sums are exact ``Decimal`` (a rebase or a discount divides, and is then exact
to the 28 significant digits of the Decimal context); each reported figure is
rounded once, to the penny, half up, so a rounded total may differ from the
sum of its rounded parts.
Achieved counts are added up per metric with pandas first, so the Decimal work
is one small calculation per metric, not per outcome row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from ._frames import (
    counts_to_date,
    metrics_in_scope,
    optional_decimal,
)
from .money import round_half_up

ONE = Decimal(1)
ZERO = Decimal(0)
FINANCIAL_YEAR = "financial"  # price_basis of a value in April–March prices (year y/y+1)
# Exact (unrounded) fiscal, economic and social amounts, in that order.
Triple = tuple[Decimal, Decimal, Decimal]


class DeflatorYearMissing(ValueError):
    """The GDP deflator has no index for a year a rebase needs."""

    def __init__(self, year: int) -> None:
        super().__init__(f"GDP deflator has no index for {year}")
        self.year = year


@dataclass(frozen=True)
class DiscountBand:
    """One band of a discount schedule: ``rate`` applies to years year_from..year_to."""

    year_from: int
    year_to: int | None  # None: open-ended last band
    rate: Decimal


@dataclass(frozen=True)
class SocialValue:
    """Pounds of value, each rounded once to the penny; total = fiscal + economic + social
    rounded from the exact sum."""

    fiscal: Decimal
    economic: Decimal
    social: Decimal
    total: Decimal


@dataclass(frozen=True)
class UnvaluedMetric:
    """A metric in scope that contributes no value, and why."""

    metric_id: str
    name: str
    project_id: str
    achieved: int  # to date
    reason: (
        str  # no unit value | unit value CODE not found | ... has no amounts | transfer excluded
    )


@dataclass(frozen=True)
class SocialValueReport:
    """Social value at one as-of date over a scope of projects."""

    as_of: dt.date
    total: SocialValue
    by_project: dict[str, SocialValue]
    by_policy_area: dict[str, SocialValue]
    by_metric: dict[str, SocialValue]
    unvalued_metrics: tuple[UnvaluedMetric, ...]
    per_pound_paid: SocialValue | None  # value ÷ outcome payments, None when none paid
    per_pound_invested: SocialValue | None  # value ÷ invested, None when nothing invested
    price_year: int | None  # None: every value in its own (one) recorded price year
    discounted: bool
    include_transfers: bool
    rebased: bool = False  # values in different price years moved to ``price_year``


def rebase(
    value: Decimal,
    from_year: int,
    to_year: int,
    deflator: Mapping[int, Any] | pd.Series,
    basis: object = "calendar",
) -> Decimal:
    """Move a value from ``from_year`` prices to ``to_year`` (calendar) prices with the
    GDP deflator.

    rebased = value × index[to_year] / price_index(from_year, basis): the calendar
    year's index, or for a value in financial-year prices (``basis`` "financial", the
    GMCA library's 2015/16) (3 × I[y] + I[y + 1]) / 4, as the run rebases them. Exact
    to the Decimal context. A year missing from the deflator raises
    DeflatorYearMissing naming it.
    """
    index = _deflator_index(deflator)
    return value * _index(index, to_year) / price_index(index, from_year, basis)


def discount_factor(year: int, schedule: Iterable[DiscountBand] | pd.DataFrame) -> Decimal:
    """Green Book discount factor for a benefit ``year`` years after year 0.

    The step from year k − 1 to year k is discounted at the rate of the band
    holding year k, compounded band by band:

        DF(t) = Π over k = 1..t of 1 / (1 + rate(k))

    so DF(0) = 1, DF(30) = 1.035^-30 and DF(40) = 1.035^-30 × 1.030^-10 with the
    standard STPR schedule (3.5% for years 0–30, 3.0% for 31–75, ...).
    """
    if year < 0:
        raise ValueError(f"discount year must be 0 or more, not {year}")
    growth = ONE
    covered = 0  # years 1..covered are accounted for
    for band in _bands(schedule):
        first = max(band.year_from, 1)
        last = year if band.year_to is None else min(band.year_to, year)
        if last < first:
            continue
        if first != covered + 1:
            raise ValueError(f"discount schedule has no rate for year {covered + 1}")
        growth *= (ONE + band.rate) ** (last - first + 1)
        covered = last
    if covered < year:
        raise ValueError(f"discount schedule has no rate for year {covered + 1}")
    return ONE / growth


def duration_discount(
    duration_years: int, schedule: Iterable[DiscountBand] | pd.DataFrame
) -> Decimal:
    """Present value of £1 of benefit spread evenly over ``duration_years`` years from year 0.

    multiplier = (1 / d) × Σ over t = 0..d − 1 of DF(t)

    Year 0 is the year the outcome is achieved, so a one-year benefit is not
    discounted; a three-year benefit is a third in each of years 0, 1 and 2.
    """
    if duration_years < 1:
        raise ValueError(f"duration_years must be at least 1, not {duration_years}")
    bands = _bands(schedule)
    total = sum((discount_factor(t, bands) for t in range(duration_years)), ZERO)
    return total / duration_years


def social_value(
    *,
    outcomes: pd.DataFrame,
    outcome_metrics: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    projects: pd.DataFrame,
    unit_values: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str] | None = None,
    price_year: int | None = None,
    deflator: Mapping[int, Any] | pd.Series | None = None,
    discount_schedule: Iterable[DiscountBand] | pd.DataFrame | None = None,
    include_transfers: bool = False,
    outcome_payments_total: Decimal | None = None,
    invested_total: Decimal | None = None,
) -> SocialValueReport:
    """Fiscal, economic and social value of the outcomes achieved to ``as_of``.

    Per metric with achieved count n and its unit value (u_fiscal, u_economic,
    u_social, in price_year p)::

        value_kind = n × u_kind × (1 − deadweight) × attribution × (1 − optimism_bias)
                     [× index[price_year] / index[p]]          when price_year is given
                     [× duration_discount(duration_years)]     when a schedule is given

    A missing deadweight or optimism_bias counts as 0, a missing attribution as 1,
    a missing duration as 1 year; a missing u_kind adds nothing to that kind.
    Unit values flagged ``transfer`` are left out unless include_transfers.
    per_pound_paid = value ÷ outcome_payments_total and per_pound_invested =
    value ÷ invested_total (both totals computed elsewhere for the same scope).
    """
    if price_year is not None and deflator is None:
        raise ValueError("a target price_year needs a GDP deflator")
    bands = _bands(discount_schedule) if discount_schedule is not None else None

    metrics = metrics_in_scope(outcome_metrics, outcome_contracts, projects, project_ids)
    counts = counts_to_date(outcomes, as_of)[["metric_id", "achieved"]]
    metrics = metrics.merge(counts, on="metric_id", how="left")
    metrics["achieved"] = metrics["achieved"].fillna(0).astype("int64")
    values = unit_values.rename(columns={"code": "unit_value_code"})
    if "price_basis" not in values.columns:
        values = values.assign(price_basis="calendar")
    metrics = metrics.merge(values, on="unit_value_code", how="left")
    known_codes = set(unit_values["code"])

    index: dict[int, Decimal] = {}
    target_index: Decimal | None = None
    rebased = False
    if price_year is None and deflator is not None:
        valued = [
            int(row.price_year)
            for row in metrics.itertuples(index=False)
            if _unvalued_reason(row, known_codes, include_transfers) is None
        ]
        if len(set(valued)) > 1:
            price_year, rebased = max(valued), True
    if price_year is not None and deflator is not None:
        index = _deflator_index(deflator)
        target_index = _index(index, price_year)

    by_metric: dict[str, Triple] = {}
    by_project: dict[str, Triple] = {}
    by_area: dict[str, Triple] = {}
    unvalued: list[UnvaluedMetric] = []
    discount_cache: dict[int, Decimal] = {}
    exact_total: Triple = (ZERO, ZERO, ZERO)

    for row in metrics.sort_values("metric_id").itertuples(index=False):
        reason = _unvalued_reason(row, known_codes, include_transfers)
        if reason is not None:
            unvalued.append(
                UnvaluedMetric(
                    str(row.metric_id),
                    str(row.name),
                    str(row.project_id),
                    int(row.achieved),
                    reason,
                )
            )
            continue
        factor = Decimal(int(row.achieved)) * _adjustment(row)
        if target_index is not None:
            # rebase()'s definition, the factor applied to each of the three values
            factor = (
                factor * target_index / price_index(index, int(row.price_year), row.price_basis)
            )
        if bands is not None:
            years = _duration(row.duration_years)
            if years not in discount_cache:
                discount_cache[years] = duration_discount(years, bands)
            factor *= discount_cache[years]
        triple: Triple = (
            _times(row.fiscal, factor),
            _times(row.economic, factor),
            _times(row.social, factor),
        )
        by_metric[str(row.metric_id)] = triple
        _add(by_project, str(row.project_id), triple)
        _add(by_area, str(row.policy_area), triple)
        exact_total = _plus(exact_total, triple)

    return SocialValueReport(
        as_of=as_of,
        total=_rounded(exact_total),
        by_project={key: _rounded(v) for key, v in sorted(by_project.items())},
        by_policy_area={key: _rounded(v) for key, v in sorted(by_area.items())},
        by_metric={key: _rounded(v) for key, v in sorted(by_metric.items())},
        unvalued_metrics=tuple(unvalued),
        per_pound_paid=_per_pound(exact_total, outcome_payments_total),
        per_pound_invested=_per_pound(exact_total, invested_total),
        price_year=price_year,
        discounted=bands is not None,
        include_transfers=include_transfers,
        rebased=rebased,
    )


def price_index(index: Mapping[int, Decimal], year: int, basis: object = "calendar") -> Decimal:
    """The deflator index of a price year: the calendar year's, or for a financial year
    y/y+1 (``basis`` "financial", April to March) (3 × I[y] + I[y + 1]) / 4."""
    if basis == FINANCIAL_YEAR:
        return (3 * _index(index, year) + _index(index, year + 1)) / 4
    return _index(index, year)


def _unvalued_reason(row: Any, known_codes: set[str], include_transfers: bool) -> str | None:
    code = row.unit_value_code
    if code is None or pd.isna(code) or code == "":
        return "no unit value"
    if code not in known_codes:
        return f"unit value {code} not found"
    if all(
        optional_decimal(getattr(row, kind)) is None for kind in ("fiscal", "economic", "social")
    ):
        return f"unit value {code} has no amounts"
    if bool(row.transfer) and not include_transfers:
        return "transfer excluded"
    return None


def _adjustment(row: Any) -> Decimal:
    """(1 − deadweight) × attribution × (1 − optimism_bias), with the documented defaults."""
    deadweight = optional_decimal(row.deadweight) or ZERO
    attribution = optional_decimal(row.attribution)
    optimism = optional_decimal(row.optimism_bias) or ZERO
    return (ONE - deadweight) * (ONE if attribution is None else attribution) * (ONE - optimism)


def _duration(value: Any) -> int:
    return 1 if value is None or pd.isna(value) else int(value)


def _add(
    totals: dict[str, Triple],
    key: str,
    triple: Triple,
) -> None:
    totals[key] = _plus(totals.get(key, (ZERO, ZERO, ZERO)), triple)


def _plus(left: Triple, right: Triple) -> Triple:
    return (left[0] + right[0], left[1] + right[1], left[2] + right[2])


def _times(unit_value: Any, factor: Decimal) -> Decimal:
    """unit value × factor; a missing unit value of a kind adds nothing to it."""
    unit = optional_decimal(unit_value)
    return ZERO if unit is None else unit * factor


def _rounded(triple: Triple) -> SocialValue:
    fiscal, economic, social = triple
    return SocialValue(
        fiscal=round_half_up(fiscal),
        economic=round_half_up(economic),
        social=round_half_up(social),
        total=round_half_up(fiscal + economic + social),
    )


def _per_pound(exact: Triple, denominator: Decimal | None) -> SocialValue | None:
    """Value per £1 of the denominator, rounded to the penny (pounds of value per pound)."""
    if denominator is None or denominator == 0:
        return None
    return _rounded((exact[0] / denominator, exact[1] / denominator, exact[2] / denominator))


def _deflator_index(deflator: Mapping[int, Any] | pd.Series) -> dict[int, Decimal]:
    index: dict[int, Decimal] = {}
    for year, value in deflator.items():
        number = optional_decimal(value)
        if number is not None:
            index[int(year)] = number
    return index


def _index(index: Mapping[int, Decimal], year: int) -> Decimal:
    try:
        return index[year]
    except KeyError:
        raise DeflatorYearMissing(year) from None


def _bands(schedule: Iterable[DiscountBand] | pd.DataFrame) -> tuple[DiscountBand, ...]:
    """Normalise a schedule (DiscountBand records, tuples or a frame) sorted by year_from."""
    rows: Iterable[Any]
    if isinstance(schedule, pd.DataFrame):
        rows = schedule[["year_from", "year_to", "rate"]].itertuples(index=False)
    else:
        rows = schedule
    bands = []
    for row in rows:
        if isinstance(row, DiscountBand):
            bands.append(row)
            continue
        year_from, year_to, rate = row
        to = None if year_to is None or pd.isna(year_to) else int(year_to)
        number = optional_decimal(rate)
        if number is None:
            raise ValueError(f"discount band from year {year_from} has no rate")
        bands.append(DiscountBand(int(year_from), to, number))
    return tuple(sorted(bands, key=lambda band: band.year_from))
