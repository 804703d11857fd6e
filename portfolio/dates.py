"""Dates users type and the defaults they expect."""

from __future__ import annotations

import datetime as dt


def last_month_end(today: dt.date | None = None) -> dt.date:
    """The default as-of date everywhere: the last month-end before today."""
    today = today or dt.date.today()
    return today.replace(day=1) - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
