"""passu outcomes, passu outcomes compare and passu unit-values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from passu.portfolio.contract_compare import ServiceVolumes, compare_service
from passu.portfolio.outcomes import BY_CHOICES, outcomes_report
from passu.portfolio.reference import unit_values

from .context import Settings, pass_settings
from .options import as_of_option
from .output import emit_figures, emit_listings, format_option
from .sections import MixedRows, Part, emit_parts, part_key


class DecimalType(click.ParamType):
    """A number kept exact (money, rates): 0.6, 17000, 10000000.50."""

    name = "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Decimal):
            return value
        try:
            number = Decimal(str(value).replace(",", "").replace("_", ""))
        except InvalidOperation:
            self.fail(f"expected a number such as 0.6 or 17000, found {value!r}", param, ctx)
        if not number.is_finite():
            self.fail(f"expected a finite number, found {value!r}", param, ctx)
        return number


NUMBER = DecimalType()


@click.group("outcomes", invoke_without_command=True)
@as_of_option()
@click.option("--fund", "fund_id", metavar="ID", help="One fund (default: every fund together).")
@click.option(
    "--by",
    type=click.Choice(BY_CHOICES),
    default="project",
    show_default=True,
    help="Break achieved against forecast down by project or policy area, or show "
    "each payer's share of payments and commitments.",
)
@format_option()
@click.pass_context
def outcomes(ctx: click.Context, as_of: dt.date, fund_id: str | None, by: str, fmt: str) -> None:
    """Outcomes achieved against forecast, payments, caps, co-payment and social value.

    Shows outcomes achieved and forecast to the as-of date with the payments
    and cost per outcome, each contract's payments against its cap (contracts
    over cap flagged), each payer's share of payments and of commitments per
    contract, and the fund's forecast against actual for every measure in
    fund_forecasts (fiscal value = the social-value fiscal total).

    \b
    Examples:
      passu outcomes --as-of 2025-09-30
      passu outcomes --fund SOF1 --by policy_area --format json
      passu outcomes compare --help
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = ctx.ensure_object(Settings)
    view = outcomes_report(settings.engine, fund_id, as_of, by)  # type: ignore[arg-type]
    forecast = MixedRows(
        "Forecast against actual",
        ("measure", "forecast", "forecast_high", "actual"),
        tuple(
            (row.kind, (row.measure, row.forecast, row.forecast_high, row.actual))
            for row in view.forecast_vs_actual
        ),
    )
    parts: list[tuple[str, Part]] = [("summary", view.summary)]
    parts += [(part_key(table), table) for table in view.tables]
    parts.append(("forecast_vs_actual", forecast))
    emit_parts(parts, fmt)


@outcomes.command("compare")
@click.option("--people", type=click.IntRange(min=0), required=True, help="People treated, design.")
@click.option(
    "--success-rate", type=NUMBER, required=True, help="Success rate at design (0.6 = 60%)."
)
@click.option(
    "--actual-people", type=click.IntRange(min=0), required=True, help="People actually treated."
)
@click.option(
    "--actual-success-rate", type=NUMBER, required=True, help="Success rate actually achieved."
)
@click.option("--price", type=NUMBER, help="Pay for outcomes: price per outcome (£).")
@click.option(
    "--input-budget", type=NUMBER, help="Pay for inputs: the budget paid whatever happens (£)."
)
@click.option(
    "--over-people", type=click.IntRange(min=0), help="Over-performance case: people treated."
)
@click.option("--over-success-rate", type=NUMBER, help="Over-performance case: success rate.")
@click.option(
    "--over-price",
    type=NUMBER,
    help="Over-performance case: price per outcome (default: --price).",
)
@format_option()
def compare(
    people: int,
    success_rate: Decimal,
    actual_people: int,
    actual_success_rate: Decimal,
    price: Decimal | None,
    input_budget: Decimal | None,
    over_people: int | None,
    over_success_rate: Decimal | None,
    over_price: Decimal | None,
    fmt: str,
) -> None:
    """Pay for inputs against pay for outcomes: who carries the risk of under-performance.

    Give the service's design and actual volumes and success rates, and a
    price per outcome (--price), an input budget (--input-budget) or both.
    Prints outcomes achieved, cost per outcome and total paid per contract type.

    \b
    The published worked example (seed figures) is reproduced by:
      passu outcomes compare --input-budget 10000000 --price 17000 \\
        --people 1000 --success-rate 0.6 \\
        --actual-people 800 --actual-success-rate 0.4 \\
        --over-people 1200 --over-success-rate 0.72 --over-price 15000
    """
    if (over_people is None) != (over_success_rate is None):
        raise click.UsageError("--over-people and --over-success-rate go together")
    if over_price is not None and over_people is None:
        raise click.UsageError("--over-price needs --over-people and --over-success-rate")
    over = (
        None
        if over_people is None or over_success_rate is None
        else ServiceVolumes(over_people, over_success_rate)
    )
    listing = compare_service(
        design=ServiceVolumes(people, success_rate),
        actual=ServiceVolumes(actual_people, actual_success_rate),
        input_budget=input_budget,
        price=price,
        over=over,
        over_price=over_price,
    )
    emit_listings([listing], fmt)


@click.group("unit-values")
def unit_values_group() -> None:
    """The unit cost library (GMCA Unit Cost Database v1.4) merged with your unit values.

    Your portfolio's unit_values rows override library entries with the same
    code and add codes of their own.

    \b
    Examples:
      passu unit-values search rough sleep
      passu unit-values show HO6.0 --price-year 2024
    """


def price_year_option() -> Any:
    return click.option(
        "--price-year",
        type=click.IntRange(1900, 2100),
        metavar="YEAR",
        help="Rebase the values to this year's prices with the HM Treasury GDP deflator.",
    )


@unit_values_group.command("search")
@click.argument("words", nargs=-1, required=True)
@price_year_option()
@format_option()
@pass_settings
def search(settings: Settings, words: tuple[str, ...], price_year: int | None, fmt: str) -> None:
    """Unit values whose code, description, theme or agency contain every word.

    \b
    Examples:
      passu unit-values search homeless
      passu unit-values search rough sleep --price-year 2024 --format csv
    """
    emit_listings([unit_values.search(settings.engine, words, price_year)], fmt)


@unit_values_group.command("show")
@click.argument("code")
@price_year_option()
@format_option()
@pass_settings
def show(settings: Settings, code: str, price_year: int | None, fmt: str) -> None:
    """One unit value in full: amounts, adjustments, source.

    \b
    Example:
      passu unit-values show HO3.0 --price-year 2024
    """
    emit_figures(unit_values.show(settings.engine, code, price_year), fmt)


COMMANDS = (outcomes, unit_values_group)
