"""The cash profile's what-if: the partnership without its innovation spending.

What the innovations are credited with: the published family-therapy programme
reports an 80% productivity increase from the £1.8m it spent on innovations, so
the what-if divides each quarter's outcome receipts by 1 + 0.8 and drops the
innovation costs (``cash_profile.cash_profiles`` does the arithmetic).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

import pandas as pd

from .cash_profile import CashQuarter, cash_profiles

__all__ = ["WHAT_IF_PRODUCTIVITY_GAIN", "what_if_profiles"]

WHAT_IF_PRODUCTIVITY_GAIN = Decimal("0.8")


def what_if_profiles(
    *,
    project_flows: pd.DataFrame,
    project_costs: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    as_of: dt.date,
    project_ids: Collection[str],
    productivity_gain: Decimal = WHAT_IF_PRODUCTIVITY_GAIN,
) -> dict[str, tuple[CashQuarter, ...]]:
    """Each project's quarterly cash without its innovation spending, all in one pass."""
    if not project_ids:  # cash_profiles reads None as "every project"
        return {}
    return cash_profiles(
        project_flows=project_flows,
        project_costs=project_costs,
        outcome_payments=outcome_payments,
        outcome_contracts=outcome_contracts,
        as_of=as_of,
        project_ids=project_ids,
        without_innovation=True,
        productivity_gain=productivity_gain,
    )
