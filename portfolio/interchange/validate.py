"""Rules across rows and tables for ``passu import``: valuation's, against the database.

The rules live in ``valuation/table_rules.py`` (``Ledger.from_csv`` checks a folder
with them too); an import runs them with ``fetch`` reading the tables it does not
replace from the database, and hands the problems on as portfolio's.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from passu.portfolio.errors import Problem
from passu.valuation import table_rules
from passu.valuation.table_rules import SHARE_TOLERANCE, Fetch

__all__ = ["SHARE_TOLERANCE", "Fetch", "validate"]


def validate(
    imported: Mapping[str, pd.DataFrame],
    fetch: Fetch,
    library_codes: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every cross-row and cross-table problem of an import's final state."""
    return list(table_rules.validate(imported, fetch, library_codes))
