"""A fund's structure at T: its share-class terms and waterfall applied to its ledger (#14).

``fund_structure(ledger, fund_id, as_of, nav_pence)`` reads the fund's terms
(``class_terms``, ``waterfalls``; ``applies_to`` is ";"-separated), builds its deals,
runs ``waterfall.run_waterfall`` on what it actually distributed and
``waterfall.hypothetical_liquidation`` at the NAV the run computed, and gives each
class's and investor's share of that NAV and the accrued carried interest. A fund with
neither table has no structure (``None``): it is valued exactly as before. A fund with a
waterfall but no class terms has its committed classes at rank 1, no preferred return and
no cap.

**What flows in** (rows dated ≤ T; investor flows attributed to classes as
``capital_accounts.account_flows`` attributes them: an investor in several classes of the
fund splits each flow pro rata to its class commitments):

- a class's contributions: its investors' calls (every purpose), less the equalisation
  distributions paid to them, netted by date: equalisation moves capital between
  investors and is no distribution of the fund;
- the fund's distributions: every distribution other than equalisation, summed by date,
  to the classes and to the carry holder alike: the cash the waterfall shares out;
- what a class received: its investors' distributions other than equalisation; the carry
  paid: the carry holder's distributions (it holds no commitment in the fund: one that
  does is refused, since its carry could not be told from its return).

**Deals.** European: the whole fund is one deal. American: one deal per project the fund
drew money into, its drawdowns attributed to the classes and the fund's distributions and
NAV to the projects as ``structure_deals.american_deals`` documents.

**Shares at T** (hypothetical liquidation, HLBV): a class's share of NAV is what the
waterfall gives it over its life if NAV were distributed at T (clawback owed back to it
included) less what it actually received; accrued carry is the carry the waterfall gives
over the same life, net of clawback, less the carry actually paid. So
Σ classes' shares + accrued carry + undistributed = NAV to the penny, whether or not the
distributions to date followed the waterfall (where they did not, ``passu check`` says
so). Within a class, investors share pro rata to ``balances`` ((investor_id,
share_class) → capital-account balance in pence, the #13 roll's ending balances),
by default to what each paid in (``waterfall.split_to_investors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .capital_accounts import account_commitments, account_flows
from .ledger import Ledger
from .money import money_text, pence_to_decimal
from .structure_deals import american_deals
from .waterfall import (
    TIERS,
    ClassTerms,
    Contribution,
    Deal,
    Distribution,
    Liquidation,
    Style,
    WaterfallRun,
    WaterfallTerms,
    hypothetical_liquidation,
    run_waterfall,
    split_to_investors,
)

__all__ = [
    "ClassStructure",
    "FundStructure",
    "InvestorShare",
    "attributed_flows",
    "class_terms_of",
    "fund_structure",
    "waterfall_terms_of",
]

FUND_DEAL = "FUND"  # the one deal of a European waterfall
EQUALISATION = "equalisation"


@dataclass(frozen=True)
class ClassStructure:
    """One class at T: terms, flows, its share of NAV and its tiers (pence).

    ``to_date`` and ``at_liquidation`` map each tier to everything it paid out of the
    class's share (the class's part and the carry holder's): over the distributions to
    date, and over those and NAV distributed at T.
    """

    share_class: str
    rank: int
    preferred_return: Decimal
    return_cap: Decimal | None
    pays_carry: bool
    contributed_pence: int
    received_pence: int
    nav_pence: int
    to_date: Mapping[str, int]
    at_liquidation: Mapping[str, int]
    carry_to_date_pence: int  # paid to the carry holder out of the class's share
    carry_at_liquidation_pence: int


@dataclass(frozen=True)
class InvestorShare:
    investor_id: str
    share_class: str
    nav_pence: int


@dataclass(frozen=True)
class FundStructure:
    """A fund with terms at T; money in pence."""

    fund_id: str
    as_of: dt.date
    style: Style
    waterfall: WaterfallTerms | None
    nav_pence: int
    classes: tuple[ClassStructure, ...]  # by rank, then class
    investors: tuple[InvestorShare, ...]  # by class order, then investor
    carry_paid_pence: int  # what the carry holder actually received to date
    carry_to_date_pence: int  # what the waterfall gives it for the distributions to date
    carry_at_liquidation_pence: int  # over distributions and NAV, net of clawback
    accrued_carry_pence: int  # carry_at_liquidation − carry_paid
    clawback_pence: int  # American: deal-by-deal carry beyond the whole fund's, at T
    undistributed_pence: int  # cash beyond every class's cap, to date and at T
    run: WaterfallRun  # the distributions to date
    liquidation: Liquidation

    @property
    def received_by_class(self) -> dict[str, int]:
        return {c.share_class: c.received_pence for c in self.classes}

    def investor_nav(self, investor_id: str, share_class: str) -> int:
        for i in self.investors:
            if (i.investor_id, i.share_class) == (investor_id, share_class):
                return i.nav_pence
        return 0

    def to_document(self) -> dict[str, Any]:
        """The run document's ``waterfall`` object of a fund (reports read this shape)."""
        w = self.waterfall

        def money(pence: int) -> str:
            return str(money_text(pence_to_decimal(pence)))

        def rate(value: Decimal | None) -> float | None:
            return None if value is None else round(float(value), 10)

        return {
            "style": self.style,
            "carry_holder": None if w is None else w.carry_holder,
            "hurdle": rate(None if w is None else w.hurdle),
            "catch_up": rate(None if w is None else w.catch_up),
            "carry": rate(None if w is None else w.carry),
            "nav": money(self.nav_pence),
            "carry_paid": money(self.carry_paid_pence),
            "carry_to_date": money(self.carry_to_date_pence),
            "carry_at_liquidation": money(self.carry_at_liquidation_pence),
            "accrued_carry": money(self.accrued_carry_pence),
            "clawback": money(self.clawback_pence),
            "undistributed": money(self.undistributed_pence),
            "classes": [
                {
                    "share_class": c.share_class,
                    "rank": c.rank,
                    "preferred_return": rate(c.preferred_return),
                    "return_cap": rate(c.return_cap),
                    "pays_carry": c.pays_carry,
                    "contributed": money(c.contributed_pence),
                    "received": money(c.received_pence),
                    "nav": money(c.nav_pence),
                    "carry_to_date": money(c.carry_to_date_pence),
                    "carry_at_liquidation": money(c.carry_at_liquidation_pence),
                    "tiers": {
                        t: {
                            "to_date": money(c.to_date[t]),
                            "at_liquidation": money(c.at_liquidation[t]),
                        }
                        for t in TIERS
                    },
                }
                for c in self.classes
            ],
            "investors": [
                {
                    "investor_id": i.investor_id,
                    "share_class": i.share_class,
                    "nav": money(i.nav_pence),
                }
                for i in self.investors
            ],
        }


