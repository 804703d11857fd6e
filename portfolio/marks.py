"""``passu marks propose|accept``: fair values from expected outcomes, and writing them as marks.

The model is ``valuation/fair_value.py`` (pure); this module reads the whole ledger
from the database (not cut at T: the forecasts after T are the model's input), chooses
the projects in scope, turns the result into the command's document, and writes the
accepted proposals as marks in one audited transaction.

Scope: the **active** projects (``projects.status`` = active) that have an outcome
contract or a cost forecast, held by the fund asked for (``--fund``) or by any holder;
every holding of those projects is proposed, co-investors' too, since the project's
value is shared among all of them.

Accepting writes one mark per chosen holding dated T, ``method`` =
``dcf_expected_outcomes``, ``note`` = the note given (the model's own note, when it
has one, after it). All or nothing: a period locked by an approved run is refused
(exit 3), and so is a holding that already has a mark dated T unless ``replace`` is
given, when the old mark is deleted and kept in the audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from passu.portfolio.errors import ConflictError, UsageError
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema, writing
from passu.portfolio.store.frames import load_frames
from passu.portfolio.store.locks import locked_through
from passu.portfolio.store.models import Mark
from passu.valuation import valuer
from passu.valuation.fair_value import (
    METHOD,
    FairValue,
    HoldingProposal,
    ModelInputs,
    projects_to_value,
    propose_fair_values,
)
from passu.valuation.ledger import Ledger

__all__ = [
    "AcceptReport",
    "Proposals",
    "accept_marks",
    "active_scope",
    "load_ledger",
    "parse_holding",
    "propose_marks",
]

PERFORMANCE: tuple[str, ...] = ("achieved", "forecast")


@dataclass(frozen=True)
class Proposals:
    """The model's proposals at T for a scope, and the options they were made with."""

    as_of: dt.date
    scope: str  # a fund id, or ALL
    rate: float | None  # None: calibrated per project
    performance: str  # achieved | forecast
    fair_value: FairValue
    left_out: tuple[str, ...]  # active projects in scope with nothing to model


def load_ledger(engine: Engine) -> Ledger:
    """The whole ledger, every row whatever its date: the forecasts after T are needed."""
    require_schema(engine)
    with engine.connect() as conn, conn.begin():
        return load_frames(conn)


def active_scope(ledger: Ledger, fund_id: str | None) -> tuple[str, list[str], list[str]]:
    """(scope label, projects to model, active projects in scope with nothing to model)."""
    try:
        label, fund_ids = valuer.fund_scope(ledger, fund_id)
    except valuer.ScopeError as error:
        raise UsageError(str(error)) from None
    ids, left_out = projects_to_value(
        ledger.projects,
        ledger.holdings,
        ledger.outcome_contracts,
        ledger.cost_forecasts,
        None if fund_id is None else fund_ids,
    )
    return label, ids, left_out


def propose_marks(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None = None,
    *,
    rate: float | None = None,
    performance: str = "achieved",
    ledger: Ledger | None = None,
) -> Proposals:
    """Every active holding's proposed fair value at ``as_of`` (module docstring)."""
    if performance not in PERFORMANCE:
        raise UsageError(f"--performance: expected achieved or forecast, found {performance!r}")
    book = load_ledger(engine) if ledger is None else ledger
    label, ids, left_out = active_scope(book, fund_id)
    result = propose_fair_values(
        ModelInputs.from_ledger(book),
        as_of,
        rate=rate,
        keep_forecast=performance == "forecast",
        project_ids=ids,
    )
    return Proposals(as_of, label, rate, performance, result, tuple(left_out))


# --- accepting ---------------------------------------------------------------------------


def parse_holding(text: str) -> tuple[str, str, str]:
    """``PROJECT/HOLDER/TRANCHE`` → its three ids."""
    parts = text.split("/")
    if len(parts) != 3 or not all(parts):
        raise UsageError(f"--holding: expected PROJECT/HOLDER/TRANCHE, found {text!r}")
    return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class AcceptReport:
    as_of: dt.date
    written: tuple[HoldingProposal, ...]
    replaced: int
    skipped: tuple[HoldingProposal, ...]  # no proposal (no rate), when every holding was asked


