"""The register: what is stored, listed and shown (``passu list``, ``passu show``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.interchange.tables import BY_NAME
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.frames import Ledger, load_frames, load_table
from passu.valuation import valuer
from passu.valuation.money import pence_to_decimal

LISTABLE = ("funds", "investors", "projects", "holdings", "contracts")


def pounds(pence: Any) -> Decimal:
    return pence_to_decimal(int(pence))


def _date(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _sum_by(frame: pd.DataFrame, keys: list[str], column: str) -> dict[Any, int]:
    if frame.empty:
        return {}
    grouped = frame.groupby(keys)[column].sum()
    return {k: int(v) for k, v in grouped.items()}


def read(engine: Engine, *tables: str, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    require_schema(engine)
    with engine.connect() as conn:
        return {t: load_table(conn, BY_NAME[t], as_of) for t in tables}


def list_table(engine: Engine, what: str) -> Listing:
    if what not in LISTABLE:
        raise UsageError(f"passu list: expected one of {', '.join(LISTABLE)}, found {what!r}")
    return {
        "funds": _funds,
        "investors": _investors,
        "projects": _projects,
        "holdings": _holdings,
        "contracts": _contracts,
    }[what](engine)


def _funds(engine: Engine) -> Listing:
    t = read(engine, "funds", "commitments")
    committed = _sum_by(t["commitments"], ["fund_id"], "amount_pence")
    rows = tuple(
        (
            r.fund_id,
            r.name,
            r.currency,
            int(r.vintage),
            r.manager,
            pounds(committed.get(r.fund_id, 0)),
        )
        for r in t["funds"].sort_values("fund_id").itertuples()
    )
    cols = (
        Column("fund_id"),
        Column("name"),
        Column("currency"),
        Column("vintage", "count"),
        Column("manager"),
        Column("committed", "money"),
    )
    return Listing("Funds", cols, rows)


def _investors(engine: Engine) -> Listing:
    t = read(engine, "investors", "commitments")
    committed = _sum_by(t["commitments"], ["investor_id"], "amount_pence")
    rows = tuple(
        (r.investor_id, r.name, r.kind, pounds(committed.get(r.investor_id, 0)))
        for r in t["investors"].sort_values("investor_id").itertuples()
    )
    cols = (Column("investor_id"), Column("name"), Column("kind"), Column("committed", "money"))
    return Listing("Investors", cols, rows)


def _projects(engine: Engine) -> Listing:
    t = read(engine, "projects")
    rows = tuple(
        (
            r.project_id,
            r.name,
            r.policy_area,
            r.region,
            r.status,
            _date(r.start_date),
            _date(r.end_date),
        )
        for r in t["projects"].sort_values("project_id").itertuples()
    )
    cols = (
        Column("project_id"),
        Column("name"),
        Column("policy_area"),
        Column("region"),
        Column("status"),
        Column("start_date", "date"),
        Column("end_date", "date"),
    )
    return Listing("Projects", cols, rows)


def _holdings(engine: Engine) -> Listing:
    t = read(engine, "holdings", "project_flows")
    flows = t["project_flows"]
    drawn = _sum_by(
        flows[flows["kind"] == "drawdown"], ["project_id", "holder_id", "tranche"], "amount_pence"
    )
    rows = tuple(
        (
            r.project_id,
            r.holder_id,
            r.tranche,
            r.instrument,
            pounds(r.commitment_pence),
            pounds(drawn.get((r.project_id, r.holder_id, r.tranche), 0)),
        )
        for r in t["holdings"].sort_values(["project_id", "holder_id", "tranche"]).itertuples()
    )
    cols = (
        Column("project_id"),
        Column("holder_id"),
        Column("tranche"),
        Column("instrument"),
        Column("commitment", "money"),
        Column("drawn", "money"),
    )
    return Listing("Holdings", cols, rows)


def _contracts(engine: Engine) -> Listing:
    t = read(engine, "outcome_contracts", "contract_payers", "outcome_payments")
    payers = t["contract_payers"].groupby("contract_id").size().to_dict()
    paid = _sum_by(t["outcome_payments"], ["contract_id"], "amount_pence")
    rows = tuple(
        (
            r.contract_id,
            r.project_id,
            r.name,
            _date(r.start_date),
            _date(r.end_date),
            pounds(r.cap_pence),
            int(payers.get(r.contract_id, 0)),
            pounds(paid.get(r.contract_id, 0)),
        )
        for r in t["outcome_contracts"].sort_values("contract_id").itertuples()
    )
    cols = (
        Column("contract_id"),
        Column("project_id"),
        Column("name"),
        Column("start_date", "date"),
        Column("end_date", "date"),
        Column("cap", "money"),
        Column("payers", "count"),
        Column("paid", "money"),
    )
    return Listing("Outcome contracts", cols, rows)


def load_all(engine: Engine, as_of: dt.date | None = None) -> Ledger:
    require_schema(engine)
    with engine.connect() as conn:
        return load_frames(conn, as_of)


def show_project(engine: Engine, project_id: str) -> list[Listing]:
    """A project's holdings, flows, marks, contracts, payers, partners and evaluations."""
    f = load_all(engine)
    projects = f.projects[f.projects["project_id"] == project_id]
    if projects.empty:
        raise UsageError(f"no project {project_id!r}: `passu list projects` shows the ids")
    p = projects.iloc[0]
    facts = (
        ("project_id", p.project_id),
        ("name", p["name"]),
        ("policy_area", p.policy_area),
        ("region", p.region),
        ("coordinator", p.coordinator),
        ("status", p.status),
        ("start_date", _date(p.start_date)),
        ("end_date", _date(p.end_date)),
    )
    out = [
        Listing(
            f"Project {project_id}",
            (Column("field"), Column("value")),
            tuple((k, v) for k, v in facts),
        )
    ]

    def of(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["project_id"] == project_id]

    holdings = of(f.holdings).sort_values(["holder_id", "tranche"])
    out.append(
        Listing(
            "Holdings",
            (
                Column("holder_id"),
                Column("tranche"),
                Column("instrument"),
                Column("commitment", "money"),
            ),
            tuple(
                (r.holder_id, r.tranche, r.instrument, pounds(r.commitment_pence))
                for r in holdings.itertuples()
            ),
        )
    )
    flows = of(f.project_flows).sort_values(["date", "holder_id", "tranche", "kind"])
    out.append(
        Listing(
            "Flows",
            (
                Column("date", "date"),
                Column("holder_id"),
                Column("tranche"),
                Column("kind"),
                Column("amount", "money"),
            ),
            tuple(
                (_date(r.date), r.holder_id, r.tranche, r.kind, pounds(r.amount_pence))
                for r in flows.itertuples()
            ),
        )
    )
    marks = of(f.marks).sort_values(["date", "holder_id", "tranche"])
    out.append(
        Listing(
            "Marks",
            (
                Column("date", "date"),
                Column("holder_id"),
                Column("tranche"),
                Column("fair_value", "money"),
                Column("method"),
                Column("note"),
            ),
            tuple(
                (
                    _date(r.date),
                    r.holder_id,
                    r.tranche,
                    pounds(r.fair_value_pence),
                    r.method,
                    r.note,
                )
                for r in marks.itertuples()
            ),
        )
    )
    contracts = of(f.outcome_contracts).sort_values("contract_id")
    out.append(
        Listing(
            "Outcome contracts",
            (
                Column("contract_id"),
                Column("name"),
                Column("start_date", "date"),
                Column("end_date", "date"),
                Column("cap", "money"),
            ),
            tuple(
                (r.contract_id, r.name, _date(r.start_date), _date(r.end_date), pounds(r.cap_pence))
                for r in contracts.itertuples()
            ),
        )
    )
    payers = f.contract_payers[f.contract_payers["contract_id"].isin(contracts["contract_id"])]
    out.append(
        Listing(
            "Outcome payers",
            (
                Column("contract_id"),
                Column("payer"),
                Column("payer_kind"),
                Column("share", "fraction"),
            ),
            tuple(
                (r.contract_id, r.payer, r.payer_kind, r.share)
                for r in payers.sort_values(["contract_id", "payer"]).itertuples()
            ),
        )
    )
    partners = of(f.delivery_partners).sort_values("organisation")
    out.append(
        Listing(
            "Delivery partners",
            (Column("organisation"),),
            tuple((r.organisation,) for r in partners.itertuples()),
        )
    )
    evaluations = of(f.evaluations).sort_values(["date", "evaluator"])
    out.append(
        Listing(
            "Evaluations",
            (
                Column("date", "date"),
                Column("evaluator"),
                Column("kind"),
                Column("summary"),
                Column("link"),
            ),
            tuple(
                (_date(r.date), r.evaluator, r.kind, r.summary, r.link)
                for r in evaluations.itertuples()
            ),
        )
    )
    return out


