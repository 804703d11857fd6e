"""``passu value``: value everything as of a date and build the run's document.

Loads every table once (as-of filtered), calls ``valuation/`` for each figure,
and assembles the JSON document of docs/run-document.md. The document is what
``--save`` stores and what reports render, so its bytes are fixed by the data
and the date alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.claims import claims_section
from passu.portfolio.errors import UsageError
from passu.portfolio.outcomes import scope_projects, value_sections
from passu.portfolio.reference.benchmarks import yields_with
from passu.portfolio.reference.packaged import annual_benchmarks
from passu.portfolio.register import fund_scope, is_illustrative
from passu.portfolio.store import runs
from passu.portfolio.store.database import require_schema
from passu.portfolio.store.fingerprint import fingerprint
from passu.portfolio.store.frames import Ledger, load_frames, stored_gilt_yields
from passu.valuation.book import HoldingBook
from passu.valuation.capital_accounts import CapitalAccount, capital_accounts
from passu.valuation.cost_of_capital import (
    CostOfCapital,
    MissingTermError,
    MissingYieldError,
    cost_of_capital_in,
)
from passu.valuation.fund import FundValue, value_fund_in
from passu.valuation.holdings import holding_values, project_values
from passu.valuation.money import pence_to_decimal
from passu.valuation.nav_bridge import NavBridge, fund_nav_bridge
from passu.valuation.outcomes import outcome_payments_to_date
from passu.valuation.pari_passu import PariPassuResult, check_share_classes, check_tranches_in
from passu.valuation.share_classes import share_class_values

FORMAT = "passu.valuation/1"
Progress = Callable[[str], None]


def rate(value: float | None) -> float | None:
    """Rates in JSON: rounded to 10 decimal places, so the same data give the same bytes."""
    return None if value is None else round(float(value), 10)


def multiple(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Inputs:
    frames: Ledger
    yields: pd.DataFrame
    annual: pd.DataFrame


def load_inputs(engine: Engine, as_of: dt.date) -> Inputs:
    require_schema(engine)
    with engine.connect() as conn, conn.begin():
        frames = load_frames(conn, as_of)
        yields = yields_with(stored_gilt_yields(conn))
    return Inputs(frames, yields, annual_benchmarks())


def _fund_figures(fund: FundValue, coc: CostOfCapital, funds: tuple[str, ...]) -> dict[str, Any]:
    return {
        "fund_id": fund.fund_id,
        "funds": list(funds),
        "committed": money(fund.committed),
        "paid_in": money(fund.paid_in),
        "distributed": money(fund.distributed),
        "unfunded": money(fund.unfunded),
        "nav": money(fund.nav),
        "cash": money(fund.cash),
        "holdings_nav": money(fund.holdings_nav),
        "expenses": money(fund.expenses),
        "dpi": multiple(fund.dpi),
        "rvpi": multiple(fund.rvpi),
        "tvpi": multiple(fund.tvpi),
        "gross_irr": rate(fund.gross_irr),
        "gross_irr_note": fund.gross_irr_note,
        "gross_moic": multiple(fund.gross_moic),
        "net_irr": rate(fund.net_irr),
        "net_irr_note": fund.net_irr_note,
        "cost_of_capital": rate(coc.cost_of_capital),
        "cost_of_capital_note": coc.cost_of_capital_note,
        "hmt_benchmark": rate(coc.benchmark),
        "spread_bps": None if coc.spread_bps is None else round(coc.spread_bps, 4),
        "green_book_real": rate(coc.green_book_stpr_real),
        "green_book_nominal": rate(coc.green_book_nominal_equivalent),
        "cost_of_financing": money(coc.cost_of_financing),
        "financing_share_of_outcome_payments": rate(coc.cost_of_financing_share),
        "undrawn_holding_commitments": money(fund.undrawn_holding_commitments),
        "available_liquidity": money(fund.available_liquidity),
    }


def _value_scope(
    inputs: Inputs, book: HoldingBook, label: str, fund_ids: tuple[str, ...], as_of: dt.date
) -> dict:
    f = inputs.frames
    fund = value_fund_in(book, fund_ids, label, f.commitments, f.investor_flows, f.fund_expenses)
    held = f.holdings.loc[f.holdings["holder_id"].isin(fund_ids), "project_id"]
    payments = outcome_payments_to_date(f.outcome_payments, f.outcome_contracts, as_of, set(held))
    try:
        coc = cost_of_capital_in(
            book,
            fund_ids,
            label,
            f.projects,
            f.outcome_contracts,
            inputs.yields,
            inputs.annual,
            outcome_payments_pence=int(payments * 100),
        )
    except MissingYieldError as error:
        raise UsageError(
            f"{error}: load the Bank of England yields for {error.quarter} with "
            "`passu benchmark load FILE`"
        ) from None
    except MissingTermError as error:
        raise UsageError(f"projects.csv: {error}") from None
    return _fund_figures(fund, coc, fund_ids)


def _account_record(a: CapitalAccount, who: dict[str, tuple[str, str]]) -> dict[str, Any]:
    name, kind = who.get(a.investor_id, (None, None))
    return {
        "fund_id": a.fund_id,
        "investor_id": a.investor_id,
        "name": name,
        "kind": kind,
        "share_class": a.share_class,
        "committed": money(a.committed),
        "paid_in": money(a.paid_in),
        "distributed": money(a.distributed),
        "nav": money(a.nav),
        "unfunded": money(a.unfunded),
        "dpi": multiple(a.dpi),
        "tvpi": multiple(a.tvpi),
        "irr": rate(a.irr),
        "irr_note": a.irr_note,
    }


def _breaches(result: PariPassuResult) -> list[dict[str, Any]]:
    def amount(value: Decimal | float | None, measure: str) -> Any:
        if value is None:
            return None
        return rate(float(value)) if measure == "irr" else money(Decimal(value))

    return [
        {
            "scope": b.scope,
            "id": b.id,
            "holder_or_investor": b.holder_or_investor,
            "measure": b.measure,
            "expected": amount(b.expected, b.measure),
            "actual": amount(b.actual, b.measure),
            "difference": amount(b.difference, b.measure),
        }
        for b in result.breaches
    ]


def fund_document(inputs: Inputs, as_of: dt.date, fund_id: str | None) -> dict[str, Any]:
    """Only the ``as_of`` and ``fund`` parts of the document: enough for a history chart,
    at a fraction of the cost of the whole document (no projects, accounts or outcomes)."""
    f = inputs.frames
    label, fund_ids = fund_scope(f, fund_id)
    book = HoldingBook(f.holdings, f.project_flows, f.marks, as_of)
    return {"as_of": as_of.isoformat(), "fund": _value_scope(inputs, book, label, fund_ids, as_of)}


def build_document(
    inputs: Inputs, as_of: dt.date, fund_id: str | None, progress: Progress = lambda _m: None
) -> dict[str, Any]:
    f = inputs.frames
    label, fund_ids = fund_scope(f, fund_id)
    progress(f"valuing {label} as of {as_of}")
    # Every holding valued once; each figure below pools the holdings it needs by code.
    book = HoldingBook(f.holdings, f.project_flows, f.marks, as_of)
    fund = _value_scope(inputs, book, label, fund_ids, as_of)
    per_fund = (
        [_value_scope(inputs, book, one, (one,), as_of) for one in fund_ids]
        if label == "ALL"
        else []
    )
    # The scope's projects: those a fund in scope holds; every holder in them counts.
    in_scope = set(f.holdings.loc[f.holdings["holder_id"].isin(fund_ids), "project_id"])
    holdings = f.holdings[f.holdings["project_id"].isin(in_scope)]
    scoped = book.select(project_ids=in_scope)
    progress("valuing holdings and projects")
    info = {
        r.project_id: (str(r.name), str(r.policy_area), str(r.region), str(r.status))
        for r in f.projects.itertuples(index=False)
    }
    projects = [
        {
            "project_id": p.project_id,
            "name": info[p.project_id][0],
            "policy_area": info[p.project_id][1],
            "region": info[p.project_id][2],
            "status": info[p.project_id][3],
            "invested": money(p.invested),
            "realised": money(p.realised),
            "nav": money(p.nav),
            "cost_outstanding": money(p.cost_outstanding),
            "moic": multiple(p.moic),
            "irr": rate(p.irr),
            "irr_note": p.irr_note,
            "multiple_sign_changes": p.multiple_sign_changes,
        }
        for p in project_values(book, scoped)
    ]
    holding_rows = [
        {
            "project_id": h.project_id,
            "holder_id": h.holder_id,
            "tranche": h.tranche,
            "invested": money(h.invested),
            "realised": money(h.realised),
            "nav": money(h.nav),
            "cost_outstanding": money(h.cost_outstanding),
            "moic": multiple(h.moic),
            "irr": rate(h.irr),
            "irr_note": h.irr_note,
            "multiple_sign_changes": h.multiple_sign_changes,
        }
        for h in holding_values(book, scoped)
    ]
    progress("capital accounts and pari passu")
    fund_navs = {
        one: Decimal(
            (fund if label != "ALL" else next(x for x in per_fund if x["fund_id"] == one))["nav"]
        )
        for one in fund_ids
    }
    accounts = capital_accounts(fund_navs, f.commitments, f.investor_flows, as_of)
    classes = share_class_values(accounts, f.commitments, f.investor_flows, as_of)
    pari = check_share_classes(
        accounts, f.commitments, f.investor_flows, as_of
    ) + check_tranches_in(book, scoped)
    who = {r.investor_id: (str(r.name), str(r.kind)) for r in f.investors.itertuples()}
    progress("outcomes, social value and claims")
    # Σ drawdowns to T by every holder of the scope's projects, from the positions.
    invested = book.positions.loc[
        book.select(project_ids=scope_projects(f, fund_ids)), "invested_pence"
    ].sum()
    outcomes, social_value = value_sections(f, fund_ids, as_of, pence_to_decimal(int(invested)))
    return {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "scope": label,
        "fingerprint": fingerprint(f, inputs.yields),
        "illustrative": is_illustrative(f),
        "fund": fund,
        "funds": per_fund,
        "projects": projects,
        "holdings": holding_rows,
        "investors": [_account_record(a, who) for a in accounts],
        "share_classes": [
            {
                "fund_id": c.fund_id,
                "share_class": c.share_class,
                "investors": c.investors,
                "committed": money(c.committed),
                "paid_in": money(c.paid_in),
                "distributed": money(c.distributed),
                "nav": money(c.nav),
                "dpi": multiple(c.dpi),
                "tvpi": multiple(c.tvpi),
                "irr": rate(c.irr),
                "irr_note": c.irr_note,
            }
            for c in classes
        ],
        "pari_passu": {
            "ok": pari.ok,
            "checked": {
                "share_classes": len(classes),
                "tranches": int(holdings[["project_id", "tranche"]].drop_duplicates().shape[0]),
            },
            "breaches": _breaches(pari),
        },
        "outcomes": outcomes,
        "social_value": social_value,
        "claims": claims_section(f, fund_ids, as_of),
    }


def dumps(document: dict[str, Any]) -> str:
    """The document's one serialisation: what is printed, stored and rendered."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def value_document(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None = None,
    progress: Progress = lambda _m: None,
) -> dict[str, Any]:
    return build_document(load_inputs(engine, as_of), as_of, fund_id, progress)


