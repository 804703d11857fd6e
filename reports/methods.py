"""The methods-and-sources page: each figure's definition in one sentence, each source's terms.

The definitions are the figure registry's (``valuation/registry.py``), the one place
each figure is defined in prose; a reader checking a number in the pack should not
need to open the code.
"""

from __future__ import annotations

from passu.portfolio.market.indigo import ATTRIBUTION as ATTRIBUTION_INDIGO
from passu.portfolio.reference.packaged import ATTRIBUTION_BOE_HMT, ATTRIBUTION_GMCA
from passu.valuation.registry import methods

from .model import Figure

# Each figure's definition, written once in the figure registry.
DEFINITIONS: tuple[Figure, ...] = tuple(Figure(label, text) for label, text in methods())

SOURCES: tuple[Figure, ...] = (
    Figure(
        "Gilt yields",
        "Bank of England nominal par yields, 5 and 10 years, quarterly averages. "
        + ATTRIBUTION_BOE_HMT
        + ".",
    ),
    Figure(
        "Discount rates and deflator",
        "HM Treasury, The Green Book (discount rates, STPR) and GDP deflators. "
        + ATTRIBUTION_BOE_HMT
        + ".",
    ),
    Figure("Unit values", ATTRIBUTION_GMCA + "; 2015/16 prices."),
    Figure(
        "Market view",
        ATTRIBUTION_INDIGO + "; not shipped with passu, loaded by the user when shown.",
    ),
)
