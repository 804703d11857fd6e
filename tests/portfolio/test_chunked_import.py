"""A flow table longer than one chunk: read, checked and staged a chunk at a time.

The import takes ``chunk_rows`` (50,000 by default); these tests use a handful, so a
small portfolio spans many chunks. Whatever the chunking, an import stores the same
rows and refuses bad input with the same problems, naming file, row and column, and
writes nothing; on PostgreSQL the flows reach the database through COPY.
"""

from __future__ import annotations

import copy
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.errors import ConflictError, InputError, Problem
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store.database import make_engine, upgrade
from passu.valuation.raw_tables import csv_chunks, read_csv_folder, scan_csv_folder

from .builders import Table, a_portfolio, write_csvs

CHUNK = 4
EXTRA = 25  # interest receipts added to the sample's flows: seven chunks and a bit


def a_long_portfolio() -> dict[str, Table]:
    """The small portfolio with ``EXTRA`` more interest receipts on F1's holding."""
    tables = copy.deepcopy(a_portfolio())
    tables["project_flows"] += [
        {
            "project_id": "P1",
            "holder_id": "F1",
            "tranche": "A",
            "date": f"2016-02-{1 + i:02d}",
            "kind": "interest",
            "amount": f"{100 + i}.50",
        }
        for i in range(EXTRA)
    ]
    return tables


def refused(engine: Engine, folder: Path, chunk_rows: int = CHUNK) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as refusal:
        import_portfolio(engine, folder, user="t", chunk_rows=chunk_rows)
    return tuple(refusal.value.problems)


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "good", a_portfolio()), user="t")
    return engine


def test_a_chunked_import_stores_what_a_whole_one_does(db_url: str, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "long", a_long_portfolio())
    chunked = make_engine(db_url)
    report = import_portfolio(chunked, folder, user="t", chunk_rows=CHUNK)
    flows = len(a_long_portfolio()["project_flows"])
    assert {t.table: t.added for t in report.tables}["project_flows"] == flows
    whole = make_engine(f"sqlite:///{tmp_path / 'whole.db'}")
    upgrade(whole)
    import_portfolio(whole, folder, user="t")
    assert read_tables(chunked) == read_tables(whole)
    # and again, chunked, against the stored rows: nothing to do
    assert import_portfolio(chunked, folder, user="t", chunk_rows=CHUNK).unchanged


def test_a_bad_cell_in_the_last_chunk_writes_nothing(loaded: Engine, tmp_path: Path) -> None:
    tables = a_long_portfolio()
    last = len(tables["project_flows"])
    assert last > 5 * CHUNK, "the file must span several chunks"
    tables["project_flows"][-1]["date"] = "2016-02-30"
    tables["projects"][0]["name"] = "Renamed, which must not be written"
    before = read_tables(loaded)
    problems = refused(loaded, write_csvs(tmp_path / "bad", tables))
    assert [str(p) for p in problems] == [
        f"project_flows.csv, row {last}, column date: expected a real calendar date "
        "as YYYY-MM-DD, found '2016-02-30'"
    ]
    assert read_tables(loaded) == before


def test_a_broken_reference_in_the_last_chunk_writes_nothing(
    loaded: Engine, tmp_path: Path
) -> None:
    tables = a_long_portfolio()
    last = len(tables["project_flows"])
    tables["project_flows"][-1]["holder_id"] = "NOBODY"
    before = read_tables(loaded)
    problems = refused(loaded, write_csvs(tmp_path / "bad", tables))
    assert [(p.file, p.row, p.column) for p in problems] == [("project_flows.csv", last, "tranche")]
    assert "unknown 'P1/NOBODY/A'" in str(problems[0])
    assert read_tables(loaded) == before


