"""The import contracts cover every package (``make layers`` runs them with lint-imports).

lint-imports checks the contracts it is given; it cannot tell that a package
added to pyproject's package-dir was left out of them, and then nothing about
that package would be checked. These tests fail when the contracts and the
packages drift apart.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Packages that hold data or a generator, outside the layered code.
NOT_LAYERED = {"passu.templates", "passu.sample"}


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _top_level_packages() -> set[str]:
    """passu's packages one level down (passu.cli, passu.valuation, …) as installed."""
    mapping = _pyproject()["tool"]["setuptools"]["package-dir"]
    return {name for name in mapping if name.count(".") == 1}


def _contract(contract_id: str) -> dict[str, Any]:
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    (found,) = [c for c in contracts if c["id"] == contract_id]
    return found


def test_every_code_package_is_a_layer_in_the_documented_order() -> None:
    layers = _contract("layers")["layers"]
    assert layers == ["passu.cli", "passu.reports", "passu.portfolio", "passu.valuation"]
    assert set(layers) == _top_level_packages() - NOT_LAYERED


def test_valuation_is_forbidden_every_other_package() -> None:
    contract = _contract("pure-valuation")
    assert contract["source_modules"] == ["passu.valuation"]
    others = _top_level_packages() - {"passu.valuation"}
    assert others <= set(contract["forbidden_modules"])


def test_reports_are_forbidden_the_database() -> None:
    contract = _contract("reports-render-runs")
    assert contract["source_modules"] == ["passu.reports"]
    assert "sqlalchemy" in contract["forbidden_modules"]
    # a third-party package can only be named when the graph includes them
    assert _pyproject()["tool"]["importlinter"]["include_external_packages"] is True
