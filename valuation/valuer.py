"""The valuation of a ledger into a run: every figure of a scope as of a date, no database.

``value(ledger, as_of, fund_id, ...)`` values one fund, or every fund together
(scope ``ALL``, flows pooled, each fund's own figures listed too), and returns the
typed ``Run`` whose ``to_json()`` is the document of docs/run-document.md. The
reference data it needs (gilt yields, annual Green Book benchmarks, the merged
unit-value library) are arguments: ``portfolio/``
reads them, this module only computes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from .book import HoldingBook
from .capital_accounts import CapitalAccount, capital_accounts
from .capital_lines import NOT_ROLLED
from .claims import ClaimsPosition, claims_position
from .cost_of_capital import cost_of_capital_in
from .fund import value_fund_in
from .holdings import holding_values, project_values
from .ledger import Ledger
from .money import money_text, pence_to_decimal
from .outcome_summary import OutcomesSummary, outcomes_summary
from .outcomes import outcome_payments_to_date
from .pari_passu import PariPassuResult, check_share_classes, check_tranches_in
from .registry import FUND_FIGURES, FundContext
from .report_sections import report_sections as sections_of
from .run import (
    AreaValue,
    Breach,
    CapitalAccountLines,
    Checked,
    Claims,
    Excuse,
    ForecastRow,
    Fund,
    GovernmentShare,
    Holding,
    Investor,
    Outcomes,
    PariPassu,
    PerPound,
    Project,
    Run,
    ShareClass,
    SocialValue,
    Unvalued,
    figure_value,
    normalise,
)
from .share_classes import share_class_values
from .social_value import SocialValue as SocialValueFigures
from .social_value import SocialValueReport, social_value
from .structure import FundStructure
from .structure_cost import GovernmentCost, government_costs
from .structure_run import carry_holders, lines_net_of_carry, without_carry_holders
from .terms_at import AccountLines, capital_lines_at, fund_structures

__all__ = [
    "MONEY_MEASURES",
    "ScopeError",
    "fund_run",
    "fund_scope",
    "is_illustrative",
    "scope_projects",
    "value",
]

Progress = Callable[[str], None]
MONEY_MEASURES = frozenset({"outcome_payments", "fiscal_value"})


class ScopeError(ValueError):
    """The scope asked for does not exist in the ledger (no funds, or no such fund)."""


def fund_scope(ledger: Ledger, fund_id: str | None) -> tuple[str, tuple[str, ...]]:
    """The scope label and fund ids: one fund, or every fund together as ``ALL``."""
    funds = tuple(sorted(ledger.funds["fund_id"]))
    if not funds:
        raise ScopeError(
            "the database holds no funds yet: import a portfolio with `passu import PATH`"
        )
    if fund_id is None:
        return "ALL", funds
    if fund_id not in funds:
        raise ScopeError(f"no fund {fund_id!r}: `passu list funds` shows the ids")
    return fund_id, (fund_id,)


def is_illustrative(ledger: Ledger) -> bool:
    """The shipped sample marks its funds ``illustrative=true`` (an attribute column)."""
    attributes = ledger.funds.get("attributes", pd.Series(dtype=object))
    return any('"illustrative": "true"' in str(text) for text in attributes.dropna())


def scope_projects(ledger: Ledger, fund_ids: Collection[str]) -> tuple[str, ...]:
    """The projects any fund in ``fund_ids`` holds a stake in, sorted."""
    held = ledger.holdings[ledger.holdings["holder_id"].isin(list(fund_ids))]
    return tuple(sorted(str(p) for p in held["project_id"].unique()))


def _net_flows(
    ledger: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    carry_holders: Collection[tuple[str, str]] = (),
) -> pd.DataFrame:
    """The investors' flows of the funds: calls negative, distributions positive, ≤ T;
    the carry holders' left out."""
    flows = without_carry_holders(ledger.investor_flows, carry_holders)
    cutoff = pd.Timestamp(as_of)
    mine = flows.loc[
        flows["fund_id"].isin(list(fund_ids))
        & (flows["date"] <= cutoff)
        & flows["kind"].isin(["call", "distribution"])
    ]
    sign = mine["kind"].map({"call": -1, "distribution": 1}).astype("int64")
    return pd.DataFrame(
        {"date": mine["date"].to_numpy(), "amount_pence": (mine["amount_pence"] * sign).to_numpy()}
    )


