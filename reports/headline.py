"""The committee pack's first pages: headline figures, each fund, forecast against actual.

Every value comes from the stored run document (docs/run-document.md) and is
formatted once here; a missing IRR shows its reason from the ``*_note`` beside it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passu.valuation.registry import (
    CAPITAL,
    COST,
    FUND_FIGURES,
    RETURNS,
    FundFigure,
    fund_figure,
)

from .formatting import (
    MISSING,
    basis_points,
    count,
    money_short,
    multiple,
    per_pound,
    percent,
    to_decimal,
)
from .model import Figure, FigureGroup, Table

# The seed table's wording for each fund_forecasts measure (seed-figures.md).
MEASURE_LABELS = {
    "outcome_payments": "Total outcome payments",
    "contracts": "Outcomes contracts",
    "outcomes_payers": "Outcomes payers",
    "delivery_partners": "Delivery partners",
    "fiscal_value": "Outcomes value (fiscal only)",
    "co_investors": "Direct co-investors",
}
MEASURE_ORDER = tuple(MEASURE_LABELS)
# A note under a figure shown only for funds with share-class terms (issue 14).
TERMS_NOTES = {
    "accrued_carry": "To the carry holder at a hypothetical liquidation at NAV, less carry "
    "paid. Net IRR, DPI, RVPI and TVPI above are net of it and of the carry paid.",
}


def _text(kind: str, value: Any, places: int = 1) -> str:
    """A registry figure as the pack prints it, by its kind."""
    match kind:
        case "money":
            return money_short(value)
        case "rate":
            return percent(value, places)
        case "multiple":
            return multiple(value)
        case "bps":
            return basis_points(value)
        case "count":
            return count(value)
        case _:
            return MISSING if value is None else str(value)


def _title(label: str) -> str:
    return label[:1].upper() + label[1:]


def _fund_figures(fund: dict[str, Any], entry: FundFigure) -> tuple[Figure, ...]:
    """One registry figure as pack figures: a grouped figure (PME) gives one per numeric
    part; a figure with ``detail`` shows those figures under it; a note says why a figure
    is missing. A run stored before a figure existed shows it as missing."""
    value = fund.get(entry.key)
    note = fund.get(f"{entry.key}_note") if entry.noted else None
    # Caveats other figures carry on this one, or on the figures shown under it.
    caveats = [
        str(fund[e.key])
        for e in FUND_FIGURES
        if e.note_for and e.note_for in (entry.key, *entry.detail) and fund.get(e.key)
    ]
    if caveats:
        note = "; ".join([note, *caveats] if note else caveats)
    if value is not None and entry.key in TERMS_NOTES:
        note = TERMS_NOTES[entry.key]
    if entry.parts:
        shown = [p for p in entry.parts if p.kind != "text"]
        # One reason under the group's last figure, not the same line under each.
        return tuple(
            Figure(
                _title(p.label),
                _text(p.kind, None if value is None else value.get(p.key), entry.places),
                note if p is shown[-1] else None,
            )
            for p in shown
        )
    details = [
        f"{fund_figure(k).label} {_text(fund_figure(k).kind, fund.get(k), entry.places)}"
        for k in entry.detail
    ]
    return (
        Figure(
            entry.heading,
            _text(entry.kind, value, entry.places),
            "; ".join(x for x in (", ".join(details), note) if x) or None,
        ),
    )


def _fund_group(fund: dict[str, Any], title: str) -> FigureGroup:
    """The registry's fund figures of one pack group, by rank, then in registry order."""
    figures: tuple[Figure, ...] = ()
    for entry in sorted((e for e in FUND_FIGURES if e.pack == title), key=lambda e: e.rank):
        if entry.only_when_set and fund.get(entry.key) is None:
            continue
        figures += _fund_figures(fund, entry)
    return FigureGroup(title, figures)