# --- terms -----------------------------------------------------------------------------


def class_terms_of(ledger: Ledger, fund_id: str) -> list[ClassTerms]:
    """The fund's ``class_terms`` rows as ``ClassTerms`` (empty when it has none)."""
    rows = ledger.class_terms.loc[ledger.class_terms["fund_id"] == fund_id]
    return [
        ClassTerms(
            fund_id,
            str(r.share_class),
            int(r.rank),
            _decimal(r.preferred_return) or Decimal(0),
            _decimal(r.return_cap),
        )
        for r in rows.itertuples(index=False)
    ]


def waterfall_terms_of(ledger: Ledger, fund_id: str) -> WaterfallTerms | None:
    """The fund's ``waterfalls`` row (``applies_to`` split on ";"), or None."""
    rows = ledger.waterfalls.loc[ledger.waterfalls["fund_id"] == fund_id]
    if rows.empty:
        return None
    r = rows.iloc[0]
    applies_to = tuple(p.strip() for p in str(r["applies_to"]).split(";") if p.strip())
    style: Style = "american" if r["style"] == "american" else "european"
    return WaterfallTerms(
        fund_id,
        style,
        _decimal(r["hurdle"]) or Decimal(0),
        _decimal(r["catch_up"]) or Decimal(0),
        _decimal(r["carry"]) or Decimal(0),
        str(r["carry_holder"]),
        applies_to,
    )