def _fund(
    ledger: Ledger,
    book: HoldingBook,
    label: str,
    fund_ids: tuple[str, ...],
    as_of: dt.date,
    gilt_yields: pd.DataFrame,
    annual_benchmarks: pd.DataFrame,
    structures: Mapping[str, FundStructure] | None = None,
) -> Fund:
    """The scope's fund figures. ``structures``: the structure of each fund with terms
    (``terms_at.fund_structures``); when not given, made here at each fund's NAV."""
    f = ledger
    fund = value_fund_in(book, fund_ids, label, f.commitments, f.investor_flows, f.fund_expenses)
    if structures is None:
        structures = fund_structures(f, book, fund_ids, as_of, scope=fund)
    mine = {k: v for k, v in structures.items() if k in fund_ids}
    holders = carry_holders(mine)
    accrued = sum(s.accrued_carry_pence for s in mine.values())
    if mine:  # net of carried interest (valuation/fund.py)
        fund = value_fund_in(
            book,
            fund_ids,
            label,
            f.commitments,
            f.investor_flows,
            f.fund_expenses,
            carry_holders=holders,
            accrued_carry_pence=accrued,
        )
    held = f.holdings.loc[f.holdings["holder_id"].isin(fund_ids), "project_id"]
    payments = outcome_payments_to_date(f.outcome_payments, f.outcome_contracts, as_of, set(held))
    cost = cost_of_capital_in(
        book,
        fund_ids,
        label,
        f.projects,
        f.outcome_contracts,
        gilt_yields,
        annual_benchmarks,
        outcome_payments_pence=int(payments * 100),
    )
    context = FundContext(
        fund=fund,
        cost=cost,
        fund_ids=fund_ids,
        as_of=as_of,
        net_flows=_net_flows(f, fund_ids, as_of, holders),
        nav_pence=int(fund.nav * 100) - accrued,
        gilt_yields=gilt_yields,
        structures=tuple(mine[k] for k in sorted(mine)),
    )
    figures: dict[str, object] = {}
    notes: dict[str, str | None] = {}
    for entry in FUND_FIGURES:
        raw = entry.compute(context)
        if entry.noted:
            raw, notes[entry.key] = raw
        figures[entry.key] = figure_value(entry, raw)
    return Fund(label, fund_ids, figures, notes)


def fund_run(
    ledger: Ledger,
    as_of: dt.date,
    fund_id: str | None,
    *,
    gilt_yields: pd.DataFrame,
    annual_benchmarks: pd.DataFrame,
) -> Fund:
    """Only the fund figures of the scope: enough for a history chart, at a fraction of the
    cost of a whole run (no projects, accounts or outcomes)."""
    label, fund_ids = fund_scope(ledger, fund_id)
    book = HoldingBook(ledger.holdings, ledger.project_flows, ledger.marks, as_of)
    return _fund(ledger, book, label, fund_ids, as_of, gilt_yields, annual_benchmarks)


