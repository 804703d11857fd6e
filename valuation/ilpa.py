"""The ILPA templates' figures for a quarter: capital accounts, fees and expenses, cash flows.

``ilpa_quarter(ledger, "2026-Q3", fund_ids)`` gathers, as of the quarter's end T:

- **capital account** (ILPA Reporting Template): each account's lines for the quarter,
  the year to date and since inception (``capital_lines.statement_columns``), and each
  fund's total (the sum of its accounts, line by line: the fund's ending balance is its
  NAV, less the accrued carried interest for a fund with share-class terms);
- **fees and expenses**, per calendar quarter from the fund's first to this one: the
  management fees charged (the roll's ``management_fees`` summed over the accounts:
  fund_expenses of kind management_fee, fees called from investors included once), the
  fee from the terms (``fees.quarter_fees``: gross, offset and net, when ``fund_terms``
  give a rate; else null) and the fund's expenses;
- **fund cash flows by quarter** (ILPA Performance Template, gross-up method): for each
  quarter, the fund's flows with its investments (drawdowns out, receipts in) and with
  its investors (calls in, distributions out), and the NAV at the quarter's end; with
  the fund's net IRR (investors' dated flows and the NAV at T), gross IRR (the fund's
  own holdings' dated flows and their NAV at T), TVPI and DPI since inception at T; for
  a fund with share-class terms (issue 14) the capital accounts, net IRR, TVPI and DPI
  are net of carried interest, as the run's (``terms_at.columns_net_of_carry``,
  ``fund.value_fund_in``).

Every IRR is ``returns.xirr`` over the dated flows (not the quarterly buckets), so it is
the run's figure for the same scope and date. Pure: frames in, dataclasses out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from .capital_lines import statement_columns, statement_windows
from .capital_roll import fund_month_ends, with_flow_defaults
from .fees import ledger_capital_roll, ledger_quarter_fees
from .ledger import Ledger
from .multiples import multiples
from .receipts import RECEIPT_KINDS
from .returns import IrrResult, xirr
from .structure import FundStructure
from .structure_run import carry_holders, without_carry_holders
from .terms_at import columns_net_of_carry, structures_on

__all__ = [
    "AccountColumns",
    "CashFlowQuarter",
    "FeeQuarter",
    "FundPerformance",
    "IlpaQuarter",
    "ilpa_quarter",
    "parse_quarter",
]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(text: str) -> tuple[dt.date, dt.date]:
    """'2026-Q3' → (2026-07-01, 2026-09-30); ValueError naming what was expected."""
    match = _QUARTER.match(text)
    if not match:
        raise ValueError(f"expected a quarter as YYYY-QN (e.g. 2026-Q3), found {text!r}")
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    return start, end


def _label(day: pd.Timestamp) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class AccountColumns:
    """One account's (or, with investor_id "", a fund total's) lines: column → line → pence."""

    fund_id: str
    investor_id: str
    share_class: str
    columns: dict[str, dict[str, int]]


@dataclass(frozen=True)
class FeeQuarter:
    fund_id: str
    quarter: str
    management_fees: int  # charged (recorded), pence
    terms_gross: int | None  # from fund_terms; None without a fee rate
    terms_offset: int | None
    terms_fee: int | None
    expenses: int


@dataclass(frozen=True)
class CashFlowQuarter:
    fund_id: str
    quarter: str
    drawdowns: int  # fund → investments
    receipts: int  # investments → fund
    calls: int  # investors → fund
    distributions: int  # fund → investors
    nav: int  # at the quarter's end (T for the last)


@dataclass(frozen=True)
class FundPerformance:
    fund_id: str
    paid_in: int
    distributed: int
    nav: int
    net_irr: IrrResult
    gross_irr: IrrResult
    tvpi: float | None
    dpi: float | None


@dataclass(frozen=True)
class IlpaQuarter:
    quarter: str
    start: dt.date
    end: dt.date
    accounts: tuple[AccountColumns, ...]  # investors' accounts, then each fund's total
    fees: tuple[FeeQuarter, ...]
    cash_flows: tuple[CashFlowQuarter, ...]
    performance: tuple[FundPerformance, ...]


def ilpa_quarter(ledger: Ledger, quarter: str, fund_ids: Collection[str]) -> IlpaQuarter:
    """The quarter's ILPA figures for the funds (module docstring); T = the quarter's end."""
    start, end = parse_quarter(quarter)
    f = ledger.as_of(end)
    funds = sorted(fund_ids)
    roll = ledger_capital_roll(f, end, funds)
    columns = statement_columns(roll, start, end) if len(roll) else {}
    # funds with share-class terms: net of carry, as the run has them (issue 14)
    columns = columns_net_of_carry(f, columns, statement_windows(start, end))
    structures, _ = structures_on(f, funds, end)
    accounts = [AccountColumns(k[0], k[1], k[2], v) for k, v in sorted(columns.items())]
    for fund_id in sorted({a.fund_id for a in accounts}):
        mine = [a for a in accounts if a.fund_id == fund_id]
        total = {
            c: {line: sum(a.columns[c].get(line, 0) for a in mine) for line in mine[0].columns[c]}
            for c in mine[0].columns
        }
        accounts.append(AccountColumns(fund_id, "", "", total))
    flows = with_flow_defaults(f.investor_flows)
    quarter_ends = _quarter_ends(flows, funds, end)
    return IlpaQuarter(
        quarter=quarter,
        start=start,
        end=end,
        accounts=tuple(accounts),
        fees=_fees(f, roll, end),
        cash_flows=_cash_flows(f, flows, funds, quarter_ends),
        performance=tuple(
            _performance(f, flows, fund, end, structures.get(fund)) for fund in funds
        ),
    )


def _quarter_ends(flows: pd.DataFrame, funds: list[str], end: dt.date) -> pd.DatetimeIndex:
    calls = flows.loc[flows["fund_id"].isin(funds) & (flows["kind"] == "call"), "date"]
    first = calls.min() if len(calls) else pd.Timestamp(end)
    return pd.date_range(first + pd.offsets.QuarterEnd(0), pd.Timestamp(end), freq="QE")


def _fees(ledger: Ledger, roll: pd.DataFrame, end: dt.date) -> tuple[FeeQuarter, ...]:
    if roll.empty:
        return ()
    charged = (
        roll.assign(quarter=[_label(d) for d in roll["period_end"]])
        .groupby(["fund_id", "quarter"], sort=True)[["management_fees", "expenses"]]
        .sum()
    )
    terms = ledger_quarter_fees(ledger, end)
    by_terms = (
        terms.groupby(["fund_id", "quarter"])[["gross_pence", "offset_pence", "fee_pence"]].sum()
        if len(terms)
        else None
    )
    out = []
    for (fund_id, quarter), row in charged.iterrows():
        t = (
            by_terms.loc[(fund_id, quarter)]
            if by_terms is not None and (fund_id, quarter) in by_terms.index
            else None
        )
        out.append(
            FeeQuarter(
                fund_id=str(fund_id),
                quarter=str(quarter),
                management_fees=int(row["management_fees"]),
                terms_gross=None if t is None else int(t["gross_pence"]),
                terms_offset=None if t is None else int(t["offset_pence"]),
                terms_fee=None if t is None else int(t["fee_pence"]),
                expenses=int(row["expenses"]),
            )
        )
    return tuple(out)


def _cash_flows(
    ledger: Ledger, flows: pd.DataFrame, funds: list[str], ends: pd.DatetimeIndex
) -> tuple[CashFlowQuarter, ...]:
    if len(ends) == 0:
        return ()
    series = fund_month_ends(
        funds, flows, ledger.fund_expenses, ledger.project_flows, ledger.marks, ends
    )
    out = []
    for fund_id, rows in series.groupby("fund_id", sort=True):
        rows = rows.sort_values("date")
        moved = rows[["drawdowns_pence", "receipts_pence", "calls_pence", "distributions_pence"]]
        step = moved.diff().fillna(moved).astype("int64")
        for (_, r), (_, s) in zip(rows.iterrows(), step.iterrows(), strict=True):
            out.append(
                CashFlowQuarter(
                    fund_id=str(fund_id),
                    quarter=_label(r["date"]),
                    drawdowns=int(s["drawdowns_pence"]),
                    receipts=int(s["receipts_pence"]),
                    calls=int(s["calls_pence"]),
                    distributions=int(s["distributions_pence"]),
                    nav=int(r["nav_pence"]),
                )
            )
    return tuple(out)


def _performance(
    ledger: Ledger,
    flows: pd.DataFrame,
    fund_id: str,
    end: dt.date,
    structure: FundStructure | None = None,
) -> FundPerformance:
    """The fund's figures at the quarter's end; with terms (``structure``), net IRR and
    the multiples net of carried interest, as the run's (``fund.value_fund_in``)."""
    series = fund_month_ends(
        [fund_id],
        flows,
        ledger.fund_expenses,
        ledger.project_flows,
        ledger.marks,
        pd.DatetimeIndex([pd.Timestamp(end)]),
    ).iloc[-1]
    paid_in, distributed = int(series["calls_pence"]), int(series["distributions_pence"])
    nav, held = int(series["nav_pence"]), int(series["holdings_nav_pence"])
    mine = flows.loc[(flows["fund_id"] == fund_id) & flows["kind"].isin(["call", "distribution"])]
    if structure is not None:  # the carry holder's flows are carry; NAV less accrued carry
        mine = without_carry_holders(mine, carry_holders({fund_id: structure}))
        distributed = int(mine.loc[mine["kind"] == "distribution", "amount_pence"].sum())
    to_investors = nav - (0 if structure is None else structure.accrued_carry_pence)
    net_dates = [*mine["date"], pd.Timestamp(end)]
    signs = [-1 if k == "call" else 1 for k in mine["kind"]]
    net_amounts = [
        *(s * int(a) for s, a in zip(signs, mine["amount_pence"], strict=True)),
        to_investors,
    ]
    own = ledger.project_flows.loc[ledger.project_flows["holder_id"] == fund_id]
    own = own.loc[own["kind"].isin(["drawdown", *RECEIPT_KINDS])]
    gross_dates = [*own["date"], pd.Timestamp(end)]
    signs = [-1 if k == "drawdown" else 1 for k in own["kind"]]
    gross_amounts = [*(s * int(a) for s, a in zip(signs, own["amount_pence"], strict=True)), held]
    ratios = multiples(paid_in, distributed, to_investors)
    return FundPerformance(
        fund_id=fund_id,
        paid_in=paid_in,
        distributed=distributed,
        nav=nav,
        net_irr=xirr(net_dates, [int(a) for a in net_amounts]),
        gross_irr=xirr(gross_dates, [int(a) for a in gross_amounts]),
        tvpi=ratios.tvpi,
        dpi=ratios.dpi,
    )
