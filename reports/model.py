"""The plain shapes every report is made of: figures, tables, charts, sections.

``reports/`` fills these with numbers already formatted (£1.2m, 7.3%, 1.45x);
the Jinja2 templates only place them. A table knows which columns are numeric
so the stylesheet can right-align them, and repeats its header row on every
page it spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One headline number: "Net IRR" "2.9%", with an optional note (why it is missing...)."""

    label: str
    text: str
    note: str | None = None


@dataclass(frozen=True)
class FigureGroup:
    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    """Rows of formatted cells; ``numeric[i]`` right-aligns column i."""

    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    caption: str | None = None
    notes: tuple[str, ...] = ()
    empty_text: str = "Nothing to show."

    def __post_init__(self) -> None:
        width = len(self.headers)
        if len(self.numeric) != width or any(len(r) != width for r in self.rows):
            raise ValueError(f"table {self.caption!r}: every row needs {width} cells")
        if self.total is not None and len(self.total) != width:
            raise ValueError(f"table {self.caption!r}: the total row needs {width} cells")


@dataclass(frozen=True)
class Chart:
    """An SVG chart passu drew, with the title and the sentence that says how to read it."""

    title: str
    svg: str
    caption: str


@dataclass(frozen=True)
class Section:
    """One entry of the contents list: the anchor the template gives the section's heading."""

    anchor: str
    title: str


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    as_of: str
    scope: str
    facts: tuple[Figure, ...]  # run id, status, data fingerprint, prepared from
    notices: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class FairValuePage:
    """A fund's proposed marks against its current ones, and the range of outcomes."""

    anchor: str
    title: str
    figures: tuple[Figure, ...]
    marks: Table
    chart: Chart | None
    notes: tuple[str, ...] = ()
