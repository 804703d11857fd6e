"""passu marks: propose fair values from expected outcomes, and accept them as marks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from passu.portfolio import marks
from passu.portfolio.marks_view import proposal_listings, proposals_document

from .context import Settings, pass_settings
from .document_output import check_output, emit_document
from .options import VALUATION_DATE
from .output import workbook_output_options

# A rate below −99% or above 1,000% a year is a typing mistake, not a discount rate.
LOWEST_RATE, HIGHEST_RATE = -0.99, 10.0


class RateType(click.ParamType):
    """``calibrated`` (each project's IPEV rate) or one annual rate as a fraction (0.12)."""

    name = "R|calibrated"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None or isinstance(value, float):
            return value
        text = str(value).strip()
        if text == "calibrated":
            return None
        try:
            rate = float(text)
        except ValueError:
            self.fail(
                f"expected a fraction such as 0.12, or calibrated, found {text!r}", param, ctx
            )
        if not LOWEST_RATE < rate <= HIGHEST_RATE:
            self.fail(
                f"expected a fraction from {LOWEST_RATE} to {HIGHEST_RATE} (0.12 is 12%), "
                f"found {text}",
                param,
                ctx,
            )
        return rate


RATE = RateType()


def rate_option() -> Any:
    return click.option(
        "--rate",
        "rate",
        type=RATE,
        default="calibrated",
        show_default=True,
        help="calibrated: each project's rate is the one that values it at its entry price "
        "(IPEV); or one annual rate for every project, as a fraction (0.12).",
    )


def performance_option() -> Any:
    return click.option(
        "--performance",
        type=click.Choice(marks.PERFORMANCE),
        default="achieved",
        show_default=True,
        help="achieved: future forecasts scaled by achieved ÷ forecast to date; "
        "forecast: the forecasts as they stand.",
    )


def fund_option() -> Any:
    return click.option(
        "--fund", "fund_id", metavar="ID", help="One fund's projects (default: every fund's)."
    )


def as_of_required() -> Any:
    return click.option(
        "--as-of", "as_of", type=VALUATION_DATE, required=True, help="The valuation date T."
    )


@click.group("marks")
def marks_group() -> None:
    """Fair values from expected outcomes (IPEV discounted cash flows): propose, then accept."""


@marks_group.command("propose")
@as_of_required()
@fund_option()
@rate_option()
@performance_option()
@workbook_output_options()
@pass_settings
def propose(
    settings: Settings,
    as_of: dt.date,
    fund_id: str | None,
    rate: float | None,
    performance: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Propose a fair value for every holding of the active projects at a date.

    Each project's value is its expected outcome payments (forecasts scaled by
    performance to date, within the caps) less its forecast costs, discounted;
    it is shared among the holdings by seniority (docs/fair-value.md). Nothing is
    written: `passu marks accept` writes the proposals as marks.

    \b
    Examples:
      passu marks propose --as-of 2026-10-31
      passu marks propose --as-of 2026-10-31 --fund SOF2 --rate 0.08 --format json
    """
    check_output(fmt, output)
    proposals = marks.propose_marks(
        settings.engine, as_of, fund_id, rate=rate, performance=performance
    )
    emit_document(
        settings,
        fmt,
        output,
        proposals_document(proposals),
        proposal_listings(proposals),
    )


@marks_group.command("accept")
@as_of_required()
@click.option(
    "--holding",
    "holdings",
    multiple=True,
    metavar="PROJECT/HOLDER/TRANCHE",
    help="Accept this holding's proposal only (repeat for more; default: every holding "
    "with a proposed value).",
)
@click.option("--note", required=True, help="Why the marks are accepted (kept on each mark).")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a mark already dated --as-of (the old one is kept in the audit trail).",
)
@fund_option()
@rate_option()
@performance_option()
@pass_settings
def accept(
    settings: Settings,
    as_of: dt.date,
    holdings: tuple[str, ...],
    note: str,
    replace: bool,
    fund_id: str | None,
    rate: float | None,
    performance: str,
) -> None:
    """Write the proposals as marks dated --as-of (method dcf_expected_outcomes), audited.

    All or nothing, in one transaction. Refused (exit 3) in a period an approved run
    has locked, and where a holding already has a mark that day unless --replace.
    Export the portfolio afterwards: a later full `passu import` of an older folder
    would remove the marks it does not hold.

    \b
    Examples:
      passu marks accept --as-of 2026-10-31 --note "October model, reviewed by IC"
      passu marks accept --as-of 2026-10-31 --holding FT-HERTS/SOF2/A --note "loan only"
    """
    report = marks.accept_marks(
        settings.engine,
        as_of,
        note=note,
        user=settings.who,
        holdings=holdings,
        fund_id=fund_id,
        rate=rate,
        performance=performance,
        replace=replace,
    )
    replaced = f", replacing {report.replaced}" if report.replaced else ""
    click.echo(
        f"wrote {len(report.written)} marks dated {as_of}{replaced} (method dcf_expected_outcomes)"
    )
    for h in report.skipped:
        settings.say(f"not marked: {h.project_id}/{h.holder_id}/{h.tranche}: {h.note}")


COMMANDS = (marks_group,)
