"""passu: a fund portfolio and social-investment tracker for outcomes partnerships.

The Python API (docs/api.md)::

    import passu
    pf = passu.open("sqlite:///passu-demo/passu.db")   # any database URL
    run = pf.value(as_of=datetime.date(2026, 10, 31))   # fund=None: all funds; nothing written
    run.fund.net_irr, run.fund.tvpi, run.fund.nav       # float, float, Decimal
    run.to_json()                                       # what `passu value --format json` prints
    ledger = passu.Ledger.from_csv("sample/")           # no database at all
    passu.value(ledger, as_of=datetime.date(2026, 10, 31))

Submodules are imported on first use, so ``import passu`` stays cheap for the CLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from passu.valuation.ledger import Ledger
    from passu.valuation.run import Run

__version__ = "0.1.0"
__all__ = ["Ledger", "Portfolio", "Run", "__version__", "open", "value"]


@dataclass(frozen=True)
class Portfolio:
    """A portfolio in a database: read and valued, never written by this API."""

    engine: Engine

    def value(self, as_of: dt.date, fund: str | None = None) -> Run:
        """Value one fund (or every fund together, ``fund=None``) as of ``as_of``.

        The run is the one ``passu value`` makes: ``run.to_json()`` is the bytes
        ``passu value --format json`` prints. Nothing is saved.
        """
        from passu.portfolio.value import value_run

        return value_run(self.engine, as_of, fund)

    def ledger(self, as_of: dt.date | None = None) -> Ledger:
        """Every table of the portfolio, as of ``as_of`` (all rows with ``None``)."""
        from passu.portfolio.register import load_all

        return load_all(self.engine, as_of)


def open(url: str) -> Portfolio:
    """A portfolio stored at a database URL (``sqlite:///file.db``, ``postgresql://…``).

    The database must exist and hold passu's schema (``passu init``).
    """
    from passu.portfolio.store.database import make_engine

    return Portfolio(make_engine(url, must_exist=True))


def value(ledger: Ledger, as_of: dt.date, fund: str | None = None) -> Run:
    """Value a ledger with no database, with the gilt yields and benchmarks passu ships.

    The same figures, and the same ``to_json()`` bytes, as importing the ledger into an
    empty database and running ``passu value`` (no yields loaded beyond those shipped).
    """
    from passu.portfolio.value import run_of, shipped_inputs

    return run_of(shipped_inputs(ledger), as_of, fund)


def __getattr__(name: str) -> Any:
    # Ledger and Run on first use: importing pandas for `passu --help` would cost a second.
    if name == "Ledger":
        # valuation's Ledger, with the unit-cost library passu ships known to from_csv.
        from passu.portfolio.ledgers import Ledger

        return Ledger
    if name == "Run":
        from passu.valuation.run import Run

        return Run
    raise AttributeError(f"module 'passu' has no attribute {name!r}")