def fund_scope(frames: Ledger, fund_id: str | None) -> tuple[str, tuple[str, ...]]:
    """The scope label and fund ids (``valuation/valuer.py: fund_scope``), a missing fund
    a usage error."""
    try:
        return valuer.fund_scope(frames, fund_id)
    except valuer.ScopeError as error:
        raise UsageError(str(error)) from None


is_illustrative = valuer.is_illustrative
scope_outcomes = valuer.scope_outcomes

# funds.csv marks a fund illustrative: the sample (synthetic detail that reproduces a
# published programme's totals) and examples/blended (made up throughout) both are
ILLUSTRATIVE = (
    "Illustrative data (marked so in funds.csv): names and project detail are made up, "
    "not a real fund's."
)


def show_fund(engine: Engine, fund_id: str | None, as_of: dt.date) -> Figures:
    """A fund (or every fund together) with docs/format.md's derived counts and totals to date."""
    frames = load_all(engine, as_of)
    label, fund_ids = fund_scope(frames, fund_id)
    funds = frames.funds[frames.funds["fund_id"].isin(fund_ids)]
    commitments = frames.commitments[frames.commitments["fund_id"].isin(fund_ids)]
    summary = scope_outcomes(frames, fund_ids, as_of)
    held = frames.holdings[frames.holdings["holder_id"].isin(fund_ids)]
    figures = (
        Figure("fund_id", label),
        Figure("funds", ", ".join(f"{r.fund_id} ({r.name})" for r in funds.itertuples())),
        Figure("as_of", as_of, "date", "as of"),
        Figure("investors", int(commitments["investor_id"].nunique()), "count"),
        Figure("commitments", pounds(commitments["amount_pence"].sum()), "money"),
        Figure("projects", int(held["project_id"].nunique()), "count"),
        Figure("contracts", summary.contracts, "count", "outcomes contracts"),
        Figure("outcomes_payers", summary.payers, "count", "outcomes payers"),
        Figure("delivery_partners", summary.delivery_partners, "count", "delivery partners"),
        Figure("co_investors", summary.co_investors, "count", "direct co-investors"),
        Figure("outcome_payments", summary.payments, "money", "outcome payments to date"),
    )
    notes = (ILLUSTRATIVE,) if is_illustrative(frames) else ()
    title = "All funds together" if label == "ALL" else f"Fund {label}"
    return Figures(title, figures, notes)
