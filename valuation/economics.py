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
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ._frames import in_scope, optional_decimal, payments_to_date, timestamp
from .holdings import value_projects
from .ledger import Ledger
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
    """The cost stack of ``project_id`` at ``as_of``: :func:`projects_economics` for one."""
    return projects_economics(
        project_ids=[project_id],
        as_of=as_of,
        project_costs=project_costs,
        innovations=innovations,
        outcome_contracts=outcome_contracts,
        contract_payers=contract_payers,
        outcome_payments=outcome_payments,
        project_measures=project_measures,
        capital={project_id: (invested, realised, nav)},
    )[project_id]


def projects_economics(
    *,
    project_ids: Collection[str],
    as_of: dt.date,
    project_costs: pd.DataFrame,
    innovations: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    contract_payers: pd.DataFrame,
    outcome_payments: pd.DataFrame,
    project_measures: pd.DataFrame,
    capital: Mapping[str, tuple[Decimal | None, Decimal | None, Decimal | None]],
) -> dict[str, ProjectEconomics]:
    """Each project's cost stack at ``as_of`` (definitions in the module docstring).

    ``capital`` gives each project's (invested, realised, NAV) over all its holdings.
    Every table is summed by project in one pass. beneficiaries = Σ of the
    ``participants`` measure over periods ending ≤ T; cost per beneficiary = cost
    to government ÷ beneficiaries; cost per payer = cost to government ÷ distinct
    payers on the project's contracts; each to the penny, half up, and None (with
    a note) when the count is 0.
    """
    ids = list(project_ids)
    cutoff = timestamp(as_of)
    costs = project_costs[project_costs["project_id"].isin(ids) & (project_costs["date"] <= cutoff)]
    costs = costs.merge(innovations[["innovation_id", "stage"]], on="innovation_id", how="left")
    by_category = costs.groupby(["project_id", "category"])["amount_pence"].sum()
    innovating = costs[costs["category"] == "innovation"]
    by_stage = innovating.groupby(["project_id", "stage"])["amount_pence"].sum()
    spent = costs.groupby("project_id")["amount_pence"].sum()
    paid = payments_to_date(outcome_payments, outcome_contracts, None, as_of, ids)
    paid_by_project = paid.groupby("project_id")["amount_pence"].sum()
    contracts = in_scope(outcome_contracts, "project_id", ids)[["contract_id", "project_id"]]
    payers = contract_payers.merge(contracts, on="contract_id").groupby("project_id")["payer"]
    payer_counts = payers.nunique()
    beneficiaries = _beneficiaries(project_measures, ids, as_of)

    stacks = {}
    for pid in ids:
        notes: list[str] = []
        has_costs = pid in spent.index
        if not has_costs:
            notes.append(NO_COSTS)

        def pence(table: pd.Series, key: str, pid: str = pid) -> int:
            return int(table.get((pid, key), 0))

        def cost(amount: int, has_costs: bool = has_costs) -> Decimal | None:
            # absent, not zero: a project with no cost rows has no cost figures
            return pence_to_decimal(amount) if has_costs else None

        expenditure = cost(int(spent.get(pid, 0)))
        invested, realised, nav = capital[pid]
        financing = cost_of_financing(realised, nav, invested)
        if financing is None:
            notes.append("cost of financing not given")
        to_government = pence_to_decimal(int(paid_by_project.get(pid, 0)))
        unexplained = (
            None
            if expenditure is None or financing is None
            else to_government - expenditure - financing
        )
        counted = beneficiaries.get(pid)
        if counted is None:
            notes.append("no participants recorded")
        payer_count = int(payer_counts.get(pid, 0))
        if payer_count == 0:
            notes.append("no payers on the project's contracts")
        stacks[pid] = ProjectEconomics(
            project_id=pid,
            as_of=as_of,
            delivery_cost=cost(pence(by_category, "delivery")),
            innovation_cost=cost(pence(by_category, "innovation")),
            innovation_design_cost=cost(pence(by_stage, "design")),
            innovation_pilot_cost=cost(pence(by_stage, "pilot")),
            other_cost=cost(pence(by_category, "management") + pence(by_category, "other")),
            project_expenditure=expenditure,
            cost_of_financing=financing,
            cost_to_government=to_government,
            unexplained=unexplained,
            beneficiaries=counted,
            cost_per_beneficiary=_per(to_government, counted),
            payers=payer_count,
            cost_per_payer=_per(to_government, Decimal(payer_count)),
            notes=tuple(notes),
        )
    return stacks


