"""Investor statements: the government shareholder's pari passu statement and capital accounts.

Both are rendered from the stored run for every fund together (``ALL``) and
show one investor's own figures beside its share class's and its fund's. No
other investor is named and none of their amounts is shown (DESIGN.md §5): a
class's totals appear only when the class has at least three investors, a
fund's only when every class in it does (otherwise a small class's totals
would follow by subtraction); below that, figures per £1 committed only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from passu.portfolio.errors import UsageError
from passu.portfolio.report_bundle import StatementBundle
from passu.valuation.capital_lines import STATEMENT_LINES
from passu.valuation.per_pound import per_pound_committed

from .formatting import MISSING, long_date, money_full, multiple, percent, short_date
from .model import Figure, Table
from .portfolio_tables import PERIOD_MARK, PERIOD_NOTE, period_notes
from .render import SafeFetcher, render_html, write_pdf
from .waterfall_page import government_table

Kind = Literal["shareholder", "capital-account"]
MIN_CLASS_FOR_TOTALS = 3


@dataclass(frozen=True)
class FundSection:
    title: str
    account: Table
    comparison: Table
    totals: Table | None
    privacy_note: str
    pari_passu: str
    own_breaches: Table | None
    flows: Table | None
    lines: Table | None = None  # the ILPA capital account since inception (issue 13)
    # issue 14: what the fund's structure costs or gives this government investor
    structure: Table | None = None


@dataclass(frozen=True)
class Statement:
    title: str
    investor: str
    as_of: str
    facts: tuple[Figure, ...]
    illustrative: str | None
    footer: str
    sections: tuple[FundSection, ...]
    notes: tuple[str, ...]


def _per_pound(amount: str, committed: str) -> str:
    ratio = per_pound_committed(Decimal(amount), Decimal(committed))
    return MISSING if ratio is None else f"£{ratio}"


def _ratios(
    label: str, record: dict[str, Any], irr_key: str, period_key: str = "period_return"
) -> tuple[str, ...]:
    return (
        label,
        _per_pound(record["paid_in"], record["committed"]),
        _per_pound(record["distributed"], record["committed"]),
        _per_pound(record["nav"], record["committed"]),
        multiple(record["dpi"]),
        multiple(record["tvpi"]),
        _irr(record, irr_key, period_key),
    )


def _irr(record: dict[str, Any], irr_key: str = "irr", period_key: str = "period_return") -> str:
    """An IRR to two places; over flows spanning less than a year (no IRR) the period's
    simple return, marked "(period)"; else a dash."""
    if record.get(irr_key) is None and record.get(period_key) is not None:
        return f"{percent(record[period_key], 2)} {PERIOD_MARK}"
    return percent(record.get(irr_key), 2)


def _account_table(a: dict[str, Any]) -> Table:
    rows = (
        ("Commitment", money_full(a["committed"])),
        ("Paid-in (capital called)", money_full(a["paid_in"])),
        ("Unfunded commitment", money_full(a["unfunded"])),
        ("Distributed", money_full(a["distributed"])),
        ("Share of the fund's NAV", money_full(a["nav"])),
        ("DPI", multiple(a["dpi"])),
        ("TVPI", multiple(a["tvpi"])),
        ("IRR", _irr(a) if a["irr"] is not None else f"{_irr(a)} ({a['irr_note']})"),
    )
    return Table(("", "Amount"), (False, True), rows, caption="Capital account")


def _lines_table(a: dict[str, Any]) -> Table | None:
    """The account's ILPA lines since inception, as the run stored them (null before the
    fund's first call: no table)."""
    lines = a.get("capital_account")
    if not lines:
        return None
    rows = tuple(
        (line.label, money_full(lines[line.key])) for line in STATEMENT_LINES if line.key in lines
    )
    return Table(
        ("", "Since inception"),
        (False, True),
        rows,
        caption="Capital account statement (ILPA lines)",
        notes=(
            "Beginning balance + contributions − distributions − fees and expenses + income "
            "+ realised and unrealised gains = ending balance, your share of the fund's NAV. "
            "Unfunded commitment includes recallable distributions not yet recalled.",
        ),
    )


