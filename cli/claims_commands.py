"""passu claims: outcome claims, their status and how long they have waited."""

from __future__ import annotations

import datetime as dt

import click

from passu.portfolio.claims import STATUSES, claims_report

from .context import Settings, pass_settings
from .options import as_of_option
from .output import format_option
from .sections import emit_parts


@click.command("claims")
@as_of_option()
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund together).")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help="Only claims with this status at the date; unpaid = awaiting verification or payment.",
)
@format_option()
@pass_settings
def claims(
    settings: Settings, as_of: dt.date, fund_id: str | None, status: str | None, fmt: str
) -> None:
    """Outcome claims at a date: claimed, verified, rejected, paid and outstanding.

    Each claim shows its status at the as-of date (claimed = awaiting
    verification, verified = awaiting payment), the days it has waited and its
    ageing bucket (0-30, 31-60, 61-90, over 90); then the ageing of the claims
    awaiting verification and of verified claims awaiting payment.

    \b
    Examples:
      passu claims --as-of 2025-09-30
      passu claims --status unpaid --format csv > unpaid-claims.csv
    """
    totals, listing, ageing = claims_report(settings.engine, as_of, fund_id, status)
    emit_parts([("totals", totals), ("claims", listing), ("ageing", ageing)], fmt)


COMMANDS = (claims,)