def _chosen(
    proposals: Proposals, holdings: Sequence[str]
) -> tuple[list[HoldingProposal], list[HoldingProposal]]:
    every = {(h.project_id, h.holder_id, h.tranche): h for h in proposals.fair_value.holdings}
    if not holdings:
        chosen = [h for h in every.values() if h.proposed is not None]
        return chosen, [h for h in every.values() if h.proposed is None]
    keys = list(dict.fromkeys(parse_holding(text) for text in holdings))
    unknown = ["/".join(k) for k in keys if k not in every]
    if unknown:
        raise UsageError(
            f"--holding: no proposal for {', '.join(unknown)}: expected a holding of an "
            f"active project in scope (see `passu marks propose --as-of {proposals.as_of}`)"
        )
    without = [every[k] for k in keys if every[k].proposed is None]
    if without:
        h = without[0]
        raise UsageError(
            f"--holding {h.project_id}/{h.holder_id}/{h.tranche}: no proposed value ({h.note})"
        )
    return [every[k] for k in keys], []


def accept_marks(
    engine: Engine,
    as_of: dt.date,
    *,
    note: str,
    user: str,
    holdings: Sequence[str] = (),
    fund_id: str | None = None,
    rate: float | None = None,
    performance: str = "achieved",
    replace: bool = False,
) -> AcceptReport:
    """Write the proposals of ``as_of`` as marks dated ``as_of`` (module docstring)."""
    if not note.strip():
        raise UsageError("--note: expected a note saying why the marks are accepted, found ''")
    proposals = propose_marks(engine, as_of, fund_id, rate=rate, performance=performance)
    chosen, skipped = _chosen(proposals, holdings)
    if not chosen:
        raise UsageError(f"no holding has a proposed value at {as_of}: nothing to accept")
    rows = [
        {
            "project_id": h.project_id,
            "holder_id": h.holder_id,
            "tranche": h.tranche,
            "date": as_of,
            "fair_value": h.proposed,
            "method": METHOD,
            "note": note if not h.note else f"{note} ({h.note})",
        }
        for h in chosen
    ]
    document = json.dumps(
        [{k: (str(v) if k in ("date", "fair_value") else v) for k, v in r.items()} for r in rows],
        sort_keys=True,
    )
    with writing(engine) as conn:
        through = locked_through(conn)
        if through is not None and as_of <= through:
            raise ConflictError(
                f"marks accept: the period to {through} is locked by an approved run; "
                f"refused marks dated {as_of}. Nothing was written (reopen the run with "
                "`passu runs reopen` to change it)"
            )
        # every mark dated T (at most one per holding), matched to the chosen holdings here
        keys = {(r["project_id"], r["holder_id"], r["tranche"]) for r in rows}
        existing = [
            e
            for e in conn.execute(
                select(
                    Mark.id,
                    Mark.project_id,
                    Mark.holder_id,
                    Mark.tranche,
                    Mark.fair_value,
                    Mark.method,
                    Mark.note,
                ).where(Mark.date == as_of)
            ).all()
            if (e.project_id, e.holder_id, e.tranche) in keys
        ]
        if existing and not replace:
            named = ", ".join(f"{e.project_id}/{e.holder_id}/{e.tranche}" for e in existing[:5])
            more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
            raise ConflictError(
                f"marks accept: {named}{more} already marked on {as_of}; nothing was written "
                "(--replace replaces those marks, keeping the old ones in the audit trail)"
            )
        if existing:
            conn.execute(delete(Mark).where(Mark.id.in_([e.id for e in existing])))
        conn.execute(insert(Mark), rows)
        audit.record(
            conn,
            user=user,
            command="marks accept",
            details={
                "as_of": as_of.isoformat(),
                "note": note,
                "method": METHOD,
                "rate": "calibrated" if rate is None else rate,
                "performance": performance,
                "marks": len(rows),
                "replaced": [
                    {
                        "holding": f"{e.project_id}/{e.holder_id}/{e.tranche}",
                        "fair_value": str(e.fair_value),
                        "method": e.method,
                        "note": e.note,
                    }
                    for e in existing
                ],
            },
            input_sha256=hashlib.sha256(document.encode("utf-8")).hexdigest(),
        )
    return AcceptReport(as_of, tuple(chosen), len(existing), tuple(skipped))
