"""``passu.Ledger.from_csv`` accepts and refuses what ``passu import`` does: unit values may
name the GMCA library passu ships, which valuation's own Ledger is not told of."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import passu
from passu.cli.main import cli
from passu.valuation.ledger import Ledger as ValuationLedger
from passu.valuation.problems import LedgerInputError

from .portfolio.builders import a_portfolio, write_csvs


def _naming_the_library(folder: Path, code: str) -> Path:
    tables = a_portfolio()
    tables["outcome_metrics"][0]["unit_value_code"] = code  # CR1.0 is a GMCA code, UV1 is not
    return write_csvs(folder, tables)


def test_library_codes_are_known_to_the_api_as_to_import(tmp_path: Path) -> None:
    folder = _naming_the_library(tmp_path / "portfolio", "CR1.0")
    ledger = passu.Ledger.from_csv(folder)
    assert list(ledger.outcome_metrics["unit_value_code"]) == ["CR1.0"]
    # valuation's Ledger knows no library unless told (it reads no package data)
    with pytest.raises(LedgerInputError, match="unit_value_code"):
        ValuationLedger.from_csv(folder)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--database", url, "init"]).exit_code == 0
    assert runner.invoke(cli, ["--database", url, "import", str(folder)]).exit_code == 0


def test_an_unknown_code_is_refused_by_both_with_the_same_line(tmp_path: Path) -> None:
    folder = _naming_the_library(tmp_path / "portfolio", "NOT-A-CODE")
    with pytest.raises(LedgerInputError) as refused:
        passu.Ledger.from_csv(folder)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--database", url, "init"]).exit_code == 0
    result = runner.invoke(cli, ["--database", url, "import", str(folder)])
    assert result.exit_code == 2
    line = (
        "outcome_metrics.csv, row 1, column unit_value_code: expected a code in "
        "unit_values.csv or the unit-cost library, found unknown 'NOT-A-CODE'"
    )
    assert str(refused.value) == line
    assert line in result.output
