"""Hostile and careless input (issue 17, items 3, 5, 8, 9 and 11 on the input side).

Workbooks whose ``<dimension>`` lies, hidden sheets, entity bombs, a million
columns, formula injection in every CSV passu writes, ids with invisible
characters, symlinks out of an import folder and numbers with binary noise.
Most tests read or write files without a database; a few import into SQLite.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.cli.output import emit_listings
from passu.portfolio.errors import InputError
from passu.portfolio.interchange.exporter import csv_bytes, export_portfolio, read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.reader import _float_text, read_portfolio
from passu.portfolio.interchange.sheet_text import append_row
from passu.portfolio.listing import Column, Listing
from passu.portfolio.store.database import make_engine
from passu.valuation.raw_tables import (
    MAX_COLUMNS,
    escape_formula,
    parse_csv_bytes,
    unescape_formula,
)

from .builders import Table, a_portfolio, write_csvs

Tables = dict[str, Table]


def _book(path: Path, tables: Tables, poison: Callable[[Workbook], None] = lambda b: None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    poison(book)
    book.save(path)
    return path


def _rewrite(path: Path, member_pattern: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite the zip members whose names match, as another program might have written them."""
    with zipfile.ZipFile(path) as archive:
        members = [(i, archive.read(i)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if re.fullmatch(member_pattern, info.filename):
                data = change(data)
            archive.writestr(info.filename, data)


def _sheet_of(path: Path, title: str) -> str:
    """The zip member holding the sheet named ``title``."""
    names = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


def _dimension(ref: str) -> Callable[[bytes], bytes]:
    return lambda data: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)


def _many_projects(count: int) -> Tables:
    tables = a_portfolio()
    template = tables["projects"][0]
    tables["projects"] = [
        {**template, "project_id": f"P{n:04d}", "name": f"Project {n}"} for n in range(count)
    ]
    return {k: tables[k] for k in ("funds", "investors", "projects")}


# --- item 3: the declared dimension, hidden sheets ------------------------------------


def test_a_sheet_declaring_a_too_small_dimension_is_read_whole(tmp_path: Path) -> None:
    # openpyxl's read-only mode trusted A1:H2 and read 1 row of 711, reporting the rest removed
    path = _book(tmp_path / "b.xlsx", _many_projects(711))
    _rewrite(path, re.escape(_sheet_of(path, "projects")), _dimension("A1:H2"))
    raw = read_portfolio(path)
    assert len(raw.tables["projects"].rows) == 711
    assert raw.tables["projects"].rows[-1][0] == "P0710"


def test_a_dimension_starting_below_the_header_skips_nothing(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", _many_projects(5))
    _rewrite(path, re.escape(_sheet_of(path, "projects")), _dimension("C3:D4"))
    table = read_portfolio(path).tables["projects"]
    assert table.header[:2] == ("project_id", "name")
    assert [r[0] for r in table.rows] == [f"P{n:04d}" for n in range(5)]


def test_a_sheet_declaring_a_whole_grid_is_read_in_well_under_a_second(tmp_path: Path) -> None:
    # openpyxl made up 16,384 empty cells on each of 1,048,576 rows: the import hung
    path = _book(tmp_path / "b.xlsx", _many_projects(3))
    _rewrite(path, r"xl/worksheets/sheet\d+\.xml", _dimension("A1:XFD1048576"))
    started = time.perf_counter()
    raw = read_portfolio(path)
    assert time.perf_counter() - started < 1.0
    assert len(raw.tables["projects"].rows) == 3
    assert len(raw.tables["projects"].header) == 8


@pytest.mark.parametrize(
    ("state", "found"), [("hidden", "a hidden sheet"), ("veryHidden", "a very hidden sheet")]
)
def test_hidden_sheets_are_refused(tmp_path: Path, state: str, found: str) -> None:
    def hide(book: Workbook) -> None:
        book["investors"].sheet_state = state

    path = _book(tmp_path / "b.xlsx", a_portfolio(), hide)
    with pytest.raises(InputError) as refused:
        read_portfolio(path)
    assert f"b.xlsx[investors]: expected a visible sheet, found {found}" in str(refused.value)


def test_a_blank_row_inside_a_sheet_is_refused_not_dropped(tmp_path: Path) -> None:
    def gap(book: Workbook) -> None:
        book["projects"]["A40"] = "P-LOST"

    path = _book(tmp_path / "b.xlsx", _many_projects(3), gap)
    with pytest.raises(InputError) as refused:
        read_portfolio(path)
    assert "b.xlsx[projects], row 4: expected no blank row inside the table" in str(refused.value)


def test_a_row_at_the_bottom_of_the_grid_is_refused_at_once(tmp_path: Path) -> None:
    def far(book: Workbook) -> None:
        book["projects"]["A1048576"] = "P-FAR"

    path = _book(tmp_path / "b.xlsx", _many_projects(2), far)
    started = time.perf_counter()
    with pytest.raises(InputError, match="row 3: expected no blank row inside the table"):
        read_portfolio(path)
    assert time.perf_counter() - started < 1.0


# --- item 8: widths and XML bombs ------------------------------------------------------


def test_a_csv_with_a_million_columns_is_refused_at_once() -> None:
    data = b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n" + b"1," * 999_999 + b"1\n"
    started = time.perf_counter()
    with pytest.raises(ValueError) as refused:
        parse_csv_bytes("projects", "projects.csv", data)
    assert time.perf_counter() - started < 2.0
    assert str(refused.value) == (
        f"projects.csv, header: expected at most {MAX_COLUMNS:,} columns, found 1,000,000"
    )


def test_a_sheet_with_a_header_out_to_column_xfd_is_refused(tmp_path: Path) -> None:
    def wide(book: Workbook) -> None:
        book["projects"]["XFD1"] = "far"

    path = _book(tmp_path / "b.xlsx", _many_projects(2), wide)
    with pytest.raises(InputError, match=f"header: expected at most {MAX_COLUMNS:,} columns"):
        read_portfolio(path)


def test_a_data_cell_beyond_the_header_is_named(tmp_path: Path) -> None:
    def stray(book: Workbook) -> None:
        book["projects"]["XFD3"] = "stray"

    path = _book(tmp_path / "b.xlsx", _many_projects(3), stray)
    with pytest.raises(InputError) as refused:
        read_portfolio(path)
    assert "b.xlsx[projects], row 2: expected 8 cells as in the header, found a value in XFD3" in (
        str(refused.value)
    )


BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)
EXTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize(
    ("member", "prolog"),
    [
        (r"xl/worksheets/sheet1\.xml", BOMB),
        (r"xl/sharedStrings\.xml|xl/workbook\.xml", BOMB),
        (r"xl/worksheets/sheet1\.xml", EXTERNAL),
        (r"xl/worksheets/sheet1\.xml", b'<?xml version="1.0"?>' + b" " * 200_000 + EXTERNAL[21:]),
    ],
    ids=["bomb in a sheet", "bomb in the workbook", "external entity", "padded prolog"],
)
def test_xml_entities_are_refused_unread(tmp_path: Path, member: str, prolog: bytes) -> None:
    path = _book(tmp_path / "b.xlsx", a_portfolio())

    def poison(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        entity = b"&lol9;" if b"lol9" in prolog else b"&xxe;"
        if b"<t>" in body:
            return prolog + body.replace(b"<t>", b"<t>" + entity, 1)
        return prolog + body.replace(b'name="funds"', b'name="' + entity + b'"', 1)

    _rewrite(path, member, poison)
    started = time.perf_counter()
    with pytest.raises(InputError) as refused:
        read_portfolio(path)
    assert time.perf_counter() - started < 1.0
    assert "expected XML without a DOCTYPE or entity declarations" in str(refused.value)


def test_a_damaged_workbook_is_one_clean_line(db_url: str, tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", a_portfolio())
    _rewrite(path, r"xl/worksheets/sheet1\.xml", lambda d: d.replace(b"</sheetData>", b"", 1))
    result = CliRunner().invoke(cli, ["--database", db_url, "import", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.stderr.startswith("error: b.xlsx: expected an .xlsx workbook")


# --- item 11: numbers with binary noise -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (0.1 + 0.2, "money", "0.30"),
        (1234567.8900000001, "money", "1234567.89"),
        (1250000.5, "money", "1250000.50"),
        (0.305, "money", "0.305"),
        (0.1 + 0.2, "fraction", "0.3"),
        (0.25, "fraction", "0.25"),
        (1e-05, "decimal", "0.00001"),
        (3.0, "money", "3"),
    ],
)
def test_float_cells_read_as_typed(value: float, kind: str, text: str) -> None:
    assert _float_text(value, kind) == text


def test_a_money_cell_with_binary_noise_imports_as_its_pence(tmp_path: Path) -> None:
    def noise(book: Workbook) -> None:
        sheet = book["project_flows"]
        column = [c.value for c in sheet[1]].index("amount") + 1
        sheet.cell(row=2, column=column).value = 0.25
        sheet.cell(row=3, column=column).value = 0.305  # a third decimal: still refused

    path = _book(tmp_path / "b.xlsx", a_portfolio(), noise)
    # as Excel stores =0.1+0.15 (it shows 0.25): seventeen significant digits
    _rewrite(
        path,
        re.escape(_sheet_of(path, "project_flows")),
        lambda d: d.replace(b"<v>0.25</v>", b"<v>0.25000000000000006</v>"),
    )
    flows = read_portfolio(path).tables["project_flows"]
    amount = flows.header.index("amount")
    assert flows.rows[0][amount] == "0.25"
    assert flows.rows[1][amount] == "0.305"


# --- item 9: names that cannot hurt ---------------------------------------------------


@pytest.mark.parametrize("hidden", ["\x00", "\n", "\u200b", "\u202e", "\ufeff", "\t"], ids=repr)
def test_control_and_format_characters_are_refused_in_ids(
    engine: Engine, tmp_path: Path, hidden: str
) -> None:
    tables = a_portfolio()
    tables["investors"][1]["investor_id"] = f"BA{hidden}NK"
    with pytest.raises(InputError) as refused:
        import_portfolio(engine, write_csvs(tmp_path / "bad", tables), user="t")
    assert (
        "investors.csv, row 2, column investor_id: expected an id without control or "
        "invisible format characters"
    ) in str(refused.value)


def test_ids_and_names_are_nfc_normalised(engine: Engine, tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Café")
    tables = a_portfolio()
    tables["projects"][0]["name"] = f"{decomposed} project"
    tables["funds"][0]["name"] = decomposed
    import_portfolio(engine, write_csvs(tmp_path / "in", tables), user="t")
    header, rows = read_tables(engine)["projects"]
    assert rows[0][header.index("name")] == "Café project"
    header, rows = read_tables(engine)["funds"]
    assert rows[0][header.index("name")] == "Café"


def test_ids_differing_only_in_normal_form_are_one_id(tmp_path: Path, engine: Engine) -> None:
    tables = a_portfolio()
    extra = dict(tables["investors"][1])
    tables["investors"][1]["investor_id"] = "CAFÉ"
    extra["investor_id"] = unicodedata.normalize("NFD", "CAFÉ")
    tables["investors"].append(extra)
    with pytest.raises(InputError, match=r"investors.csv, row .*: expected a key used once"):
        import_portfolio(engine, write_csvs(tmp_path / "in", tables), user="t")


def test_a_symlink_out_of_the_import_folder_is_refused(tmp_path: Path, engine: Engine) -> None:
    outside = write_csvs(tmp_path / "elsewhere", a_portfolio())
    folder = write_csvs(tmp_path / "in", a_portfolio())
    (folder / "marks.csv").unlink()
    (folder / "marks.csv").symlink_to(outside / "marks.csv")
    with pytest.raises(InputError) as refused:
        import_portfolio(engine, folder, user="t")
    assert "marks.csv: expected a file inside the folder" in str(refused.value)
    # a link to a file inside the folder is followed
    (folder / "marks.csv").unlink()
    shutil.copy(outside / "marks.csv", folder / "marks.data")
    (folder / "marks.csv").symlink_to(folder / "marks.data")
    import_portfolio(engine, folder, user="t")


# --- item 5: formula injection --------------------------------------------------------

INJECTED = {
    "project": '=HYPERLINK("http://evil.example","click")',
    "investor": "-1+cmd|' /C calc'!A0",
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "partner": "+1+1",
    "coordinator": "\tindented",
    "remark": "=1+1",
}


def _injected() -> Tables:
    tables = a_portfolio()
    tables["projects"][0]["name"] = INJECTED["project"]
    tables["projects"][0]["coordinator"] = INJECTED["coordinator"]
    tables["projects"][0]["remark"] = INJECTED["remark"]  # an attribute column
    tables["investors"][1]["name"] = INJECTED["investor"]
    tables["marks"][0]["note"] = INJECTED["note"]
    tables["delivery_partners"][0]["organisation"] = INJECTED["partner"]
    return tables


def _cells(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.csv")):
        out += [c for row in csv.reader(io.StringIO(path.read_text())) for c in row]
    return out


def test_the_escape_round_trips_any_text() -> None:
    for text in ["=x", "'=x", "''-x", "-1", "-0.25", "1e-05", "-", "'", "x=1", "@", "\r\n"]:
        assert unescape_formula(escape_formula(text)) == text
    assert escape_formula("-1250.50") == "-1250.50"  # a negative number is a number
    assert escape_formula("=1+1") == "'=1+1"
    header, rows = ["a", "b"], [["=1+1", "-2"], ["'x", "@y"]]
    assert [list(r) for r in parse_csv_bytes("t", "t.csv", csv_bytes(header, rows)).rows] == rows


def test_export_escapes_formulas_and_import_reverses_it(
    sqlite_template: Path, tmp_path: Path
) -> None:
    engines = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        shutil.copy(sqlite_template, tmp_path / name / "passu.db")
        engines.append(make_engine(f"sqlite:///{tmp_path / name / 'passu.db'}"))
    first, second = engines
    import_portfolio(first, write_csvs(tmp_path / "in", _injected()), user="t")
    export_portfolio(first, tmp_path / "out1")
    cells = _cells(tmp_path / "out1")
    for value in INJECTED.values():
        assert "'" + value in cells  # every one escaped, so no spreadsheet runs it
    assert not [c for c in cells if c and c[0] in "=+-@\t\r" and not re.fullmatch(r"-[0-9.]+", c)]
    import_portfolio(second, tmp_path / "out1", user="t")
    export_portfolio(second, tmp_path / "out2")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out1").glob("*.csv")} == {
        p.name: p.read_bytes() for p in (tmp_path / "out2").glob("*.csv")
    }
    header, rows = read_tables(second)["projects"]
    assert rows[0][header.index("name")] == INJECTED["project"]  # stored as it was typed
    assert rows[0][header.index("remark")] == INJECTED["remark"]
    for engine in engines:
        engine.dispose()


def test_an_exported_workbook_holds_text_not_formulas_and_reimports(
    engine: Engine, tmp_path: Path
) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", _injected()), user="t")
    before = read_tables(engine)
    export_portfolio(engine, tmp_path / "book.xlsx")
    book = load_workbook(tmp_path / "book.xlsx")
    cell = book["projects"]["B2"]
    assert (cell.value, cell.data_type) == (INJECTED["project"], "s")
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)
    import_portfolio(engine, tmp_path / "book.xlsx", user="t")  # refused its own workbook
    assert read_tables(engine) == before


def test_append_row_writes_text_never_a_formula(tmp_path: Path) -> None:
    book = Workbook()
    append_row(book.active, ["=1+1", -3, "@x", None])
    book.save(tmp_path / "w.xlsx")
    cells = next(load_workbook(tmp_path / "w.xlsx").active.iter_rows())
    assert [(c.value, c.data_type) for c in cells[:3]] == [("=1+1", "s"), (-3, "n"), ("@x", "s")]


def test_list_format_csv_escapes_text_but_not_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    listing = Listing(
        "projects",
        (Column("name"), Column("nav", "money"), Column("irr", "rate")),
        (("=cmd|' /C calc'!A0", None, -0.0123),),
    )
    emit_listings([listing], "csv")
    assert capsys.readouterr().out == "name,nav,irr\n'=cmd|' /C calc'!A0,,-0.0123\n"


def test_publish_escapes_formulas(engine: Engine, db_url: str, tmp_path: Path) -> None:
    import_portfolio(engine, write_csvs(tmp_path / "in", _injected()), user="t")
    result = CliRunner().invoke(
        cli, ["--database", db_url, "publish", "--quarter", "2016-Q1", "-o", str(tmp_path / "p")]
    )
    assert result.exit_code == 0, result.output
    cells = _cells(tmp_path / "p")
    assert "'" + INJECTED["project"] in cells
    assert INJECTED["project"] not in cells