def _beneficiaries(
    project_measures: pd.DataFrame, project_ids: list[str], as_of: dt.date
) -> dict[str, Decimal]:
    """Σ of the participants measure over periods ending ≤ T, for each project with any
    recorded (a total of 0 counts as none recorded)."""
    rows = project_measures[
        project_measures["project_id"].isin(project_ids)
        & (project_measures["measure"] == BENEFICIARY_MEASURE)
        & (project_measures["period_end"] <= timestamp(as_of))
    ]
    totals: dict[str, Decimal] = {}
    for pid, value in zip(rows["project_id"], rows["value"], strict=True):
        amount = optional_decimal(value)
        if amount is not None:
            totals[str(pid)] = totals.get(str(pid), Decimal(0)) + amount
    return {pid: total for pid, total in totals.items() if total != 0}


def _per(amount: Decimal, count: Decimal | None) -> Decimal | None:
    if count is None or count == 0:
        return None
    return round_half_up(amount / count)


def project_capitals(
    ledger: Ledger, project_ids: Collection[str], as_of: dt.date
) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """(invested, realised, NAV) over all of each project's holdings at T, valued in one
    pass: the ``capital`` that :func:`projects_economics` takes. A project nobody holds
    yet has nothing invested or earned."""
    ids = sorted(project_ids)
    values = {
        v.project_id: v
        for v in value_projects(
            ledger.holdings[ledger.holdings["project_id"].isin(ids)],
            ledger.project_flows[ledger.project_flows["project_id"].isin(ids)],
            ledger.marks[ledger.marks["project_id"].isin(ids)],
            as_of,
        )
    }
    zero = Decimal("0.00")
    return {
        pid: (values[pid].invested, values[pid].realised, values[pid].nav)
        if pid in values
        else (zero, zero, zero)
        for pid in ids
    }


def ledger_economics(
    ledger: Ledger,
    project_ids: Collection[str],
    as_of: dt.date,
    capital: Mapping[str, tuple[Decimal, Decimal, Decimal]] | None = None,
) -> dict[str, ProjectEconomics]:
    """Each project's cost stack at T from the ledger, holdings valued and every table
    summed in one pass (a committee pack needs forty stacks, not forty valuations);
    ``capital`` is :func:`project_capitals` when the caller has it already."""
    return projects_economics(
        project_ids=sorted(project_ids),
        as_of=as_of,
        project_costs=ledger.project_costs,
        innovations=ledger.innovations,
        outcome_contracts=ledger.outcome_contracts,
        contract_payers=ledger.contract_payers,
        outcome_payments=ledger.outcome_payments,
        project_measures=ledger.project_measures,
        capital=capital if capital is not None else project_capitals(ledger, project_ids, as_of),
    )


def measure_number(value: Decimal | None) -> int | float | None:
    """A measure total as documents write it: an integer when whole (people, families),
    else a number."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def invested_in(
    project_flows: pd.DataFrame, project_ids: Collection[str], as_of: dt.date
) -> Decimal:
    """Invested in the projects: Σ drawdowns dated ≤ T by every holder (fund and
    co-investors), the denominator of social value per £1 invested."""
    drawn = project_flows[
        (project_flows["kind"] == "drawdown")
        & project_flows["project_id"].isin(list(project_ids))
        & (project_flows["date"] <= pd.Timestamp(as_of))
    ]
    return pence_to_decimal(int(drawn["amount_pence"].sum()))
