"""The shipped reference data parse, and spot values match the source CSVs (checked by eye)."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from passu.portfolio.reference import packaged as reference
from passu.portfolio.reference.packaged import ReferenceDataError


def a_yield(frame: pd.DataFrame, quarter_end: str, tenor: int) -> float:
    row = frame[(frame.quarter_end == pd.Timestamp(quarter_end)) & (frame.tenor_years == tenor)]
    assert len(row) == 1, (quarter_end, tenor)
    return float(row.yield_.iloc[0])


# --- gilt yields -------------------------------------------------------------------------


def test_gilt_yields_long_format_and_coverage() -> None:
    gilts = reference.gilt_yields()
    assert list(gilts.columns) == ["quarter_end", "tenor_years", "yield_"]
    assert gilts.quarter_end.dtype.kind == "M"
    five = gilts[gilts.tenor_years == 5]
    ten = gilts[gilts.tenor_years == 10]
    # 2009Q1–2026Q2 is 17 years × 4 + 2 = 70 quarters.
    assert len(five) == 70
    assert five.quarter_end.min() == pd.Timestamp("2009-03-31")
    assert five.quarter_end.max() == pd.Timestamp("2026-06-30")
    # 10y: 1984Q1–2008Q4 from the long series (25 × 4 = 100) plus the same 70 recent quarters.
    assert len(ten) == 170
    assert ten.quarter_end.min() == pd.Timestamp("1984-03-31")
    assert not gilts.duplicated(["quarter_end", "tenor_years"]).any()


def test_gilt_yield_spot_values_from_the_source_files() -> None:
    gilts = reference.gilt_yields()
    # 2023Q2 reads 4.0166 for both tenors in the BoE file (SOURCE.md: not a typo).
    assert a_yield(gilts, "2023-06-30", 5) == 0.040166
    assert a_yield(gilts, "2023-06-30", 10) == 0.040166
    assert a_yield(gilts, "2009-03-31", 5) == 0.025921  # 2.5921
    assert a_yield(gilts, "2009-03-31", 10) == 0.035295  # 3.5295
    assert a_yield(gilts, "2026-06-30", 5) == 0.043921  # 4.3921
    assert a_yield(gilts, "1984-03-31", 10) == 0.109817  # 10.9817, IUQAMNPY history


def test_the_two_10y_sources_agree_where_they_overlap() -> None:
    history = reference.parse_gilt_yields(_shipped(reference.GILTS_10Y_HISTORY))
    recent = reference.gilt_yields()
    merged = history.merge(recent, on=["quarter_end", "tenor_years"], suffixes=("_h", "_r"))
    assert len(merged) == 168  # 1984Q1–2025Q4
    assert (merged.yield__h == merged.yield__r).all()


def _shipped(relative: str) -> Path:
    return Path(reference.__file__).parent / "data" / relative


def test_parse_gilt_yields_reads_the_long_layout(tmp_path: Path) -> None:
    path = tmp_path / "gilts.csv"
    path.write_text("quarter_end,tenor_years,yield_pct\n2026-09-30,5,4.5\n2026-09-30,10,4.75\n")
    parsed = reference.parse_gilt_yields(path)
    assert parsed.to_dict("list") == {
        "quarter_end": [pd.Timestamp("2026-09-30")] * 2,
        "tenor_years": [5, 10],
        "yield_": [0.045, 0.0475],
    }


def test_parse_gilt_yields_reads_the_shipped_wide_layout_with_a_blank_cell(tmp_path: Path) -> None:
    path = tmp_path / "gilts.csv"
    path.write_text(
        "quarter_end,yield_10y_pct_IUQAMNPY,yield_5y_pct_IUQASNPY\n"
        "2026-09-30,4.9,4.4\n"
        "2026-12-31,5.0,\n"
    )
    parsed = reference.parse_gilt_yields(path)
    assert len(parsed) == 3  # the blank 5y cell for 2026Q4 is no yield, not zero
    assert a_yield(parsed, "2026-12-31", 10) == 0.05


@pytest.mark.parametrize(
    ("text", "row", "column", "expected"),
    [
        ("quarter_end,tenor_years,yield_pct\n2026-09-30,5,abc\n", 1, "yield_pct", "percent"),
        ("quarter_end,tenor_years,yield_pct\n2026-08-31,5,4.1\n", 1, "quarter_end", "quarter-end"),
        ("quarter_end,tenor_years,yield_pct\n30/09/2026,5,4.1\n", 1, "quarter_end", "YYYY-MM-DD"),
        ("quarter_end,tenor_years,yield_pct\n2026-09-30,5,0.041\n2026-09-30,x,4\n", 2, "tenor", ""),
        ("quarter_end,tenor_years,yield_pct\n2026-09-30,5,410\n", 1, "yield_pct", "-5 to 30"),
        ("when,rate\n2026-09-30,4.1\n", None, "when,rate", "columns"),
    ],
)
def test_bad_gilt_files_raise_one_line_errors_naming_row_and_column(
    tmp_path: Path, text: str, row: int | None, column: str, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ReferenceDataError) as caught:
        reference.parse_gilt_yields(path)
    error = caught.value
    assert (error.row, error.file) == (row, str(path))
    assert error.column.startswith(column)
    assert expected in error.expected
    assert "\n" not in str(error) and str(path) in str(error)


def test_a_repeated_quarter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("quarter_end,tenor_years,yield_pct\n2026-09-30,5,4.1\n2026-09-30,5,4.2\n")
    with pytest.raises(ReferenceDataError, match="row 2"):
        reference.parse_gilt_yields(path)


# --- Green Book, benchmarks, deflators ----------------------------------------------------


def test_green_book_standard_schedule() -> None:
    schedule = reference.green_book_discount_schedule()
    assert schedule.to_dict("records")[0] == {
        "year_from": 0,
        "year_to": 30,
        "rate": Decimal("0.035"),
    }
    assert schedule.year_to.iloc[-1] is None  # 301 years onward: open band
    rates = ("0.035", "0.030", "0.025", "0.020", "0.015", "0.010")
    assert list(schedule.rate) == [Decimal(r) for r in rates]


def test_green_book_health_and_reduced_schedules() -> None:
    assert reference.green_book_discount_schedule("health").rate.iloc[0] == Decimal("0.015")
    assert reference.green_book_discount_schedule("reduced").rate.iloc[0] == Decimal("0.030")
    assert reference.green_book_discount_schedule("health_reduced").rate.iloc[1] == Decimal(
        "0.0086"
    )
    with pytest.raises(ValueError, match="kind must be one of"):
        reference.green_book_discount_schedule("lower")  # type: ignore[arg-type]


def test_annual_benchmarks_as_fractions() -> None:
    table = reference.annual_benchmarks()
    assert list(table.year) == list(range(2010, 2026))
    y2023 = table[table.year == 2023].iloc[0]
    # CSV row 2023: 4.01, 4.07, ..., 3.5, 1.5, 6.35, 10.08 (percent)
    assert (y2023.gilt_5y, y2023.gilt_10y, y2023.stpr_real) == (0.0401, 0.0407, 0.035)
    assert (y2023.gdp_deflator_growth, y2023.stpr_nominal_equivalent) == (0.0635, 0.1008)
    y2025 = table[table.year == 2025].iloc[0]
    assert math.isnan(y2025.gdp_deflator_growth) and math.isnan(y2025.stpr_nominal_equivalent)


def test_gdp_deflator() -> None:
    deflator = reference.gdp_deflator()
    assert min(deflator) == 1990 and max(deflator) == 2024
    assert deflator[2024] == Decimal("100")
    assert deflator[2019] == Decimal("81.1085")


def test_wellby_value_and_its_rebasing_check() -> None:
    wellby = reference.wellby_value()
    assert (wellby.value, wellby.price_year) == (Decimal("13000"), 2019)
    assert (wellby.low, wellby.high) == (Decimal("10000"), Decimal("16000"))
    deflator = reference.gdp_deflator()
    # green_book/SOURCE.md: £13,000 (2019) × 96.2507 / 81.1085 in 2023 prices.
    # By hand: 13,000 × 96.2507 = 1,251,259.1; ÷ 81.1085 = 15,426.98 (the "£15,427" quoted).
    rebased = wellby.value * deflator[2023] / deflator[wellby.price_year]
    assert rebased.quantize(Decimal("0.01")) == Decimal("15426.98")


# --- unit cost library --------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> pd.DataFrame:
    return reference.unit_cost_library()


def an_entry(library: pd.DataFrame, code: str) -> dict[str, object]:
    rows = library[library.code == code]
    assert len(rows) == 1, code
    return rows.iloc[0].to_dict()


def test_library_shape_and_unique_codes(library: pd.DataFrame) -> None:
    assert len(library) == 684
    assert library.code.is_unique
    assert list(library.columns[:12]) == reference.UNIT_VALUE_COLUMNS
    assert (library.price_year == 2015).all()
    assert (library.duration_years == 1).all()
    # SOURCE.md: 675 fiscal values (one of them a 0 with no uprated value), 80 economic, 25 social.
    assert (library.fiscal.notna().sum(), library.economic.notna().sum()) == (675, 80)
    assert library.social.notna().sum() == 25


def test_library_values_are_2015_16_prices_rounded_half_up(library: pd.DataFrame) -> None:
    crime_asb = an_entry(library, "CR1.0")
    assert crime_asb["fiscal"] == Decimal("673.23")  # fiscal_value_2015_16 673.2312
    assert crime_asb["economic"] is None and crime_asb["social"] is None
    assert crime_asb["source"] == (
        "GMCA Unit Cost Database v1.4: The Economic and Social Costs of Anti-Social Behaviour: "
        "a review' (London School of Economics and Political Science, 2003), p.43"
    )
    assert (crime_asb["deadweight"], crime_asb["attribution"]) == (Decimal(0), Decimal(1))
    homicide = an_entry(library, "CR8.1")  # 189930.8303 / 582897.667 / 1164968.5674
    assert (homicide["fiscal"], homicide["economic"], homicide["social"]) == (
        Decimal("189930.83"),
        Decimal("582897.67"),
        Decimal("1164968.57"),
    )
    assert an_entry(library, "CR8.10.2")["fiscal"] == Decimal("7.63")  # 7.625: half up, not even
    assert an_entry(library, "CR8.18.5")["fiscal"] == Decimal("0.00")  # 0 in 2010/11, no uprating


def test_the_blank_cost_code_is_numbered_into_its_gap(library: pd.DataFrame) -> None:
    police = an_entry(library, "CR8.0.1")
    assert str(police["description"]).endswith("across all types of crime; police costs")
    assert police["fiscal"] == Decimal("248.27")  # 248.2696


def test_unique_codes_rules() -> None:
    assert reference._unique_codes(["A1", "", "A1.2"]) == ["A1", "A1.1", "A1.2"]
    assert reference._unique_codes(["A1", "", "B7"]) == ["A1", "UCD-ROW2", "B7"]
    assert reference._unique_codes(["A1", "A1", "A1"]) == ["A1", "A1#2", "A1#3"]


@pytest.mark.parametrize(
    ("code", "transfer"),
    [
        ("E&E1.0.1", True),  # JSA "... entering work - benefits payments"
        ("E&E1.0.2", False),  # the same claimant's "improved health" savings to the NHS
        ("E&E1.0", False),  # headline mixing benefit savings, health and earnings
        ("E&E1.3", True),  # JSA income-based allowance, single 25 or over
        ("E&E1.6", False),  # cost of processing each new JSA claim: administration
        ("E&E2.4", True),  # ESA support group
        ("E&E3.8", True),  # Income Support, couple
        ("E&E9.0", True),  # Carer's Allowance weekly payment
        ("E&E9.2", False),  # Carer's Allowance cost of maintaining claims
        ("E&E10.0.1", True),  # NEET cost to DWP: comment "relates to ... benefit payments"
        ("E&E10.0.2", False),  # NEET cost to HMRC (lost tax)
        ("E&E4.1", False),  # Work Programme job outcome fee: a payment for a service
        ("HO7.0", True),  # Housing Benefit average weekly award
        ("HO8.0", False),  # cost of processing a Housing Benefit application
        ("HO2.0.2", False),  # application for Local Housing Allowance: administration
        ("HO4.4", False),  # temporary accommodation (comment mentions LHA payments)
        ("SS2.0.1", False),  # foster care "boarding out allowances": a cost of care
        ("CR1.0", False),
    ],
)
def test_transfer_detection_on_real_rows(library: pd.DataFrame, code: str, transfer: bool) -> None:
    assert an_entry(library, code)["transfer"] is transfer


def test_transfer_count_is_stable(library: pd.DataFrame) -> None:
    # Reviewed by eye: the benefit rates of E&E1-E&E9, the "benefits payments" lines, the
    # three NEET cost-to-DWP lines and the eight Housing Benefit awards HO7.x.
    assert int(library.transfer.sum()) == 51


def test_is_transfer_text_rules() -> None:
    assert reference.is_transfer("Universal Credit standard allowance, single claimant")
    assert reference.is_transfer("Working tax credit award")
    assert not reference.is_transfer("Universal Credit cost of processing a claim")
    assert not reference.is_transfer("Mental health day care, per session")


def test_search_needs_every_word(library: pd.DataFrame) -> None:
    found = reference.search_unit_costs("housing BENEFIT weekly", library)
    assert list(found.code) == [f"HO7.{i}" for i in range(8)]
    assert set(reference.search_unit_costs("DWP carer", library).code) == {
        "E&E9.0",
        "E&E9.1",
        "E&E9.2",
    }
    assert reference.search_unit_costs("homicide police", library).code.tolist() == ["CR8.1.1"]
    assert reference.search_unit_costs("no-such-word housing", library).empty
    assert len(reference.search_unit_costs("", library)) == 684