@dataclass(frozen=True)
class ValueResult:
    document: dict[str, Any]
    text: str
    saved: runs.RunInfo | None


def value_and_save(
    engine: Engine,
    as_of: dt.date,
    fund_id: str | None,
    *,
    save: bool,
    replace: bool,
    user: str,
    progress: Progress = lambda _m: None,
) -> ValueResult:
    document = value_document(engine, as_of, fund_id, progress)
    text = dumps(document)
    saved = None
    if save:
        saved = runs.save_run(
            engine,
            as_of=as_of,
            scope=document["scope"],
            fingerprint=document["fingerprint"],
            figures=text,
            user=user,
            replace=replace,
        )
        progress(f"saved run {saved.run_id} ({saved.scope}, {saved.as_of}) as a draft")
    return ValueResult(document, text, saved)


def nav_bridge(engine: Engine, scope: str, start: dt.date, end: dt.date) -> NavBridge:
    """Opening NAV + contributions − distributions + value change = closing NAV."""
    inputs = load_inputs(engine, end)
    f = inputs.frames
    label, fund_ids = fund_scope(f, None if scope == "ALL" else scope)
    return fund_nav_bridge(
        fund_ids,
        label,
        f.commitments,
        f.investor_flows,
        f.fund_expenses,
        f.holdings,
        f.project_flows,
        f.marks,
        start,
        end,
    )