def test_problems_across_chunks_are_listed_as_for_the_whole_file(
    engine: Engine, tmp_path: Path
) -> None:
    tables = a_long_portfolio()
    for row in tables["project_flows"][3::2]:  # a dozen bad amounts, spread over the chunks
        row["amount"] = "12.345"
    folder = write_csvs(tmp_path / "bad", tables)
    chunked = refused(engine, folder)
    assert chunked == refused(engine, folder, chunk_rows=10_000)
    bad = len(tables["project_flows"][3::2])
    assert [p.row for p in chunked[:5]] == [4, 6, 8, 10, 12]
    assert str(chunked[5]).endswith(f"(and {bad - 5} more rows like these)")

    tables = a_long_portfolio()
    for row in tables["project_flows"][2::2]:  # more unknown holdings than are named
        row["tranche"] = "Z"
    folder = write_csvs(tmp_path / "unknown", tables)
    chunked = refused(engine, folder)
    assert chunked == refused(engine, folder, chunk_rows=10_000)
    assert [p.row for p in chunked] == [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]


def test_a_locked_row_in_a_later_chunk_is_refused(loaded: Engine, tmp_path: Path) -> None:
    url = loaded.url.render_as_string(hide_password=False)
    for args in (["value", "--as-of", "2016-12-31", "--save"], ["runs", "approve", "2016-12-31"]):
        result = CliRunner().invoke(cli, ["--database", url, *args])
        assert result.exit_code == 0, result.output
    tables = a_long_portfolio()  # adds flows dated in February 2016, a locked period
    before = read_tables(loaded)
    with pytest.raises(ConflictError) as refusal:
        import_portfolio(loaded, write_csvs(tmp_path / "late", tables), user="t", chunk_rows=CHUNK)
    first = len(a_portfolio()["project_flows"]) + 1
    assert f"project_flows.csv row {first} adds a row dated 2016-02-01" in str(refusal.value)
    assert f"(and {EXTRA - 10} more)" in str(refusal.value)
    assert read_tables(loaded) == before