def headline_groups(document: dict[str, Any]) -> tuple[FigureGroup, ...]:
    fund = document["fund"]
    outcomes = document["outcomes"]
    value = document["social_value"]
    capital, returns, cost = (_fund_group(fund, title) for title in (CAPITAL, RETURNS, COST))
    achieved, forecast = outcomes["achieved"], outcomes["forecast"]
    outcome_group = FigureGroup(
        "Outcomes",
        (
            Figure(
                "Outcome payments",
                money_short(outcomes["payments"]),
                f"forecast {money_short(outcomes['forecast_payments'])}",
            ),
            Figure(
                "Outcomes achieved",
                count(achieved),
                f"forecast {count(forecast)} ({_share(achieved, forecast)} of forecast)",
            ),
            Figure("Outcomes contracts", count(outcomes["contracts"])),
            Figure("Outcomes payers", count(outcomes["payers"])),
            Figure("Delivery partners", count(outcomes["delivery_partners"])),
            Figure("Direct co-investors", count(outcomes["co_investors"])),
        ),
    )
    social = FigureGroup(
        "Value of outcomes",
        (
            Figure("Fiscal (savings to the public purse)", money_short(value["fiscal"])),
            Figure("Economic (wider economic benefit)", money_short(value["economic"])),
            Figure("Social (wellbeing and public value)", money_short(value["social"])),
            Figure(
                "Total value",
                money_short(value["total"]),
                f"unit values in several price years, rebased to {value['price_year']} prices"
                if value.get("rebased")
                else None,
            ),
            Figure("Value per £1 of outcome payments", per_pound(_total(value["per_pound_paid"]))),
            Figure("Value per £1 invested", per_pound(_total(value["per_pound_invested"]))),
        ),
    )
    return capital, returns, cost, outcome_group, social


def _total(per_pound_value: Any) -> Any:
    """Per-£ value: a bare figure (docs/run-document.md) or split by kind with a ``total``."""
    if isinstance(per_pound_value, dict):
        return per_pound_value.get("total")
    return per_pound_value


def _share(numerator: int | Decimal, denominator: int | Decimal) -> str:
    if not denominator:
        return MISSING
    return percent(Decimal(numerator) / Decimal(denominator), 0)


def funds_table(document: dict[str, Any], fund_names: dict[str, str]) -> Table | None:
    """One row per fund when the run covers every fund together (ALL scope)."""
    funds = document.get("funds") or []
    if not funds:
        return None
    rows = tuple(
        (
            f"{fund_names.get(f['fund_id'], f['fund_id'])} ({f['fund_id']})",
            money_short(f["committed"]),
            money_short(f["paid_in"]),
            money_short(f["distributed"]),
            money_short(f["nav"]),
            percent(f["net_irr"]),
            percent(f["gross_irr"]),
            multiple(f["tvpi"]),
            multiple(f["dpi"]),
            percent(f["cost_of_capital"]),
            basis_points(f["spread_bps"]),
        )
        for f in funds
    )
    return Table(
        headers=(
            "Fund",
            "Committed",
            "Paid-in",
            "Distributed",
            "NAV",
            "Net IRR",
            "Gross IRR",
            "TVPI",
            "DPI",
            "Cost of capital",
            "Spread",
        ),
        numeric=(False, *([True] * 10)),
        rows=rows,
        caption="Each fund",
    )


def _forecast_text(measure: str, forecast: Any, high: Any) -> str:
    low_text = _measure_text(measure, forecast)
    return low_text if high is None else f"{low_text}–{_measure_text(measure, high)}"


def _measure_text(measure: str, value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, str):  # money measures are strings with two decimals
        return money_short(value)
    return count(int(value))


def _against(forecast: Any, high: Any, actual: Any) -> str:
    low, top, got = to_decimal(forecast), to_decimal(high), to_decimal(actual)
    if low is None or got is None:
        return MISSING
    if top is not None:
        if got > top:
            return "above the range"
        return "within the range" if got >= low else "below the range"
    return _share(got, low)


def forecast_table(document: dict[str, Any]) -> Table:
    rows_by_measure = {r["measure"]: r for r in document["outcomes"]["forecast_vs_actual"]}
    ordered = [m for m in MEASURE_ORDER if m in rows_by_measure]
    ordered += sorted(m for m in rows_by_measure if m not in MEASURE_LABELS)
    rows = tuple(
        (
            MEASURE_LABELS.get(m, m.replace("_", " ").capitalize()),
            _forecast_text(m, rows_by_measure[m]["forecast"], rows_by_measure[m]["forecast_high"]),
            _measure_text(m, rows_by_measure[m]["actual"]),
            _against(
                rows_by_measure[m]["forecast"],
                rows_by_measure[m]["forecast_high"],
                rows_by_measure[m]["actual"],
            ),
        )
        for m in ordered
    )
    return Table(
        headers=("Measure", "Forecast", "Actual", "Actual against forecast"),
        numeric=(False, True, True, True),
        rows=rows,
        empty_text="No forecasts are recorded for this fund (fund_forecasts).",
    )
