"""Options several commands share, spelt the same everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from passu.portfolio.dates import last_month_end


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"expected a date as YYYY-MM-DD, found {value!r}", param, ctx)


DATE = DateType()


def as_of_option() -> Any:
    return click.option(
        "--as-of",
        "as_of",
        type=DATE,
        default=lambda: last_month_end(),
        show_default="the last month-end before today",
        help="Value as of this date: only rows dated on or before it count.",
    )