def _totals_row(label: str, record: dict[str, Any]) -> tuple[str, ...]:
    return (
        label,
        money_full(record["committed"]),
        money_full(record["paid_in"]),
        money_full(record["distributed"]),
        money_full(record["nav"]),
    )


def _fund_record(document: dict[str, Any], fund_id: str) -> dict[str, Any]:
    if document["fund"]["fund_id"] == fund_id:
        return document["fund"]  # type: ignore[no-any-return]
    return next(f for f in document["funds"] if f["fund_id"] == fund_id)


def _pari_passu(document: dict[str, Any], account: dict[str, Any]) -> tuple[str, Table | None]:
    class_id = f"{account['fund_id']}/{account['share_class']}"
    in_class = [
        b
        for b in document["pari_passu"]["breaches"]
        if b["scope"] == "share_class" and b["id"] == class_id
    ]
    own = [b for b in in_class if b["holder_or_investor"] == account["investor_id"]]
    others = len(in_class) - len(own)
    excused = [
        e
        for e in document["pari_passu"].get("excused", [])
        if e["scope"] == "share_class"
        and e["id"] == class_id
        and e["holder_or_investor"] == account["investor_id"]
    ]
    if not in_class and excused:
        # Other investors are not named (DESIGN.md §5): the kind of event only.
        kinds = sorted(
            {"an excused call" if "excused from" in e["reason"] else "a later closing"
             for e in excused}
        )  # fmt: skip
        measures = sorted({m.replace("_", " ") for e in excused for m in e["measures"]})
        text = (
            f"Passed for share class {class_id}, with documented departures from pro rata in "
            f"your account ({', '.join(measures) or 'none'}) explained by "
            f"{' and '.join(kinds)}: not breaches."
        )
    elif not in_class:
        text = (
            f"Passed for share class {class_id}: you received the same calls, distributions, "
            "NAV and IRR per £1 committed as the class as a whole, to within £1 and 1 basis point."
        )
    else:
        text = (
            f"Not passed for share class {class_id}: {len(own)} deviation(s) in your own account "
            f"and {others} concerning other investors in the class (not named here)."
        )
    table = None
    if own:
        table = Table(
            ("Measure", "Your pro-rata share", "Your account", "Difference"),
            (False, True, True, True),
            tuple(
                (
                    b["measure"].replace("_", " "),
                    _money_or_rate(b["measure"], b["expected"]),
                    _money_or_rate(b["measure"], b["actual"]),
                    _money_or_rate(b["measure"], b["difference"]),
                )
                for b in own
            ),
            caption="Deviations in your account",
        )
    return text, table


def _money_or_rate(measure: str, value: Any) -> str:
    return percent(value, 2) if measure == "irr" else money_full(value)


def _flows_table(document: dict[str, Any], investor_id: str, fund_id: str) -> Table:
    """The investor's own calls and distributions in the fund, as the run stored them."""
    rows = tuple(
        (
            short_date(f["date"]),
            "Capital call" if f["kind"] == "call" else "Distribution",
            money_full(f["amount"]),
        )
        for f in document["investor_flows"]
        if f["investor_id"] == investor_id and f["fund_id"] == fund_id
    )
    return Table(
        ("Date", "Flow", "Amount"),
        (False, False, True),
        rows,
        caption="Your calls and distributions",
        empty_text="No flow to date.",
    )


