"""A fund (or all funds together) valued at an as-of date T, with ILPA's names.

- paid-in (PIC) = Σ calls; distributed = Σ distributions; committed = Σ
  commitments; unfunded = committed − PIC
- fund cash = calls − drawdowns + receipts − distributions − fund expenses,
  where drawdowns and receipts are those of the fund's own holdings (holder_id
  is a fund in scope): ``fund_cash.fund_cash``
- fund NAV = Σ NAV of its holdings + fund cash
- DPI = distributed / PIC; RVPI = NAV / PIC; TVPI = (distributed + NAV) / PIC
  (``None`` when PIC is 0): ``multiples.multiples``
- net IRR = XIRR of calls (negative) and distributions (positive) plus fund
  NAV at T; gross IRR and gross MOIC over the fund's own holdings pooled
- liquidity: undrawn holding commitments (Σ holding commitment − Σ drawdowns)
  against fund cash + investors' unfunded commitments

Every row used is dated ≤ T, commitments included. With several funds in
scope (``ALL``) every flow is pooled, as if one fund.

Net of carried interest (issue 14, funds with share-class terms): the carry
holders' distributions are carried interest, not the investors' returns, and the
investors hold NAV less the accrued carry. So DPI = distributed to investors /
PIC, RVPI = (NAV − accrued carry) / PIC, TVPI their sum, and net IRR over the
investors' calls and distributions and NAV − accrued carry at T. NAV,
distributed and fund cash stay the fund's. Without terms nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .book import HoldingBook
from .fund_cash import fund_cash
from .holdings import pool_value
from .money import pence_to_decimal
from .multiples import multiples
from .returns import IrrResult, xirr
from .structure_run import without_carry_holders

__all__ = ["FundValue", "value_fund", "value_fund_in"]


@dataclass(frozen=True, slots=True)
class FundValue:
    """A fund at T: money in pounds, multiples and rates as floats or ``None``."""

    fund_id: str
    committed: Decimal
    paid_in: Decimal
    distributed: Decimal
    unfunded: Decimal
    cash: Decimal
    nav: Decimal
    holdings_nav: Decimal
    dpi: float | None
    rvpi: float | None
    tvpi: float | None
    gross_irr: float | None
    gross_irr_note: str | None
    gross_moic: float | None
    net_irr: float | None
    net_irr_note: str | None
    undrawn_holding_commitments: Decimal
    available_liquidity: Decimal
    expenses: Decimal
    gross_multiple_sign_changes: bool
    net_multiple_sign_changes: bool
    # The gross flows span under a year: their simple return (the gross IRR is null).
    gross_period_return: float | None = None


def value_fund(
    fund_ids: Collection[str],
    fund_label: str,
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> FundValue:
    """Value the funds in ``fund_ids`` together at ``as_of``, labelled ``fund_label``.

    ``fund_ids`` is the scope: one fund (``{"F1"}``, label ``"F1"``) or every
    fund (label ``"ALL"``). Definitions are in the module docstring.
    """
    scope = list(fund_ids)
    own = HoldingBook(
        holdings.loc[holdings["holder_id"].isin(scope)],
        project_flows.loc[project_flows["holder_id"].isin(scope)],
        marks.loc[marks["holder_id"].isin(scope)],
        as_of,
    )
    return value_fund_in(own, fund_ids, fund_label, commitments, investor_flows, fund_expenses)


def value_fund_in(
    book: HoldingBook,
    fund_ids: Collection[str],
    fund_label: str,
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    *,
    carry_holders: Collection[tuple[str, str]] = (),
    accrued_carry_pence: int = 0,
) -> FundValue:
    """``value_fund`` at the book's as-of date, the fund's holdings taken from ``book``.

    The book may hold every holding of the portfolio; the funds' own (holder_id
    in ``fund_ids``) are picked out by code, so one book serves every scope.
    ``carry_holders`` ((fund_id, investor_id)) and ``accrued_carry_pence``: the
    returns net of carried interest (module docstring).
    """
    scope = list(fund_ids)
    cutoff = book.as_of
    # An undated commitment is a standing one: it counts at every date.
    committed = _dated_sum(commitments.fillna({"date": pd.Timestamp.min}), scope, cutoff)
    calls = _in_scope(investor_flows, scope, cutoff)
    paid_in = int(calls.loc[calls["kind"] == "call", "amount_pence"].sum())
    distributed = int(calls.loc[calls["kind"] == "distribution", "amount_pence"].sum())
    expenses = _dated_sum(fund_expenses, scope, cutoff)

    mine = book.select(holder_ids=scope)
    positions = book.positions.loc[mine]
    drawn = int(positions["invested_pence"].sum())
    received = int(positions["realised_pence"].sum())
    holdings_nav = int(positions["nav_pence"].sum())
    undrawn = int(positions["commitment_pence"].sum()) - drawn

    cash = fund_cash(
        calls=paid_in,
        drawdowns=drawn,
        receipts=received,
        distributions=distributed,
        expenses=expenses,
    )
    nav = holdings_nav + cash
    unfunded = committed - paid_in

    investors = without_carry_holders(calls, carry_holders)
    to_investors = int(investors.loc[investors["kind"] == "distribution", "amount_pence"].sum())
    net = _net_irr(investors, nav - accrued_carry_pence, cutoff)
    ratios = multiples(paid_in, to_investors, nav - accrued_carry_pence)
    gross = pool_value(book, fund_label, mine)
    return FundValue(
        fund_id=fund_label,
        committed=pence_to_decimal(committed),
        paid_in=pence_to_decimal(paid_in),
        distributed=pence_to_decimal(distributed),
        unfunded=pence_to_decimal(unfunded),
        cash=pence_to_decimal(cash),
        nav=pence_to_decimal(nav),
        holdings_nav=pence_to_decimal(holdings_nav),
        dpi=ratios.dpi,
        rvpi=ratios.rvpi,
        tvpi=ratios.tvpi,
        gross_irr=gross.irr,
        gross_irr_note=gross.irr_note,
        gross_moic=gross.moic,
        net_irr=net.rate,
        net_irr_note=net.note,
        undrawn_holding_commitments=pence_to_decimal(undrawn),
        available_liquidity=pence_to_decimal(cash + unfunded),
        expenses=pence_to_decimal(expenses),
        gross_multiple_sign_changes=gross.multiple_sign_changes,
        net_multiple_sign_changes=net.multiple_sign_changes,
        gross_period_return=gross.period_return,
    )


def _in_scope(frame: pd.DataFrame, scope: list[str], cutoff: pd.Timestamp) -> pd.DataFrame:
    return frame.loc[frame["fund_id"].isin(scope) & (frame["date"] <= cutoff)]


def _dated_sum(frame: pd.DataFrame, scope: list[str], cutoff: pd.Timestamp) -> int:
    return int(_in_scope(frame, scope, cutoff)["amount_pence"].sum())


def _net_irr(flows: pd.DataFrame, nav_pence: int, cutoff: pd.Timestamp) -> IrrResult:
    """XIRR of calls (negative), distributions (positive) and NAV at T (positive)."""
    calls = flows.loc[flows["kind"] == "call"]
    distributions = flows.loc[flows["kind"] == "distribution"]
    # A nil NAV is no flow (as for holdings), so "no flows" reads as such.
    at_t = [cutoff] if nav_pence else []
    dates = [*calls["date"], *distributions["date"], *at_t]
    amounts = [
        *(-calls["amount_pence"]).astype("int64").tolist(),
        *distributions["amount_pence"].astype("int64").tolist(),
        *([nav_pence] if nav_pence else []),
    ]
    return xirr(dates, amounts)
