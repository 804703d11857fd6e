"""The market view: how many outcomes partnerships, how much capital and outcome money.

Pure: frames in (as ``passu.portfolio.market.indigo.read_indigo`` makes them), a frozen
dataclass out. The columns used:

- projects: ``id``, ``countries`` (tuple of ISO codes), ``policy_sector``, ``stage``,
  ``currency``, ``capital_raised`` (Decimal or None), ``max_outcome_payment`` (Decimal or
  None), ``max_outcome_payment_currency``;
- investments: ``project_id``, ``organisation_id``;
- outcome_payments: ``project_id``, ``type``, ``currency``, ``amount`` (Decimal).

Definitions (one currency at a time; amounts are never converted):

- projects = projects in scope (``country`` among the project's countries, when given);
- capital_raised = Σ capital raised (exact commitment, else the minimum of its range) over
  projects whose investment currency is ``currency``;
- max_outcome_payments = Σ maximum potential outcome payment, likewise by its own currency;
- actual_outcome_payments = Σ outcome payments of type Actual (or blank) in ``currency``;
  rows of type Planned are projections and never count;
- each sum comes with the number of projects it covers (``projects_with_...``);
- other_currency_projects = projects in scope with at least one of those amounts in another
  currency, or with an amount whose currency is blank: they are counted there and left out
  of every sum, rather than added in the wrong unit;
- investors = distinct investing organisations named on the projects' investments.

Sums are exact, then each reported figure is rounded once to the penny, half up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd

_PENNY = Decimal("0.01")
_COUNTRY_ALIASES = {"UK": "GB"}  # INDIGO uses ISO 3166 codes; people say "UK"
GROUPINGS = ("policy_sector", "stage")


@dataclass(frozen=True)
class MarketRow:
    """The market figures for one group of projects (see the module docstring)."""

    group: str
    projects: int
    projects_with_capital: int
    capital_raised: Decimal
    projects_with_max_outcome_payment: int
    max_outcome_payments: Decimal
    projects_with_actual_payments: int
    actual_outcome_payments: Decimal
    other_currency_projects: int
    investors: int


@dataclass(frozen=True)
class MarketSummary(MarketRow):
    """Totals over every project in scope (``group`` = "all") and one row per group."""

    country: str | None
    currency: str
    by: str
    breakdown: tuple[MarketRow, ...]

    @property
    def by_policy_sector(self) -> tuple[MarketRow, ...]:
        if self.by != "policy_sector":
            raise AttributeError(f"this summary is broken down by {self.by}, not policy_sector")
        return self.breakdown


def market_summary(
    projects: pd.DataFrame,
    investments: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    country: str | None = None,
    by: Literal["policy_sector", "stage"] = "policy_sector",
    currency: str = "GBP",
) -> MarketSummary:
    """Summarise the market, optionally for one country, in one currency, by ``by``."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    code = _COUNTRY_ALIASES.get(country.upper(), country.upper()) if country else None
    in_scope = projects
    if code is not None:
        in_scope = projects[[code in tuple(cs) for cs in projects["countries"]]]
    ids = set(in_scope["id"])
    payments = outcome_payments[
        outcome_payments["project_id"].isin(ids)
        & (outcome_payments["type"].fillna("").str.casefold() != "planned")
    ]
    investors = investments[investments["project_id"].isin(ids)]

    def row(group: str, subset: pd.DataFrame) -> MarketRow:
        return _row(group, subset, payments, investors, currency)

    breakdown = tuple(
        row(name or "(none)", subset)
        for name, subset in sorted(
            in_scope.groupby(in_scope[by].fillna(""), sort=False), key=lambda item: item[0]
        )
    )
    total = row("all", in_scope)
    return MarketSummary(**vars(total), country=code, currency=currency, by=by, breakdown=breakdown)


def _row(
    group: str,
    projects: pd.DataFrame,
    payments: pd.DataFrame,
    investments: pd.DataFrame,
    currency: str,
) -> MarketRow:
    ids = set(projects["id"])
    other: set[str] = set()
    capital = _split(projects["id"], projects["capital_raised"], projects["currency"], currency)
    max_pay = _split(
        projects["id"],
        projects["max_outcome_payment"],
        projects["max_outcome_payment_currency"],
        currency,
    )
    mine = payments[payments["project_id"].isin(ids)]
    actual = _split(mine["project_id"], mine["amount"], mine["currency"], currency)
    for _, _, foreign in (capital, max_pay, actual):
        other |= foreign
    investing = investments[investments["project_id"].isin(ids)]["organisation_id"]
    return MarketRow(
        group=group,
        projects=len(ids),
        projects_with_capital=len(capital[1]),
        capital_raised=_penny(capital[0]),
        projects_with_max_outcome_payment=len(max_pay[1]),
        max_outcome_payments=_penny(max_pay[0]),
        projects_with_actual_payments=len(actual[1]),
        actual_outcome_payments=_penny(actual[0]),
        other_currency_projects=len(other),
        investors=len({o for o in investing.fillna("") if o}),
    )


def _split(
    project_ids: Iterable[str],
    amounts: Iterable[Decimal | None],
    currencies: Iterable[str | None],
    currency: str,
) -> tuple[Decimal, set[str], set[str]]:
    """(Σ amounts in ``currency``, projects with such amounts, projects with other ones)."""
    total, counted, foreign = Decimal(0), set(), set()
    for project_id, amount, unit in zip(project_ids, amounts, currencies, strict=True):
        if amount is None or (isinstance(amount, float) and pd.isna(amount)):
            continue
        if unit == currency:
            total += amount
            counted.add(project_id)
        else:
            foreign.add(project_id)
    return total, counted, foreign


def _penny(amount: Decimal) -> Decimal:
    return amount.quantize(_PENNY, rounding=ROUND_HALF_UP)