def value(
    ledger: Ledger,
    as_of: dt.date,
    fund_id: str | None = None,
    *,
    gilt_yields: pd.DataFrame,
    annual_benchmarks: pd.DataFrame,
    unit_values: pd.DataFrame,
    deflator: Mapping[int, Decimal] | None = None,
    report_sections: bool = False,
    progress: Progress = lambda _m: None,
) -> Run:
    """Value the scope (one fund, or ``ALL`` with ``fund_id=None``) as of ``as_of``.

    With ``report_sections`` the run also holds what the committee pack and the
    statements show (valuation/report_sections.py: the year-end history, each
    project's details, investors' flows…), so reports render the run alone. It costs a
    fund valuation per year-end, so it is what ``passu value --save`` stores, not what a
    plain ``passu value`` prints.

    ``gilt_yields`` is long (``quarter_end``, ``tenor_years``, ``yield_``);
    ``annual_benchmarks`` the Green Book rates and deflator by year; ``unit_values``
    the portfolio's unit values merged with the library; ``deflator`` the GDP deflator
    (calendar year → index) that rebases unit values in different price years to the
    latest of them (valuation/social_value.py). Raises ``ScopeError``,
    ``MissingYieldError`` or ``MissingTermError`` (valuation/cost_of_capital.py).
    Rows of the ledger dated after ``as_of`` are left out first (a ledger read from
    the database as of T has none), so a whole ledger read from CSV values as well.
    """
    f = ledger.as_of(as_of)
    label, fund_ids = fund_scope(f, fund_id)
    progress(f"valuing {label} as of {as_of}")
    # Every holding valued once; each figure below pools the holdings it needs by code.
    book = HoldingBook(f.holdings, f.project_flows, f.marks, as_of)
    lines = capital_lines_at(f, fund_ids, as_of)
    # Funds with share-class terms (issue 14): the waterfall at NAV replaces the plain
    # allocation; none for the others, which are valued exactly as before.
    structures = fund_structures(f, book, fund_ids, as_of, lines)
    fund = _fund(f, book, label, fund_ids, as_of, gilt_yields, annual_benchmarks, structures)
    per_fund = (
        tuple(
            _fund(f, book, one, (one,), as_of, gilt_yields, annual_benchmarks, structures)
            for one in fund_ids
        )
        if label == "ALL"
        else ()
    )
    # The scope's projects: those a fund in scope holds; every holder in them counts. All
    # funds together (ALL) list every project, those held only by direct co-investors too.
    in_scope = set(f.holdings.loc[f.holdings["holder_id"].isin(fund_ids), "project_id"])
    if label == "ALL":
        in_scope |= set(f.holdings["project_id"]) | set(book.positions["project_id"])
    holdings = f.holdings[f.holdings["project_id"].isin(in_scope)]
    scoped = book.select(project_ids=in_scope)
    progress("valuing holdings and projects")
    info = {
        r.project_id: (str(r.name), str(r.policy_area), str(r.region), str(r.status))
        for r in f.projects.itertuples(index=False)
    }
    projects = tuple(
        Project(
            project_id=p.project_id,
            name=info[p.project_id][0],
            policy_area=info[p.project_id][1],
            region=info[p.project_id][2],
            status=info[p.project_id][3],
            invested=p.invested,
            realised=p.realised,
            nav=p.nav,
            cost_outstanding=p.cost_outstanding,
            moic=normalise("multiple", p.moic),
            irr=normalise("rate", p.irr),
            irr_note=p.irr_note,
            multiple_sign_changes=p.multiple_sign_changes,
            realised_gain=p.realised_gain,
            period_return=normalise("rate", p.period_return),
        )
        for p in project_values(book, scoped)
    )
    holding_rows = tuple(
        Holding(
            project_id=h.project_id,
            holder_id=h.holder_id,
            tranche=h.tranche,
            invested=h.invested,
            realised=h.realised,
            nav=h.nav,
            cost_outstanding=h.cost_outstanding,
            moic=normalise("multiple", h.moic),
            irr=normalise("rate", h.irr),
            irr_note=h.irr_note,
            multiple_sign_changes=h.multiple_sign_changes,
            realised_gain=h.realised_gain,
            period_return=normalise("rate", h.period_return),
        )
        for h in holding_values(book, scoped)
    )
    progress("capital accounts and pari passu")
    navs = {x.fund_id: x.nav for x in per_fund} if label == "ALL" else {label: fund.nav}
    fund_navs = {one: navs[one] for one in fund_ids}
    # The carry holders' flows are carried interest, not a capital account's.
    lines = lines_net_of_carry(lines, structures) if structures else lines
    flows = without_carry_holders(f.investor_flows, carry_holders(structures))
    accounts = capital_accounts(
        fund_navs,
        f.commitments,
        flows,
        as_of,
        balances={k: (v["ending"], v["unfunded"]) for k, v in lines.items()},
    )
    classes = share_class_values(accounts, f.commitments, flows, as_of)
    pari = check_share_classes(
        accounts, f.commitments, flows, as_of, capital_lines=lines
    ) + check_tranches_in(book, scoped)
    who = {r.investor_id: (str(r.name), str(r.kind)) for r in f.investors.itertuples()}
    progress("outcomes, social value and claims")
    # Σ drawdowns to T by every holder of the scope's projects, from the positions.
    invested = book.positions.loc[
        book.select(project_ids=scope_projects(f, fund_ids)), "invested_pence"
    ].sum()
    outcomes, social = _outcome_sections(
        f, fund_ids, as_of, pence_to_decimal(int(invested)), unit_values, deflator
    )
    sections: dict[str, Any] = {}
    if report_sections:
        progress("report sections: year-end history, project details, investors' flows")

        def fund_at(day: dt.date) -> dict[str, Any]:
            if day == as_of:  # the J-curve's last point is this run's fund, valued above
                return fund.to_dict()
            past = f.as_of(day)
            return _fund(
                past,
                HoldingBook(past.holdings, past.project_flows, past.marks, day),
                label,
                fund_ids,
                day,
                gilt_yields,
                annual_benchmarks,
            ).to_dict()

        sections = sections_of(f, as_of, fund_ids, label, fund_at)
    return Run(
        as_of=as_of.isoformat(),
        scope=label,
        fingerprint=f.fingerprint(gilt_yields),
        illustrative=is_illustrative(f),
        fund=fund,
        funds=per_fund,
        projects=projects,
        holdings=holding_rows,
        investors=tuple(_account(a, who, lines) for a in accounts),
        share_classes=tuple(
            ShareClass(
                fund_id=c.fund_id,
                share_class=c.share_class,
                investors=c.investors,
                committed=c.committed,
                paid_in=c.paid_in,
                distributed=c.distributed,
                nav=c.nav,
                dpi=normalise("multiple", c.dpi),
                tvpi=normalise("multiple", c.tvpi),
                irr=normalise("rate", c.irr),
                irr_note=c.irr_note,
                period_return=normalise("rate", c.period_return),
            )
            for c in classes
        ),
        pari_passu=PariPassu(
            ok=pari.ok,
            checked=Checked(
                share_classes=len(classes),
                tranches=int(holdings[["project_id", "tranche"]].drop_duplicates().shape[0]),
            ),
            breaches=_breaches(pari),
            excused=tuple(
                Excuse(e.scope, e.id, e.holder_or_investor, e.measures, e.reason)
                for e in pari.excused
            ),
            government=tuple(
                _government(cost)
                for one in sorted(structures)
                for cost in government_costs(f, structures[one])
            ),
        ),
        outcomes=outcomes,
        social_value=social,
        claims=claims_of(f, fund_ids, as_of),
        sections=sections,
    )


