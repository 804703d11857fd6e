"""Cell checks for ``passu import``: valuation's (``valuation/cells.py``), as portfolio errors.

The rules and messages live in ``valuation/cells.py`` so that ``Ledger.from_csv``
refuses a bad cell exactly as ``passu import`` does; this module only hands their
problems on as portfolio's ``Problem`` and ``InputError``, which the CLI prints.
"""

from __future__ import annotations

import pandas as pd

from passu.portfolio.errors import InputError, Problem
from passu.valuation import cells
from passu.valuation import problems as valuation_problems
from passu.valuation.cells import MAX_PROBLEMS_PER_COLUMN, ROW, canonical_column
from passu.valuation.raw_tables import RawTable
from passu.valuation.schema import ATTRIBUTES, TableSchema

__all__ = [
    "ATTRIBUTES",
    "MAX_PROBLEMS_PER_COLUMN",
    "ROW",
    "canonical_column",
    "canonical_frame",
    "input_error",
]


def input_error(error: valuation_problems.LedgerInputError) -> InputError:
    """A refusal from ``valuation/`` as the ``InputError`` the CLI prints (exit 2)."""
    return InputError(error.problems)


def canonical_frame(raw: RawTable, spec: TableSchema) -> tuple[pd.DataFrame, list[Problem]]:
    """The table as canonical text (``""`` for empty), plus every problem found."""
    frame, found = cells.canonical_frame(raw, spec)
    return frame, list(found)
