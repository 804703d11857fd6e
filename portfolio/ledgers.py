"""The ledger as the Python API offers it: the GMCA unit-cost library known to ``from_csv``.

``valuation.ledger.Ledger.from_csv`` checks a folder's unit-value codes against the
codes it is given (valuation reads no package data); ``passu import`` gives it the
library shipped with passu, and so does this one, so that ``passu.Ledger.from_csv``
refuses and accepts exactly what ``passu import`` into an empty database does.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from passu.portfolio.reference.packaged import unit_cost_codes
from passu.valuation import ledger


class Ledger(ledger.Ledger):
    """``valuation.ledger.Ledger`` (every table as typed frames), read with passu's library."""

    @classmethod
    def from_csv(
        cls, folder: str | Path, *, library_codes: Collection[str] | None = None
    ) -> ledger.Ledger:
        """A CSV folder as a ledger; unit-value codes may name the shipped GMCA library's
        (``library_codes`` replaces it)."""
        codes = unit_cost_codes() if library_codes is None else library_codes
        return super().from_csv(folder, library_codes=frozenset(codes))