def _lines(lines: dict[str, int] | None) -> CapitalAccountLines | None:
    if lines is None:
        return None
    names = [f.name for f in dataclasses.fields(CapitalAccountLines)]
    # carried_interest: only an account of a fund with terms has it (structure_run.py)
    return CapitalAccountLines(
        **{n: pence_to_decimal(lines[n]) for n in names if n in lines or n not in NOT_ROLLED}
    )


def _account(
    a: CapitalAccount, who: dict[str, tuple[str, str]], lines: AccountLines | None = None
) -> Investor:
    name, kind = who.get(a.investor_id, (None, None))
    own = (lines or {}).get((a.fund_id, a.investor_id, a.share_class))
    return Investor(
        fund_id=a.fund_id,
        investor_id=a.investor_id,
        name=name,
        kind=kind,
        share_class=a.share_class,
        committed=a.committed,
        paid_in=a.paid_in,
        distributed=a.distributed,
        nav=a.nav,
        unfunded=a.unfunded,
        dpi=normalise("multiple", a.dpi),
        tvpi=normalise("multiple", a.tvpi),
        irr=normalise("rate", a.irr),
        irr_note=a.irr_note,
        period_return=normalise("rate", a.period_return),
        capital_account=_lines(own),
    )


def _government(cost: GovernmentCost) -> GovernmentShare:
    record = cost.to_record()
    return GovernmentShare(
        investor_id=record["investor_id"],
        fund_id=record["fund_id"],
        share_class=record["share_class"],
        actual_value=record["actual_value"],
        pro_rata_value=record["pro_rata_value"],
        difference=record["difference"],
        irr=normalise("rate", record["irr"]),
        pro_rata_irr=normalise("rate", record["pro_rata_irr"]),
        difference_bps=normalise("bps", record["difference_bps"]),
    )


