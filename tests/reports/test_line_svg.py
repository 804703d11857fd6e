"""The hand-written per-project line chart: valid, deterministic, escaped, to scale."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from passu.reports.charts import Series, money_axis_label
from passu.reports.line_svg import _nice_step, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _series(label: str = "Actual") -> Series:
    return Series(
        label,
        (dt.date(2017, 3, 31), dt.date(2017, 6, 30), dt.date(2018, 3, 31)),
        (1_000_000.0, -500_000.0, 2_000_000.0),
    )


def test_nice_steps() -> None:
    # 2.5m over about 4 gridlines: 625k, rounded up to the next of 1, 2, 2.5, 5 × 10^n
    assert _nice_step(2_500_000) == 1_000_000
    assert _nice_step(10) == 2.5
    assert _nice_step(0) == 1.0


def test_the_chart_is_valid_svg_and_deterministic() -> None:
    svg = line_chart([_series()], label=money_axis_label)
    assert svg == line_chart([_series()], label=money_axis_label)
    root = ET.fromstring(svg)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 1 and len(lines[0].get("points", "").split()) == 3
    labels = [t.text for t in root.iter(f"{SVG}text")]
    # gridlines every £1m from −£1.0m to £2.0m; the year 2018 (1 January 2017 is before
    # the first quarter shown, so it has no tick); the legend
    assert {"−£1.0m", "£0", "£1.0m", "£2.0m", "2018", "Actual"} <= set(labels)
    assert "2017" not in labels


def test_labels_from_users_data_are_escaped() -> None:
    svg = line_chart([_series('<img src="file:///etc/hostname"> & co')], label=str)
    root = ET.fromstring(svg)  # would fail on unescaped markup
    assert '<img src="file:///etc/hostname"> & co' in [t.text for t in root.iter(f"{SVG}text")]
    assert "<img" not in svg
