"""What a check found, and how ids, dates and money read inside its messages."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .money import pence_to_decimal


@dataclass(frozen=True)
class Finding:
    """One thing a check found: which check, what is wrong, and the stored rows behind it."""

    check: str
    message: str
    rows: tuple[str, ...]


# --- formatting of ids, dates and money inside messages --------------------------


def pounds(pence: int) -> str:
    """Money in full, as a terminal table prints it: 123456 → '£1,234.56'."""
    value = pence_to_decimal(int(pence))
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _day(value: object) -> str:
    return "none" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _days(column: pd.Series) -> pd.Series:
    return column.dt.strftime("%Y-%m-%d").fillna("none")


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Ids joined with '/', the way docs/format.md names a holding: P1/F1/A."""
    out = frame[columns[0]].astype(str)
    for column in columns[1:]:
        out = out + "/" + frame[column].astype(str)
    return out


def _money(column: pd.Series) -> pd.Series:
    return column.map(pounds)


def _rows(frame: pd.DataFrame, label: pd.Series, group: list[str]) -> pd.Series:
    """For each group, the tuple of its rows' labels, sorted, for a finding's ``rows``."""
    return label.groupby([frame[g] for g in group]).agg(lambda s: tuple(sorted(s)))
