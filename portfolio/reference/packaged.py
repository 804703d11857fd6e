"""Reference data shipped with passu: gilt yields, Green Book rates, deflators, unit costs.

Everything is read from the package data in ``passu.portfolio.reference.data`` (see its SOURCES.md
for publishers, licences and the attribution to print) with ``importlib.resources``, so it
works from a wheel as well as from a checkout. Functions return pandas frames or plain
values; nothing here touches a database.

Conventions: rates are fractions (4.0166 % in a file becomes 0.040166), converted through
``Decimal`` so that no binary noise (0.036199999...) reaches JSON output; money is
``Decimal`` pounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from io import StringIO
from pathlib import Path
from typing import Literal

import pandas as pd

_PACKAGE = "passu.portfolio.reference.data"
_PENNY = Decimal("0.01")

GILTS_5Y_10Y = "gilts/boe_5y_10y_nominal_par_yield_quarterly_avg_2009_2026.csv"
GILTS_10Y_HISTORY = "gilts/boe_10y_nominal_par_yield_quarterly_IUQAMNPY.csv"
DISCOUNT_RATES = "green_book/green_book_discount_rates.csv"
WELLBEING_VALUES = "green_book/wellbeing_and_health_values.csv"
GDP_DEFLATOR = "green_book/hmt_gdp_deflator_calendar_year_2024eq100_dec2025.csv"
ANNUAL_BENCHMARKS = "benchmarks/hmt_cost_of_finance_benchmarks_annual_2010_2025.csv"
UNIT_COSTS = "unit_costs/gmca_unit_cost_database_v1_4.csv"

ATTRIBUTION_BOE_HMT = "Contains Bank of England and HM Treasury data, Open Government Licence v3.0"
ATTRIBUTION_GMCA = (
    "New Economy / Greater Manchester Combined Authority, Unit Cost Database v1.4 (2015), CC BY 4.0"
)


class ReferenceDataError(ValueError):
    """A reference file that cannot be read; ``str()`` is one line naming file, row and column.

    ``row`` counts data rows from 1 (the header is row ``None``), as docs/format.md does.
    """

    def __init__(self, file: str, row: int | None, column: str, expected: str, found: str):
        self.file, self.row, self.column = file, row, column
        self.expected, self.found = expected, found
        where = "header" if row is None else f"row {row}"
        super().__init__(f"{file}: {where}, column {column}: expected {expected}, found {found!r}")


def _read_shipped(relative: str) -> pd.DataFrame:
    text = files(_PACKAGE).joinpath(*relative.split("/")).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def _percent_to_fraction(text: str) -> float:
    # Through Decimal: float("3.62") / 100 would give 0.036199999999999996.
    return float(Decimal(text) / 100)


# --- gilt yields -------------------------------------------------------------------------

_WIDE_COLUMN = re.compile(r"^yield_(\d+)y_pct")


def gilt_yields() -> pd.DataFrame:
    """Bank of England nominal par gilt yields, quarterly averages, in long format.

    Columns ``quarter_end`` (datetime64), ``tenor_years`` (5 or 10), ``yield_`` (a fraction).
    Tenor 10 runs 1984Q1–2026Q2: the IUQAMNPY history for the quarters before 2009, the
    2009–2026 file after (the two agree exactly where they overlap). Tenor 5 runs
    2009Q1–2026Q2.
    """
    recent = _parse_gilt_frame(_read_shipped(GILTS_5Y_10Y), GILTS_5Y_10Y)
    history = _parse_gilt_frame(_read_shipped(GILTS_10Y_HISTORY), GILTS_10Y_HISTORY)
    first_recent = recent["quarter_end"].min()
    history = history[history["quarter_end"] < first_recent]
    return _sorted_yields(pd.concat([history, recent], ignore_index=True))


def parse_gilt_yields(path: str | Path) -> pd.DataFrame:
    """Read a user's (newer) gilt-yield file into the long format of :func:`gilt_yields`.

    Accepted layouts (percent values, one row per quarter-end date ``YYYY-MM-DD``):
    wide ``quarter_end,yield_10y_pct_...,yield_5y_pct_...`` as shipped (a blank cell means no
    yield for that tenor and quarter); long ``quarter_end,tenor_years,yield_pct``; and the
    datahub 10-year layout ``Date,Rate``. Raises :class:`ReferenceDataError` on bad input.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceDataError(str(path), None, "-", "a UTF-8 CSV file", str(exc)) from exc
    return _sorted_yields(_parse_gilt_frame(raw, str(path)))


