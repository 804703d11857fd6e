"""Any text passu accepts survives export → import and backup → restore (issue 17, item 2).

A name such as "Care leavers\\rpartnership" arrives from a CSV written with CRLF
endings (where the bare CR is quoted) or from an .xlsx cell. The export must quote
it again, or every CSV reader takes the CR for the end of a row.
"""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from passu.portfolio.interchange.backup import backup, restore
from passu.portfolio.interchange.exporter import csv_bytes, csv_field, export_portfolio, read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.reader import RawTable, parse_csv_bytes
from passu.portfolio.store.database import make_engine
from passu.portfolio.store.models import Base
from tests.conftest import PG_ADMIN_URL

from .builders import Table, a_portfolio

CARE = "Care leavers\rpartnership"
AWKWARD = ["\r", "\n", '"', ",", "\t", " ", "a", "é", "\U0001f600", "'", ";", "="]

# Any text but NUL (neither SQLite's C strings nor PostgreSQL's text hold it) and lone
# surrogates (not UTF-8); weighted towards the characters CSV cares about.
any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(AWKWARD),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    min_size=1,
    max_size=24,
)
a_name = any_text.filter(lambda s: s.strip() != "")  # blank required text is refused


def write_crlf_csvs(folder: Path, tables: dict[str, Table]) -> Path:
    """CSV as Excel writes it: CRLF endings, so a bare CR in a value is quoted."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def with_text(project: str, investor: str, note: str, remark: str) -> dict[str, Table]:
    """The small portfolio with awkward text in names, a note and an attribute column."""
    tables = a_portfolio()
    tables["projects"][0]["name"] = project
    tables["projects"][0]["remark"] = remark  # an attribute column, kept as JSON
    tables["investors"][1]["name"] = investor
    tables["marks"][0]["note"] = note
    return tables


def csv_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def fresh_sqlite(template: Path, folder: Path) -> Engine:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "passu.db")
    return make_engine(f"sqlite:///{folder / 'passu.db'}")


# --- the writer itself ----------------------------------------------------------------


def test_a_bare_carriage_return_is_quoted() -> None:
    assert csv_bytes(["name", "n"], [[CARE, "1"]]) == b'name,n\n"Care leavers\rpartnership",1\n'


@settings(max_examples=500)
@given(st.lists(st.lists(any_text | st.just(""), min_size=2, max_size=4), min_size=1, max_size=4))
def test_what_the_writer_writes_reads_back_as_the_same_cells(rows: list[list[str]]) -> None:
    width = len(rows[0])
    rows = [(r + [""] * width)[:width] for r in rows]
    header = [f"c{i}" for i in range(width)]
    table = parse_csv_bytes("funds", "funds.csv", csv_bytes(header, rows))
    assert [list(r) for r in table.rows] == rows or _only_blank_last_rows_dropped(table, rows)


def _only_blank_last_rows_dropped(table: RawTable, rows: list[list[str]]) -> bool:
    # the reader drops trailing rows of blank cells (a spreadsheet's empty lines)
    kept = [list(r) for r in table.rows]
    return kept == rows[: len(kept)] and all(not "".join(r).strip() for r in rows[len(kept) :])


@settings(max_examples=500)
@given(st.lists(any_text.filter(lambda s: "\r" not in s) | st.just(""), min_size=2, max_size=5))
def test_without_a_carriage_return_the_bytes_are_those_of_csv_writer(row: list[str]) -> None:
    # exports of values without a CR stay byte for byte what they were before the fix
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow(row)
    assert ",".join(csv_field(v) for v in row) + "\n" == buffer.getvalue()


# --- export → import → export -------------------------------------------------------


def test_care_leavers_survives_export_and_import(sqlite_template: Path, tmp_path: Path) -> None:
    first = fresh_sqlite(sqlite_template, tmp_path / "one")
    import_portfolio(
        first, write_crlf_csvs(tmp_path / "in", with_text(CARE, "x", "y", "z")), user="t"
    )
    export_portfolio(first, tmp_path / "out1")
    second = fresh_sqlite(sqlite_template, tmp_path / "two")
    import_portfolio(second, tmp_path / "out1", user="t")  # failed here: row 1 was two rows
    export_portfolio(second, tmp_path / "out2")
    assert csv_files(tmp_path / "out1") == csv_files(tmp_path / "out2")
    header, rows = read_tables(second)["projects"]
    assert rows[0][header.index("name")] == CARE
    first.dispose()
    second.dispose()


def test_care_leavers_from_a_workbook_survives_export_and_import(
    sqlite_template: Path, tmp_path: Path
) -> None:
    first = fresh_sqlite(sqlite_template, tmp_path / "one")
    import_portfolio(
        first, write_crlf_csvs(tmp_path / "in", with_text(CARE, "x", "y", "z")), user="t"
    )
    export_portfolio(first, tmp_path / "book.xlsx")
    second = fresh_sqlite(sqlite_template, tmp_path / "two")
    import_portfolio(second, tmp_path / "book.xlsx", user="t")
    export_portfolio(second, tmp_path / "folder")
    third = fresh_sqlite(sqlite_template, tmp_path / "three")
    import_portfolio(third, tmp_path / "folder", user="t")
    assert read_tables(third) == read_tables(first)
    for engine in (first, second, third):
        engine.dispose()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=a_name, investor=a_name, note=any_text, remark=any_text)
def test_any_text_survives_export_import_export(
    sqlite_template: Path, tmp_path: Path, project: str, investor: str, note: str, remark: str
) -> None:
    here = tmp_path / uuid.uuid4().hex[:8]
    first = fresh_sqlite(sqlite_template, here / "one")
    tables = with_text(project, investor, note, remark)
    import_portfolio(first, write_crlf_csvs(here / "in", tables), user="t")
    export_portfolio(first, here / "out1")
    second = fresh_sqlite(sqlite_template, here / "two")
    import_portfolio(second, here / "out1", user="t")
    export_portfolio(second, here / "out2")
    assert csv_files(here / "out1") == csv_files(here / "out2")
    header, rows = read_tables(second)["projects"]
    assert rows[0][header.index("name")] == unicodedata.normalize(
        "NFC", project
    )  # ids and names are NFC
    first.dispose()
    second.dispose()


# --- backup → restore (the PostgreSQL zip holds the interchange CSV) -----------------


@pytest.fixture
def pg_pair(pg_template: str) -> Iterator[tuple[Engine, Engine]]:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names = [f"passu_text_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    engines = [make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{n}") for n in names]
    try:
        yield engines[0], engines[1]
    finally:
        for engine in engines:
            engine.dispose()
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _empty(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")


@pytest.mark.postgres
def test_care_leavers_survives_a_postgresql_backup(
    pg_pair: tuple[Engine, Engine], tmp_path: Path
) -> None:
    source, target = pg_pair
    import_portfolio(
        source, write_crlf_csvs(tmp_path / "in", with_text(CARE, "x", "y", "z")), user="t"
    )
    backup(source, tmp_path / "b.zip")
    restore(target, tmp_path / "b.zip", user="t")  # failed here: 2 cells where 9 expected
    assert read_tables(target) == read_tables(source)


@pytest.mark.postgres
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=a_name, investor=a_name, note=any_text, remark=any_text)
def test_any_text_survives_backup_and_restore(
    pg_pair: tuple[Engine, Engine],
    tmp_path: Path,
    project: str,
    investor: str,
    note: str,
    remark: str,
) -> None:
    source, target = pg_pair
    _empty(source)
    _empty(target)
    here = tmp_path / uuid.uuid4().hex[:8]
    tables = with_text(project, investor, note, remark)
    import_portfolio(source, write_crlf_csvs(here / "in", tables), user="t")
    backup(source, here / "b.zip")
    restore(target, here / "b.zip", user="t")
    assert read_tables(target) == read_tables(source)
    header, rows = read_tables(target)["investors"]
    assert unicodedata.normalize("NFC", investor) in [r[header.index("name")] for r in rows]
