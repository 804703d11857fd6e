"""The valuation document as tables a fund manager reads at a glance (and as CSV)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from passu.portfolio.listing import Column, Figure, Figures, Listing, ValueKind
from passu.portfolio.register import ILLUSTRATIVE
from passu.valuation.registry import FUND_FIGURES

# What each project and each holding returned, the same columns in both listings.
_RETURNS = (
    Column("invested", "money"),
    Column("realised", "money"),
    Column("nav", "money"),
    Column("moic", "multiple"),
    Column("irr", "rate"),
    Column("irr_note"),
    # Flows spanning under a year: the simple return instead of an IRR (issue 18).
    Column("period_return", "rate", "period return (not annualised)"),
)


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _fund_rows(fund: dict[str, Any]) -> list[Figure]:
    """The registry's fund figures shown in the table, in registry order; a grouped figure
    (PME) shows each of its numeric parts."""
    rows = []
    for entry in FUND_FIGURES:
        if not entry.cli or entry.note_for:
            continue
        value = fund.get(entry.key)
        if entry.only_when_set and value is None:
            continue
        if entry.parts:
            rows += [
                Figure(
                    p.key, None if value is None else value[p.key], cast(ValueKind, p.kind), p.label
                )
                for p in entry.parts
                if p.kind != "text"
            ]
        else:
            raw = _d(value) if entry.kind == "money" else value
            rows.append(Figure(entry.key, raw, cast(ValueKind, entry.kind), entry.label))
    return rows


def headline(document: dict[str, Any]) -> Figures:
    fund = document["fund"]
    outcomes = document["outcomes"]
    social = document["social_value"]
    figures = (
        Figure("fund_id", fund["fund_id"], label="fund"),
        Figure("as_of", document["as_of"], label="as of"),
        *_fund_rows(fund),
        Figure("outcome_payments", _d(outcomes["payments"]), "money", "outcome payments"),
        Figure("fiscal_value", _d(social["fiscal"]), "money", "fiscal value"),
        Figure("economic_value", _d(social["economic"]), "money", "economic value"),
        Figure("social_value", _d(social["social"]), "money", "social value"),
        Figure("total_value", _d(social["total"]), "money", "total value"),
        Figure(
            "pari_passu",
            "ok"
            if document["pari_passu"]["ok"]
            else f"{len(document['pari_passu']['breaches'])} breaches",
            label="pari passu",
        ),
    )
    notes = [
        f"{entry.label}: {fund[f'{entry.key}_note']}"
        for entry in FUND_FIGURES
        if entry.noted and fund.get(f"{entry.key}_note")
    ]
    notes += [
        f"{entry.label}: {fund[entry.key]}"
        for entry in FUND_FIGURES
        if entry.note_for and fund.get(entry.key)
    ]
    if social.get("rebased"):
        notes.append(
            f"social value: unit values in several price years, rebased to "
            f"{social['price_year']} prices with the GDP deflator"
        )
    if document.get("illustrative"):
        notes.append(ILLUSTRATIVE)
    title = "All funds together" if fund["fund_id"] == "ALL" else f"Fund {fund['fund_id']}"
    return Figures(f"{title}: valuation as of {document['as_of']}", figures, tuple(notes))


MONEY = (
    "committed",
    "paid_in",
    "distributed",
    "unfunded",
    "nav",
    "invested",
    "realised",
    "cost_outstanding",
    "realised_gain",
    "expected",
    "actual",
    "difference",
)


def _listing(title: str, rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> Listing:
    def value(column: Column, row: dict[str, Any]) -> Any:
        raw = row.get(column.name)
        if column.kind == "money" and raw is not None:
            return Decimal(raw)
        return raw

    return Listing(title, columns, tuple(tuple(value(c, r) for c in columns) for r in rows))


def tables(document: dict[str, Any]) -> list[Listing]:
    out = []
    if document["funds"]:
        out.append(
            _listing(
                "Funds",
                document["funds"],
                (
                    Column("fund_id"),
                    Column("committed", "money"),
                    Column("paid_in", "money"),
                    Column("distributed", "money"),
                    Column("nav", "money"),
                    Column("tvpi", "multiple"),
                    Column("net_irr", "rate"),
                    Column("gross_irr", "rate"),
                    Column("cost_of_capital", "rate"),
                    Column("spread_bps", "bps"),
                ),
            )
        )
    out.append(
        _listing(
            "Projects",
            document["projects"],
            (
                Column("project_id"),
                Column("policy_area"),
                Column("status"),
                *_RETURNS,
            ),
        )
    )
    out.append(
        _listing(
            "Holdings",
            document["holdings"],
            (
                Column("project_id"),
                Column("holder_id"),
                Column("tranche"),
                *_RETURNS,
            ),
        )
    )
    out.append(
        _listing(
            "Capital accounts",
            document["investors"],
            (
                Column("fund_id"),
                Column("investor_id"),
                Column("kind"),
                Column("share_class"),
                Column("committed", "money"),
                Column("paid_in", "money"),
                Column("distributed", "money"),
                Column("nav", "money"),
                Column("unfunded", "money"),
                Column("dpi", "multiple"),
                Column("tvpi", "multiple"),
                Column("irr", "rate"),
                Column("period_return", "rate", "period return (not annualised)"),
            ),
        )
    )
    out.append(
        _listing(
            "Share classes",
            document["share_classes"],
            (
                Column("fund_id"),
                Column("share_class"),
                Column("investors", "count"),
                Column("committed", "money"),
                Column("paid_in", "money"),
                Column("distributed", "money"),
                Column("nav", "money"),
                Column("tvpi", "multiple"),
                Column("irr", "rate"),
                Column("period_return", "rate", "period return (not annualised)"),
            ),
        )
    )
    breaches = document["pari_passu"]["breaches"]
    checked = document["pari_passu"]["checked"]
    note = (
        f"checked {checked['share_classes']} share classes and {checked['tranches']} "
        "tranches: every member's flows, NAV and IRR per £ committed are within £1 / 1 bp"
    )
    out.append(
        Listing(
            "Pari passu breaches",
            (
                Column("scope"),
                Column("id"),
                Column("holder_or_investor"),
                Column("measure"),
                Column("expected"),
                Column("actual"),
                Column("difference"),
            ),
            tuple(
                (
                    b["scope"],
                    b["id"],
                    b["holder_or_investor"],
                    b["measure"],
                    b["expected"],
                    b["actual"],
                    b["difference"],
                )
                for b in breaches
            ),
            notes=() if breaches else (note,),
        )
    )
    government = document["pari_passu"].get("government", [])
    if government:  # funds with share-class terms only (issue 14)
        out.append(government_structure(government))
    return out


def government_structure(rows: list[dict[str, Any]]) -> Listing:
    """``pari_passu.government``: what each government investor received and holds under
    the fund's structure against one class pro rata to paid-in with no carry."""
    return _listing(
        "Pari passu with classes: cost (−) or benefit (+) of the structure to government",
        rows,
        (
            Column("investor_id"),
            Column("fund_id"),
            Column("share_class"),
            Column("actual_value", "money", "received + NAV"),
            Column("pro_rata_value", "money", "pro rata, no carry"),
            Column("difference", "money"),
            Column("irr", "rate"),
            Column("pro_rata_irr", "rate", "pro rata IRR"),
            Column("difference_bps", "bps", "IRR difference"),
        ),
    )


