"""What a fund's structure costs (or gives) each government investor, against pari passu (#14).

Government invests pari passu to share equally in the upside; with share classes and
carried interest it may not. For each government investor (``investors.kind`` government)
and each class it holds in a fund with terms (``structure.fund_structure``), at T:

- ``actual_value`` = its distributions received to date + its share of NAV after the
  waterfall (its class's share of NAV, already net of accrued carry, split within the
  class: ``FundStructure.investors``);
- ``pro_rata_value`` = s × (every distribution the fund made, to investors and to the
  carry holder alike, + the fund's NAV), s = its paid-in ÷ the paid-in of every investor
  in the fund: what it would have had had every investor been in one class, pro rata to
  paid-in, with no carry. Rounded half up to the penny;
- ``difference`` = actual − pro rata: positive, a benefit of the structure to government;
  negative, its cost;
- ``irr``: XIRR (``returns.xirr``) of its calls (out), its distributions (in) and its share
  of NAV at T; ``pro_rata_irr``: of the same calls, s × each of the fund's distributions on
  its date and s × NAV at T (one s throughout, so these flows add up to the pro-rata
  value); ``difference_bps`` = (irr − pro_rata_irr) × 10,000, to 0.1 bp, ``None`` when
  either rate is;
- rates under a year are not annualised (``returns``): ``None``.

Flows are attributed to classes as ``structure`` attributes them; equalisation is not a
distribution. Records have exactly the keys of ``pari_passu.government`` in the run
document (``GovernmentCost.to_record``), money as ``Decimal`` pounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from .ledger import Ledger
from .money import pence_to_decimal
from .returns import xirr
from .structure import FundStructure, attributed_flows

__all__ = ["GOVERNMENT", "RECORD_KEYS", "GovernmentCost", "government_costs", "records"]

GOVERNMENT = "government"
RECORD_KEYS = (
    "investor_id",
    "fund_id",
    "share_class",
    "actual_value",
    "pro_rata_value",
    "difference",
    "irr",
    "pro_rata_irr",
    "difference_bps",
)


@dataclass(frozen=True)
class GovernmentCost:
    """One government investor's class in one fund; money in pence, rates fractions."""

    investor_id: str
    fund_id: str
    share_class: str
    actual_value_pence: int
    pro_rata_value_pence: int
    irr: float | None
    pro_rata_irr: float | None

    @property
    def difference_pence(self) -> int:
        return self.actual_value_pence - self.pro_rata_value_pence

    @property
    def difference_bps(self) -> float | None:
        if self.irr is None or self.pro_rata_irr is None:
            return None
        return round((self.irr - self.pro_rata_irr) * 10_000, 1)

    def to_record(self) -> dict[str, Any]:
        """The ``pari_passu.government`` entry: exactly ``RECORD_KEYS``."""
        return {
            "investor_id": self.investor_id,
            "fund_id": self.fund_id,
            "share_class": self.share_class,
            "actual_value": pence_to_decimal(self.actual_value_pence),
            "pro_rata_value": pence_to_decimal(self.pro_rata_value_pence),
            "difference": pence_to_decimal(self.difference_pence),
            "irr": self.irr,
            "pro_rata_irr": self.pro_rata_irr,
            "difference_bps": self.difference_bps,
        }


def government_costs(ledger: Ledger, structure: FundStructure) -> list[GovernmentCost]:
    """Every government investor's class in the structure's fund (module docstring),
    sorted by investor, then class."""
    fund_id, as_of = structure.fund_id, structure.as_of
    government = set(
        ledger.investors.loc[ledger.investors["kind"] == GOVERNMENT, "investor_id"].astype(str)
    )
    flows = attributed_flows(ledger, fund_id, pd.Timestamp(as_of))
    carry_holder = None if structure.waterfall is None else structure.waterfall.carry_holder
    investing = flows.loc[flows["investor_id"] != carry_holder] if carry_holder else flows
    calls = investing.loc[investing["kind"] == "call"]
    fund_paid_in = int(calls["amount_pence"].sum())
    fund_out = (
        flows.loc[flows["kind"] == "distribution"].groupby("date", sort=True)["amount_pence"].sum()
    )
    accounts = sorted(
        {
            (str(i), str(c))
            for i, c in zip(investing["investor_id"], investing["share_class"], strict=True)
        }
    )
    out: list[GovernmentCost] = []
    for investor_id, share_class in accounts:
        if investor_id not in government:
            continue
        mine = investing.loc[
            (investing["investor_id"] == investor_id) & (investing["share_class"] == share_class)
        ]
        out.append(_cost(structure, investor_id, share_class, mine, fund_paid_in, fund_out, as_of))
    return out


def _cost(
    structure: FundStructure,
    investor_id: str,
    share_class: str,
    mine: pd.DataFrame,
    fund_paid_in: int,
    fund_out: pd.Series,
    as_of: dt.date,
) -> GovernmentCost:
    paid = mine.loc[mine["kind"] == "call"]
    got = mine.loc[mine["kind"] == "distribution"]
    nav = structure.investor_nav(investor_id, share_class)
    actual = int(got["amount_pence"].sum()) + nav
    share = Fraction(int(paid["amount_pence"].sum()), fund_paid_in) if fund_paid_in else Fraction(0)
    whole = int(fund_out.sum()) + structure.nav_pence
    pro_rata = _half_up(share * whole)

    calls_dated = _dated(paid, sign=-1)
    actual_irr = xirr(
        [d for d, _ in calls_dated] + [d for d, _ in _dated(got, 1)] + [as_of],
        [a for _, a in calls_dated] + [a for _, a in _dated(got, 1)] + [nav],
    )
    pro_rata_out = [(pd.Timestamp(d).date(), float(share * int(a))) for d, a in fund_out.items()]
    pro_rata_irr = xirr(
        [d for d, _ in calls_dated] + [d for d, _ in pro_rata_out] + [as_of],
        [a for _, a in calls_dated]
        + [a for _, a in pro_rata_out]
        + [float(share * structure.nav_pence)],
    )
    return GovernmentCost(
        investor_id,
        structure.fund_id,
        share_class,
        actual,
        pro_rata,
        actual_irr.rate,
        pro_rata_irr.rate,
    )


def _dated(rows: pd.DataFrame, sign: int) -> list[tuple[dt.date, float]]:
    return [
        (pd.Timestamp(d).date(), float(sign * int(a)))
        for d, a in zip(rows["date"], rows["amount_pence"], strict=True)
    ]


def _half_up(value: Fraction) -> int:
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def records(costs: list[GovernmentCost]) -> list[Mapping[str, Any]]:
    """The run document's ``pari_passu.government`` list."""
    return [c.to_record() for c in costs]
