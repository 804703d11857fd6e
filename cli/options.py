"""Options several commands share, spelt the same everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from passu.portfolio.dates import last_month_end

# The dates passu can value at: the flows' arithmetic (pandas, nanosecond timestamps)
# spans 1677 to 2262, and a fund's dates lie well inside this.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


class DateType(click.ParamType):
    """A date as YYYY-MM-DD; with ``bounded``, one passu can value at."""

    name = "YYYY-MM-DD"

    def __init__(self, *, bounded: bool = False) -> None:
        self.bounded = bounded

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                self.fail(f"expected a date as YYYY-MM-DD, found {value!r}", param, ctx)
        if self.bounded and not EARLIEST <= day <= LATEST:
            self.fail(f"expected a date from {EARLIEST} to {LATEST}, found {day}", param, ctx)
        return day


DATE = DateType()
VALUATION_DATE = DateType(bounded=True)


def as_of_option() -> Any:
    return click.option(
        "--as-of",
        "as_of",
        type=VALUATION_DATE,
        default=lambda: last_month_end(),
        show_default="the last month-end before today",
        help="Value as of this date: only rows dated on or before it count.",
    )