def build_statement(bundle: StatementBundle, investor_id: str, kind: Kind) -> Statement:
    run = bundle.run
    document = run.document
    as_of = run.info.as_of
    accounts = [i for i in document["investors"] if i["investor_id"] == investor_id]
    if not accounts:
        raise UsageError(
            f"investor {investor_id!r} has no commitment in the run of {as_of}: "
            "`passu list investors` shows the ids"
        )
    classes = {(c["fund_id"], c["share_class"]): c for c in document["share_classes"]}
    sections = []
    for a in accounts:
        fund_id, share_class = a["fund_id"], a["share_class"]
        klass = classes[(fund_id, share_class)]
        fund = _fund_record(document, fund_id)
        class_open = klass["investors"] >= MIN_CLASS_FOR_TOTALS
        fund_open = all(
            c["investors"] >= MIN_CLASS_FOR_TOTALS for (f, _s), c in classes.items() if f == fund_id
        )
        totals_rows = []
        if class_open:
            totals_rows.append(_totals_row(f"Share class {share_class}", klass))
        if fund_open:
            totals_rows.append(_totals_row(f"Fund {fund_id}", fund))
        text, own_breaches = _pari_passu(document, a)
        sections.append(
            FundSection(
                title=f"Fund {fund_id}, share class {share_class}",
                account=_account_table(a),
                comparison=Table(
                    (
                        "",
                        "Paid-in per £1 committed",
                        "Distributed per £1",
                        "NAV per £1",
                        "DPI",
                        "TVPI",
                        "IRR",
                    ),
                    (False, True, True, True, True, True, True),
                    (
                        _ratios("Your account", a, "irr"),
                        _ratios(
                            f"Share class {share_class} ({klass['investors']} investors)",
                            klass,
                            "irr",
                        ),
                        _ratios(
                            f"Fund {fund_id}, to its investors",
                            fund,
                            "net_irr",
                            "net_period_return",
                        ),
                    ),
                    caption="Your returns beside your class's and the fund's",
                    notes=period_notes([a, klass])
                    or (
                        (PERIOD_NOTE,)
                        if fund.get("net_irr") is None and fund.get("net_period_return") is not None
                        else ()
                    ),
                ),
                totals=(
                    Table(
                        ("", "Committed", "Paid-in", "Distributed", "NAV"),
                        (False, True, True, True, True),
                        tuple(totals_rows),
                        caption="Totals of your class and fund",
                    )
                    if totals_rows
                    else None
                ),
                privacy_note=_privacy_note(share_class, klass["investors"], class_open, fund_open),
                pari_passu=text,
                own_breaches=own_breaches,
                flows=_flows_table(document, investor_id, fund_id)
                if kind == "capital-account"
                else None,
                lines=_lines_table(a),
                structure=government_table(
                    document,
                    {investor_id: str(a["name"] or investor_id)},
                    account=(investor_id, fund_id, share_class),
                ),
            )
        )
    info = run.info
    name = accounts[0]["name"] or investor_id
    title = (
        "Shareholder statement: pari passu"
        if kind == "shareholder"
        else "Capital account statement"
    )
    return Statement(
        title=title,
        investor=f"{name} ({investor_id})",
        as_of=long_date(as_of),
        facts=(
            Figure("Valuation run", f"run {info.run_id}, {info.status}"),
            Figure("Data fingerprint", document["fingerprint"]),
        ),
        illustrative=bundle.illustrative,
        footer=f"passu · {title} · {name} · as of {long_date(as_of)} · CONFIDENTIAL",
        sections=tuple(sections),
        notes=(
            "Per £1 committed: each amount divided by the commitment (yours, your class's or "
            "the fund's), so accounts of any size compare directly; pari passu means they match.",
            "IRR: the rate that sets the present value of the dated calls and distributions, "
            "with the NAV share as a final inflow, to nil (Actual/365). The fund's IRR is net of "
            "fees and expenses, to all its investors together.",
        ),
    )


def _privacy_note(share_class: str, investors: int, class_open: bool, fund_open: bool) -> str:
    if class_open and fund_open:
        return (
            f"Share class {share_class} has {investors} investors: class and fund totals are "
            "shown; no other investor is named."
        )
    if class_open:
        return (
            f"Share class {share_class} has {investors} investors: its totals are shown; the "
            "fund's are not, since a smaller class in the fund could be worked out from them."
        )
    return (
        f"Share class {share_class} has {investors} investor(s), fewer than "
        f"{MIN_CLASS_FOR_TOTALS}: only figures per £1 committed are shown, so no other "
        "investor's amounts can be worked out."
    )


def write_statement(
    bundle: StatementBundle,
    investor_id: str,
    path: Path,
    kind: Kind,
    *,
    fetcher: SafeFetcher | None = None,
) -> Path:
    """Build and render a statement to ``path`` (what ``passu report shareholder`` calls)."""
    statement = build_statement(bundle, investor_id, kind)
    write_pdf(render_html("statement.html", s=statement), path, fetcher=fetcher)
    return path
