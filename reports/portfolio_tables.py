"""The portfolio table, the co-investors and the pari passu check, for the committee pack."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from .formatting import MISSING, label, money_full, money_short, multiple, percent, to_decimal
from .largest import largest_rows, weight_of
from .model import Table
from .project_facts import ProjectFacts


def outcomes_text(achieved: int, forecast: int) -> str:
    """ "1,204 of 1,100 (109%)": outcomes achieved against forecast to date."""
    if forecast == 0:
        return f"{achieved:,} (no forecast)"
    return f"{achieved:,} of {forecast:,} ({percent(Decimal(achieved) / forecast, 0)})"


PERIOD_MARK = "(period)"
PERIOD_NOTE = (
    f"{PERIOD_MARK}: the flows span less than a year, so the IRR is not annualised (GIPS): "
    "the simple return over the period instead."
)


def irr_text(
    record: dict[str, Any], key: str = "irr", period_key: str = "period_return", places: int = 1
) -> str:
    """An IRR; over flows spanning less than a year the period's simple return, marked
    "(period)"; else a dash with a dagger when the run gave a reason it is undefined."""
    value = record.get(key)
    if value is None:
        period = record.get(period_key)
        if period is not None:
            return f"{percent(period, places)} {PERIOD_MARK}"
        return f"{MISSING}†" if record.get(f"{key}_note") else MISSING
    return percent(value, places) + ("*" if record.get("multiple_sign_changes") else "")


def period_notes(records: list[dict[str, Any]]) -> tuple[str, ...]:
    """The "(period)" mark's explanation, when some row shows a period return."""
    shown = any(r.get("irr") is None and r.get("period_return") is not None for r in records)
    return (PERIOD_NOTE,) if shown else ()


def portfolio_table(
    document: dict[str, Any],
    facts: dict[str, ProjectFacts],
    fund_label: str,
    keep: int | None = None,
) -> Table:
    """Every project (or the ``keep`` of largest NAV: ``largest.py``), with the fund's total."""
    rows = []
    for p in document["projects"]:
        f = facts.get(p["project_id"])
        rows.append(
            (
                f"{p['name']} ({p['project_id']})",
                p["policy_area"],
                p["region"],
                "; ".join(f.payers) if f else MISSING,
                money_short(p["invested"]),
                money_short(p["realised"]),
                money_short(p["nav"]),
                multiple(p["moic"]),
                irr_text(p),
                outcomes_text(f.outcomes.achieved, f.outcomes.forecast) if f else MISSING,
                label(p["status"]),
            )
        )
    fund = document["fund"]
    notes = (
        "Figures over every holder of each project (the fund and its co-investors); "
        "† IRR undefined (no sign change or no root: see the project's page); "
        "* the flows change sign more than once.",
        *period_notes(document["projects"]),
    )
    table = Table(
        headers=(
            "Project",
            "Policy area",
            "Region",
            "Commissioners (payers)",
            "Invested",
            "Realised",
            "NAV",
            "MOIC",
            "IRR",
            "Outcomes against forecast",
            "Status",
        ),
        numeric=(False, False, False, False, True, True, True, True, True, True, False),
        rows=tuple(rows),
        total=(
            f"{fund_label}: {len(rows)} projects",
            "",
            "",
            "",
            money_short(_sum(document["projects"], "invested")),
            money_short(_sum(document["projects"], "realised")),
            money_short(_sum(document["projects"], "nav")),
            "",
            f"gross {percent(fund['gross_irr'])}",
            "",
            "",
        ),
        caption="Every project" if keep is None or len(rows) <= keep else "Projects",
        notes=notes,
        empty_text="The fund holds no project yet.",
    )
    weights = [weight_of(p["nav"]) for p in document["projects"]]
    return largest_rows(table, weights, keep, "projects", "NAV")


def _sum(records: list[dict[str, Any]], key: str) -> Decimal:
    return sum((Decimal(r[key]) for r in records), Decimal("0.00"))


def share_classes_table(document: dict[str, Any]) -> Table:
    rows = tuple(
        (
            c["fund_id"],
            c["share_class"],
            str(c["investors"]),
            money_short(c["committed"]),
            money_short(c["paid_in"]),
            money_short(c["distributed"]),
            money_short(c["nav"]),
            multiple(c["dpi"]),
            multiple(c["tvpi"]),
            irr_text(c),
        )
        for c in document["share_classes"]
    )
    return Table(
        headers=(
            "Fund",
            "Class",
            "Investors",
            "Committed",
            "Paid-in",
            "Distributed",
            "NAV",
            "DPI",
            "TVPI",
            "IRR",
        ),
        numeric=(False, False, *([True] * 8)),
        rows=rows,
        caption="Share classes",
        notes=period_notes(document["share_classes"]),
    )