def _breaches(result: PariPassuResult) -> tuple[Breach, ...]:
    def amount(value: Decimal | float | None, measure: str) -> Decimal | float | None:
        if value is None:
            return None
        return normalise("rate", value) if measure == "irr" else Decimal(value)

    return tuple(
        Breach(
            scope=b.scope,
            id=b.id,
            holder_or_investor=b.holder_or_investor,
            measure=b.measure,
            expected=amount(b.expected, b.measure),
            actual=amount(b.actual, b.measure),
            difference=amount(b.difference, b.measure),
        )
        for b in result.breaches
    )


# --- outcomes, social value and claims -------------------------------------------------


def scope_social_value(
    ledger: Ledger,
    projects: tuple[str, ...],
    as_of: dt.date,
    invested: Decimal,
    unit_values: pd.DataFrame,
    *,
    price_year: int | None = None,
    deflator: Mapping[int, Decimal] | pd.Series | None = None,
    discount_schedule: pd.DataFrame | None = None,
) -> SocialValueReport:
    """Social value of the projects' outcomes to date, per £1 paid into them and invested."""
    payments = outcome_payments_to_date(
        ledger.outcome_payments, ledger.outcome_contracts, as_of, projects
    )
    return social_value(
        outcomes=ledger.outcomes,
        outcome_metrics=ledger.outcome_metrics,
        outcome_contracts=ledger.outcome_contracts,
        projects=ledger.projects,
        unit_values=unit_values,
        as_of=as_of,
        project_ids=projects,
        price_year=price_year,
        deflator=deflator,
        discount_schedule=discount_schedule,
        outcome_payments_total=payments,
        invested_total=invested,
    )


def scope_outcomes(
    ledger: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    fiscal_value: Decimal | None = None,
) -> OutcomesSummary:
    """The outcomes summary of the funds' projects."""
    return outcomes_summary(
        projects=ledger.projects,
        outcome_contracts=ledger.outcome_contracts,
        contract_payers=ledger.contract_payers,
        outcome_metrics=ledger.outcome_metrics,
        outcomes=ledger.outcomes,
        outcome_payments=ledger.outcome_payments,
        holdings=ledger.holdings,
        delivery_partners=ledger.delivery_partners,
        fund_forecasts=ledger.fund_forecasts,
        as_of=as_of,
        fund_ids=fund_ids,
        fiscal_value=fiscal_value,
    )


def _outcome_sections(
    ledger: Ledger,
    fund_ids: Collection[str],
    as_of: dt.date,
    invested: Decimal,
    unit_values: pd.DataFrame,
    deflator: Mapping[int, Decimal] | None = None,
) -> tuple[Outcomes, SocialValue]:
    """One social-value computation shared by both sections (own price years, or the
    latest of several, undiscounted)."""
    projects = scope_projects(ledger, fund_ids)
    report = scope_social_value(ledger, projects, as_of, invested, unit_values, deflator=deflator)
    summary = scope_outcomes(ledger, fund_ids, as_of, report.total.fiscal)
    return outcomes_of(summary), social_value_of(report)


