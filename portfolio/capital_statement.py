"""An investor's capital account statement in ILPA's lines, from a ledger.

Rolls the investor's funds' capital accounts forward month by month to ``end``
(``valuation/capital_roll.py``, each fund on its allocation basis from ``fund_terms``)
and shows each of its accounts over the period, the year to date and since inception
(``valuation/capital_lines.py``), every column reconciled: beginning + movements =
ending. No SQLAlchemy here, so ``reports/`` can take the statement
(``portfolio/capital.py`` reads the ledger from the database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Listing
from passu.valuation.capital_lines import (
    COLUMNS,
    STATEMENT_LINES,
    reconciles,
    statement_columns,
    statement_windows,
)
from passu.valuation.fees import ledger_capital_roll
from passu.valuation.ledger import Ledger
from passu.valuation.money import money_text, pence_to_decimal
from passu.valuation.terms_at import columns_net_of_carry

__all__ = [
    "FORMAT",
    "AccountStatement",
    "CapitalStatement",
    "check_window",
    "ledger_statement",
    "line_listing",
]

FORMAT = "passu.capital_account/1"


@dataclass(frozen=True)
class AccountStatement:
    """One account (fund, share class): column key → line key → pence."""

    fund_id: str
    share_class: str
    columns: dict[str, dict[str, int]]


@dataclass(frozen=True)
class CapitalStatement:
    investor_id: str
    name: str | None
    start: dt.date
    end: dt.date
    accounts: tuple[AccountStatement, ...]

    def windows(self) -> dict[str, tuple[dt.date, dt.date]]:
        return statement_windows(self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (docs/run-document.md: the capital account statement)."""
        windows = self.windows()
        return {
            "format": FORMAT,
            "investor_id": self.investor_id,
            "name": self.name,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "columns": {
                key: {
                    "from": None if key == "since_inception" else windows[key][0].isoformat(),
                    "to": windows[key][1].isoformat(),
                }
                for key, _ in COLUMNS
            },
            "accounts": [
                {
                    "fund_id": a.fund_id,
                    "share_class": a.share_class,
                    **{
                        key: {line: money_text(pence_to_decimal(v)) for line, v in lines.items()}
                        for key, lines in a.columns.items()
                    },
                }
                for a in self.accounts
            ],
        }

    def listings(self) -> list[Listing]:
        """One table per account: a row per line, a column per window (money)."""
        windows = self.windows()
        heads = {
            "period": f"{windows['period'][0].isoformat()} to {self.end.isoformat()}",
            "year_to_date": f"year to date ({self.end.year})",
            "since_inception": "since inception",
        }
        columns = (
            Column("line"),
            *(Column(key, "money", heads[key]) for key, _ in COLUMNS),
        )
        out = []
        for a in self.accounts:
            rows = tuple(
                (
                    line.label,
                    *(pence_to_decimal(a.columns[key][line.key]) for key, _ in COLUMNS),
                )
                for line in STATEMENT_LINES
                if line.key in a.columns["since_inception"]
            )
            who = f"{self.name} ({self.investor_id})" if self.name else self.investor_id
            out.append(
                Listing(
                    f"Capital account: {who}, fund {a.fund_id}, class {a.share_class}",
                    columns,
                    rows,
                    ("Each column reconciles: beginning + movements = ending.",),
                )
            )
        return out


def ledger_statement(
    ledger: Ledger, investor_id: str, fund_id: str | None, start: dt.date, end: dt.date
) -> CapitalStatement:
    """The statement from a ledger (rows after ``end`` left out): usable from a notebook."""
    check_window(start, end)
    f = ledger.as_of(end)
    names = dict(zip(f.investors["investor_id"], f.investors["name"], strict=True))
    if investor_id not in names:
        raise UsageError(f"no investor {investor_id!r}: `passu list investors` shows the ids")
    funds = sorted(set(f.funds["fund_id"]))
    if fund_id is not None and fund_id not in funds:
        raise UsageError(f"no fund {fund_id!r}: `passu list funds` shows the ids")
    roll = ledger_capital_roll(f, end, [fund_id] if fund_id else funds)
    mine = roll.loc[roll["investor_id"] == investor_id]
    if mine.empty:
        where = f"fund {fund_id}" if fund_id else "any fund"
        raise UsageError(
            f"investor {investor_id!r} has no capital account in {where} by {end} "
            "(no commitment or call dated on or before it)"
        )
    # funds with share-class terms: net of carry, as the run has them (issue 14)
    columns = columns_net_of_carry(
        f, statement_columns(mine, start, end), statement_windows(start, end)
    )
    accounts = []
    for (fund, _investor, share_class), lines in sorted(columns.items()):
        for key, values in lines.items():
            # the statement's promise, kept by construction (capital_lines): say so if not
            if not reconciles(values):
                raise AssertionError(f"{fund}/{share_class} {key} does not reconcile")
        accounts.append(AccountStatement(fund, share_class, lines))
    name = names[investor_id]
    return CapitalStatement(
        investor_id, None if name is None else str(name), start, end, tuple(accounts)
    )


def check_window(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}: expected a period ending on --to")
    if start.day != 1:
        raise UsageError(
            f"--from {start}: expected the first day of a month (capital accounts roll "
            f"forward month by month), found day {start.day}"
        )


def line_listing(statement: CapitalStatement) -> Listing:
    """Every account's lines flat (fund, class, line key, one amount per column): CSV's form."""
    columns = (
        Column("fund_id"),
        Column("share_class"),
        Column("line"),
        *(Column(key, "money") for key, _ in COLUMNS),
    )
    rows = tuple(
        (
            a.fund_id,
            a.share_class,
            key,
            *(pence_to_decimal(a.columns[c][key]) for c, _ in COLUMNS),
        )
        for a in statement.accounts
        for key in a.columns["since_inception"]  # LINE_KEYS; carried_interest with terms
    )
    return Listing(f"Capital account: {statement.investor_id}", columns, rows)
