"""The multiples of money returned, one definition for funds, accounts, classes and holdings.

Over money put in (a fund's or an investor's paid-in, a holding's invested),
what came back (distributed, or a holding's realised) and what is still held
(NAV), all in int64 pence:

- DPI = distributed / paid-in (the "realised" multiple)
- RVPI = NAV / paid-in (the "residual" multiple)
- TVPI = (distributed + NAV) / paid-in; a holding's MOIC is the same ratio
  over invested, realised and NAV

Each is ``None`` when nothing was paid in: a ratio to nothing is no figure,
not 0 or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Multiples", "multiples", "total_multiple"]


@dataclass(frozen=True, slots=True)
class Multiples:
    """DPI, RVPI and TVPI as floats, or ``None`` when nothing was paid in."""

    dpi: float | None
    rvpi: float | None
    tvpi: float | None


def multiples(paid_in_pence: int, distributed_pence: int, nav_pence: int) -> Multiples:
    """DPI, RVPI and TVPI of money paid in, distributed and still held (module docstring)."""
    if not paid_in_pence:
        return Multiples(None, None, None)
    return Multiples(
        dpi=distributed_pence / paid_in_pence,
        rvpi=nav_pence / paid_in_pence,
        tvpi=total_multiple(paid_in_pence, distributed_pence, nav_pence),
    )


def total_multiple(paid_in_pence: int, returned_pence: int, nav_pence: int) -> float | None:
    """(returned + NAV) / paid-in: TVPI, or a holding's MOIC; ``None`` when nothing went in.

    The numerator is summed in integer pence and divided once, so TVPI is not
    DPI + RVPI rounded twice in floats.
    """
    if not paid_in_pence:
        return None
    return (returned_pence + nav_pence) / paid_in_pence