def _parse_gilt_frame(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    columns = [c.strip() for c in raw.columns]
    raw = raw.set_axis(columns, axis=1)
    if {"quarter_end", "tenor_years", "yield_pct"} <= set(columns):
        cells = [
            (i, str(r["quarter_end"]), str(r["tenor_years"]), str(r["yield_pct"]), "yield_pct")
            for i, r in enumerate(raw.to_dict("records"), start=1)
        ]
    elif {"Date", "Rate"} <= set(columns):
        cells = [
            (i, str(r["Date"]), "10", str(r["Rate"]), "Rate")
            for i, r in enumerate(raw.to_dict("records"), start=1)
        ]
    elif "quarter_end" in columns and any(_WIDE_COLUMN.match(c) for c in columns):
        wide = [(c, m.group(1)) for c in columns if (m := _WIDE_COLUMN.match(c))]
        cells = [
            (i, str(r["quarter_end"]), tenor, str(r[c]), c)
            for i, r in enumerate(raw.to_dict("records"), start=1)
            for c, tenor in wide
            if str(r[c]).strip() != ""  # a blank wide cell: no yield for that tenor
        ]
    else:
        raise ReferenceDataError(
            file,
            None,
            ",".join(columns) or "-",
            "columns quarter_end,yield_<N>y_pct_... or quarter_end,tenor_years,yield_pct",
            ",".join(columns),
        )
    rows, seen = [], set()
    for row, when, tenor, value, column in cells:
        quarter_end = _quarter_end(file, row, "quarter_end" if column != "Rate" else "Date", when)
        if not tenor.strip().isdigit() or int(tenor) not in range(1, 51):
            raise ReferenceDataError(file, row, "tenor_years", "a whole number of years", tenor)
        rate = _yield_percent(file, row, column, value)
        if (quarter_end, int(tenor)) in seen:
            raise ReferenceDataError(
                file, row, column, "one yield per quarter and tenor", f"{when} repeated"
            )
        seen.add((quarter_end, int(tenor)))
        rows.append((quarter_end, int(tenor), rate))
    frame = pd.DataFrame(rows, columns=["quarter_end", "tenor_years", "yield_"])
    frame["quarter_end"] = pd.to_datetime(frame["quarter_end"]).astype("datetime64[ns]")
    return frame.astype({"tenor_years": "int64", "yield_": "float64"})


def _quarter_end(file: str, row: int, column: str, text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ReferenceDataError(file, row, column, "a date YYYY-MM-DD", text) from None
    next_day = pd.Timestamp(day) + pd.Timedelta(days=1)
    if day.month % 3 != 0 or next_day.day != 1:
        raise ReferenceDataError(file, row, column, "a quarter-end date", text)
    return day


def _yield_percent(file: str, row: int, column: str, text: str) -> float:
    try:
        percent = Decimal(text.strip())
    except InvalidOperation:
        raise ReferenceDataError(file, row, column, "a yield in percent", text) from None
    # A yield outside -5..30 % is a unit mistake (a fraction, or basis points), not a yield.
    if not percent.is_finite() or not Decimal(-5) <= percent <= Decimal(30):
        raise ReferenceDataError(file, row, column, "a yield in percent, -5 to 30", text)
    return float(percent / 100)


def _sorted_yields(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["tenor_years", "quarter_end"], ignore_index=True)


# --- Green Book, benchmarks, deflators ----------------------------------------------------

DiscountKind = Literal["standard", "health", "reduced", "health_reduced"]
_DISCOUNT_COLUMNS: dict[str, str] = {
    "standard": "standard_stpr",
    "health": "health",
    "reduced": "reduced_excl_pure_time_preference",
    "health_reduced": "health_reduced_excl_pure_time_preference",
}


def green_book_discount_schedule(kind: DiscountKind = "standard") -> pd.DataFrame:
    """The Green Book long-term discount schedule (real rates) as bands of years.

    Columns ``year_from`` (int), ``year_to`` (int, or None for the open last band), ``rate``
    (Decimal fraction). ``kind``: ``standard`` (STPR 3.5 % for years 0–30), ``health``
    (1.5 %), ``reduced`` (excluding pure time preference, 3.0 %) or ``health_reduced``.
    Discount factors compound band by band (year 40 = 1.035^-30 × 1.030^-10).
    """
    if kind not in _DISCOUNT_COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(_DISCOUNT_COLUMNS)}, not {kind!r}")
    raw = _read_shipped(DISCOUNT_RATES)
    # year_to as object so the open band holds None, not a NaN that turns the ints to floats.
    return pd.DataFrame(
        {
            "year_from": raw["year_from"].astype("int64"),
            "year_to": pd.Series(
                [int(v) if v.strip() else None for v in raw["year_to"]], dtype=object
            ),
            "rate": pd.Series([Decimal(v) for v in raw[_DISCOUNT_COLUMNS[kind]]], dtype=object),
        }
    )


_BENCHMARK_COLUMNS = {
    "gilt_5y_nominal_pct": "gilt_5y",
    "gilt_10y_nominal_pct": "gilt_10y",
    "green_book_stpr_real_pct": "stpr_real",
    "green_book_health_rate_real_pct": "health_rate_real",
    "gdp_deflator_growth_pct": "gdp_deflator_growth",
    "stpr_nominal_equivalent_pct": "stpr_nominal_equivalent",
}


def annual_benchmarks() -> pd.DataFrame:
    """The derived annual benchmark table 2010–2025, rates as fractions (NaN where blank).

    Columns ``year``, ``gilt_5y``, ``gilt_10y``, ``stpr_real``, ``health_rate_real``,
    ``gdp_deflator_growth``, ``stpr_nominal_equivalent`` (= 1.035 × (1 + deflator growth) − 1;
    blank for 2025, whose deflator is not yet published). For display beside a nominal IRR;
    drawdowns are priced with :func:`gilt_yields`, not with these annual means.
    """
    raw = _read_shipped(ANNUAL_BENCHMARKS)
    out = pd.DataFrame({"year": raw["year"].astype("int64")})
    for source, name in _BENCHMARK_COLUMNS.items():
        out[name] = [_percent_to_fraction(v) if v.strip() else float("nan") for v in raw[source]]
    return out


def gdp_deflator() -> dict[int, Decimal]:
    """HM Treasury GDP deflator, calendar years 1990–2024, index 2024 = 100 (Dec 2025)."""
    raw = _read_shipped(GDP_DEFLATOR)
    return {int(r["year"]): Decimal(r["value"]) for r in raw.to_dict("records")}


@dataclass(frozen=True)
class WellbyValue:
    """HM Treasury's value of one WELLBY (a one-point change in life satisfaction, 0–10,
    for one person for one year), in ``price_year`` prices, with its published range."""

    value: Decimal
    price_year: int
    low: Decimal
    high: Decimal
    source: str


def wellby_value() -> WellbyValue:
    """£13,000 in 2019 prices (range £10,000–£16,000), HMT Wellbeing Guidance, July 2021."""
    raw = _read_shipped(WELLBEING_VALUES)
    wellby = {r["scenario"]: r for r in raw.to_dict("records") if r["item"] == "WELLBY"}
    central = wellby["central"]
    return WellbyValue(
        value=Decimal(central["value_gbp"]),
        price_year=int(central["price_base_year"]),
        low=Decimal(wellby["low"]["value_gbp"]),
        high=Decimal(wellby["high"]["value_gbp"]),
        source=central["source"],
    )


# --- GMCA unit cost library ---------------------------------------------------------------

# A benefit or tax credit named in the description ...
_BENEFIT = re.compile(
    r"job ?seeker'?s'? allowance|\bJSA\b|employment and support allowance|\bESA\b"
    r"|incapacity benefit|income support|housing benefit|local housing allowance"
    r"|personal independence payment|disability living allowance|attendance allowance"
    r"|carer'?s allowance|universal credit|tax credits?|pension credit|child benefit",
    re.IGNORECASE,
)
# ... unless the entry is the cost of administering it (a real resource cost) ...
_ADMINISTRATION = re.compile(
    r"processing|maintaining claims|interview|application|signing on|administ|adviser|advice",
    re.IGNORECASE,
)
# ... or a headline total mixing benefit savings with health savings and earnings.
_MIXED = re.compile(r"fiscal and economic|improved health", re.IGNORECASE)
# A line that is itself benefit payments ("... entering work - benefits payments"), or whose
# comment says so ("It relates to worklessness and housing benefit payments").
_PAYMENT_LINE = re.compile(r"benefits? payments", re.IGNORECASE)
_PAYMENT_COMMENT = re.compile(r"relates to [^.]*benefits? payments", re.IGNORECASE)


def is_transfer(description: str, comment: str = "") -> bool:
    """Whether a unit cost is a transfer (a benefit payment), left out of public value.

    True when the description is a benefit-payment line (contains "benefit(s) payments"), or
    the comment says the value "relates to ... benefit payments", or the description names a
    benefit or credit (JSA, ESA, Incapacity Benefit, Income Support, Housing Benefit, Local
    Housing Allowance, PIP, DLA, Attendance Allowance, Carer's Allowance, Universal Credit,
    tax credits, Pension Credit, Child Benefit) and is neither the cost of administering it
    (processing, maintaining claims, interviews, applications, signing on, advice) nor a
    headline total that mixes benefit savings with other value ("fiscal and economic",
    "improved health"): the workbook splits those totals into lines, and its comments say
    to exclude only the benefit-payment line (E&E1.0.1, not E&E1.0.2 or E&E1.0).
    """
    if _PAYMENT_LINE.search(description) or _PAYMENT_COMMENT.search(comment):
        return True
    return bool(
        _BENEFIT.search(description)
        and not _ADMINISTRATION.search(description)
        and not _MIXED.search(description)
    )


def _pounds_2015(value_2015_16: str, original: str) -> Decimal | None:
    text = value_2015_16.strip()
    if not text:
        # One line (CR8.18.5) has an original value of 0 and no uprated value: 0 is 0 in
        # any year's prices; any other blank stays None (no value of that kind).
        return Decimal("0.00") if original.strip() and Decimal(original) == 0 else None
    return Decimal(text).quantize(_PENNY, rounding=ROUND_HALF_UP)


def _unique_codes(codes: list[str]) -> list[str]:
    """Fill blank cost codes and make repeated ones unique, deterministically (file order).

    A blank code between ``P`` and ``P.2`` becomes ``P.1`` (v1.4 has one: the police-cost
    line after CR8.0, which the workbook leaves unnumbered); any other blank becomes
    ``UCD-ROW<n>`` (n = data row). A repeated code keeps its first row and later rows get
    ``#2``, ``#3``, ... (v1.4 has none).
    """
    present = {c.strip() for c in codes if c.strip()}
    filled = []
    for i, code in enumerate(c.strip() for c in codes):
        if not code:
            before = codes[i - 1].strip() if i > 0 else ""
            after = codes[i + 1].strip() if i + 1 < len(codes) else ""
            guess = f"{before}.1"
            ok = before and after == f"{before}.2" and guess not in present
            code = guess if ok else f"UCD-ROW{i + 1}"
        filled.append(code)
    counts: dict[str, int] = {}
    unique = []
    for code in filled:
        counts[code] = counts.get(code, 0) + 1
        unique.append(code if counts[code] == 1 else f"{code}#{counts[code]}")
    return unique


UNIT_VALUE_COLUMNS = [
    "code", "description", "fiscal", "economic", "social", "price_year", "source",
    "deadweight", "attribution", "optimism_bias", "transfer", "duration_years",
]  # fmt: skip
_SEARCH_COLUMNS = ["code", "description", "theme", "outcome_category", "outcome_detail", "agency"]


def unit_cost_library() -> pd.DataFrame:
    """The GMCA / New Economy Unit Cost Database v1.4 (684 entries) as ``unit_values`` rows.

    Columns as docs/format.md's unit_values (``code`` .. ``duration_years``), plus ``unit``,
    ``theme``, ``outcome_category``, ``outcome_detail`` and ``agency`` for search. Values are
    the workbook's 2015/16-price columns (``price_year`` 2015), Decimal pounds rounded half-up
    to the penny, None where the entry has no value of that kind. Deadweight, attribution and
    optimism bias are the neutral 0, 1, 0: the database gives gross unit costs and the user
    sets the adjustments per project. ``transfer`` follows :func:`is_transfer`.
    """
    raw = _read_shipped(UNIT_COSTS)
    codes = _unique_codes(list(raw["cost_code"]))
    records = []
    for code, r in zip(codes, raw.to_dict("records"), strict=True):
        agency = " / ".join(a for a in (r["agency_level1"], r["agency_level2"]) if a.strip())
        records.append(
            {
                "code": code,
                "description": r["description"].strip(),
                "fiscal": _pounds_2015(r["fiscal_value_2015_16"], r["fiscal_value"]),
                "economic": _pounds_2015(r["economic_value_2015_16"], r["economic_value"]),
                "social": _pounds_2015(r["social_value_2015_16"], r["social_value"]),
                "price_year": 2015,
                "source": f"GMCA Unit Cost Database v1.4: {r['original_source'].strip()}",
                "deadweight": Decimal(0),
                "attribution": Decimal(1),
                "optimism_bias": Decimal(0),
                "transfer": is_transfer(r["description"], r["comment"]),
                "duration_years": 1,
                "unit": r["unit"].strip(),
                "theme": r["theme"].strip(),
                "outcome_category": r["outcome_category"].strip(),
                "outcome_detail": r["outcome_detail"].strip(),
                "agency": agency,
            }
        )
    frame = pd.DataFrame.from_records(records)
    money = ["fiscal", "economic", "social", "deadweight", "attribution", "optimism_bias"]
    return frame.astype({c: object for c in money} | {"transfer": bool})


def search_unit_costs(words: str | Iterable[str], library: pd.DataFrame) -> pd.DataFrame:
    """Entries of ``library`` matching every word (case-insensitive substring) somewhere in
    code, description, theme, outcome category/detail or agency. No words: every entry."""
    terms = words.split() if isinstance(words, str) else [w for w in words if w.strip()]
    columns = [c for c in _SEARCH_COLUMNS if c in library.columns]
    haystack = library[columns].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()
    mask = pd.Series(True, index=library.index)
    for term in terms:
        mask &= haystack.str.contains(term.casefold(), regex=False)
    return library[mask]


@cache
def unit_cost_codes() -> frozenset[str]:
    """The library's codes, which outcome_metrics.unit_value_code may name (read once)."""
    return frozenset(unit_cost_library()["code"])