def government_accounts(document: dict[str, Any]) -> Listing:
    """The government shareholder's capital account beside the fund's net figures."""
    fund = document["fund"]
    rows: list[tuple[Any, ...]] = [
        (
            f"fund {fund['fund_id']} (net)",
            None,
            _d(fund["committed"]),
            _d(fund["paid_in"]),
            _d(fund["distributed"]),
            _d(fund["nav"]),
            fund["dpi"],
            fund["tvpi"],
            fund["net_irr"],
        )
    ]
    for a in document["investors"]:
        if a["kind"] == "government":
            rows.append(
                (
                    f"{a['investor_id']} in {a['fund_id']}",
                    a["share_class"],
                    _d(a["committed"]),
                    _d(a["paid_in"]),
                    _d(a["distributed"]),
                    _d(a["nav"]),
                    a["dpi"],
                    a["tvpi"],
                    a["irr"],
                )
            )
    return Listing(
        "Government shareholder beside the fund",
        (
            Column("account"),
            Column("share_class"),
            Column("committed", "money"),
            Column("paid_in", "money"),
            Column("distributed", "money"),
            Column("nav", "money"),
            Column("dpi", "multiple"),
            Column("tvpi", "multiple"),
            Column("irr", "rate"),
        ),
        tuple(rows),
    )
