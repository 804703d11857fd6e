"""Each project's facts as the stored run holds them (``project_details``), typed for the pages.

The run document carries each project's returns and, beside them, what a committee
also wants to know: who pays for its outcomes, its outcomes against forecast, its
contracts against their caps, its partners and its holders' commitments. All of it
was summed by ``valuation/report_sections.py`` when the run was made; here it is only
read back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Progress:
    """Outcomes achieved against forecast to date, with the payments naming them."""

    achieved: int
    forecast: int
    payments: Decimal
    cost_per_outcome: Decimal | None
    note: str | None  # why cost_per_outcome is None


@dataclass(frozen=True)
class CapPosition:
    cap: Decimal | None  # None: no cap recorded
    paid: Decimal
    headroom: Decimal | None
    over_cap: bool


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
    outcomes: Progress
    metrics: tuple[tuple[str, str, Progress], ...]  # (metric name, contract, progress)
    contracts: tuple[ContractFacts, ...]
    holding_commitments: dict[tuple[str, str], Decimal]  # (holder_id, tranche) → commitment
    instruments: dict[tuple[str, str], str]
    latest_marks: tuple[LatestMark, ...]


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _progress(p: dict[str, Any]) -> Progress:
    return Progress(
        p["achieved"], p["forecast"], Decimal(p["payments"]), _money(p["cost_per_outcome"]),
        p["note"],
    )  # fmt: skip


def _contract(c: dict[str, Any]) -> ContractFacts:
    return ContractFacts(
        contract_id=c["contract_id"],
        name=c["name"],
        start_date=_day(c["start_date"]),
        end_date=_day(c["end_date"]),
        payers=tuple((p["payer"], Decimal(str(p["share"]))) for p in c["payers"]),
        position=CapPosition(
            _money(c["cap"]), Decimal(c["paid"]), _money(c["headroom"]), c["over_cap"]
        ),
    )


def _facts(d: dict[str, Any]) -> ProjectFacts:
    return ProjectFacts(
        project_id=d["project_id"],
        coordinator=d["coordinator"],
        start_date=_day(d["start_date"]),
        end_date=_day(d["end_date"]),
        payers=tuple(d["payers"]),
        delivery_partners=tuple(d["delivery_partners"]),
        outcomes=_progress(d["outcomes"]),
        metrics=tuple((m["name"], m["contract_id"], _progress(m)) for m in d["metrics"]),
        contracts=tuple(_contract(c) for c in d["contracts"]),
        holding_commitments={
            (h["holder_id"], h["tranche"]): Decimal(h["commitment"])
            for h in d["holdings"]
            if h["commitment"] is not None
        },
        instruments={(h["holder_id"], h["tranche"]): h["instrument"] for h in d["holdings"]},
        latest_marks=tuple(
            LatestMark(
                m["holder_id"],
                m["tranche"],
                dt.date.fromisoformat(m["date"]),
                Decimal(m["fair_value"]),
                m["method"],
                m["note"],
            )
            for m in d["latest_marks"]
        ),
    )


def project_facts(document: dict[str, Any]) -> dict[str, ProjectFacts]:
    """The facts of every project the run holds details of, by project id."""
    return {d["project_id"]: _facts(d) for d in document["project_details"]}
