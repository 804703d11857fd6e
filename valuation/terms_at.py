"""Funds with share-class terms at a date: their structures, and capital accounts net of
carry, since inception and over a statement's windows (issue 14).

``capital_lines_at``: every account's lines since inception at T, from the roll.
``fund_structures``: the structure (``structure.fund_structure``) of each fund with terms
at its own NAV. ``lines_with_terms_at``: the lines since inception of the accounts of
funds with terms, at their waterfall share of NAV and net of their part of the accrued
carry (``structure_run.lines_net_of_carry``), what ``passu value`` writes.

``columns_net_of_carry``: a capital account statement's columns (``capital_lines.
statement_columns``) for accounts of funds with terms, so that each column agrees with
the run: over a window [first, last], with b the day before ``first``,

    beginning = the account's waterfall share at b (nil before the fund's first call)
    carried_interest = its part of the accrued carry at ``last`` − at b
    unrealised = the roll's + (Δ at ``last`` − Δ at b), Δ = waterfall share − the
                 roll's ending + its part of the accrued carry (what lines_net_of_carry
                 adds to unrealised since inception)
    ending = its waterfall share at ``last``

and every other line is the roll's, so beginning + movements − carried interest = ending
still holds; the since-inception column at T is the run's ``capital_account``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import pandas as pd

from .book import HoldingBook
from .capital_lines import STATEMENT_LINES, window_totals
from .fees import ledger_capital_roll
from .fund import FundValue, value_fund_in
from .ledger import Ledger
from .money import decimal_to_pence
from .structure import FundStructure
from .structure_run import (
    CARRIED_INTEREST_LINE,
    AccountLines,
    funds_with_terms,
    lines_net_of_carry,
    structures_at,
)

__all__ = [
    "AccountLines",
    "capital_lines_at",
    "columns_net_of_carry",
    "fund_structures",
    "lines_with_terms_at",
    "structures_on",
]

Columns = dict[tuple[str, str, str], dict[str, dict[str, int]]]
_ORDER = [*(line.key for line in STATEMENT_LINES), "committed"]


def capital_lines_at(ledger: Ledger, fund_ids: Collection[str], as_of: dt.date) -> AccountLines:
    """Each account's capital account lines since inception at T (pence), from the roll
    of ``ledger`` (already read as of T, as ``value`` has it: not cut again).

    The roll (valuation/capital_roll.py) runs per fund, month by month from its first
    call, on the fund's allocation basis (``fund_terms``; default paid_in). Accounts of
    a fund with no call by T are not in it.
    """
    roll = ledger_capital_roll(ledger, as_of, fund_ids)
    if roll.empty:
        return {}
    totals = window_totals(roll, pd.Timestamp("1900-01-01"), as_of)
    keys = ("fund_id", "investor_id", "share_class")
    values = [c for c in totals.columns if c not in keys]
    return {
        (str(r[0]), str(r[1]), str(r[2])): dict(zip(values, map(int, r[3:]), strict=True))
        for r in totals[[*keys, *values]].itertuples(index=False)
    }


def fund_structures(
    ledger: Ledger,
    book: HoldingBook,
    fund_ids: Collection[str],
    as_of: dt.date,
    lines: AccountLines | None = None,
    *,
    scope: FundValue | None = None,
) -> dict[str, FundStructure]:
    """The structures of the funds with terms among ``fund_ids`` at ``as_of`` (``ledger``
    and ``book`` read as of it), each at its own NAV (``scope``'s when that is the one
    fund valued); ``lines``: the capital accounts' lines (``capital_lines_at``)."""
    with_terms = funds_with_terms(ledger, fund_ids)
    if not with_terms:
        return {}
    navs = {
        one: decimal_to_pence(
            scope.nav
            if scope is not None and tuple(fund_ids) == (one,)
            else value_fund_in(
                book, (one,), one, ledger.commitments, ledger.investor_flows, ledger.fund_expenses
            ).nav
        )
        for one in with_terms
    }
    return structures_at(ledger, book, navs, as_of, lines)


def structures_on(
    ledger: Ledger, fund_ids: Collection[str], day: dt.date
) -> tuple[dict[str, FundStructure], AccountLines]:
    """The structures at ``day`` of the funds with terms among ``fund_ids`` (``ledger``
    read as of it here) and their accounts' lines since inception, as the roll has them."""
    f = ledger.as_of(day)
    with_terms = funds_with_terms(f, fund_ids)
    if not with_terms:
        return {}, {}
    lines = capital_lines_at(f, with_terms, day)
    book = HoldingBook(f.holdings, f.project_flows, f.marks, day)
    return fund_structures(f, book, with_terms, day, lines), lines


def lines_with_terms_at(ledger: Ledger, fund_ids: Collection[str], day: dt.date) -> AccountLines:
    """The lines since inception at ``day`` of every account of a fund with terms among
    ``fund_ids``, net of carry, as ``passu value --as-of day`` writes them."""
    structures, lines = structures_on(ledger, fund_ids, day)
    return lines_net_of_carry(lines, structures) if structures else {}


def columns_net_of_carry(
    ledger: Ledger, columns: Columns, windows: Mapping[str, tuple[dt.date, dt.date]]
) -> Columns:
    """``columns`` (account → window → line → pence) with the accounts of funds with terms
    net of carry (module docstring); other accounts as they are."""
    funds = funds_with_terms(ledger, {fund for fund, _, _ in columns})
    if not funds:
        return columns
    days = {d for first, last in windows.values() for d in (first - dt.timedelta(days=1), last)}
    at = {day: lines_with_terms_at(ledger, funds, day) for day in sorted(days)}
    out: Columns = {}
    for key, by_window in columns.items():
        if key[0] not in funds:
            out[key] = by_window
            continue
        out[key] = {}
        for name, lines in by_window.items():
            first, last = windows[name]
            before, end = first - dt.timedelta(days=1), last
            share_b, carry_b = _share(at[before].get(key), lines["beginning"])
            share_l, carry_l = _share(at[end].get(key), lines["ending"])
            moved_b = share_b - lines["beginning"] + carry_b
            moved_l = share_l - lines["ending"] + carry_l
            adjusted = {
                **lines,
                "beginning": share_b,
                CARRIED_INTEREST_LINE: carry_l - carry_b,
                "unrealised": lines["unrealised"] + moved_l - moved_b,
                "ending": share_l,
            }
            out[key][name] = {k: adjusted[k] for k in _ORDER if k in adjusted}
    return out


def _share(lines: Mapping[str, int] | None, roll_ending: int) -> tuple[int, int]:
    """(waterfall share, accrued carry) of an account at a day; the roll's balance and no
    carry where the run has no such account (before the fund's first call)."""
    if lines is None:
        return roll_ending, 0
    return int(lines["ending"]), int(lines.get(CARRIED_INTEREST_LINE, 0))
