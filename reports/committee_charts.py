"""The committee pack's four charts, from the stored run's history, figures and project facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from . import charts
from .formatting import percent, short_date
from .history import CashPoint, HistoryPoint
from .model import Chart
from .project_facts import ProjectFacts

# Above this many projects one bar per project is unreadable on a page: group by policy area.
MAX_PROJECT_BARS = 40
# The lowest rate the IRR chart draws to scale (see charts.time_series).
RATE_FLOOR = -0.05


def _floats(values: list[Decimal]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def j_curve(cash: tuple[CashPoint, ...], history: tuple[HistoryPoint, ...]) -> Chart | None:
    if not cash:
        return None
    as_of = history[-1].as_of
    cash_dates = (*(c.date for c in cash), as_of)
    cash_values = (*(c.cumulative_net for c in cash), cash[-1].cumulative_net)
    series = [
        charts.Series(
            "Cumulative net cash to investors", cash_dates, _floats(list(cash_values)), "step"
        ),
        charts.Series(
            "NAV", tuple(p.as_of for p in history), _floats([p.nav for p in history]), "dots"
        ),
        charts.Series(
            "Net cash + NAV",
            tuple(p.as_of for p in history),
            _floats([p.net_cash_plus_nav for p in history]),
            "dots",
        ),
    ]
    return Chart(
        "Cumulative net cash flow (J-curve) and NAV",
        charts.time_series(series, y_axis="money", zero_line=True),
        "Distributions less calls, to investors, cumulative; NAV at each year-end "
        f"(recomputed with the run's data when it was saved) and at {short_date(as_of)} (the run). "
        "Where net cash + NAV crosses zero the investors are whole.",
    )


def rates_over_time(history: tuple[HistoryPoint, ...]) -> Chart | None:
    def series(name: str, attribute: str, style: str = "dots") -> charts.Series | None:
        pairs = [(p.as_of, getattr(p, attribute)) for p in history]
        pairs = [(d, v) for d, v in pairs if v is not None]
        if not pairs:
            return None
        return charts.Series(
            name, tuple(d for d, _ in pairs), tuple(float(v) for _, v in pairs), style
        )

    drawn = [
        s
        for s in (
            series("Net IRR", "net_irr"),
            series("Cost of capital", "cost_of_capital"),
            series("HM Treasury benchmark (gilts)", "hmt_benchmark", "line"),
            series("Green Book nominal", "green_book_nominal", "line"),
            series("Green Book real (STPR)", "green_book_real", "line"),
        )
        if s is not None
    ]
    if not drawn:
        return None
    return Chart(
        "IRR and cost of capital over time against the HM Treasury benchmarks",
        charts.time_series(drawn, y_axis="rate", floor=RATE_FLOOR),
        "Each year-end recomputed with the run's data when it was saved; the last point is "
        "the run. "
        "The benchmark prices every drawdown to date at the gilt yield of its quarter. "
        f"Rates below {percent(RATE_FLOOR, 0)} (early years of the J-curve) sit on the "
        "axis floor, labelled with their value.",
    )


def social_value_by_area(document: dict[str, Any]) -> Chart | None:
    areas = document["social_value"]["by_policy_area"]
    if not areas:
        return None
    ordered = sorted(areas, key=lambda a: (-Decimal(a["total"]), a["policy_area"]))
    return Chart(
        "Value of outcomes by policy area",
        charts.stacked_bars(
            [a["policy_area"] for a in ordered],
            [
                (kind.capitalize(), [float(Decimal(a[kind])) for a in ordered])
                for kind in ("fiscal", "economic", "social")
            ],
        ),
        "Fiscal, economic and social value of the outcomes achieved to date, after "
        "deadweight, attribution and optimism bias, in each unit value's price year.",
    )


def outcomes_by_project(document: dict[str, Any], facts: dict[str, ProjectFacts]) -> Chart | None:
    projects = [p for p in document["projects"] if p["project_id"] in facts]
    if not projects:
        return None
    if len(projects) <= MAX_PROJECT_BARS:
        names = [p["project_id"] for p in projects]
        achieved = [facts[n].outcomes.achieved for n in names]
        forecast = [facts[n].outcomes.forecast for n in names]
        note = "Outcomes achieved to date against the contracts' forecast, by project."
        title = "Outcomes achieved against forecast, by project"
    else:
        by_area: dict[str, list[int]] = {}
        for p in projects:
            totals = by_area.setdefault(p["policy_area"], [0, 0])
            totals[0] += facts[p["project_id"]].outcomes.achieved
            totals[1] += facts[p["project_id"]].outcomes.forecast
        names = sorted(by_area)
        achieved = [by_area[n][0] for n in names]
        forecast = [by_area[n][1] for n in names]
        note = (
            f"{len(projects)} projects are too many to draw one by one: grouped by policy "
            "area. Each project's outcomes against forecast are in the portfolio table."
        )
        title = "Outcomes achieved against forecast, by policy area"
    return Chart(
        title,
        charts.paired_bars(
            names,
            ("Achieved", [float(a) for a in achieved]),
            ("Forecast", [float(f) for f in forecast]),
        ),
        note,
    )


def fan_chart(payments_by_year: list[dict[str, Any]], stakes: list[dict[str, Any]]) -> Chart | None:
    """The range of outcomes: P5–P95 and P25–P75 bands with the median, of the outcome
    payments to come by year (left) and of the fund's stakes at each year-end (right)."""
    if not payments_by_year and not stakes:
        return None
    return Chart(
        "Range of outcomes: outcome payments to come and the fund's stakes",
        _fan_panels(
            (
                (
                    "Outcome payments to come, by year",
                    tuple(dt.date(int(y["year"]), 12, 31) for y in payments_by_year),
                    tuple(str(y["year"]) for y in payments_by_year),
                    _bands(payments_by_year),
                ),
                (
                    "Fund's stakes in its active projects",
                    tuple(dt.date.fromisoformat(s["date"]) for s in stakes),
                    tuple(_day_label(s["date"]) for s in stakes),
                    _bands(stakes),
                ),
            )
        ),
        "Shaded: P5 to P95 (light) and P25 to P75 (dark) of the simulated paths; line: the "
        "median. Stakes: the fund's share of what its active projects' net cash after each "
        "date is worth then, discounted at the project's rate (at the valuation date: the "
        "proposed marks' range).",
    )


