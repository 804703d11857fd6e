"""Charts as SVG (vector, embedded in the PDF), drawn with matplotlib, deterministically.

The same data give the same bytes: the Agg backend, a fixed ``svg.hashsalt``
(element ids), no date in the metadata, and text kept as text (``svg.fonttype`` none)
so it stays searchable in the PDF. Labels come from users' data, so mathtext is off
(a ``$`` in a name is a dollar sign, not a formula) and matplotlib escapes them as XML.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

_STYLE: dict[Any, Any] = {  # Any keys: matplotlib's stubs want each key as a Literal
    "svg.hashsalt": "passu",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "axes.axisbelow": True,
    "legend.frameon": False,
}
# Colour-blind safe (Okabe–Ito), in the order series appear.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
WIDTH_IN = 6.6  # the A4 text block, so 8 pt chart text prints at 8 pt
Margins = tuple[float, float, float, float]  # left, bottom, right, top: fractions of the figure


@dataclass(frozen=True)
class Series:
    label: str
    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    style: str = "line"  # "line", "step" or "dots"


def _svg(fig: plt.Figure, *, tight: bool = True) -> str:
    out = io.StringIO()
    # a tight bounding box draws the figure twice; a chart drawn once per project sets
    # its margins instead (see ``time_series``'s ``margins``)
    fig.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight" if tight else None)
    plt.close(fig)
    return out.getvalue()


def money_axis_label(value: float) -> str:
    """£1.0m, −£1.0m, £0: the sign before the pound sign, a real minus, as tables print it."""
    return f"{'−' if value < 0 else ''}£{abs(value) / 1e6:,.1f}m" if value else "£0"


def _millions(value: float, _pos: object) -> str:
    return money_axis_label(value)


def _percent(value: float, _pos: object) -> str:
    return f"{value * 100:.1f}%"


def _legend_above(ax: plt.Axes, columns: int) -> None:
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=columns)


def time_series(
    series: Sequence[Series],
    *,
    y_axis: str,
    height_in: float = 2.8,
    zero_line: bool = False,
    floor: float | None = None,
    margins: Margins | None = None,
) -> str:
    """Lines over time; ``y_axis`` is "money" (£m) or "rate" (%).

    ``floor``: the lowest value drawn. An early IRR of −40% would squash every later
    point into a line, so values below it sit on the floor, labelled with their value.
    ``margins``: fixed (left, bottom, right, top) as fractions of the figure, for a
    chart drawn on every project's page: half the time of fitting a tight box.
    """
    fmt = _millions if y_axis == "money" else _percent
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height_in))
        if margins is not None:
            left, bottom, right, top = margins
            fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
        clipped = []
        for colour, s in zip(PALETTE, series, strict=False):
            values = list(s.values)
            if floor is not None:
                clipped += [
                    (d, v, colour) for d, v in zip(s.dates, values, strict=True) if v < floor
                ]
                values = [max(v, floor) for v in values]
            days = np.array(s.dates, dtype="datetime64[D]")
            if s.style == "step":
                ax.step(days, values, where="post", color=colour, label=s.label, lw=1.4)
            elif s.style == "dots":
                ax.plot(days, values, "o-", color=colour, label=s.label, ms=3, lw=1)
            else:
                ax.plot(days, values, color=colour, label=s.label, lw=1.4)
        for day, value, colour in clipped:
            ax.annotate(
                f"{fmt(value, None)} ↓",
                (day, floor),
                textcoords="offset points",
                xytext=(4, 3),
                color=colour,
                fontsize=7,
            )
        if zero_line:
            ax.axhline(0, color="#555555", lw=0.6)
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
        _legend_above(ax, min(len(series), 3))
        return _svg(fig, tight=margins is None)


def stacked_bars(
    categories: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[float]]],
    *,
    value_axis: str = "money",
) -> str:
    """Horizontal bars, one per category, each split into the stacks (fiscal, economic...)."""
    with plt.rc_context(_STYLE):
        height = max(1.6, 0.32 * len(categories) + 0.9)
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
        positions = list(range(len(categories)))[::-1]
        left = [0.0] * len(categories)
        for colour, (name, values) in zip(PALETTE, stacks, strict=False):
            ax.barh(positions, values, left=left, color=colour, label=name, height=0.6)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, labels=list(categories))
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(
            FuncFormatter(_millions if value_axis == "money" else _percent)
        )
        _legend_above(ax, len(stacks))
        return _svg(fig)


def paired_bars(
    categories: Sequence[str],
    first: tuple[str, Sequence[float]],
    second: tuple[str, Sequence[float]],
) -> str:
    """Two bars per category (achieved beside forecast), horizontal, counts on the axis."""
    with plt.rc_context(_STYLE):
        height = max(1.6, 0.3 * len(categories) + 0.9)
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
        n = len(categories)
        base = [float(n - 1 - i) for i in range(n)]
        ax.barh([b + 0.18 for b in base], first[1], height=0.36, color=PALETTE[0], label=first[0])
        ax.barh([b - 0.18 for b in base], second[1], height=0.36, color="#bbbbbb", label=second[0])
        ax.set_yticks(base, labels=list(categories))
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        _legend_above(ax, 2)
        return _svg(fig)
