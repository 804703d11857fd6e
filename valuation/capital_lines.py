"""An investor's capital account statement: the ILPA lines over a window, from the roll.

``capital_roll.capital_roll`` gives every account's lines month by month; a statement
shows them over a window: the period asked for, the year to date, since inception (the
columns of the ILPA Reporting Template's capital account statement). Over a window
[start, end]:

    beginning = the account's ending balance at the last period end before ``start``
                (nil before the fund's first period)
    each movement = Σ over the periods ending in [start, end]
    ending = the ending balance at the last period end ≤ ``end``
    unfunded, recallable = at that period end (committed too)

so beginning + Σ signed movements = ending, line by line, in every column (the roll's
periods end on month-ends and T, so a window from the first day of a month to a
month-end or T takes whole periods).

``STATEMENT_LINES`` is the order the lines are shown and written, with the sign each
movement takes. ``carried_interest`` (issue 14) is not a column of the roll: the run
writes it, since inception at T, for an account of a fund with share-class terms
(``structure_run.lines_net_of_carry``); ``LINE_KEYS`` are the roll's lines, which the
statements over a window hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .capital_accounts import ACCOUNT_KEYS
from .capital_roll import CALL_PURPOSES, DISTRIBUTION_PURPOSES

__all__ = [
    "BALANCE_LINES",
    "COLUMNS",
    "LINE_KEYS",
    "MOVEMENT_SIGNS",
    "NOT_ROLLED",
    "STATEMENT_LINES",
    "Line",
    "account_window",
    "reconciles",
    "statement_columns",
    "statement_windows",
    "window_totals",
]


@dataclass(frozen=True)
class Line:
    """One line: its key (the roll's column), its label, and how it moves the balance."""

    key: str
    label: str
    sign: int  # +1 adds to the balance, −1 subtracts, 0 a memo line (not a movement)


STATEMENT_LINES: tuple[Line, ...] = (
    Line("beginning", "Beginning balance", 0),
    *(
        Line(f"contributions_{p}", f"Contributions: {p.replace('_', ' ')}", 1)
        for p in CALL_PURPOSES
    ),
    *(
        Line(f"distributions_{p}", f"Distributions: {p.replace('_', ' ')}", -1)
        for p in DISTRIBUTION_PURPOSES
    ),
    Line("management_fees", "Management fees", -1),
    Line("expenses", "Fund expenses", -1),
    Line("income", "Income (interest and dividends)", 1),
    Line("realised", "Realised gain (loss)", 1),
    Line("unrealised", "Unrealised gain (loss)", 1),
    # Memo: of income, equalisation interest received (+) or paid (−); already in income.
    Line("equalisation_interest", "of which equalisation interest", 0),
    # Issue 14: the account's part of the accrued carried interest (funds with terms).
    Line("carried_interest", "Carried interest", -1),
    Line("ending", "Ending balance", 0),
    Line("unfunded", "Unfunded commitment", 0),
    Line("recallable", "of which recallable", 0),
)
MOVEMENT_SIGNS: Mapping[str, int] = {line.key: line.sign for line in STATEMENT_LINES if line.sign}
BALANCE_LINES = ("ending", "committed", "unfunded", "recallable")
NOT_ROLLED = ("carried_interest",)  # written by the run for funds with terms only
_MOVEMENTS = tuple(k for k in MOVEMENT_SIGNS if k not in NOT_ROLLED)
_KEYS = [*(line.key for line in STATEMENT_LINES if line.key not in NOT_ROLLED), "committed"]
LINE_KEYS = tuple(_KEYS)


def window_totals(
    roll: pd.DataFrame, start: dt.date | pd.Timestamp, end: dt.date | pd.Timestamp
) -> pd.DataFrame:
    """Every account's lines over [start, end] (module docstring), int64 pence.

    One row per account of ``roll``; columns: the account keys, then ``_KEYS`` (the
    statement's lines and ``committed``). Vectorised over the roll: one mask per part.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    keys = list(ACCOUNT_KEYS)
    accounts = roll[keys].drop_duplicates().sort_values(keys, ignore_index=True)
    index = pd.MultiIndex.from_frame(accounts)

    def by_account(rows: pd.DataFrame, columns: list[str], how: str) -> pd.DataFrame:
        grouped = rows.sort_values([*keys, "period_end"], kind="stable").groupby(keys)[columns]
        out = grouped.sum() if how == "sum" else grouped.last()
        return out.reindex(index, fill_value=0)

    before = by_account(roll.loc[roll["period_end"] < first], ["ending"], "last")
    inside = by_account(
        roll.loc[(roll["period_end"] >= first) & (roll["period_end"] <= last)],
        [*_MOVEMENTS, "equalisation_interest"],
        "sum",
    )
    at_end = by_account(roll.loc[roll["period_end"] <= last], list(BALANCE_LINES), "last")
    out = pd.concat([before.rename(columns={"ending": "beginning"}), inside, at_end], axis=1)
    return out[_KEYS].astype(np.int64).reset_index()


def account_window(
    roll: pd.DataFrame,
    account: tuple[str, str, str],
    start: dt.date | pd.Timestamp,
    end: dt.date | pd.Timestamp,
) -> dict[str, int]:
    """One account's lines over [start, end], key → pence (nil lines for an absent account)."""
    mine = roll.loc[
        (roll["fund_id"] == account[0])
        & (roll["investor_id"] == account[1])
        & (roll["share_class"] == account[2])
    ]
    if mine.empty:
        return dict.fromkeys(_KEYS, 0)
    row = window_totals(mine, start, end).iloc[0]
    return {key: int(row[key]) for key in _KEYS}


def reconciles(lines: Mapping[str, int]) -> bool:
    """beginning + Σ signed movements = ending (a line not given counts nil)."""
    moved = sum(sign * int(lines.get(key) or 0) for key, sign in MOVEMENT_SIGNS.items())
    return int(lines["beginning"]) + moved == int(lines["ending"])


# The columns of the ILPA capital account statement, as (key, heading).
COLUMNS = (
    ("period", "Period"),
    ("year_to_date", "Year to date"),
    ("since_inception", "Since inception"),
)
EARLIEST = pd.Timestamp("1900-01-01")


def statement_windows(start: dt.date, end: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The windows of the three columns: [start, end], the calendar year of ``end`` to it,
    and since inception (everything to ``end``)."""
    return {
        "period": (start, end),
        "year_to_date": (dt.date(end.year, 1, 1), end),
        "since_inception": (EARLIEST.date(), end),
    }


def statement_columns(
    roll: pd.DataFrame, start: dt.date, end: dt.date
) -> dict[tuple[str, str, str], dict[str, dict[str, int]]]:
    """Each account of ``roll`` → column key → its lines (pence) over that column's window."""
    out: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {}
    for column, (first, last) in statement_windows(start, end).items():
        totals = window_totals(roll, first, last)
        for row in totals.itertuples(index=False):
            key = (str(row.fund_id), str(row.investor_id), str(row.share_class))
            out.setdefault(key, {})[column] = {k: int(getattr(row, k)) for k in _KEYS}
    return out
