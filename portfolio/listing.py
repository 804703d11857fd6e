"""A table of typed values for the CLI to print as a table, JSON or CSV.

Each column says what kind of value it holds, so that money is printed in full
(£72,200,000.00) in a terminal, as a two-decimal string in JSON and CSV, counts
as integers and rates as numbers: the formatting lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ValueKind = Literal["text", "money", "date", "count", "rate", "multiple", "fraction", "bps"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ValueKind = "text"
    title: str | None = None

    @property
    def heading(self) -> str:
        return self.title or self.name.replace("_", " ")


@dataclass(frozen=True)
class Listing:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def records(self) -> list[dict[str, Any]]:
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Figure:
    name: str
    value: Any
    kind: ValueKind = "text"
    label: str | None = None

    @property
    def heading(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class Figures:
    """Named figures of one thing (a fund, a project): a two-column table or a JSON object."""

    title: str
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = field(default=())
