"""Funds with share-class terms in the run (issue #14): what replaces the plain allocation.

A fund has terms when ``class_terms`` or ``waterfalls`` names it (``funds_with_terms``);
every other fund is valued exactly as before. For a fund with terms, at T:

- its structure (``structure.fund_structure``) at the fund's NAV, each class's share
  split within the class pro rata to the capital accounts' rolled-forward balances, and
  for an American waterfall each deal's NAV the run's NAV of the fund's holdings in that
  project (``structures_at``);
- the carry holder's flows are carried interest, not an investor's: its capital account
  is left out of the run's investors, share classes and pari passu check
  (``without_carry_holders``), and out of the fund's net figures (``carry_holders``);
- each investor's capital account since inception (``lines_net_of_carry``) ends at its
  HLBV share of NAV (``FundStructure.investors``) and gains the line ``carried_interest``,
  the account's part of the accrued carried interest: the accrued carry is shared among
  the classes pro rata to what each class's share accrues under the waterfall (carry at
  liquidation, net of the clawback owed back to it, less the carry of the distributions
  to date; when none accrues, pro rata to contributions), then within a class pro rata
  to its members' shares of NAV, to the penny by largest remainder. What the waterfall
  moves between accounts beyond the pro-rata allocation of the roll (a senior class's
  preferred return, a junior class's first loss) is written to ``unrealised``, so that
  beginning + movements − carried interest = ending still holds to the penny.

So Σ investors' NAV + accrued carry + undistributed = the fund's NAV.

``waterfall_distributions`` is the check of ``passu check``: for each fund with terms,
what each class and the carry holder received to date against what the waterfall gives
for the cash the fund distributed (``waterfall.check_distributions``), a finding over £1
naming fund, class, tier, expected and received; a fund whose flows the waterfall cannot
take (a carry holder with a commitment, flows in a class without terms) is a finding too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import pandas as pd

from .book import HoldingBook
from .findings import Finding
from .ledger import Ledger
from .money import allocate_largest_remainder
from .structure import FundStructure, fund_structure
from .waterfall import CHECK, check_distributions, split_to_investors

__all__ = [
    "CARRIED_INTEREST_LINE",
    "AccountLines",
    "carry_holders",
    "class_accrued_carry",
    "funds_with_terms",
    "lines_net_of_carry",
    "structures_at",
    "waterfall_distributions",
    "without_carry_holders",
]

CARRIED_INTEREST_LINE = "carried_interest"
AccountLines = dict[tuple[str, str, str], dict[str, int]]


def funds_with_terms(ledger: Ledger, fund_ids: Collection[str]) -> tuple[str, ...]:
    """The funds of ``fund_ids`` that ``class_terms`` or ``waterfalls`` names, sorted."""
    named = set(ledger.class_terms["fund_id"].astype(str)) | set(
        ledger.waterfalls["fund_id"].astype(str)
    )
    return tuple(sorted(named & {str(f) for f in fund_ids}))


def structures_at(
    ledger: Ledger,
    book: HoldingBook,
    fund_navs: Mapping[str, int],
    as_of: dt.date,
    lines: AccountLines | None = None,
) -> dict[str, FundStructure]:
    """Each fund of ``fund_navs`` (fund_id → NAV in pence) that has terms, its structure
    at ``as_of``. ``lines``: the capital accounts' lines since inception (their ending
    balances weigh the split within a class; without them, what each paid in)."""
    out: dict[str, FundStructure] = {}
    for fund_id in funds_with_terms(ledger, fund_navs):
        balances = (
            None
            if lines is None
            else {(i, c): v["ending"] for (f, i, c), v in lines.items() if f == fund_id}
        )
        positions = book.positions.loc[book.select(holder_ids=[fund_id])]
        deal_navs = {
            str(p): int(n) for p, n in positions.groupby("project_id")["nav_pence"].sum().items()
        }
        structure = fund_structure(
            ledger,
            fund_id,
            as_of,
            int(fund_navs[fund_id]),
            balances=balances or None,
            deal_navs=deal_navs,
        )
        if structure is not None:
            out[fund_id] = structure
    return out


def carry_holders(structures: Mapping[str, FundStructure]) -> frozenset[tuple[str, str]]:
    """(fund_id, carry holder) of each structure with a waterfall."""
    return frozenset(
        (fund_id, s.waterfall.carry_holder)
        for fund_id, s in structures.items()
        if s.waterfall is not None
    )


def without_carry_holders(
    frame: pd.DataFrame, holders: Collection[tuple[str, str]]
) -> pd.DataFrame:
    """``frame`` (fund_id, investor_id, …) without the carry holders' rows."""
    if not holders:
        return frame
    pairs = pd.MultiIndex.from_arrays([frame["fund_id"], frame["investor_id"]])
    return frame.loc[~pairs.isin(list(holders))]


