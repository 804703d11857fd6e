"""Bad input never corrupts: mutated portfolios are refused whole, cleanly, naming where.

Hypothesis mutates the valid small portfolio (``builders.a_portfolio()``): cells
blanked, text where a number or date belongs, keys duplicated, references
broken, rows cut short, files in latin-1, 20-digit numbers, dates outside
1900-2199. For every case: exit code 2, every stderr line names a file (and the
row and column where there is one), no traceback, and the database exactly as
it was. Every mutated portfolio also renames a project, so an import that
wrongly went through would show in the database.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.tables import BY_NAME, REQUIRED_TABLES
from passu.portfolio.store import audit
from passu.portfolio.store.database import make_engine

from .builders import Table, a_portfolio, write_csvs

BASE = a_portfolio()
NUMERIC = ("money", "date", "count", "year", "fraction", "decimal")
HUGE = ("money", "count", "year", "fraction", "decimal")
LINE = re.compile(
    r"error: (?P<file>[a-z_]+\.csv)(, header|, row \d+)?(, column [^:]+)?: expected .+"
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    table: str
    row: int  # 0-based data row
    column: str = ""
    value: str = ""

    def where(self) -> str:
        """What the error must name when this is the only mutation."""
        if self.kind == "duplicate":
            return f"{self.table}.csv, row {len(BASE[self.table]) + 1}"
        if self.kind in ("broken_ref", "truncate", "latin1"):
            return f"{self.table}.csv, row {self.row + 1}"
        return f"{self.table}.csv, row {self.row + 1}, column {self.column}"


def _cells(accept: object) -> list[tuple[str, int, str]]:
    out = []
    for table, rows in BASE.items():
        spec = BY_NAME[table]
        for i, row in enumerate(rows):
            for column in row:
                if column in spec.column_names and accept(spec, spec.col(column)):  # type: ignore[operator]
                    out.append((table, i, column))
    return out


def _ref_columns(spec: object) -> set[str]:
    return {c for ref in spec.refs for c in ref.columns}  # type: ignore[attr-defined]


BLANKABLE = _cells(lambda s, c: c.required and c.default is None)
NUMBERS = _cells(lambda s, c: c.kind in NUMERIC)
HUGE_CELLS = _cells(lambda s, c: c.kind in HUGE)
DATES = _cells(lambda s, c: c.kind == "date")
REFS = _cells(lambda s, c: c.name in _ref_columns(s))
TEXTS = _cells(lambda s, c: c.kind == "text")
ROWS = [(t, i) for t, rows in BASE.items() for i in range(len(rows))]
KEYED_ROWS = [(t, i) for t, i in ROWS if BY_NAME[t].key]


def _cell(kind: str, cells: list[tuple[str, int, str]], values: st.SearchStrategy[str]):  # type: ignore[no-untyped-def]
    return st.builds(
        lambda cell, value: Mutation(kind, cell[0], cell[1], cell[2], value),
        st.sampled_from(cells),
        values,
    )


MUTATION = st.one_of(
    _cell("blank", BLANKABLE, st.just("")),
    _cell("text", NUMBERS, st.sampled_from(["abc", "12x", "n/a", "£5", "1,000", "--", "1e5"])),
    _cell("huge", HUGE_CELLS, st.sampled_from(["12345678901234567890", "99999999999999999999.99"])),
    _cell("date_range", DATES, st.sampled_from(["0001-01-01", "9999-12-31"])),
    _cell("broken_ref", REFS, st.sampled_from(["ZZ-BROKEN", "nobody"])),
    _cell("latin1", TEXTS, st.sampled_from(["Café", "Zürich Ünïon"])),
    st.builds(lambda r: Mutation("duplicate", r[0], r[1]), st.sampled_from(KEYED_ROWS)),
    st.builds(lambda r: Mutation("truncate", r[0], r[1]), st.sampled_from(ROWS)),
)


def write_mutated(folder: Path, mutations: list[Mutation], whole: bool = True) -> None:
    """The portfolio with the mutations; all of it, or the required and mutated tables only."""
    wanted = set(BASE) if whole else {*REQUIRED_TABLES, *(m.table for m in mutations)}
    tables: dict[str, Table] = {
        name: [dict(r) for r in rows] for name, rows in BASE.items() if name in wanted
    }
    tables["projects"][0]["name"] = "Renamed, which must never be written"
    for m in mutations:
        if m.column:
            tables[m.table][m.row][m.column] = m.value
    for m in mutations:  # after the cell changes, so a duplicate copies a changed row too
        if m.kind == "duplicate":
            tables[m.table].append(dict(tables[m.table][m.row]))
    short = {(m.table, m.row) for m in mutations if m.kind == "truncate"}
    latin = {m.table for m in mutations if m.kind == "latin1"}
    folder.mkdir()
    for name, rows in tables.items():
        header = list(rows[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for i, row in enumerate(rows):
            cells = [row[h] for h in header]
            writer.writerow(cells[:-1] if (name, i) in short else cells)
        encoding = "latin-1" if name in latin else "utf-8"
        (folder / f"{name}.csv").write_bytes(buffer.getvalue().encode(encoding))


@dataclass
class Loaded:
    url: str
    engine: Engine
    tables: dict[str, tuple[list[str], list[list[str]]]]
    audit_rows: int


def _load(url: str, tmp_path: Path) -> Iterator[Loaded]:
    engine = make_engine(url)
    import_portfolio(engine, write_csvs(tmp_path / "valid", a_portfolio()), user="t")
    yield Loaded(url, engine, read_tables(engine), len(audit.entries(engine)))
    engine.dispose()


@pytest.fixture
def sqlite_loaded(sqlite_template: Path, tmp_path: Path) -> Iterator[Loaded]:
    shutil.copy(sqlite_template, tmp_path / "passu.db")
    yield from _load(f"sqlite:///{tmp_path / 'passu.db'}", tmp_path)


@pytest.fixture
def pg_loaded(pg_url: str, tmp_path: Path) -> Iterator[Loaded]:
    yield from _load(pg_url, tmp_path)


def refused_and_unchanged(loaded: Loaded, mutations: list[Mutation], whole: bool = True) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "mutated"
        write_mutated(folder, mutations, whole)
        result = CliRunner().invoke(
            cli, ["--database", loaded.url, "--quiet", "import", str(folder)]
        )
    err = result.stderr
    assert result.exit_code == 2, f"{mutations}: exit {result.exit_code}\n{err}{result.stdout}"
    assert result.exception is None or isinstance(result.exception, SystemExit), mutations
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1] == "nothing was written"
    for line in lines[:-1]:
        assert LINE.fullmatch(line), f"{mutations}: a line naming no file: {line!r}"
    if len(mutations) == 1:
        assert mutations[0].where() in err, f"{mutations}: expected {mutations[0].where()}\n{err}"
    assert read_tables(loaded.engine) == loaded.tables
    assert len(audit.entries(loaded.engine)) == loaded.audit_rows


FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


MUTATIONS = st.lists(MUTATION, min_size=1, max_size=3)
# One case in eight imports the whole portfolio; the others the required tables and the
# mutated ones (an import states its tables, the rest resolve against the database),
# which is a valid import too and five times quicker, so 200 cases fit in the suite.
WHOLE = st.integers(0, 7).map(lambda n: n == 0)


@settings(max_examples=200, **FUZZ)
@given(mutations=MUTATIONS, whole=WHOLE)
def test_mutated_portfolio_is_refused_on_sqlite(
    sqlite_loaded: Loaded, mutations: list[Mutation], whole: bool
) -> None:
    refused_and_unchanged(sqlite_loaded, mutations, whole)


@pytest.mark.postgres
@settings(max_examples=30, **FUZZ)
@given(mutations=MUTATIONS, whole=WHOLE)
def test_mutated_portfolio_is_refused_on_postgresql(
    pg_loaded: Loaded, mutations: list[Mutation], whole: bool
) -> None:
    refused_and_unchanged(pg_loaded, mutations, whole)


@pytest.mark.parametrize(
    "mutation",
    [
        Mutation("truncate", "outcome_payments", 2),  # the last cell is an optional claim_id
        Mutation("date_range", "projects", 0, "end_date", "0001-01-01"),  # an optional date
        Mutation("huge", "project_measures", 0, "value", "12345678901234567890"),
        Mutation("latin1", "evaluations", 0, "summary", "Café"),
        Mutation("duplicate", "contract_payers", 0),
        Mutation("broken_ref", "outcome_payments", 0, "claim_id", "ZZ-BROKEN"),
    ],
    ids=lambda m: f"{m.kind}-{m.table}",
)
def test_edge_mutations(sqlite_loaded: Loaded, mutation: Mutation) -> None:
    """Cases worth pinning down beside the random ones."""
    refused_and_unchanged(sqlite_loaded, [mutation])
