"""Project economics: what a partnership spent, what its finance cost, what government paid.

At an as-of date T, over rows dated on or before T::

    project expenditure = delivery + innovation (design + pilot) + other (management + other)
    cost of financing   = realised + NAV − invested, over all the project's holdings
    cost to government  = Σ outcome payments into the project from every payer
    cost to government  = project expenditure + cost of financing + unexplained

"Unexplained" is the partnership's surplus or a data gap: shown, never hidden.
A project with no cost rows has no cost figures (None, noted), not zero costs.
The innovation register and its across-projects view are in ``innovations.py``;
the quarterly cash profile in ``cash_profile.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ._frames import in_scope, optional_decimal, payments_to_date, timestamp
from .money import pence_to_decimal, round_half_up

NO_COSTS = "no costs recorded"
BENEFICIARY_MEASURE = "participants"


@dataclass(frozen=True)
class ProjectEconomics:
    """The cost stack of one project at as_of (money in pounds)."""

    project_id: str
    as_of: dt.date
    delivery_cost: Decimal | None  # None: no costs recorded
    innovation_cost: Decimal | None
    innovation_design_cost: Decimal | None
    innovation_pilot_cost: Decimal | None
    other_cost: Decimal | None  # management + other
    project_expenditure: Decimal | None
    cost_of_financing: Decimal | None  # None: holdings figures not given
    cost_to_government: Decimal
    unexplained: Decimal | None  # cost to government − expenditure − cost of financing
    beneficiaries: Decimal | None  # Σ participants; None when none recorded
    cost_per_beneficiary: Decimal | None
    payers: int
    cost_per_payer: Decimal | None
    notes: tuple[str, ...]


def cost_of_financing(
    realised: Decimal | None, nav: Decimal | None, invested: Decimal | None
) -> Decimal | None:
    """What the holders earned from the project: realised + NAV − invested.

    The three are over all the project's holdings at T (returns are computed
    elsewhere); None when any of them is missing.
    """
    if realised is None or nav is None or invested is None:
        return None
    return realised + nav - invested


def project_economics(
    *,
    project_id: str,
    as_of: dt.date,
    project_costs: pd.DataFrame,
    innovations: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    contract_payers: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    project_measures: pd.DataFrame,
    realised: Decimal | None,
    nav: Decimal | None,
    invested: Decimal | None,
) -> ProjectEconomics:
    """The cost stack of ``project_id`` at ``as_of`` (definitions in the module docstring).

    beneficiaries = Σ of the ``participants`` measure over periods ending ≤ T;
    cost per beneficiary = cost to government ÷ beneficiaries; cost per payer =
    cost to government ÷ distinct payers on the project's contracts; each to
    the penny, half up, and None (with a note) when the count is 0.
    """
    notes: list[str] = []
    costs = _costs_to_date(project_costs, innovations, project_id, as_of)
    if costs.empty:
        notes.append(NO_COSTS)
    by_category = costs.groupby("category")["amount_pence"].sum()
    by_stage = costs[costs["category"] == "innovation"].groupby("stage")["amount_pence"].sum()

    def cost(pence: int) -> Decimal | None:
        # absent, not zero: a project with no cost rows has no cost figures
        return None if costs.empty else pence_to_decimal(int(pence))

    delivery = int(by_category.get("delivery", 0))
    innovation = int(by_category.get("innovation", 0))
    other = int(by_category.get("management", 0)) + int(by_category.get("other", 0))
    expenditure = cost(int(costs["amount_pence"].sum()))

    financing = cost_of_financing(realised, nav, invested)
    if financing is None:
        notes.append("cost of financing not given")
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, [project_id])
    to_government = pence_to_decimal(int(paid["amount_pence"].sum()))
    unexplained = (
        None
        if expenditure is None or financing is None
        else to_government - expenditure - financing
    )

    beneficiaries = _beneficiaries(project_measures, project_id, as_of)
    if beneficiaries is None:
        notes.append("no participants recorded")
    contracts = in_scope(outcome_contracts, "project_id", [project_id])["contract_id"]
    payers = int(contract_payers[contract_payers["contract_id"].isin(contracts)]["payer"].nunique())
    if payers == 0:
        notes.append("no payers on the project's contracts")

    return ProjectEconomics(
        project_id=project_id,
        as_of=as_of,
        delivery_cost=cost(delivery),
        innovation_cost=cost(innovation),
        innovation_design_cost=cost(int(by_stage.get("design", 0))),
        innovation_pilot_cost=cost(int(by_stage.get("pilot", 0))),
        other_cost=cost(other),
        project_expenditure=expenditure,
        cost_of_financing=financing,
        cost_to_government=to_government,
        unexplained=unexplained,
        beneficiaries=beneficiaries,
        cost_per_beneficiary=_per(to_government, beneficiaries),
        payers=payers,
        cost_per_payer=_per(to_government, Decimal(payers)),
        notes=tuple(notes),
    )


def _costs_to_date(
    project_costs: pd.DataFrame, innovations: pd.DataFrame, project_id: str, as_of: dt.date
) -> pd.DataFrame:
    """The project's cost rows dated ≤ T, innovation rows carrying their innovation's stage."""
    costs = project_costs[
        (project_costs["project_id"] == project_id) & (project_costs["date"] <= timestamp(as_of))
    ]
    stages = innovations[["innovation_id", "stage"]]
    return costs.merge(stages, on="innovation_id", how="left")


def _beneficiaries(
    project_measures: pd.DataFrame, project_id: str, as_of: dt.date
) -> Decimal | None:
    """Σ of the participants measure over periods ending ≤ T; None when none recorded."""
    rows = project_measures[
        (project_measures["project_id"] == project_id)
        & (project_measures["measure"] == BENEFICIARY_MEASURE)
        & (project_measures["period_end"] <= timestamp(as_of))
    ]
    values = [v for v in (optional_decimal(value) for value in rows["value"]) if v is not None]
    total = sum(values, Decimal(0))
    return total if values and total != 0 else None


def _per(amount: Decimal, count: Decimal | None) -> Decimal | None:
    if count is None or count == 0:
        return None
    return round_half_up(amount / count)
