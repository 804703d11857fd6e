"""The ILPA workbooks: ``passu report ilpa`` and ``passu capital-account --format xlsx``.

Values, never formulas: every cell holds the figure ``valuation/`` computed (money as
``Decimal`` pounds with a £ number format, rates and multiples as numbers), written
through ``sheet_text.append_row`` so text stays text, as ``reports/workbook.py`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from passu.portfolio.capital_statement import CapitalStatement
from passu.portfolio.interchange.sheet_text import append_row
from passu.valuation.capital_lines import COLUMNS, STATEMENT_LINES
from passu.valuation.ilpa import IlpaQuarter
from passu.valuation.money import pence_to_decimal

from .workbook import MONEY_FORMAT, MULTIPLE_FORMAT, RATE_FORMAT

__all__ = ["write_capital_account_workbook", "write_ilpa_workbook"]

_LABELS = {line.key: line.label for line in STATEMENT_LINES} | {"committed": "Commitment"}
_ORDER = (*(line.key for line in STATEMENT_LINES), "committed")
_HEADS = ("fund_id", "investor_id", "share_class", "line", "label", *(k for k, _ in COLUMNS))


def _sheet(book: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title)
    append_row(sheet, list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 6))
    return sheet


def _row(sheet: Worksheet, values: Sequence[Any], formats: Sequence[str | None]) -> None:
    append_row(sheet, list(values))
    for cell, number_format in zip(sheet[sheet.max_row], formats, strict=False):
        if number_format and cell.value is not None:
            cell.number_format = number_format


def _money(pence: int | None) -> Any:
    return None if pence is None else pence_to_decimal(pence)


def _account_rows(
    sheet: Worksheet, fund_id: str, investor_id: str, share_class: str, columns: dict[str, Any]
) -> None:
    # LINE_KEYS, and carried_interest for an account of a fund with terms (issue 14)
    for key in (k for k in _ORDER if k in columns["since_inception"]):
        _row(
            sheet,
            [
                fund_id,
                investor_id,
                share_class,
                key,
                _LABELS[key],
                *(_money(columns[c][key]) for c, _ in COLUMNS),
            ],
            [None] * 5 + [MONEY_FORMAT] * len(COLUMNS),
        )


def write_capital_account_workbook(statement: CapitalStatement, path: Path) -> None:
    """One sheet: the investor's lines per account, a column per window."""
    book = Workbook()
    about = book.active
    about.title = "about"
    for key, value in (
        ("investor_id", statement.investor_id),
        ("name", statement.name),
        ("from", statement.start.isoformat()),
        ("to", statement.end.isoformat()),
    ):
        append_row(about, [key, value])
    sheet = _sheet(book, "capital_account", _HEADS)
    for a in statement.accounts:
        _account_rows(sheet, a.fund_id, statement.investor_id, a.share_class, a.columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_ilpa_workbook(report: IlpaQuarter, path: Path, *, illustrative: str | None) -> None:
    """The quarter's ILPA sheets: capital account, fees and expenses, fund cash flows."""
    book = Workbook()
    about = book.active
    about.title = "about"
    for key, value in (
        ("quarter", report.quarter),
        ("from", report.start.isoformat()),
        ("to", report.end.isoformat()),
        ("columns", "period = the quarter; year_to_date; since_inception"),
        ("illustrative", illustrative),
    ):
        append_row(about, [key, value])
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 70

    # ILPA Reporting Template: capital account statement; investor_id "" is the fund total.
    sheet = _sheet(book, "capital_account", _HEADS)
    for a in report.accounts:
        _account_rows(sheet, a.fund_id, a.investor_id or "FUND TOTAL", a.share_class, a.columns)

    fees = _sheet(
        book,
        "fees_and_expenses",
        (
            "fund_id",
            "quarter",
            "management_fees_charged",
            "fee_per_terms_gross",
            "fee_offsets",
            "fee_per_terms_net",
            "expenses",
        ),
    )
    for q in report.fees:
        _row(
            fees,
            [
                q.fund_id,
                q.quarter,
                _money(q.management_fees),
                _money(q.terms_gross),
                _money(q.terms_offset),
                _money(q.terms_fee),
                _money(q.expenses),
            ],
            [None, None, *[MONEY_FORMAT] * 5],
        )

    # ILPA Performance Template, gross-up method: signed from the fund's side.
    flows = _sheet(
        book,
        "fund_cash_flows",
        (
            "fund_id",
            "quarter",
            "investment_drawdowns",
            "investment_receipts",
            "capital_calls",
            "distributions",
            "nav",
        ),
    )
    for c in report.cash_flows:
        _row(
            flows,
            [
                c.fund_id,
                c.quarter,
                _money(-c.drawdowns),
                _money(c.receipts),
                _money(c.calls),
                _money(-c.distributions),
                _money(c.nav),
            ],
            [None, None, *[MONEY_FORMAT] * 5],
        )
    append_row(flows, [])
    append_row(
        flows,
        [
            "fund_id",
            "as_of",
            "paid_in",
            "distributed",
            "nav",
            "net_irr",
            "gross_irr",
            "tvpi",
            "dpi",
        ],
    )
    for cell in flows[flows.max_row]:
        cell.font = Font(bold=True)
    for p in report.performance:
        _row(
            flows,
            [
                p.fund_id,
                report.end.isoformat(),
                _money(p.paid_in),
                _money(p.distributed),
                _money(p.nav),
                p.net_irr.rate,
                p.gross_irr.rate,
                p.tvpi,
                p.dpi,
            ],
            [None, None, *[MONEY_FORMAT] * 3, RATE_FORMAT, RATE_FORMAT, *[MULTIPLE_FORMAT] * 2],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
