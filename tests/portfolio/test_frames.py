"""Loading frames fast gives the same frames, and the run's fingerprint the same hash.

``load_table`` reads the flows ledger grouped per holding (SQLite and PostgreSQL); the
frame must be the plain SELECT's, row for row, or fall back to it when the data do not fit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.tables import BY_NAME, SPECS
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.store import frames as frames_module
from passu.portfolio.store.frames import load_table
from passu.valuation.fingerprint import _row_hashes
from passu.valuation.schema import SCHEMAS

from .builders import a_generated_portfolio, write_csvs

FLOWS = BY_NAME["project_flows"]


def both_ways(engine: Engine, as_of: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    with engine.connect() as conn:
        fast = load_table(conn, FLOWS, as_of)
    saved = frames_module.GROUPED
    frames_module.GROUPED = frozenset()
    try:
        with engine.connect() as conn:
            plain = load_table(conn, FLOWS, as_of)
    finally:
        frames_module.GROUPED = saved
    return fast, plain


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    folder = write_csvs(tmp_path / "in", a_generated_portfolio(seed=7, projects=12))
    import_portfolio(engine, folder, user="t", library_codes=unit_cost_codes())
    return engine


@pytest.mark.parametrize("as_of", [None, dt.date(2020, 5, 15), dt.date(2000, 1, 1)])
def test_grouped_read_is_the_plain_select(loaded: Engine, as_of: dt.date | None) -> None:
    with loaded.connect() as conn:  # the grouped read is taken, not fallen back from
        grouped = frames_module._load_grouped(conn, FLOWS, as_of)
    fast, plain = both_ways(loaded, as_of)
    assert (grouped is None) == plain.empty
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)


def test_data_that_do_not_fit_fall_back_to_the_plain_select(loaded: Engine) -> None:
    with loaded.begin() as conn:
        if loaded.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        else:  # the foreign keys and period locks are triggers: off for this transaction
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(
            "INSERT INTO project_flows (project_id, holder_id, tranche, date, kind, amount) "
            "VALUES ('P1', 'F1', 'A', '2020-01-01', 'fee', 100)"
        )
    with loaded.connect() as conn:
        assert frames_module._load_grouped(conn, FLOWS, None) is None
    fast, plain = both_ways(loaded, None)
    assert "fee" in set(plain["kind"])
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)


def test_row_hashes_are_pandas_hashes_of_the_text() -> None:
    frame = pd.DataFrame(
        {
            "id": pd.Series(["x", None, "x", "y"], dtype=object),
            "date": pd.to_datetime(["2020-01-01", None, "2020-01-01", "2021-02-03"]),
            "pence": np.array([1, 2, 1, -3], dtype=np.int64),
            "count": pd.array([1, None, 3, 1], dtype="Int64"),
            "rate": [0.0, -0.0, np.nan, 0.5],
            "flag": [True, False, True, True],
            # equal as values, not as text: hashed row by row
            "fraction": pd.Series([Decimal("0.10"), None, Decimal("0.1"), 1], dtype=object),
        }
    )
    expected = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    np.testing.assert_array_equal(_row_hashes(frame), expected)


def test_every_column_of_the_schema_is_stored() -> None:
    # The format's columns are written once (valuation/schema.py); each must be a
    # column of the table that stores it, with a place for attributes where kept.
    assert [s.name for s in SPECS] == [s.name for s in SCHEMAS]
    for spec in SPECS:
        stored = set(spec.table.c.keys())
        assert set(spec.column_names) <= stored, spec.name
        assert ("attributes" in stored) == spec.attributes, spec.name
