"""The run's fingerprint: a hash of every input row, independent of row order and database.

A saved run carries it, so a report can tell whether the data it was valued on
have changed since. It is computed on the ledger (and the gilt yields) alone, so a
ledger read from a CSV folder and the same ledger read from the database give the
same hash. A table or column the format added after version 1 is hashed only once a
portfolio uses it (``Col.since``): a portfolio that does not keeps the hash it had, so
its saved runs stay current after an upgrade.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from passu.valuation.schema import BY_NAME

if TYPE_CHECKING:  # a ledger hashes itself with this function: import only for types
    from passu.valuation.ledger import Ledger

__all__ = ["fingerprint"]


def fingerprint(ledger: Ledger, yields: pd.DataFrame) -> str:
    """SHA-256 over every input row, independent of row order and of the database."""
    digest = hashlib.sha256()
    tables = [(name, _as_before(name, frame)) for name, frame in sorted(vars(ledger).items())]
    for name, frame in [*tables, ("gilt_yields", yields)]:
        if frame is None:
            continue
        digest.update(name.encode() + b"\0" + ",".join(frame.columns).encode() + b"\0")
        if len(frame):
            digest.update(np.sort(_row_hashes(frame)).tobytes())
    return digest.hexdigest()


def _as_before(name: str, frame: pd.DataFrame) -> pd.DataFrame | None:
    """The frame without what a later format added and this portfolio leaves unused.

    ``None`` for a later table with no rows; a later column whose every value is its
    default (or missing) is dropped.
    """
    schema = BY_NAME[name]
    if schema.since > 1 and frame.empty:
        return None
    unused = [
        col.frame_name
        for col in schema.columns
        if col.since > 1 and _all_default(frame[col.frame_name], col.default)
    ]
    return frame.drop(columns=unused) if unused else frame


def _all_default(column: pd.Series, default: str | None) -> bool:
    """Every value unset: missing, empty or the column's default (as the export decides,
    ``portfolio/interchange/exporter.py: unused_later_column``, on the canonical text)."""
    if column.dtype == bool:
        return not column.any() if default == "false" else bool(column.all())
    unset = column.isna() | column.eq("")
    if default is not None:
        unset |= column.astype(str).eq(default)
    return bool(unset.all())


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """``pd.util.hash_pandas_object(frame.astype(str), index=False)``, computed faster.

    Each cell's hash depends only on its value, so each column's distinct values
    are turned into text and hashed once and the hashes spread back over the
    rows; the columns are then combined as pandas combines them (CPython's tuple
    hash). A ledger of a million flows has a few thousand distinct values per
    column, so this skips formatting a million dates and amounts as text.
    Values that are equal but print differently (Decimal 0.1 and 0.10, 1 and
    True, -0.0 and 0.0) are turned into text row by row first.
    """
    combined = np.full(len(frame), 0x345678, dtype=np.uint64)
    multiplier = np.uint64(1000003)
    count = len(frame.columns)
    for i, (_, column) in enumerate(frame.items()):
        codes, uniques = _distinct(column)
        if not _prints_as_it_compares(column, uniques):
            column = column.astype(str)
            codes, uniques = _distinct(column)
        text = pd.Series(uniques, dtype=column.dtype).astype(str)
        hashed = pd.util.hash_pandas_object(text, index=False).to_numpy()
        combined ^= hashed[codes]
        combined *= multiplier
        multiplier += np.uint64(82520 + 2 * (count - i))
    return combined + np.uint64(97531)


def _distinct(column: pd.Series) -> tuple[np.ndarray, Any]:
    """Codes and distinct values, a missing value being one of them (as text it is hashed)."""
    codes, uniques = pd.factorize(column)
    if (codes < 0).any():  # rare: checking every cell for NA up front costs more
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes, uniques


def _prints_as_it_compares(column: pd.Series, uniques: Any) -> bool:
    """Whether values equal as values are always equal as text (so factorizing first is safe)."""
    kind = column.dtype.kind
    if kind in "iubM":
        return True
    if kind == "O" or isinstance(column.dtype, pd.StringDtype):
        return all(isinstance(u, str) or u is None or u is pd.NA for u in uniques)
    return False