@pytest.mark.postgres
def test_postgresql_takes_the_flows_through_copy(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    copy_call = psycopg.Cursor.copy

    def spy(self: psycopg.Cursor, statement: str, *args: object, **kwargs: object) -> object:
        statements.append(str(statement))
        return copy_call(self, statement, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(psycopg.Cursor, "copy", spy)
    engine = make_engine(pg_url)
    folder = write_csvs(tmp_path / "long", a_long_portfolio())
    import_portfolio(engine, folder, user="t", chunk_rows=CHUNK)
    copies = [s for s in statements if s.startswith("COPY passu_stage_project_flows")]
    flows = len(a_long_portfolio()["project_flows"])
    assert len(copies) == -(-flows // CHUNK)  # one COPY per chunk
    assert len(read_tables(engine)["project_flows"][1]) == flows
    engine.dispose()


def test_chunks_number_rows_as_the_file_does(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "funds.csv").write_bytes(
        b"\xef\xbb\xbffund_id,name,currency,vintage,manager\n"
        + b"".join(b"F%d,'=Fund,GBP,2015,M\n" % i for i in range(1, 8))
        + b",,,,\n"  # a blank row inside the table: kept, and refused by the cell checks
        + b"F9,Fund,GBP,2015,M\n\n\n"  # blank lines after the last row: dropped
    )
    scanned = scan_csv_folder(folder)
    whole = read_csv_folder(folder)
    assert scanned.sha256 == whole.sha256
    chunks = list(csv_chunks(scanned.files["funds"], 3))
    assert [c.first_row for c in chunks] == [1, 4, 7]
    assert [list(r) for c in chunks for r in c.rows] == [
        list(r) for r in whole.tables["funds"].rows
    ]
    assert chunks[0].rows[0][1] == "=Fund"  # the export's formula escape taken off

    (folder / "funds.csv").write_bytes(b"fund_id,name\n" + b"F,N\n" * 7 + b"F,N,extra\n")
    with pytest.raises(Exception, match="row 8: expected 2 cells as in the header, found 3"):
        list(csv_chunks(scan_csv_folder(folder).files["funds"], 3))


# --- the plain reader: pandas' C parser on plain text, the csv module otherwise --------

_FLOWS_HEAD = b"project_id,holder_id,tranche,date,kind,amount\n"
_FLOW = b"P1,F1,A,2016-02-%02d,interest,1%02d.50\n"


@pytest.mark.parametrize(
    "body",
    [
        b"".join(_FLOW % (i, i) for i in range(1, 10)),  # plain: the C parser throughout
        b"".join(_FLOW % (i, i) for i in range(1, 10)).rstrip(b"\n"),  # no final line break
        b"".join(_FLOW % (i, i) for i in range(1, 10)) + b"\n\n",  # blank lines at the end
        b"".join(_FLOW % (i, i) for i in range(1, 10)) + b",,,,,\n",  # a blank last row
        b"".join(_FLOW % (i, i) for i in range(1, 4)) + b",,,,,\n" + _FLOW % (5, 5) * 5,
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b'"P1",F1,A,2016-03-01,fee,"1,5"\n',
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"P1,F1,A,2016-03-01,fee\n",
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"P1,F1,A,2016-03-01,fee,1,2\n" * 2,
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"\n" + _FLOW % (7, 7),
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"P1,F1,A,2016-03-01,fee,1\r\n",
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b'P1,F1,A,2016-03-01,fee,"1\n',
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"P1 ,\xc2\xa0F1,A\x0b,d,\x1c,  \n",
        b"".join(_FLOW % (i, i) for i in range(1, 6)) + b"P1,F1,A,d,k," + b"9" * 200_000 + b"\n",
        b"",  # no rows
    ],
)
def test_the_plain_reader_reads_as_the_csv_module(tmp_path: Path, body: bytes) -> None:
    """Chunk by chunk, the same rows numbered alike, or the same refusal, as
    ``csv_chunks``: a plain chunk read by pandas, then the csv module from the first
    that is not plain (quotes, CR, ragged or blank rows, a huge cell)."""
    from passu.portfolio.interchange.reader import open_portfolio

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "project_flows.csv").write_bytes(b"\xef\xbb\xbf" + _FLOWS_HEAD + body)
    source = open_portfolio(folder)
    for chunk_rows in (1, 2, 3, 4, 50_000):

        def read(chunks: object) -> object:
            try:
                return [
                    (c.header, c.first_row, [tuple(r) for r in c.rows])
                    for c in chunks  # type: ignore[attr-defined]
                ]
            except Exception as error:  # the refusal is what is compared
                return str(error)

        slow = read(csv_chunks(scan_csv_folder(folder).files["project_flows"], chunk_rows))
        fast = read(source.chunks("project_flows", chunk_rows))
        assert fast == slow or (isinstance(slow, str) and isinstance(fast, str)), chunk_rows
        if isinstance(slow, str):
            assert isinstance(fast, str) and slow in fast  # the same problem, as InputError


def test_the_plain_reader_stores_the_rows_the_csv_module_does(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain reader (pandas) and the csv module store the same rows in the same
    stored order (ids), a chunk at a time and whole."""
    from passu.portfolio.interchange import reader

    tables = a_long_portfolio()
    tables["project_flows"] = tables["project_flows"][::-1]  # far from canonical order
    folder = write_csvs(tmp_path / "long", tables)

    def stored(engine: Engine) -> list[tuple[object, ...]]:
        with engine.connect() as conn:
            query = "SELECT * FROM project_flows ORDER BY id"
            return [tuple(r) for r in conn.exec_driver_sql(query)]

    results = []
    for plain in (True, False):
        if not plain:

            def refuse(*_args: object) -> object:
                raise reader._NotPlain

            monkeypatch.setattr(reader, "_plain_csv_chunks", refuse)
        for chunk_rows in (CHUNK, 50_000):
            engine = make_engine(f"sqlite:///{tmp_path / f'{plain}-{chunk_rows}.db'}")
            upgrade(engine)
            import_portfolio(engine, folder, user="t", chunk_rows=chunk_rows)
            results.append(stored(engine))
            engine.dispose()
    assert all(r == results[0] for r in results)
    assert len(results[0]) == len(tables["project_flows"])