def _decimal(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return None if number.is_nan() else number


# --- the structure ---------------------------------------------------------------------


def fund_structure(
    ledger: Ledger,
    fund_id: str,
    as_of: dt.date,
    nav_pence: int,
    *,
    balances: Mapping[tuple[str, str], int] | None = None,
    deal_navs: Mapping[str, int] | None = None,
) -> FundStructure | None:
    """The fund's waterfall at ``as_of`` with NAV ``nav_pence`` (module docstring).

    ``balances``: (investor_id, share_class) → capital-account balance (pence), the
    weights of the split within a class; default: what each paid in. ``deal_navs``:
    project_id → NAV of the fund's holdings in it (pence), American only.
    """
    waterfall = waterfall_terms_of(ledger, fund_id)
    classes = class_terms_of(ledger, fund_id)
    cutoff = pd.Timestamp(as_of)
    committed = account_commitments(ledger.commitments, [fund_id], cutoff)
    if not classes:
        if waterfall is None:
            return None
        classes = [
            ClassTerms(fund_id, str(name), 1, Decimal(0), None)
            for name in sorted(set(committed["share_class"]))
        ]
    flows = attributed_flows(ledger, fund_id, cutoff)
    carry_holder = None if waterfall is None else waterfall.carry_holder
    if carry_holder is not None and (committed["investor_id"] == carry_holder).any():
        raise ValueError(
            f"fund {fund_id}: carry holder {carry_holder} also holds a commitment; "
            "its carried interest cannot be told from its return"
        )
    to_carry = (
        flows["investor_id"] == carry_holder
        if carry_holder is not None
        else pd.Series(False, index=flows.index)
    )
    named = {c.share_class for c in classes}
    stray = flows.loc[~to_carry & ~flows["share_class"].isin(named)]
    if not stray.empty:
        who = stray.iloc[0]
        raise ValueError(
            f"fund {fund_id}: investor {who['investor_id']} has flows in class "
            f"{who['share_class'] or '(no commitment)'}, which has no class terms"
        )
    investing = flows.loc[~to_carry]
    contributions = _class_contributions(investing)
    distributed = flows.loc[flows["kind"] == "distribution"]
    fund_distributions = distributed.groupby("date", sort=True)["amount_pence"].sum()
    carry_paid = int(distributed.loc[to_carry, "amount_pence"].sum())
    received = (
        investing.loc[investing["kind"] == "distribution"]
        .groupby("share_class")["amount_pence"]
        .sum()
    )

    if waterfall is not None and waterfall.style == "american":
        deals, navs = american_deals(
            ledger,
            fund_id,
            cutoff,
            contributions,
            committed,
            fund_distributions,
            nav_pence,
            deal_navs,
        )
        liquidation_nav: int | Mapping[str, int] = navs
    else:
        deals = [
            Deal(
                FUND_DEAL,
                tuple(Contribution(c, d.date(), p) for d, c, p in contributions),
                tuple(Distribution(d.date(), int(p)) for d, p in fund_distributions.items()),
            )
        ]
        liquidation_nav = nav_pence
    run = run_waterfall(waterfall, classes, deals)
    liq = hypothetical_liquidation(waterfall, classes, deals, as_of, liquidation_nav, carry_paid)
    return _structure(
        fund_id, as_of, waterfall, classes, nav_pence, run, liq, contributions, received,
        carry_paid, investing, balances,
    )  # fmt: skip


def attributed_flows(ledger: Ledger, fund_id: str, cutoff: pd.Timestamp) -> pd.DataFrame:
    """The fund's investor flows ≤ T attributed to classes, with ``equalisation`` marked."""
    flows = ledger.investor_flows
    if "purpose" in flows:
        is_eq = flows["purpose"].fillna("").astype(str).eq(EQUALISATION).to_numpy()
    else:
        is_eq = np.zeros(len(flows), dtype=bool)
    parts = []
    for flag in (False, True):
        part = account_flows(ledger.commitments, flows.loc[is_eq == flag], [fund_id], cutoff)
        part["equalisation"] = flag
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["amount_pence"] = out["amount_pence"].astype(np.int64)
    # an equalisation distribution moves capital between investors: not the fund's cash
    out.loc[out["equalisation"] & (out["kind"] == "distribution"), "kind"] = "equalisation_out"
    return out


def _class_contributions(flows: pd.DataFrame) -> list[tuple[pd.Timestamp, str, int]]:
    """(date, class, pence): calls less equalisation distributions, netted by date.

    An equalisation distribution beyond the class's calls of its day hands back capital
    the class contributed earlier: it reduces the class's latest earlier contributions
    (the capital a later closer's equalisation replaced). More than the class ever
    contributed is refused.
    """
    signed = np.where(
        flows["kind"] == "call",
        flows["amount_pence"],
        np.where(flows["kind"] == "equalisation_out", -flows["amount_pence"], 0),
    )
    net = flows.assign(signed=signed).groupby(["date", "share_class"], sort=True)["signed"].sum()
    kept: dict[str, list[tuple[pd.Timestamp, int]]] = {}  # class → (date, pence), in order
    for (day, share_class), pence in net.items():
        mine = kept.setdefault(str(share_class), [])
        if pence > 0:
            mine.append((pd.Timestamp(day), int(pence)))
        owed = -int(pence)
        while owed > 0 and mine:
            when, latest = mine.pop()
            if latest > owed:
                mine.append((when, latest - owed))
            owed -= min(owed, latest)
        if owed > 0:
            raise ValueError(
                f"class {share_class}: equalisation returned more than it paid in by "
                f"{pd.Timestamp(day).date()}"
            )
    return sorted((day, name, pence) for name, rows in kept.items() for day, pence in rows)


def _structure(
    fund_id: str,
    as_of: dt.date,
    waterfall: WaterfallTerms | None,
    classes: Sequence[ClassTerms],
    nav_pence: int,
    run: WaterfallRun,
    liq: Liquidation,
    contributions: Sequence[tuple[pd.Timestamp, str, int]],
    received: pd.Series,
    carry_paid: int,
    investing: pd.Series | pd.DataFrame,
    balances: Mapping[tuple[str, str], int] | None,
) -> FundStructure:
    pays = set() if waterfall is None else set(waterfall.applies_to)
    ordered = sorted(classes, key=lambda c: (c.rank, c.share_class))
    life = liq.run
    clawback = dict(life.clawback_by_class)
    rows: list[ClassStructure] = []
    for c in ordered:
        name = c.share_class
        got = int(received.get(name, 0))
        entitled = life.total.to_class(name) + clawback.get(name, 0)
        rows.append(
            ClassStructure(
                share_class=name,
                rank=c.rank,
                preferred_return=c.preferred_return,
                return_cap=c.return_cap,
                pays_carry=name in pays,
                contributed_pence=sum(p for _, k, p in contributions if k == name),
                received_pence=got,
                nav_pence=entitled - got,
                to_date={t: run.total.amount(name, t) for t in TIERS},
                at_liquidation={t: life.total.amount(name, t) for t in TIERS},
                carry_to_date_pence=run.total.to_carry(name),
                carry_at_liquidation_pence=life.total.to_carry(name),
            )
        )
    paid_in = (
        investing.loc[investing["kind"] == "call"]
        .groupby(["investor_id", "share_class"], sort=True)["amount_pence"]
        .sum()
    )
    weights = dict(balances) if balances is not None else {
        (str(i), str(c)): int(p) for (i, c), p in paid_in.items()
    }  # fmt: skip
    members = sorted({(str(i), str(c)) for i, c in paid_in.index} | set(weights))
    investors: list[InvestorShare] = []
    for row in rows:
        accounts = {i: weights.get((i, k), 0) for i, k in members if k == row.share_class}
        if not accounts:
            continue
        for investor_id, pence in split_to_investors(row.nav_pence, accounts).items():
            investors.append(InvestorShare(investor_id, row.share_class, pence))
    return FundStructure(
        fund_id=fund_id,
        as_of=as_of,
        style=run.style,
        waterfall=waterfall,
        nav_pence=nav_pence,
        classes=tuple(rows),
        investors=tuple(investors),
        carry_paid_pence=carry_paid,
        carry_to_date_pence=run.carry_pence,
        carry_at_liquidation_pence=liq.carry_pence,
        accrued_carry_pence=liq.accrued_carry_pence,
        clawback_pence=life.clawback_pence,
        undistributed_pence=life.total.undistributed_pence,
        run=run,
        liquidation=liq,
    )
