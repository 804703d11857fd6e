"""The figure registry is the one source of docs/figures.md, the methods page and formats."""

from __future__ import annotations

import re
from pathlib import Path

from passu.valuation.registry import FUND_FIGURES, figures_table, methods

FIGURES_MD = Path(__file__).parents[2] / "docs" / "figures.md"


def test_docs_figures_md_is_the_registrys_table() -> None:
    text = FIGURES_MD.read_text(encoding="utf-8")
    found = re.search(r"<!-- figures:start[^\n]*-->\n(.*?)<!-- figures:end -->", text, re.S)
    assert found, "docs/figures.md has lost its figures:start/end markers"
    assert found.group(1) == figures_table(), (
        "docs/figures.md is stale: regenerate the table with "
        "`python -m passu.valuation.registry` and paste it between the markers"
    )


def test_each_label_is_written_once_and_pme_is_defined() -> None:
    labels = [f.label for f in FUND_FIGURES]
    assert len(labels) == len(set(labels))
    assert "HM Treasury benchmark (gilts)" in labels
    defined = dict(methods())
    assert defined["PME against gilts"].startswith("KS-PME = (Σ distributions")
