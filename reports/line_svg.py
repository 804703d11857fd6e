"""A small line chart written as SVG text directly, for charts drawn once per project.

matplotlib takes about 60 ms to lay out and write a chart, most of it building
tick objects; a committee pack with 200 projects draws 200 cash profiles, which
made chart drawing the largest cost of building the pack. These charts need only
lines, a zero line, a few gridlines and labels, so they are written here as plain
SVG: the same data give the same bytes, and labels from users' data are escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from .charts import PALETTE, WIDTH_IN, Series

POINTS_PER_INCH = 72
FONT = "DejaVu Sans, sans-serif"
LEFT, RIGHT, TOP, BOTTOM = 54.0, 12.0, 22.0, 22.0  # margins in points: labels, legend


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` gridlines over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _ordinal(day: dt.date) -> int:
    return day.toordinal()


def line_chart(
    series: Sequence[Series],
    *,
    label: Callable[[float], str],
    height_in: float = 2.2,
    zero_line: bool = True,
) -> str:
    """Lines over time with a legend above; ``label`` formats the y axis (e.g. £1.0m)."""
    width = WIDTH_IN * POINTS_PER_INCH
    height = height_in * POINTS_PER_INCH
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    days = [d for s in series for d in s.dates]
    values = [v for s in series for v in s.values]
    if not days:
        return ""
    low_x, high_x = _ordinal(min(days)), _ordinal(max(days))
    low_y, high_y = min([*values, 0.0]), max([*values, 0.0])
    step = _nice_step(high_y - low_y)
    low_y, high_y = math.floor(low_y / step) * step, math.ceil(high_y / step) * step
    if high_y == low_y:
        high_y = low_y + step

    def x(day: dt.date) -> float:
        span = max(high_x - low_x, 1)
        return LEFT + (_ordinal(day) - low_x) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high_y - value) / (high_y - low_y) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" '
        f'height="{height:.0f}pt" viewBox="0 0 {width:.1f} {height:.1f}" '
        f'font-family="{FONT}" font-size="8">'
    ]
    gridline = low_y
    while gridline <= high_y + step / 2:
        gy = y(gridline)
        parts.append(
            f'<line x1="{LEFT:.1f}" y1="{gy:.1f}" x2="{LEFT + plot_w:.1f}" y2="{gy:.1f}" '
            'stroke="#dddddd" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4:.1f}" y="{gy + 3:.1f}" text-anchor="end">'
            f"{escape(label(gridline))}</text>"
        )
        gridline += step
    first_year, last_year = min(days).year, max(days).year
    every = max(1, math.ceil((last_year - first_year + 1) / 8))
    for year in range(first_year, last_year + 1, every):
        tick = dt.date(year, 1, 1)
        if _ordinal(tick) < low_x:
            continue
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP + plot_h:.1f}" x2="{tx:.1f}" '
            f'y2="{TOP + plot_h + 3:.1f}" stroke="#555555" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{TOP + plot_h + 13:.1f}" text-anchor="middle">{year}</text>'
        )
    parts.append(
        f'<line x1="{LEFT:.1f}" y1="{TOP:.1f}" x2="{LEFT:.1f}" y2="{TOP + plot_h:.1f}" '
        'stroke="#555555" stroke-width="0.6"/>'
    )
    if zero_line:
        zy = y(0.0)
        parts.append(
            f'<line x1="{LEFT:.1f}" y1="{zy:.1f}" x2="{LEFT + plot_w:.1f}" y2="{zy:.1f}" '
            'stroke="#555555" stroke-width="0.6"/>'
        )
    legend_x = LEFT
    for colour, s in zip(PALETTE, series, strict=False):
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(s.dates, s.values, strict=True))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.4"/>'
        )
        parts.append(
            f'<line x1="{legend_x:.1f}" y1="9" x2="{legend_x + 16:.1f}" y2="9" '
            f'stroke="{colour}" stroke-width="1.4"/>'
        )
        parts.append(f'<text x="{legend_x + 20:.1f}" y="12">{escape(s.label)}</text>')
        legend_x += 30 + 4.6 * len(s.label)
    parts.append("</svg>")
    return "".join(parts)