def measure_value(measure: str, value: Decimal | int | None) -> str | int | None:
    """Money measures as two-decimal text; counts as integers (whole forecasts)."""
    if value is None:
        return None
    if measure in MONEY_MEASURES:
        return money_text(Decimal(value))
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else str(number)


def outcomes_of(summary: OutcomesSummary) -> Outcomes:
    return Outcomes(
        payments=summary.payments,
        forecast_payments=summary.forecast_payments,
        achieved=summary.achieved,
        forecast=summary.forecast,
        contracts=summary.contracts,
        payers=summary.payers,
        delivery_partners=summary.delivery_partners,
        co_investors=summary.co_investors,
        over_cap_contracts=tuple(summary.over_cap_contracts),
        forecast_vs_actual=tuple(
            ForecastRow(
                measure=row.measure,
                forecast=measure_value(row.measure, row.forecast),
                forecast_high=measure_value(row.measure, row.forecast_high),
                actual=measure_value(row.measure, row.actual),
            )
            for row in summary.forecast_vs_actual
        ),
    )


def _per_pound(value: SocialValueFigures | None) -> PerPound | None:
    """Pounds of value per £1: each already rounded to the penny, as a number."""
    if value is None:
        return None
    return PerPound(
        fiscal=float(money_text(value.fiscal)),  # type: ignore[arg-type]
        economic=float(money_text(value.economic)),  # type: ignore[arg-type]
        social=float(money_text(value.social)),  # type: ignore[arg-type]
        total=float(money_text(value.total)),  # type: ignore[arg-type]
    )


def social_value_of(report: SocialValueReport) -> SocialValue:
    return SocialValue(
        fiscal=report.total.fiscal,
        economic=report.total.economic,
        social=report.total.social,
        total=report.total.total,
        by_policy_area=tuple(
            AreaValue(area, v.fiscal, v.economic, v.social, v.total)
            for area, v in report.by_policy_area.items()
        ),
        per_pound_paid=_per_pound(report.per_pound_paid),
        per_pound_invested=_per_pound(report.per_pound_invested),
        price_year=report.price_year,
        discounted=report.discounted,
        unvalued_metrics=tuple(
            Unvalued(m.metric_id, m.name, m.project_id, m.achieved, m.reason)
            for m in report.unvalued_metrics
        ),
        rebased=report.rebased,
    )


def claims_of(ledger: Ledger, fund_ids: Collection[str], as_of: dt.date) -> Claims:
    """The claims on the contracts of the funds' projects, as the run holds them."""
    p = claims_position_of(ledger, fund_ids, as_of)
    return Claims(
        claims=len(p.claims),
        claimed=p.claimed,
        verified=p.verified,
        rejected=p.rejected,
        paid=p.paid,
        outstanding_unverified=p.outstanding_unverified,
        outstanding_unpaid=p.outstanding_unpaid,
        verification_rate=normalise("rate", p.verification_rate),
        median_days_to_verify=_number(p.median_days_to_verify),
        median_days_to_pay=_number(p.median_days_to_pay),
    )


def claims_position_of(ledger: Ledger, fund_ids: Collection[str], as_of: dt.date) -> ClaimsPosition:
    """The claims position of the contracts on the funds' projects at ``as_of``."""
    projects = scope_projects(ledger, fund_ids)
    contracts = ledger.outcome_contracts
    in_scope = contracts[contracts["project_id"].isin(list(projects))]["contract_id"]
    return claims_position(
        outcome_claims=ledger.outcome_claims,
        outcome_payments=ledger.outcome_payments,
        as_of=as_of,
        contract_ids=list(in_scope),
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
