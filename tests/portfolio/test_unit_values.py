"""Unit values: the GMCA library merged with the portfolio's own rows, searched and shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.errors import UsageError
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reference import unit_values
from passu.portfolio.reference.packaged import ATTRIBUTION_GMCA, unit_cost_codes

from .builders import a_portfolio, write_csvs

D = Decimal


def load_with_override(engine: Engine, tmp_path: Path) -> None:
    tables = a_portfolio()
    # Override the library's HO6.0 (rough sleepers, fiscal £8,605.34) with our own figure.
    tables["unit_values"].append(
        {
            "code": "HO6.0",
            "description": "Rough sleeper, our own estimate",
            "fiscal": "9000",
            "economic": "",
            "social": "",
            "price_year": "2020",
            "source": "our evaluation",
            "deadweight": "0.1",
            "attribution": "0.5",
            "optimism_bias": "",
            "transfer": "false",
            "duration_years": "2",
        }
    )
    folder = write_csvs(tmp_path / "in", tables)
    import_portfolio(engine, folder, user="t", library_codes=unit_cost_codes())


def test_own_rows_override_and_extend_the_library(engine: Engine, tmp_path: Path) -> None:
    load_with_override(engine, tmp_path)
    found = unit_values.search(engine, ("rough", "sleep"))
    rows = {r["code"]: r for r in found.records()}
    assert rows["HO6.0"]["origin"] == "portfolio"
    assert rows["HO6.0"]["fiscal"] == D("9000.00")
    own = unit_values.search(engine, ("sustained",)).records()
    assert [(r["code"], r["origin"]) for r in own] == [("UV1", "portfolio")]
    # only portfolio rows shown: no library attribution needed
    assert ATTRIBUTION_GMCA not in unit_values.search(engine, ("sustained",)).notes


def test_library_rows_carry_the_attribution(engine: Engine, tmp_path: Path) -> None:
    load_with_override(engine, tmp_path)
    found = unit_values.search(engine, ("homelessness", "application"))
    assert "HO3.0" in [r["code"] for r in found.records()]
    assert ATTRIBUTION_GMCA in found.notes
    assert ATTRIBUTION_GMCA == (
        "New Economy / Greater Manchester Combined Authority, "
        "Unit Cost Database v1.4 (2015), CC BY 4.0"
    )


def test_show_rebases_to_a_price_year(engine: Engine, tmp_path: Path) -> None:
    load_with_override(engine, tmp_path)
    shown = {f.name: f.value for f in unit_values.show(engine, "HO3.0", 2024).figures}
    # HO3.0 fiscal £2,724.30 in GMCA's 2015/16 financial-year prices, moved as the run
    # moves it (issue 18): the 2015-16 index is (3 × 75.1536 + 76.4554) / 4 = 75.47905,
    # so × 100 / 75.47905 = 3,609.3459…: £3,609.35 (calendar 2015's 75.1536 gave £3,624.98)
    assert shown["fiscal"] == D("3609.35")
    assert (shown["price_year"], shown["recorded_price_year"]) == (2024, 2015)
    assert shown["economic"] is None
    own = {f.name: f.value for f in unit_values.show(engine, "HO6.0").figures}
    assert (own["fiscal"], own["attribution"], own["optimism_bias"]) == (
        D("9000.00"),
        D("0.5"),
        D("0"),
    )
    assert own["duration_years"] == 2
    # An own row is in calendar-year prices: £9,000 (2020) × 100 / 85.2137 (2024 / 2020)
    # = 10,561.68…
    own_2024 = {f.name: f.value for f in unit_values.show(engine, "HO6.0", 2024).figures}
    assert own_2024["fiscal"] == D("10561.68")
    # Asked for 2015 prices, a 2015/16 value still moves: × 75.1536 / 75.47905 = 0.99568…
    # £2,724.30 × 0.995688… = 2,712.55…: £2,712.55
    in_2015 = {f.name: f.value for f in unit_values.show(engine, "HO3.0", 2015).figures}
    assert in_2015["fiscal"] == D("2712.55")
    listed = unit_values.search(engine, ("HO3.0",), 2024)
    assert {r["code"]: r["fiscal"] for r in listed.records()}["HO3.0"] == D("3609.35")
    assert any("financial-year prices" in n for n in listed.notes)


def test_unknown_code_and_deflator_year_are_usage_errors(engine: Engine, tmp_path: Path) -> None:
    load_with_override(engine, tmp_path)
    with pytest.raises(UsageError, match="no unit value 'NOPE'"):
        unit_values.show(engine, "NOPE")
    with pytest.raises(UsageError, match="no index for 2099"):
        unit_values.show(engine, "HO3.0", 2099)
