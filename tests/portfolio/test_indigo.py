"""Reading the INDIGO export: a hand-checked excerpt, the cell parsers, and the full files."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from passu.portfolio.market.indigo import (
    IndigoData,
    NotIndigoError,
    Skipped,
    normalise_currency,
    parse_amount,
    parse_date,
    read_indigo,
)

EXCERPT = Path(__file__).parents[1] / "data" / "indigo_excerpt"
FULL = Path(__file__).parents[2].parent / "shared/data/indigo_impact_bonds_2025-05"


@pytest.fixture(scope="module")
def excerpt() -> IndigoData:
    return read_indigo(EXCERPT)


def a_project(data: IndigoData, project_id: str) -> dict[str, object]:
    rows = data.projects[data.projects.id == project_id]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


# --- the excerpt ---------------------------------------------------------------------------


def test_every_project_is_read(excerpt: IndigoData) -> None:
    assert list(excerpt.projects.id) == [
        "INDIGO-POJ-0014",
        "INDIGO-POJ-0122",
        "INDIGO-POJ-0131",
        "INDIGO-POJ-0163",
        "INDIGO-POJ-0175",
        "INDIGO-POJ-0204",
    ]
    assert excerpt.missing_files == ()


def test_a_range_gives_its_minimum_as_capital_raised(excerpt: IndigoData) -> None:
    kirklees = a_project(excerpt, "INDIGO-POJ-0175")
    assert kirklees["name"] == "Kirklees Integrated Support Services"
    assert kirklees["countries"] == ("GB",)
    assert kirklees["policy_sector"] == "Homelessness"
    assert kirklees["capital_raised"] == Decimal("3469613")
    assert (kirklees["capital_min"], kirklees["capital_max"]) == (
        Decimal("3469613"),
        Decimal("5875970"),
    )
    assert kirklees["capital_is_range"] is True
    assert kirklees["max_outcome_payment"] == Decimal("22297917")
    assert kirklees["start_date"] == date(2019, 9, 1)  # "2019-09"


def test_exact_capital_and_blank_fields(excerpt: IndigoData) -> None:
    ambition = a_project(excerpt, "INDIGO-POJ-0131")
    assert (ambition["capital_raised"], ambition["currency"]) == (Decimal("600000"), "GBP")
    assert ambition["capital_is_range"] is False
    assert ambition["max_outcome_payment"] is None
    blank = a_project(excerpt, "INDIGO-POJ-0122")
    assert (blank["capital_raised"], blank["currency"], blank["max_outcome_payment"]) == (
        None,
        "",
        None,
    )


def test_multi_line_notes_survive_whole(excerpt: IndigoData) -> None:
    notes = str(a_project(excerpt, "INDIGO-POJ-0131")["notes"])
    assert notes.startswith("Referral routes: Ambition was the largest of the seven projects")
    assert "\n" in notes
    # The record after the multi-line one is still read in its own right.
    assert a_project(excerpt, "INDIGO-POJ-0163")["name"] == "Futureshapers Sheffield"


def test_non_gbp_currencies_are_kept(excerpt: IndigoData) -> None:
    chenelet = a_project(excerpt, "INDIGO-POJ-0204")
    assert (chenelet["currency"], chenelet["capital_raised"]) == ("EUR", Decimal("3500000"))
    assert chenelet["max_outcome_payment_currency"] == "EUR"
    usd = excerpt.outcome_payments[excerpt.outcome_payments.project_id == "INDIGO-POJ-0014"]
    assert list(zip(usd.currency, usd.amount, strict=True)) == [("USD", Decimal("3125000"))]


def test_a_blank_max_payment_currency_takes_the_projects_currency_with_a_warning(
    excerpt: IndigoData,
) -> None:
    sheffield = a_project(excerpt, "INDIGO-POJ-0163")
    assert sheffield["max_outcome_payment"] == Decimal("4000000")
    assert sheffield["max_outcome_payment_currency"] == "GBP"
    assert excerpt.warnings == (
        Skipped(
            "projects.csv",
            4,
            "Overall project finance - Maximum potential outcome payment - Currency - (Value)",
            "blank; taken as the project's currency 'GBP'",
        ),
    )


def test_planned_payments_are_excluded_and_blank_type_counts_as_actual(
    excerpt: IndigoData,
) -> None:
    payments = excerpt.outcome_payments
    assert excerpt.planned_payments_excluded == 2  # Kirklees' two Planned rows
    assert set(payments.type) == {"Actual"}
    ambition = payments[payments.project_id == "INDIGO-POJ-0131"]
    assert list(ambition.amount) == [Decimal("2742943")]  # Type blank in the export
    kirklees = payments[payments.project_id == "INDIGO-POJ-0175"]
    assert list(kirklees.amount) == [Decimal("397500"), Decimal("971234"), Decimal("1136486")]
    assert kirklees.payer_ids.iloc[0] == ("INDIGO-ORG-0171", "INDIGO-ORG-1083")
    assert len(payments) == 7


def test_the_unreadable_row_is_reported_not_dropped_silently(excerpt: IndigoData) -> None:
    assert excerpt.skipped == (
        Skipped(
            "projects_outcome_payments.csv",
            10,
            "Payments - Amount - (Value)",
            "no single amount: 'see evaluation report'",
        ),
    )
    assert str(excerpt.skipped[0]).startswith("projects_outcome_payments.csv: row 10, column ")


def test_link_tables(excerpt: IndigoData) -> None:
    assert len(excerpt.investments) == 11  # 0014: 1, 0131: 3, 0163: 3, 0175: 3, 0204: 1
    chenelet = excerpt.investments[excerpt.investments.project_id == "INDIGO-POJ-0204"]
    assert list(zip(chenelet.currency, chenelet.amount, strict=True)) == [
        ("EUR", Decimal("3500000"))
    ]
    assert len(excerpt.organisations) == 11
    assert "Big Society Capital" in set(excerpt.organisations.name)
    assert len(excerpt.results) == 7
    assert excerpt.results.outcomes_achieved.iloc[0] == Decimal("500")
    assert len(excerpt.outcome_metrics) == 11


# --- malformed input -----------------------------------------------------------------------


def test_a_folder_without_projects_csv_is_not_indigo(tmp_path: Path) -> None:
    with pytest.raises(NotIndigoError, match=r"no projects\.csv"):
        read_indigo(tmp_path)


def test_projects_csv_without_the_key_columns_is_not_indigo(tmp_path: Path) -> None:
    (tmp_path / "projects.csv").write_text("project_id,name\nP1,Something\n")
    with pytest.raises(NotIndigoError, match="lacks the INDIGO column 'ID'"):
        read_indigo(tmp_path)


def test_rows_with_the_wrong_field_count_or_no_project_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "indigo"
    shutil.copytree(EXCERPT, folder)
    with (folder / "projects.csv").open("a", encoding="utf-8") as handle:
        handle.write("INDIGO-POJ-9999,Too short\n")
    results = folder / "projects_results.csv"
    header = results.read_text(encoding="utf-8").splitlines()[0]
    fields = header.count(",") + 1
    with results.open("a", encoding="utf-8") as handle:
        handle.write("INDIGO-POJ-0404" + "," * (fields - 1) + "\n")
    (folder / "projects_outcome_metrics.csv").unlink()
    data = read_indigo(folder)
    reasons = {(s.file, s.row): s.reason for s in data.skipped}
    assert reasons[("projects.csv", 7)] == "expected 72 fields, found 2"
    assert reasons[("projects_results.csv", 8)] == "project INDIGO-POJ-0404 is not in projects.csv"
    assert len(data.projects) == 6 and len(data.results) == 7
    assert data.missing_files == ("projects_outcome_metrics.csv",)
    assert data.outcome_metrics.empty and "definition" in data.outcome_metrics.columns


# --- cell parsers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250000", (Decimal("1250000"), Decimal("1250000"))),
        ("102978.0679589583", (Decimal("102978.0679589583"),) * 2),
        ("1,350,000", (Decimal("1350000"),) * 2),
        ("$11.712M", (Decimal("11712000.000"),) * 2),
        ("£5m", (Decimal("5000000"),) * 2),
        ("1-2m", (Decimal("1000000"), Decimal("2000000"))),
        ("1m to 2.5m", (Decimal("1000000"), Decimal("2500000"))),
        ("500k–750k", (Decimal("500000"), Decimal("750000"))),
        ("GBP 300000", (Decimal("300000"),) * 2),
        ("$", None),
        ("=U33", None),
        ("30% of capital", None),
        ("2-1m", None),
        ("$1,020,000 (interim results)", None),
    ],
)
def test_parse_amount(text: str, expected: tuple[Decimal, Decimal] | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GBP", "GBP"),
        ("GBP ", "GBP"),
        ("gbp", "GBP"),
        ("Russian Ruble", "RUB"),
        ("Russian rubles", "RUB"),
        ("Swedish", "SEK"),
        ("NZ dollar", "NZD"),
        ("£", "GBP"),
        ("", ""),
        ("Pounds of apples", None),
    ],
)
def test_normalise_currency(text: str, code: str | None) -> None:
    assert normalise_currency(text) == code


def test_parse_date() -> None:
    assert parse_date("2019-11-04") == date(2019, 11, 4)
    assert parse_date("2019-11") == date(2019, 11, 1)
    assert parse_date("2018") == date(2018, 1, 1)
    assert parse_date("2018-13") is None
    assert parse_date("18th August 2022") is None


# --- the full export -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_full_export_reads_without_losing_rows() -> None:
    if not (FULL / "projects.csv").is_file():
        pytest.skip(f"INDIGO export not found at {FULL}")
    data = read_indigo(FULL)
    assert len(data.projects) == 319
    assert sum("GB" in countries for countries in data.projects.countries) == 100
    assert data.skipped == ()
    raw = pd.read_csv(FULL / "projects_outcome_payments.csv", dtype=str, keep_default_na=False)
    # Every payment row is either loaded (Actual or blank type) or counted as Planned.
    assert len(data.outcome_payments) + data.planned_payments_excluded == len(raw) == 2232
    assert len(data.investments) == 1080 and len(data.organisations) == 1549
