"""The tables of ``passu outcomes``: achieved against forecast by project or policy area,
payments against caps, and each payer's share of payments and commitments."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from passu.portfolio.listing import Column, Listing
from passu.portfolio.store.frames import Ledger
from passu.valuation.outcomes import outcome_progress, payer_shares, payments_against_caps


def rate(achieved: int, forecast: int) -> float | None:
    return None if forecast == 0 else achieved / forecast


def progress_listing(
    frames: Ledger,
    as_of: dt.date,
    projects: tuple[str, ...],
    level: Literal["project", "policy_area"],
) -> Listing:
    rows = outcome_progress(
        outcomes=frames.outcomes,
        outcome_metrics=frames.outcome_metrics,
        outcome_contracts=frames.outcome_contracts,
        projects=frames.projects,
        outcome_payments=frames.outcome_payments,
        as_of=as_of,
        level=level,
        project_ids=projects,
    )
    return Listing(
        f"Outcomes by {level.replace('_', ' ')}",
        (
            Column(level),
            Column("achieved", "count"),
            Column("forecast", "count"),
            Column("achieved_rate", "rate", "achieved ÷ forecast"),
            Column("payments", "money"),
            Column("achieved_value", "money", "priced achieved"),
            Column("forecast_value", "money", "priced forecast"),
            Column("cost_per_outcome", "money", "cost per outcome"),
        ),
        tuple(
            (
                r.key,
                r.achieved,
                r.forecast,
                rate(r.achieved, r.forecast),
                r.payments,
                r.achieved_value,
                r.forecast_value,
                r.cost_per_outcome,
            )
            for r in rows
        ),
    )


def caps_listing(frames: Ledger, as_of: dt.date, projects: tuple[str, ...]) -> Listing:
    caps = payments_against_caps(
        outcome_contracts=frames.outcome_contracts,
        outcome_payments=frames.outcome_payments,
        as_of=as_of,
        project_ids=projects,
    )
    return Listing(
        "Payments against caps",
        (
            Column("contract_id"),
            Column("project_id"),
            Column("cap", "money"),
            Column("paid", "money"),
            Column("headroom", "money"),
            Column("over_cap", "text", "over cap"),
            Column("first_breach", "date", "first over cap on"),
        ),
        tuple(
            (
                c.contract_id,
                c.project_id,
                c.cap,
                c.paid,
                c.headroom,
                c.over_cap,
                None if c.first_breach is None else c.first_breach.date,
            )
            for c in caps
        ),
    )


def payers_listing(
    frames: Ledger, as_of: dt.date, projects: tuple[str, ...], *, by_contract: bool
) -> Listing:
    shares = payer_shares(
        outcome_contracts=frames.outcome_contracts,
        contract_payers=frames.contract_payers,
        outcome_payments=frames.outcome_payments,
        as_of=as_of,
        project_ids=projects,
        by_contract=by_contract,
    )
    lead = (Column("contract_id"),) if by_contract else ()
    columns = (
        *lead,
        Column("payer"),
        Column("payer_kind", "text", "kind"),
        Column("paid", "money"),
        Column("paid_share", "rate", "share of payments"),
        Column("committed", "money", "committed (share × cap)"),
        Column("committed_share", "rate", "share of commitments"),
    )
    rows = tuple(
        (
            *((s.contract_id,) if by_contract else ()),
            s.payer,
            s.payer_kind,
            s.paid,
            None if s.paid_share is None else float(s.paid_share),
            s.committed,
            None if s.committed_share is None else float(s.committed_share),
        )
        for s in shares
    )
    title = "Co-payment by contract" if by_contract else "Outcomes by payer"
    return Listing(title, columns, rows)