def _bands(rows: list[dict[str, Any]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(Decimal(r[f"p{p}"])) for r in rows) for p in (5, 25, 50, 75, 95))


# title, dates, their tick labels, bands
Panel = tuple[str, tuple[dt.date, ...], tuple[str, ...], tuple[tuple[float, ...], ...]]


def _spaced(days: np.ndarray, labels: tuple[str, ...]) -> list[str]:
    """The labels, less any on a point within a tenth of the span of the last one
    labelled (the valuation date a month before a year-end would print over it)."""
    span = float((days[-1] - days[0]).astype(np.int64)) if days.size else 0.0
    out: list[str] = []
    last: np.datetime64 | None = None
    for day, label in zip(days, labels, strict=True):
        near = last is not None and float((day - last).astype(np.int64)) < span / 10
        out.append("" if near else label)
        last = last if near else day
    return out


def _day_label(day: str) -> str:
    """A label like 30 Nov 2026: the fan's points are a few dates apart, each labelled."""
    value = dt.date.fromisoformat(day)
    return f"{value.day} {value:%b %Y}"


def _fan_panels(panels: tuple[Panel, ...]) -> str:
    """Side-by-side fans (SVG), drawn as ``charts`` draws every chart: the same bytes."""
    with plt.rc_context(charts._STYLE):
        fig, axes = plt.subplots(1, len(panels), figsize=(charts.WIDTH_IN, 2.6))
        for ax, (title, dates, labels, (p5, p25, p50, p75, p95)), colour in zip(
            np.atleast_1d(axes), panels, charts.PALETTE, strict=False
        ):
            days = np.array(dates, dtype="datetime64[D]")
            ax.fill_between(days, p5, p95, color=colour, alpha=0.18, lw=0, label="P5–P95")
            ax.fill_between(days, p25, p75, color=colour, alpha=0.38, lw=0, label="P25–P75")
            ax.plot(days, p50, "o-", color=colour, ms=3, lw=1.2, label="median")
            ax.set_title(title, fontsize=8)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: charts.money_axis_label(v)))
            ax.set_ylim(bottom=min(0.0, *p5) if p5 else 0.0)
            # a tick on each point, labelled: a year's payments are one point, not a month
            ax.set_xticks(days, _spaced(days, labels))
            ax.tick_params(axis="x", labelrotation=30)
        np.atleast_1d(axes)[0].legend(loc="upper right", fontsize=7)
        fig.tight_layout()
        return charts._svg(fig, tight=False)
