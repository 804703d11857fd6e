"""Unit values: the GMCA library merged with the portfolio's own ``unit_values`` rows.

A portfolio's row overrides the library entry with the same code and may add
codes of its own, so ``outcome_metrics.unit_value_code`` resolves against the
merged table. ``passu unit-values search`` and ``show`` read it, optionally
rebased to one price year with the GDP deflator; whenever a library row is
shown its CC BY 4.0 attribution is printed with it.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.reference.packaged import (
    ATTRIBUTION_GMCA,
    UNIT_VALUE_COLUMNS,
    gdp_deflator,
    search_unit_costs,
    unit_cost_library,
)
from passu.portfolio.register import read
from passu.valuation.money import pence_to_decimal, round_half_up
from passu.valuation.social_value import FINANCIAL_YEAR, DeflatorYearMissing, rebase

LIBRARY = "library"
PORTFOLIO = "portfolio"
KINDS = ("fiscal", "economic", "social")


def portfolio_unit_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The stored ``unit_values`` frame (money as ``<kind>_pence``) in the library's shape:
    Decimal pounds (None where blank), the defaults FORMAT.md gives for empty cells."""
    out = frame.copy()
    for kind in KINDS:
        pence = out.pop(f"{kind}_pence")
        # a short reference table: Decimal per cell keeps values exact
        out[kind] = pd.Series(
            [None if pd.isna(p) else pence_to_decimal(int(p)) for p in pence],
            index=out.index,
            dtype=object,
        )
    out["origin"] = PORTFOLIO
    for column in ("unit", "theme", "outcome_category", "outcome_detail", "agency"):
        out[column] = ""
    return out


def merged_unit_values(own: pd.DataFrame) -> pd.DataFrame:
    """Library entries, overridden and extended by the portfolio's rows, sorted by code.

    ``own`` is the stored frame (as ``load_frames`` gives it); the result has the
    library's columns plus ``origin`` (``library`` or ``portfolio``) and ``price_basis``
    (``financial`` for the library's 2015/16 prices, ``calendar`` for own rows).
    """
    # The GMCA library is priced in the 2015/16 financial year; own rows in calendar years.
    library = unit_cost_library().assign(origin=LIBRARY, price_basis="financial")
    mine = portfolio_unit_values(own).assign(price_basis="calendar")
    kept = library[~library["code"].isin(set(mine["code"]))]
    columns = [*UNIT_VALUE_COLUMNS, "unit", "theme", "outcome_category", "outcome_detail"]
    columns += ["agency", "origin", "price_basis"]
    parts = [part[columns] for part in (kept, mine) if not part.empty]
    merged = pd.concat(parts, ignore_index=True) if parts else library[columns].iloc[0:0]
    return merged.sort_values("code", kind="mergesort").reset_index(drop=True)


def _stored(engine: Engine) -> pd.DataFrame:
    return merged_unit_values(read(engine, "unit_values")["unit_values"])


def _rebased(
    value: object, from_year: int, price_year: int | None, basis: object = "calendar"
) -> Decimal | None:
    """A value in ``price_year`` prices (GDP deflator), to the penny; unchanged without one.

    The run's definition (``valuation.social_value.rebase``): a library value, in 2015/16
    financial-year prices (``basis`` "financial"), is moved with that financial year's
    index, (3 × I[2015] + I[2016]) / 4, not calendar 2015's.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    amount = Decimal(value)  # type: ignore[arg-type]
    if price_year is None or (price_year == from_year and basis != FINANCIAL_YEAR):
        return amount
    try:
        return round_half_up(rebase(amount, from_year, price_year, gdp_deflator(), basis))
    except DeflatorYearMissing as error:
        years = sorted(gdp_deflator())
        raise UsageError(
            f"--price-year: the GDP deflator runs {years[0]}–{years[-1]}; "
            f"it has no index for {error.year}"
        ) from None


def _notes(frame: pd.DataFrame, price_year: int | None) -> tuple[str, ...]:
    notes = []
    if price_year is not None:
        notes.append(f"Values rebased to {price_year} prices with the HM Treasury GDP deflator.")
        if (frame["price_basis"] == FINANCIAL_YEAR).any():
            notes.append(
                "Values in financial-year prices (the GMCA library's 2015/16) are moved with "
                "that year's index, three quarters of the first calendar year and one of the "
                "next, as the valuation does."
            )
    if (frame["origin"] == LIBRARY).any():
        notes.append(ATTRIBUTION_GMCA)
    return tuple(notes)


def search(engine: Engine, words: tuple[str, ...], price_year: int | None = None) -> Listing:
    """Entries matching every word (code, description, theme, category, agency)."""
    found = search_unit_costs(words, _stored(engine))
    rows = tuple(
        (
            r.code,
            r.description,
            _rebased(r.fiscal, int(r.price_year), price_year, r.price_basis),
            _rebased(r.economic, int(r.price_year), price_year, r.price_basis),
            _rebased(r.social, int(r.price_year), price_year, r.price_basis),
            price_year or int(r.price_year),
            bool(r.transfer),
            r.origin,
        )
        for r in found.itertuples(index=False)
    )
    columns = (
        Column("code"),
        Column("description"),
        Column("fiscal", "money"),
        Column("economic", "money"),
        Column("social", "money"),
        Column("price_year", "text", "price year"),
        Column("transfer"),
        Column("origin"),
    )
    title = f"Unit values matching {' '.join(words)!r}" if words else "Unit values"
    return Listing(title, columns, rows, _notes(found, price_year))


def show(engine: Engine, code: str, price_year: int | None = None) -> Figures:
    """One unit value in full: amounts, adjustments, source and where it came from."""
    frame = _stored(engine)
    match = frame[frame["code"] == code]
    if match.empty:
        raise UsageError(f"no unit value {code!r}: `passu unit-values search WORDS` finds codes")
    r = match.iloc[0]
    year = int(r["price_year"])
    figures = (
        Figure("code", r["code"]),
        Figure("description", r["description"]),
        *(
            Figure(kind, _rebased(r[kind], year, price_year, r["price_basis"]), "money")
            for kind in KINDS
        ),
        Figure("price_year", price_year or year, "text", "price year"),
        Figure("recorded_price_year", year, "text", "recorded in prices of"),
        Figure("deadweight", _fraction(r["deadweight"], "0"), "fraction"),
        Figure("attribution", _fraction(r["attribution"], "1"), "fraction"),
        Figure("optimism_bias", _fraction(r["optimism_bias"], "0"), "fraction", "optimism bias"),
        Figure("transfer", bool(r["transfer"])),
        Figure("duration_years", _years(r["duration_years"]), "count", "duration (years)"),
        Figure("unit", r["unit"]),
        Figure("theme", r["theme"]),
        Figure("source", r["source"]),
        Figure("origin", r["origin"]),
    )
    return Figures(f"Unit value {code}", figures, _notes(match, price_year))


def _fraction(value: object, default: str) -> Decimal:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):  # type: ignore[call-overload]
        return Decimal(default)
    return Decimal(str(value))


def _years(value: object) -> int:
    return 1 if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]