def class_accrued_carry(structure: FundStructure) -> dict[str, int]:
    """share_class → its part of the fund's accrued carry (module docstring), pence."""
    clawback = structure.liquidation.run.clawback_by_class
    names = [c.share_class for c in structure.classes]
    accrues = [
        c.carry_at_liquidation_pence - clawback.get(c.share_class, 0) - c.carry_to_date_pence
        for c in structure.classes
    ]
    total = structure.accrued_carry_pence
    sign = -1 if total < 0 else 1
    weights = [max(0, sign * a) for a in accrues]
    if not any(weights):
        weights = [c.contributed_pence for c in structure.classes]
    if not any(weights):
        return dict.fromkeys(names, 0) if total == 0 else _unplaced(structure)
    return dict(zip(names, allocate_largest_remainder(total, weights, names), strict=True))


def _unplaced(structure: FundStructure) -> dict[str, int]:
    raise ValueError(
        f"fund {structure.fund_id}: accrued carry {structure.accrued_carry_pence} pence "
        "but no class has contributed"
    )


def investor_carry(structure: FundStructure) -> dict[tuple[str, str], int]:
    """(investor_id, share_class) → its part of the accrued carry (module docstring)."""
    out: dict[tuple[str, str], int] = {}
    for share_class, pence in class_accrued_carry(structure).items():
        members = {
            i.investor_id: i.nav_pence for i in structure.investors if i.share_class == share_class
        }
        if not members:
            continue
        for investor_id, part in split_to_investors(pence, members).items():
            out[(investor_id, share_class)] = part
    return out


def lines_net_of_carry(
    lines: AccountLines, structures: Mapping[str, FundStructure]
) -> AccountLines:
    """``lines`` with every account of a fund with terms at its HLBV share of NAV, net of
    its part of the accrued carry (module docstring); other accounts as they are. The
    carry holders' accounts are left out."""
    holders = carry_holders(structures)
    out: AccountLines = {}
    carry = {f: investor_carry(s) for f, s in structures.items()}
    for key, values in lines.items():
        fund_id, investor_id, share_class = key
        if (fund_id, investor_id) in holders:
            continue
        structure = structures.get(fund_id)
        if structure is None:
            out[key] = values
            continue
        mine = carry[fund_id].get((investor_id, share_class), 0)
        ending = structure.investor_nav(investor_id, share_class)
        adjusted = dict(values)
        adjusted[CARRIED_INTEREST_LINE] = mine
        adjusted["unrealised"] = values["unrealised"] + ending - values["ending"] + mine
        adjusted["ending"] = ending
        out[key] = adjusted
    return out


def waterfall_distributions(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """The check of ``passu check`` (module docstring), over a ledger read as of T."""
    findings: list[Finding] = []
    for fund_id in funds_with_terms(ledger, ledger.funds["fund_id"]):
        try:  # the distributions to date do not depend on NAV: nil will do
            structure = fund_structure(ledger, fund_id, as_of, 0)
        except ValueError as error:
            findings.append(Finding(CHECK, str(error), (f"investor_flows {fund_id}",)))
            continue
        if structure is not None:
            findings += check_distributions(
                structure.run, structure.received_by_class, structure.carry_paid_pence
            )
    return findings
