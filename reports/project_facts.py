"""What the stored run does not hold about each project, read from the portfolio as of T.

The run document carries each project's returns; a committee also wants to
know who pays for its outcomes, how its outcomes compare with forecast, its
contracts against their caps, its partners and its holders' commitments.
Those come from the stored tables filtered to the as-of date (``load_all``),
summed by ``valuation/`` functions, never recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from passu.portfolio.store.frames import Ledger
from passu.valuation.money import pence_to_decimal
from passu.valuation.outcomes import CapPosition, OutcomeProgress, outcome_progress
from passu.valuation.outcomes import payments_against_caps as caps_of


@dataclass(frozen=True)
class ContractFacts:
    contract_id: str
    name: str
    start_date: dt.date | None
    end_date: dt.date | None
    payers: tuple[tuple[str, Decimal], ...]  # (payer, share of the contract)
    position: CapPosition


@dataclass(frozen=True)
class LatestMark:
    """A holding's latest valuation mark dated on or before T: what its NAV rolls from."""

    holder_id: str
    tranche: str
    date: dt.date
    fair_value: Decimal
    method: str
    note: str


@dataclass(frozen=True)
class ProjectFacts:
    project_id: str
    coordinator: str
    start_date: dt.date | None
    end_date: dt.date | None
    payers: tuple[str, ...]  # distinct commissioners over the project's contracts, sorted
    delivery_partners: tuple[str, ...]
    outcomes: OutcomeProgress
    metrics: tuple[tuple[str, str, OutcomeProgress], ...]  # (metric name, contract, progress)
    contracts: tuple[ContractFacts, ...]
    holding_commitments: dict[tuple[str, str], Decimal]  # (holder_id, tranche) → commitment
    instruments: dict[tuple[str, str], str]
    latest_marks: tuple[LatestMark, ...]


def _day(value: object) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()  # type: ignore[arg-type]


def project_facts(
    frames: Ledger, project_ids: Collection[str], as_of: dt.date
) -> dict[str, ProjectFacts]:
    """Facts for each project in ``project_ids`` (the frames are already as of T)."""
    ids = sorted(project_ids)
    progress_args = {
        "outcomes": frames.outcomes,
        "outcome_metrics": frames.outcome_metrics,
        "outcome_contracts": frames.outcome_contracts,
        "projects": frames.projects,
        "outcome_payments": frames.outcome_payments,
        "as_of": as_of,
        "project_ids": ids,
    }
    by_project = {p.key: p for p in outcome_progress(level="project", **progress_args)}
    by_metric = {p.key: p for p in outcome_progress(level="metric", **progress_args)}
    caps = caps_of(
        outcome_contracts=frames.outcome_contracts,
        outcome_payments=frames.outcome_payments,
        as_of=as_of,
        project_ids=ids,
    )
    caps_by_contract = {c.contract_id: c for c in caps}

    contracts = frames.outcome_contracts[frames.outcome_contracts["project_id"].isin(ids)]
    payers = frames.contract_payers.merge(
        contracts[["contract_id", "project_id"]], on="contract_id"
    )
    metrics = frames.outcome_metrics.merge(
        contracts[["contract_id", "project_id"]], on="contract_id"
    )
    partners = frames.delivery_partners[frames.delivery_partners["project_id"].isin(ids)]
    holdings = frames.holdings[frames.holdings["project_id"].isin(ids)]
    projects = frames.projects.set_index("project_id")
    marks = frames.marks[frames.marks["project_id"].isin(ids)].sort_values(
        ["project_id", "holder_id", "tranche", "date"]
    )
    latest = marks.groupby(["project_id", "holder_id", "tranche"]).tail(1)

    facts = {}
    for pid in ids:
        row = projects.loc[pid]
        own_payers = payers[payers["project_id"] == pid]
        own_contracts = contracts[contracts["project_id"] == pid].sort_values("contract_id")
        own_holdings = holdings[holdings["project_id"] == pid]
        facts[pid] = ProjectFacts(
            project_id=pid,
            coordinator=str(row["coordinator"]),
            start_date=_day(row["start_date"]),
            end_date=_day(row["end_date"]),
            payers=tuple(sorted({str(p) for p in own_payers["payer"]})),
            delivery_partners=tuple(
                sorted(str(o) for o in partners[partners["project_id"] == pid]["organisation"])
            ),
            outcomes=by_project[pid],
            metrics=tuple(
                (str(m.name), str(m.contract_id), by_metric[m.metric_id])
                for m in metrics[metrics["project_id"] == pid]
                .sort_values("metric_id")
                .itertuples(index=False)
                if m.metric_id in by_metric
            ),
            contracts=tuple(
                ContractFacts(
                    contract_id=str(c.contract_id),
                    name=str(c.name),
                    start_date=_day(c.start_date),
                    end_date=_day(c.end_date),
                    payers=tuple(
                        (str(p.payer), Decimal(str(p.share)))
                        for p in own_payers[own_payers["contract_id"] == c.contract_id]
                        .sort_values("payer")
                        .itertuples(index=False)
                    ),
                    position=caps_by_contract[c.contract_id],
                )
                for c in own_contracts.itertuples(index=False)
            ),
            holding_commitments={
                (str(h.holder_id), str(h.tranche)): pence_to_decimal(h.commitment_pence)
                for h in own_holdings.itertuples(index=False)
                if not pd.isna(h.commitment_pence)
            },
            instruments={
                (str(h.holder_id), str(h.tranche)): str(h.instrument)
                for h in own_holdings.itertuples(index=False)
            },
            latest_marks=tuple(
                LatestMark(
                    str(m.holder_id),
                    str(m.tranche),
                    pd.Timestamp(m.date).date(),
                    pence_to_decimal(m.fair_value_pence),
                    "" if pd.isna(m.method) else str(m.method),
                    "" if pd.isna(m.note) else str(m.note),
                )
                for m in latest[latest["project_id"] == pid].itertuples(index=False)
            ),
        )
    return facts