def investors_table(document: dict[str, Any]) -> Table:
    class_committed = {
        (c["fund_id"], c["share_class"]): Decimal(c["committed"]) for c in document["share_classes"]
    }
    rows = []
    for i in document["investors"]:
        whole = class_committed.get((i["fund_id"], i["share_class"]))
        share = Decimal(i["committed"]) / whole if whole else None
        rows.append(
            (
                i["fund_id"],
                f"{i['name']} ({i['investor_id']})",
                label(i["kind"]),
                i["share_class"],
                money_short(i["committed"]),
                percent(share),
                money_short(i["paid_in"]),
                money_short(i["distributed"]),
                money_short(i["nav"]),
                multiple(i["tvpi"]),
                irr_text(i),
            )
        )
    return Table(
        headers=(
            "Fund",
            "Investor",
            "Kind",
            "Class",
            "Committed",
            "Share of class",
            "Paid-in",
            "Distributed",
            "NAV share",
            "TVPI",
            "IRR",
        ),
        numeric=(False, False, False, False, *([True] * 7)),
        rows=tuple(rows),
        caption="Investors in each fund",
        notes=period_notes(document["investors"]),
    )


def holders_table(
    document: dict[str, Any],
    facts: dict[str, ProjectFacts],
    names: dict[str, str],
    keep: int | None = None,
) -> Table:
    """Every holder of every tranche (or the ``keep`` of largest NAV), with its share of
    the tranche's commitments."""
    tranche_total: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for pid, f in facts.items():
        for (_holder, tranche), amount in f.holding_commitments.items():
            tranche_total[(pid, tranche)] += amount
    rows = []
    for h in document["holdings"]:
        pid, holder, tranche = h["project_id"], h["holder_id"], h["tranche"]
        held = facts.get(pid)
        commitment = held.holding_commitments.get((holder, tranche)) if held else None
        whole = tranche_total.get((pid, tranche))
        rows.append(
            (
                pid,
                tranche,
                f"{names.get(holder, holder)} ({holder})",
                label(held.instruments.get((holder, tranche), MISSING)) if held else MISSING,
                money_short(commitment),
                percent(commitment / whole if commitment is not None and whole else None),
                money_short(h["invested"]),
                money_short(h["realised"]),
                money_short(h["nav"]),
                irr_text(h),
            )
        )
    table = Table(
        headers=(
            "Project",
            "Tranche",
            "Holder",
            "Instrument",
            "Commitment",
            "Share of tranche",
            "Invested",
            "Realised",
            "NAV",
            "IRR",
        ),
        numeric=(False, False, False, False, *([True] * 6)),
        rows=tuple(rows),
        caption="Holders of each project: the fund and its co-investors",
        notes=period_notes(document["holdings"]),
    )
    weights = [weight_of(h["nav"]) for h in document["holdings"]]
    return largest_rows(table, weights, keep, "holdings", "NAV")


def pari_passu_summary(document: dict[str, Any]) -> str:
    check = document["pari_passu"]
    checked = check["checked"]
    what = (
        f"{checked.get('share_classes', 0)} share classes and "
        f"{checked.get('tranches', 0)} project tranches checked"
    )
    if check["ok"]:
        return (
            f"Passed: {what}; every investor and holder saw the same flows, NAV and IRR per "
            "pound committed as its class or tranche, to within £1 and 1 basis point."
        )
    n = len(check["breaches"])
    return f"Not passed: {what}; {n} deviation{'s' if n != 1 else ''} over £1 or 1 basis point."


def breaches_table(document: dict[str, Any], names: dict[str, str]) -> Table:
    rows = tuple(
        (
            "Share class" if b["scope"] == "share_class" else "Tranche",
            b["id"],
            f"{names.get(b['holder_or_investor'], b['holder_or_investor'])} "
            f"({b['holder_or_investor']})",
            label(b["measure"]),
            _breach_value(b["measure"], b["expected"]),
            _breach_value(b["measure"], b["actual"]),
            _breach_value(b["measure"], b["difference"]),
        )
        for b in document["pari_passu"]["breaches"]
    )
    return Table(
        headers=(
            "Scope",
            "Class or tranche",
            "Investor or holder",
            "Measure",
            "Expected",
            "Actual",
            "Difference",
        ),
        numeric=(False, False, False, False, True, True, True),
        rows=rows,
        caption="Deviations from pari passu",
        empty_text="No deviation.",
    )


def _breach_value(measure: str, value: Any) -> str:
    if value is None:
        return MISSING
    if measure == "irr":
        return percent(to_decimal(value), 2)
    return money_full(value)  # deviations are about pounds: show them to the penny
