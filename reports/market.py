"""The fund against the UK market (GO Lab INDIGO), by policy sector, when market data are loaded.

INDIGO classifies projects by broad policy sector ("Homelessness", "Child and
family welfare", ...) while a fund names its own policy areas ("youth
homelessness", "family therapy"); ``SECTOR_OF_AREA`` says which sector each of
the fund's areas belongs to, by keyword, and areas it cannot place are listed
as unmatched rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passu.portfolio.market.indigo import ATTRIBUTION
from passu.valuation.market import MarketSummary

from .formatting import MISSING, count, money_short, percent
from .model import Table

# keyword in a fund's policy area (lower case) → INDIGO policy sector (lower case)
SECTOR_OF_AREA = (
    ("homeless", "homelessness"),
    ("rough sleep", "homelessness"),
    ("care leaver", "child and family welfare"),
    ("family", "child and family welfare"),
    ("foster", "child and family welfare"),
    ("adoption", "child and family welfare"),
    ("school", "education"),
    ("education", "education"),
    ("prescribing", "health"),
    ("diabetes", "health"),
    ("health", "health"),
    ("employment", "employment and training"),
    ("offend", "criminal justice"),
)


@dataclass(frozen=True)
class MarketView:
    table: Table
    unmatched: tuple[str, ...]
    attribution: str


def sector_of(policy_area: str) -> str | None:
    area = policy_area.casefold()
    return next((sector for key, sector in SECTOR_OF_AREA if key in area), None)


def market_view(summary: MarketSummary | None, document: dict[str, Any]) -> MarketView | None:
    """None when no INDIGO data are loaded (the bundle holds no market summary)."""
    if summary is None or not summary.breakdown:
        return None
    fund_projects: dict[str, int] = defaultdict(int)
    fund_invested: dict[str, Decimal] = defaultdict(Decimal)
    unmatched = set()
    for p in document["projects"]:
        sector = sector_of(p["policy_area"])
        if sector is None:
            unmatched.add(p["policy_area"])
            continue
        fund_projects[sector] += 1
        fund_invested[sector] += Decimal(p["invested"])
    market = {row.group.casefold(): row for row in summary.breakdown}
    labels = {key: row.group for key, row in market.items()}
    labels.update({key: key.capitalize() for key in fund_projects if key not in labels})
    rows = []
    for key in sorted(labels, key=lambda k: labels[k].casefold()):
        row = market.get(key)
        capital = row.capital_raised if row else Decimal(0)
        rows.append(
            (
                labels[key],
                count(row.projects if row else 0),
                money_short(capital),
                money_short(row.max_outcome_payments if row else Decimal(0)),
                count(fund_projects.get(key, 0)),
                money_short(fund_invested.get(key, Decimal(0))),
                _share(fund_invested.get(key, Decimal(0)), capital),
            )
        )
    table = Table(
        headers=(
            "Policy sector",
            "UK projects",
            "Capital raised",
            "Max. outcome payments",
            "Fund's projects",
            "Invested (all holders)",
            "Invested ÷ capital raised",
        ),
        numeric=(False, *([True] * 6)),
        rows=tuple(rows),
        total=(
            "All sectors",
            count(summary.projects),
            money_short(summary.capital_raised),
            money_short(summary.max_outcome_payments),
            count(sum(fund_projects.values())),
            money_short(sum(fund_invested.values(), Decimal(0))),
            _share(sum(fund_invested.values(), Decimal(0)), summary.capital_raised),
        ),
        caption="UK outcomes partnerships by policy sector (INDIGO) beside the fund's",
        notes=(
            f"Market sums in GBP only; {summary.other_currency_projects} projects reported in "
            "another currency are counted but left out of the sums.",
        ),
    )
    return MarketView(table, tuple(sorted(unmatched)), ATTRIBUTION)


def _share(part: Decimal, whole: Decimal) -> str:
    return percent(part / whole, 0) if whole else MISSING
