"""Format version 2's bad input through `passu import` (and `--append`), on SQLite and
PostgreSQL: exit 2, one line naming file, row, column, expected and found; nothing written."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from passu.cli.main import cli
from passu.portfolio.interchange.exporter import read_tables
from passu.portfolio.interchange.importer import import_portfolio

from ..portfolio.builders import write_csvs
from ..portfolio.terms_builders import BAD, a_blended_portfolio


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    import_portfolio(engine, write_csvs(tmp_path / "good", a_blended_portfolio()), user="t")
    return engine


def _import(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--database", url, "--quiet", "import", *args])
    return result.exit_code, result.stderr


def _errors(err: str) -> list[str]:
    """The problem lines (the CLI closes with a line saying nothing was written)."""
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_terms_are_refused_and_nothing_written(
    case: str, loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    mutate, message = BAD[case]
    tables = copy.deepcopy(a_blended_portfolio())
    tables["projects"][0]["name"] = "Renamed, which must not be written"
    mutate(tables)
    before = read_tables(loaded)
    code, err = _import(db_url, str(write_csvs(tmp_path / "bad", tables)))
    assert code == 2, err
    # one problem, on one line
    assert _errors(err) == [f"error: {message}"]
    assert read_tables(loaded) == before


def test_a_class_that_stored_terms_name_cannot_lose_its_last_commitment(
    loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    tables = a_blended_portfolio()
    # DEPT's class-B commitment is class B's only one; the stored terms name class B
    tables["commitments"] = [c for c in tables["commitments"] if c["share_class"] != "B"]
    only = {k: tables[k] for k in ("funds", "investors", "projects", "commitments")}
    before = read_tables(loaded)
    code, err = _import(db_url, str(write_csvs(tmp_path / "fewer", only)))
    assert code == 2, err
    assert _errors(err) == [
        f"error: commitments.csv, column share_class: expected a commitment in every share "
        f"class that stored {table} rows name, found F1/B left without one"
        for table in ("fund_terms", "class_terms", "waterfalls")
    ]
    assert read_tables(loaded) == before


def _appended(**row: str) -> dict[str, list[dict[str, str]]]:
    flow = {"fund_id": "F1", "investor_id": "FDN", "date": "2015-09-30", "kind": "call"}
    return {"investor_flows": [{**flow, "amount": "700", **row}]}


def test_append_takes_purpose_and_recallable(loaded: Engine, db_url: str, tmp_path: Path) -> None:
    rows = _appended(kind="distribution", purpose="return_of_capital", recallable="true")
    code, err = _import(db_url, "--append", str(write_csvs(tmp_path / "more", rows)))
    assert code == 0, err
    header, stored = read_tables(loaded)["investor_flows"]
    assert header[-2:] == ["purpose", "recallable"]
    assert ["F1", "FDN", "2015-09-30", "distribution", "700.00", "return_of_capital", "true"] in (
        stored
    )
    # an append without either column is as before: no purpose, not recallable
    code, err = _import(db_url, "--append", str(write_csvs(tmp_path / "plain", _appended())))
    assert code == 0, err
    assert ["F1", "FDN", "2015-09-30", "call", "700.00", "", "false"] in (
        read_tables(loaded)["investor_flows"][1]
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"recallable": "true"},
            "error: investor_flows.csv, row 1, column recallable: expected false on a call "
            "(only a distribution can be recalled), found true",
        ),
        (
            # FDN committed at the first closing (the stored commitments say so)
            {"purpose": "equalisation"},
            "error: investor_flows.csv, row 1, column purpose: expected an equalisation call "
            "only from an investor admitted after fund F1's first closing (commitments.csv "
            "date), found equalisation from FDN, admitted at its first closing, 2014-01-15",
        ),
    ],
)
def test_append_refuses_bad_flows_against_the_stored_register(
    loaded: Engine, db_url: str, tmp_path: Path, row: dict[str, str], message: str
) -> None:
    before = read_tables(loaded)
    code, err = _import(db_url, "--append", str(write_csvs(tmp_path / "bad", _appended(**row))))
    assert code == 2, err
    assert _errors(err) == [message]
    assert read_tables(loaded) == before


def test_a_later_closer_may_append_its_equalisation_call(
    loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    rows = _appended(investor_id="LATE", purpose="equalisation")
    code, err = _import(db_url, "--append", str(write_csvs(tmp_path / "late", rows)))
    assert code == 0, err
