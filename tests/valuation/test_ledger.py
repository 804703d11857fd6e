"""The ledger read three ways: from the database, from a CSV folder, from records.

``Ledger.from_csv`` must be the ledger ``passu import`` then ``load_frames`` gives,
frame for frame and dtype for dtype (the run's fingerprint hashes every cell's
text, so even a missing value must be missing the same way), and must refuse a
bad folder with the very lines ``passu import`` prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reference.benchmarks import yields_with
from passu.portfolio.store.database import make_engine
from passu.portfolio.store.frames import load_frames, stored_gilt_yields
from passu.valuation.fingerprint import fingerprint
from passu.valuation.ledger import Ledger
from passu.valuation.problems import LedgerInputError
from passu.valuation.schema import BY_NAME

from ..portfolio.builders import a_portfolio, write_csvs

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample"
GOLDEN = ROOT / "tests" / "data" / "golden" / "golden_ALL.json"
TABLES = [f.name for f in fields(Ledger)]


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Engine:
    shutil.copy(sqlite_template, tmp_path / "passu.db")
    return make_engine(f"sqlite:///{tmp_path / 'passu.db'}")


@pytest.fixture
def imported_sample(sqlite_engine: Engine) -> Engine:
    import_portfolio(sqlite_engine, SAMPLE, user="t")
    return sqlite_engine


def assert_same_ledger(left: Ledger, right: Ledger) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(left, name), getattr(right, name), check_exact=True, obj=name
        )


def test_from_csv_is_the_imported_sample_read_back(imported_sample: Engine) -> None:
    with imported_sample.connect() as conn:
        stored = load_frames(conn)
        yields = yields_with(stored_gilt_yields(conn))
    ledger = Ledger.from_csv(SAMPLE)
    # Row for row, not only as sets: a fresh import stores rows in key order.
    assert_same_ledger(ledger, stored)
    assert ledger.fingerprint(yields) == fingerprint(stored, yields)
    # The shipped runs' hash is that of the sample before issue 15 gave it forecasts
    # (cost_forecasts, holding_terms, outcome forecasts beyond the as-of date): the
    # sample without them still hashes to it (tests/portfolio/test_format_v2.py).


def test_an_empty_ledger_has_the_columns_and_dtypes_an_empty_database_gives(
    sqlite_engine: Engine,
) -> None:
    with sqlite_engine.connect() as conn:
        stored = load_frames(conn)
    assert_same_ledger(Ledger.empty(), stored)
    assert_same_ledger(Ledger.from_records(), stored)


def _rewrite(folder: Path, table: str, row: int, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    records[row - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def test_a_bad_folder_is_refused_with_the_lines_passu_import_prints(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    _rewrite(folder, "project_flows", 3, "amount", "1,250.00")
    result = CliRunner().invoke(
        cli, ["--quiet", "--database", str(sqlite_engine.url), "import", str(folder)]
    )
    assert result.exit_code == 2
    with pytest.raises(LedgerInputError) as refused:
        Ledger.from_csv(folder)
    expected = (
        "project_flows.csv, row 3, column amount: expected an amount in pounds such as "
        "1250000.50 (no £ or commas, under £1 trillion), found '1,250.00'"
    )
    assert [str(p) for p in refused.value.problems] == [expected]
    assert result.stderr.splitlines() == [f"error: {expected}", "nothing was written"]


def test_rules_across_tables_are_import_s_rules(sqlite_engine: Engine, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "bad", a_portfolio())
    _rewrite(folder, "commitments", 2, "investor_id", "NOBODY")
    _rewrite(folder, "contract_payers", 1, "share", "0.5")
    result = CliRunner().invoke(
        cli, ["--quiet", "--database", str(sqlite_engine.url), "import", str(folder)]
    )
    with pytest.raises(LedgerInputError) as refused:
        Ledger.from_csv(folder)
    lines = [f"error: {p}" for p in refused.value.problems]
    assert lines == result.stderr.splitlines()[:-1]
    assert lines == [
        "error: commitments.csv, row 2, column investor_id: expected a reference to "
        "investors.csv (investor_id), found unknown 'NOBODY'",
        "error: contract_payers.csv, row 1, column share: expected shares of contract C1 "
        "summing to 1 (within 0.0001), found a total of 1.166667",
    ]


def test_from_records_reads_interchange_terms() -> None:
    ledger = Ledger.from_records(
        investor_flows=[
            {
                "fund_id": "F1",
                "investor_id": "GOV",
                "date": dt.date(2020, 1, 31),
                "kind": "call",
                "amount": Decimal("1250.5"),
            },
            ("F1", "GOV", "2021-01-31", "distribution", "99.99"),
        ],
        unit_values=[
            {
                "code": "UV1",
                "description": "a unit",
                "fiscal": 10,
                "price_year": 2015,
                "source": "test",
                "attribution": "0.80",
            }
        ],
    )
    flows = ledger.investor_flows
    # £1,250.50 is 125,050 pence; £99.99 is 9,999 pence
    assert flows["amount_pence"].tolist() == [125_050, 9_999]
    assert flows["amount_pence"].dtype == "int64"
    assert flows["date"].tolist() == [pd.Timestamp("2020-01-31"), pd.Timestamp("2021-01-31")]
    unit = ledger.unit_values.iloc[0]
    # empty optional cells take the format's defaults: deadweight 0, duration 1 year
    assert (unit["fiscal_pence"], unit["deadweight"], unit["duration_years"]) == (
        1000,
        Decimal("0"),
        1,
    )
    assert unit["attribution"] == Decimal("0.8")  # normalised as an import stores it
    assert pd.isna(unit["economic_pence"])
    for name in TABLES:
        assert getattr(ledger, name).dtypes.to_dict() == {
            column: getattr(Ledger.empty(), name)[column].dtype
            for column in BY_NAME[name].frame_columns
        }, name


def test_from_records_is_from_csv_of_the_same_rows(tmp_path: Path) -> None:
    tables = a_portfolio()
    from_csv = Ledger.from_csv(write_csvs(tmp_path / "p", tables))
    from_records = Ledger.from_records(**tables)
    for name in TABLES:
        schema = BY_NAME[name]
        order = [
            c.frame_name for c in schema.columns if c.name in (schema.key or schema.column_names)
        ]
        pd.testing.assert_frame_equal(
            getattr(from_records, name).sort_values(order).reset_index(drop=True),
            getattr(from_csv, name),
            check_exact=True,
            obj=name,
        )


def test_from_records_refuses_a_bad_cell_naming_table_row_and_column() -> None:
    with pytest.raises(LedgerInputError) as refused:
        Ledger.from_records(funds=[("F1", "Fund", "EUR", "2014", "Manager")])
    assert [str(p) for p in refused.value.problems] == [
        "funds records, row 1, column currency: expected one of GBP, found 'EUR'"
    ]
    with pytest.raises(TypeError, match="no such table: fund"):
        Ledger.from_records(fund=[])


@pytest.mark.parametrize(
    "day",
    [dt.date(2000, 1, 1), dt.date(2016, 3, 31), dt.date(2019, 3, 31), dt.date(2023, 12, 31)],
)
def test_as_of_is_load_frames_on_that_date(imported_sample: Engine, day: dt.date) -> None:
    with imported_sample.connect() as conn:
        past = load_frames(conn, day)
        yields = stored_gilt_yields(conn)
    ledger = Ledger.from_csv(SAMPLE)
    assert_same_ledger(ledger.as_of(day), past)
    assert ledger.as_of(day).fingerprint(yields) == fingerprint(past, yields)


def test_as_of_leaves_out_rows_dated_after_the_day() -> None:
    ledger = Ledger.from_records(
        investor_flows=[
            ("F1", "GOV", "2020-12-31", "call", "100"),
            ("F1", "GOV", "2021-01-01", "call", "200"),
        ],
        funds=[("F1", "Fund", "GBP", "2014", "Manager")],
    )
    cut = ledger.as_of(dt.date(2020, 12, 31))
    # the flow dated the day itself stays, the next day's goes; undated tables are untouched
    assert cut.investor_flows["amount_pence"].tolist() == [10_000]
    assert cut.funds is ledger.funds
