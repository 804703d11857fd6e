"""The fair-value model's results: typed, immutable, money in ``Decimal`` pounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd


@dataclass(frozen=True)
class MetricPerformance:
    metric_id: str
    contract_id: str
    achieved: int  # Σ achieved, periods ending ≤ T
    forecast: int  # Σ forecast, periods ending ≤ T
    ratio: float  # the ratio the model applies (1 when nothing forecast, or kept)


@dataclass(frozen=True)
class ContractOutlook:
    contract_id: str
    project_id: str
    cap: Decimal
    paid: Decimal  # outcome payments dated ≤ T
    headroom: Decimal  # cap − paid, never below nil
    arrears: Decimal  # achieved × price − paid, never below nil
    expected: Decimal  # payments to come, arrears included, after the cap
    headroom_after: Decimal  # headroom − expected
    cap_reached: bool  # the uncapped expectation reaches the headroom (or none is left)


@dataclass(frozen=True)
class CashPeriod:
    period_end: dt.date
    payments: Decimal
    costs: Decimal
    net: Decimal
    discount_factor: float | None  # None when the project has no rate
    present_value: Decimal | None  # net × discount factor, to the penny (shown, not summed)


@dataclass(frozen=True)
class ProjectFairValue:
    project_id: str
    as_of: dt.date
    rate: float | None
    rate_method: str  # "given" | "calibrated"
    rate_note: str | None  # why rate is None, or how it was calibrated
    value: Decimal | None  # None when there is no rate
    expected_payments: Decimal
    expected_costs: Decimal
    cash_held: Decimal  # the project's cash at T (nil when its spending is not recorded)
    performance: tuple[MetricPerformance, ...]
    contracts: tuple[ContractOutlook, ...]
    cash: tuple[CashPeriod, ...]
    unallocated: Decimal  # value beyond every claim with no equity to take it


@dataclass(frozen=True)
class HoldingProposal:
    project_id: str
    holder_id: str
    tranche: str
    kind: str  # "loan" | "equity"
    seniority: int | None
    claim: Decimal | None  # loans: cost outstanding + accrued interest
    accrued_interest: Decimal | None
    proposed: Decimal | None
    current: Decimal  # the rolled-forward NAV at T (holdings.py)
    difference: Decimal | None  # proposed − current
    rate: float | None
    method: str
    note: str | None


@dataclass(frozen=True)
class FairValue:
    as_of: dt.date
    projects: tuple[ProjectFairValue, ...]
    holdings: tuple[HoldingProposal, ...]
    expected_payments: pd.DataFrame  # contract_id, project_id, payer, period_end, amount_pence
