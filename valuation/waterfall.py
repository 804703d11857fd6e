"""The distribution waterfall of a fund with share-class terms (issue #14, item 2), pure.

Terms (docs/format.md, ``class_terms.csv`` and ``waterfalls.csv``) come in as frozen
dataclasses with exactly those tables' columns: ``ClassTerms`` and ``WaterfallTerms``.
Money is int pence; rates, multiples and shares are ``Decimal`` fractions.

What flows in is a fund's history per deal: each class's dated contributions and the
cash the fund distributed (dated). A European waterfall pools every deal into one;
an American waterfall runs each deal on its own and claws back at the end. Events are
replayed in date order (contributions before distributions on one day). Each class keeps:

- capital outstanding: contributions − capital returned to it;
- the preferred return due: at the class's ``preferred_return`` p, compounding annually,
  Actual/365, on capital outstanding and on preferred return accrued but unpaid: between
  two events d days apart, due += (outstanding + due) × ((1 + p)^(d/365) − 1), kept
  unrounded and paid rounded half up to the penny (so 8% on £1,000,000 for 730 days is
  1,000,000 × (1.08² − 1) = £166,400);
- for a class that pays carry (``applies_to``), the hurdle due, accrued the same way at
  the waterfall's ``hurdle``; every pound of profit paid to the class reduces both.

Each distribution of cash X is paid in tiers:

1. rank by rank, from rank 1 (paid first): **return of capital** (each class up to its
   capital outstanding), then **preferred return** (up to its preferred return due). The
   classes of one rank share each tier pro rata to contributions, none beyond its need;
   a higher rank receives nothing until the lower ranks' both tiers are paid;
2. what remains is shared pro rata to contributions among the classes not at their cap
   (``return_cap`` × contributions bounds everything paid out of a class's share,
   carry taken from it included); a class at its cap drops out and the others share
   its part. A class that pays no carry keeps its share (tier **residual**). A class
   that pays carry pays its share on, in order:
   - to itself, up to its hurdle due not yet met (tier **preferred return**);
   - **catch-up** (when ``catch_up`` c > ``carry`` k): of each pound, c to the carry
     holder and 1 − c to the class, until the carry holder has k of the class's
     profit (everything paid out of the class's share beyond its capital, carry
     included): the tier holds floor((k × (P + G) − G) ÷ (c − k)) pence, P the profit
     paid to the class, G the carry paid from it so far;
   - **carried interest**: k of the rest to the carry holder; **residual**: the class
     keeps 1 − k of it.
   Within the catch-up and the split, the carry holder's part is rounded half up to the
   penny and the class has the rest.
3. Cash left when every class is at its cap is **undistributed** (reported, never paid).

The tiers of one distribution add up to its cash exactly (with undistributed). Within a
class, investors share pro rata to their capital accounts, to the penny by largest
remainder, ties by investor id (``split_to_investors``).

American (deal by deal): each deal's distributions pay that deal's contributions,
preferred return and carry alone. The **clawback** at the end is what the carry holder
received beyond the carry the European waterfall gives on the same flows pooled:
max(0, Σ deals' carry − whole-fund carry), shared among the classes pro rata to the
carry paid out of each (largest remainder, ties by class).

Two uses: ``hypothetical_liquidation`` (NAV as a last distribution at T: each class's
share of NAV, with any clawback owed back to it, and the accrued carry, the carry of
distributions to date plus NAV net of any clawback, less carry already paid) and
``check_distributions`` (what each class and the carry holder received to date against
what the waterfall gives, a finding over £1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Literal, Protocol

from .findings import Finding, pounds
from .money import allocate_largest_remainder

__all__ = [
    "CARRIED_INTEREST",
    "CATCH_UP",
    "CHECK",
    "PREFERRED_RETURN",
    "RESIDUAL",
    "RETURN_OF_CAPITAL",
    "STYLES",
    "TIERS",
    "TOLERANCE_PENCE",
    "Allocation",
    "ClassTerms",
    "Contribution",
    "Deal",
    "Distribution",
    "Liquidation",
    "TierAmount",
    "WaterfallResult",
    "WaterfallRun",
    "WaterfallTerms",
    "check_distributions",
    "hypothetical_liquidation",
    "run_waterfall",
    "split_to_investors",
]

RETURN_OF_CAPITAL = "return_of_capital"
PREFERRED_RETURN = "preferred_return"
CATCH_UP = "catch_up"
CARRIED_INTEREST = "carried_interest"
RESIDUAL = "residual"
TIERS = (RETURN_OF_CAPITAL, PREFERRED_RETURN, CATCH_UP, CARRIED_INTEREST, RESIDUAL)
STYLES = ("european", "american")
CHECK = "waterfall_distributions"
TOLERANCE_PENCE = 100  # £1
DAYS_PER_YEAR = Decimal(365)
_CONTEXT = Context(prec=40)
Style = Literal["european", "american"]


# --- terms and inputs ----------------------------------------------------------------


@dataclass(frozen=True)
class ClassTerms:
    """One row of ``class_terms.csv``."""

    fund_id: str
    share_class: str
    rank: int  # 1 = paid first; a first-loss (junior) class has the higher number
    preferred_return: Decimal  # annual fraction, compounding annually, Actual/365
    return_cap: Decimal | None = None  # a multiple of contributions; None = no cap


@dataclass(frozen=True)
class WaterfallTerms:
    """One row of ``waterfalls.csv``."""

    fund_id: str
    style: Style
    hurdle: Decimal  # annual fraction
    catch_up: Decimal  # the carry holder's share of the catch-up tier (1.0, 0.8)
    carry: Decimal  # e.g. 0.2
    carry_holder: str  # an investor_id (kind manager)
    applies_to: tuple[str, ...]  # the share classes that pay carry


@dataclass(frozen=True)
class Contribution:
    """Capital a class paid into a deal (into the fund, for a European waterfall)."""

    share_class: str
    date: dt.date
    amount_pence: int


@dataclass(frozen=True)
class Distribution:
    """Cash the fund distributed on a date (from a deal, for an American waterfall)."""

    date: dt.date
    amount_pence: int


@dataclass(frozen=True)
class Deal:
    """A deal's flows. A European waterfall pools all deals; one deal is enough for it."""

    deal_id: str
    contributions: tuple[Contribution, ...]
    distributions: tuple[Distribution, ...] = ()


# --- outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TierAmount:
    """What one tier paid out of one class's share: to the class and to the carry holder."""

    share_class: str
    tier: str
    to_class_pence: int
    to_carry_pence: int

    @property
    def pence(self) -> int:
        return self.to_class_pence + self.to_carry_pence


@dataclass(frozen=True)
class Allocation:
    """Cash through the waterfall: every class × tier (classes by rank, then id)."""

    date: dt.date
    cash_pence: int
    tiers: tuple[TierAmount, ...]
    undistributed_pence: int = 0

    def to_class(self, share_class: str, tier: str | None = None) -> int:
        """Paid to the class (its investors), in one tier or all."""
        return sum(
            t.to_class_pence
            for t in self.tiers
            if t.share_class == share_class and tier in (None, t.tier)
        )

    def to_carry(self, share_class: str | None = None, tier: str | None = None) -> int:
        """Paid to the carry holder, out of one class's share or all, in one tier or all."""
        return sum(
            t.to_carry_pence
            for t in self.tiers
            if share_class in (None, t.share_class) and tier in (None, t.tier)
        )

    def amount(self, share_class: str, tier: str) -> int:
        """Everything one tier paid out of the class's share (class and carry holder)."""
        return sum(t.pence for t in self.tiers if t.share_class == share_class and t.tier == tier)

    def by_class(self) -> dict[str, int]:
        """share_class → paid to the class (every tier)."""
        out: dict[str, int] = {}
        for t in self.tiers:
            out[t.share_class] = out.get(t.share_class, 0) + t.to_class_pence
        return out

    def by_tier(self) -> dict[str, int]:
        """tier → everything it paid (classes and carry holder)."""
        out = dict.fromkeys(TIERS, 0)
        for t in self.tiers:
            out[t.tier] += t.pence
        return out


@dataclass(frozen=True)
class WaterfallResult:
    """One deal's (or the whole fund's) distributions through the waterfall, in order."""

    deal_id: str
    allocations: tuple[Allocation, ...]
    total: Allocation  # the allocations summed; dated at the last one


@dataclass(frozen=True)
class WaterfallRun:
    """A fund's waterfall: per deal (one, the whole fund, for European) and in total."""

    fund_id: str
    style: Style
    carry_holder: str | None
    deals: tuple[WaterfallResult, ...]
    total: Allocation  # Σ over deals
    whole_fund: WaterfallResult  # the European waterfall over all flows pooled
    clawback_pence: int  # American: carry paid beyond the whole fund's; European: 0
    clawback_by_class: Mapping[str, int] = field(default_factory=dict)

    @property
    def carry_pence(self) -> int:
        """Carry paid deal by deal (or over the fund), before any clawback."""
        return self.total.to_carry()

    @property
    def net_carry_pence(self) -> int:
        """Carry the carry holder keeps: carry − clawback."""
        return self.carry_pence - self.clawback_pence


@dataclass(frozen=True)
class Liquidation:
    """Hypothetical liquidation at NAV on ``as_of``."""

    as_of: dt.date
    nav_pence: int
    nav: Allocation  # NAV's own way through the waterfall (Σ over deals for American)
    # each class's share of NAV: its part of ``nav`` plus the clawback owed back to it
    # (American), so that Σ nav_by_class + accrued carry + undistributed = NAV whenever
    # the carry paid to date is what the waterfall gave
    nav_by_class: Mapping[str, int]
    carry_pence: int  # the waterfall's carry on distributions to date + NAV, net of clawback
    carry_paid_pence: int
    accrued_carry_pence: int  # carry_pence − carry_paid_pence
    run: WaterfallRun


# --- the waterfall ---------------------------------------------------------------------


class _Pay(Protocol):  # ``pay`` inside ``_distribute``
    def __call__(self, name: str, tier: str, to_class: int, to_carry: int = 0) -> None: ...


@dataclass
class _State:
    terms: ClassTerms
    pays_carry: bool
    contributed: int = 0
    capital_out: int = 0
    pref_due: Decimal = Decimal(0)  # pence, unrounded
    hurdle_due: Decimal = Decimal(0)  # pence, unrounded (carry classes only)
    profit: int = 0  # paid to the class beyond its capital
    carry: int = 0  # paid to the carry holder out of the class's share
    received: int = 0  # everything paid out of the class's share

    def headroom(self) -> int | None:
        cap = self.terms.return_cap
        if cap is None:
            return None
        limit = Fraction(cap) * self.contributed
        return max(0, limit.numerator // limit.denominator - self.received)


def run_waterfall(
    waterfall: WaterfallTerms | None,
    classes: Sequence[ClassTerms],
    deals: Sequence[Deal],
) -> WaterfallRun:
    """The fund's distributions to date through its waterfall (European or American).

    ``waterfall`` None: class terms only (ranks, preferred returns, caps), no carry,
    European. Deals' distributions are the cash the fund distributed from them.
    """
    ordered = _checked_classes(waterfall, classes)
    fund_id = ordered[0].fund_id
    style: Style = "european" if waterfall is None else waterfall.style
    if style not in STYLES:
        raise ValueError(f"fund {fund_id}: unknown waterfall style {style!r}")
    pooled = Deal(
        "",
        tuple(c for d in deals for c in d.contributions),
        tuple(x for d in deals for x in d.distributions),
    )
    whole_fund = _run_deal(waterfall, ordered, pooled)
    if style == "european":
        return WaterfallRun(
            fund_id,
            style,
            None if waterfall is None else waterfall.carry_holder,
            (whole_fund,),
            whole_fund.total,
            whole_fund,
            0,
            {},
        )
    assert waterfall is not None
    per_deal = tuple(_run_deal(waterfall, ordered, d) for d in deals)
    total = _summed([r.total for r in per_deal], ordered)
    clawback = max(0, total.to_carry() - whole_fund.total.to_carry())
    return WaterfallRun(
        fund_id,
        style,
        waterfall.carry_holder,
        per_deal,
        total,
        whole_fund,
        clawback,
        _clawback_by_class(clawback, total, ordered),
    )


def _checked_classes(
    waterfall: WaterfallTerms | None, classes: Sequence[ClassTerms]
) -> list[ClassTerms]:
    if not classes:
        raise ValueError("a waterfall needs at least one class's terms")
    funds = {c.fund_id for c in classes} | (set() if waterfall is None else {waterfall.fund_id})
    if len(funds) > 1:
        raise ValueError(f"terms of more than one fund: {', '.join(sorted(funds))}")
    names = [c.share_class for c in classes]
    if len(set(names)) < len(names):
        raise ValueError("a share class has terms twice")
    for c in classes:
        if c.rank < 1:
            raise ValueError(f"class {c.share_class}: rank must be 1 or more, not {c.rank}")
        if c.preferred_return < 0 or (c.return_cap is not None and c.return_cap < 0):
            raise ValueError(f"class {c.share_class}: negative preferred return or cap")
    if waterfall is not None:
        unknown = sorted(set(waterfall.applies_to) - set(names))
        if unknown:
            raise ValueError(f"carry applies to classes without terms: {', '.join(unknown)}")
        if waterfall.hurdle < 0:
            raise ValueError(f"waterfall hurdle below nil: {waterfall.hurdle}")
        for name in ("catch_up", "carry"):
            value = getattr(waterfall, name)
            if not 0 <= value <= 1:
                raise ValueError(f"waterfall {name} not a fraction from 0 to 1: {value}")
    return sorted(classes, key=lambda c: (c.rank, c.share_class))


def _run_deal(
    waterfall: WaterfallTerms | None, classes: Sequence[ClassTerms], deal: Deal
) -> WaterfallResult:
    carry_classes = set() if waterfall is None else set(waterfall.applies_to)
    states = {c.share_class: _State(c, c.share_class in carry_classes) for c in classes}
    events: list[tuple[dt.date, int, Contribution | Distribution]] = [
        (c.date, 0, c) for c in deal.contributions
    ]
    events += [(x.date, 1, x) for x in deal.distributions]
    events.sort(key=lambda e: (e[0], e[1]))
    allocations: list[Allocation] = []
    last: dt.date | None = None
    for day, _, event in events:
        if last is not None and day > last:
            _accrue(states.values(), (day - last).days, waterfall)
        last = day
        if isinstance(event, Contribution):
            state = states.get(event.share_class)
            if state is None:
                raise ValueError(f"deal {deal.deal_id}: class {event.share_class} has no terms")
            if event.amount_pence < 0:
                raise ValueError(f"deal {deal.deal_id}: a negative contribution")
            state.contributed += event.amount_pence
            state.capital_out += event.amount_pence
        else:
            allocations.append(_distribute(waterfall, states, event))
    empty = Allocation(last or dt.date.min, 0, _tier_rows({}, classes), 0)
    total = _summed(allocations, classes) if allocations else empty
    return WaterfallResult(deal.deal_id, tuple(allocations), total)


def _growth(rate: Decimal, days: int) -> Decimal:
    """(1 + rate)^(days/365) − 1, Actual/365, compounding annually."""
    if rate == 0 or days == 0:
        return Decimal(0)
    one_plus = _CONTEXT.add(Decimal(1), rate)
    return _CONTEXT.subtract(
        _CONTEXT.power(one_plus, _CONTEXT.divide(Decimal(days), DAYS_PER_YEAR)), Decimal(1)
    )


def _accrue(states: Iterable[_State], days: int, waterfall: WaterfallTerms | None) -> None:
    hurdle = Decimal(0) if waterfall is None else waterfall.hurdle
    for s in states:
        base = Decimal(s.capital_out)
        s.pref_due += _CONTEXT.multiply(base + s.pref_due, _growth(s.terms.preferred_return, days))
        if s.pays_carry:
            s.hurdle_due += _CONTEXT.multiply(base + s.hurdle_due, _growth(hurdle, days))


def _pence_half_up(value: Decimal | Fraction) -> int:
    if isinstance(value, Fraction):
        return (2 * value.numerator + value.denominator) // (2 * value.denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _distribute(
    waterfall: WaterfallTerms | None, states: Mapping[str, _State], cash: Distribution
) -> Allocation:
    if cash.amount_pence < 0:
        raise ValueError(f"a negative distribution on {cash.date}")
    paid: dict[tuple[str, str], list[int]] = {}

    def pay(name: str, tier: str, to_class: int, to_carry: int = 0) -> None:
        row = paid.setdefault((name, tier), [0, 0])
        row[0] += to_class
        row[1] += to_carry
        s = states[name]
        s.received += to_class + to_carry
        s.carry += to_carry
        if tier == RETURN_OF_CAPITAL:
            s.capital_out -= to_class
        else:
            s.profit += to_class
            s.pref_due = max(Decimal(0), s.pref_due - to_class)
            s.hurdle_due = max(Decimal(0), s.hurdle_due - to_class)

    left = cash.amount_pence
    ordered = list(states.values())
    for rank in sorted({s.terms.rank for s in ordered}):
        members = [s for s in ordered if s.terms.rank == rank]
        for tier in (RETURN_OF_CAPITAL, PREFERRED_RETURN):
            needs = [
                _capped(
                    s.capital_out if tier == RETURN_OF_CAPITAL else _pence_half_up(s.pref_due), s
                )
                for s in members
            ]
            shares = _capped_pro_rata(left, members, needs)
            for s, share in zip(members, shares, strict=True):
                pay(s.terms.share_class, tier, share)
            left -= sum(shares)
    shares = _capped_pro_rata(left, ordered, [s.headroom() for s in ordered])
    for s, share in zip(ordered, shares, strict=True):
        left -= share
        _pay_beyond_preference(waterfall, s, share, pay)
    rows = _tier_rows(paid, [s.terms for s in ordered])
    return Allocation(cash.date, cash.amount_pence, rows, left)


def _capped(need: int, state: _State) -> int:
    room = state.headroom()
    return max(0, need if room is None else min(need, room))


def _pay_beyond_preference(
    waterfall: WaterfallTerms | None,
    s: _State,
    share: int,
    pay: _Pay,
) -> None:
    name = s.terms.share_class
    if share == 0:
        return
    if waterfall is None or not s.pays_carry:
        pay(name, RESIDUAL, share)
        return
    hurdle = min(share, _pence_half_up(s.hurdle_due))
    if hurdle > 0:
        pay(name, PREFERRED_RETURN, hurdle)
        share -= hurdle
    carry, catch_up = Fraction(waterfall.carry), Fraction(waterfall.catch_up)
    if catch_up > carry and share > 0:
        owed = carry * (s.profit + s.carry) - s.carry
        if owed > 0:
            tier = min(share, math.floor(owed / (catch_up - carry)))
            to_carry = _pence_half_up(catch_up * tier)
            pay(name, CATCH_UP, tier - to_carry, to_carry)
            share -= tier
    if share > 0:
        to_carry = _pence_half_up(carry * share)
        pay(name, CARRIED_INTEREST, 0, to_carry)
        pay(name, RESIDUAL, share - to_carry)


def _capped_pro_rata(
    amount: int, states: Sequence[_State], caps: Sequence[int | None]
) -> list[int]:
    """``amount`` shared pro rata to contributions, none beyond its cap (None: no cap).

    Largest remainder, ties by class; a class reaching its cap drops out and the others
    share what it could not take. The result adds up to min(amount, Σ caps), except that
    classes with no contributions take nothing.
    """
    shares = [0] * len(states)
    open_ = [i for i, cap in enumerate(caps) if cap is None or cap > 0]
    left = amount
    while left > 0:
        open_ = [i for i in open_ if states[i].contributed > 0]
        if not open_:
            break
        split = allocate_largest_remainder(
            left,
            [states[i].contributed for i in open_],
            [(states[i].terms.rank, states[i].terms.share_class) for i in open_],
        )
        over = [
            i
            for i, part in zip(open_, split, strict=True)
            if (cap := caps[i]) is not None and shares[i] + part >= cap
        ]
        if not over:
            for i, part in zip(open_, split, strict=True):
                shares[i] += part
            break
        for i in over:
            cap = caps[i]
            assert cap is not None
            left -= cap - shares[i]
            shares[i] = cap
        open_ = [i for i in open_ if i not in over]
    return shares


def _tier_rows(
    paid: Mapping[tuple[str, str], Sequence[int]], classes: Sequence[ClassTerms]
) -> tuple[TierAmount, ...]:
    return tuple(
        TierAmount(c.share_class, tier, *paid.get((c.share_class, tier), (0, 0)))
        for c in classes
        for tier in TIERS
    )


def _summed(allocations: Sequence[Allocation], classes: Sequence[ClassTerms]) -> Allocation:
    paid: dict[tuple[str, str], list[int]] = {}
    for a in allocations:
        for t in a.tiers:
            row = paid.setdefault((t.share_class, t.tier), [0, 0])
            row[0] += t.to_class_pence
            row[1] += t.to_carry_pence
    return Allocation(
        max(a.date for a in allocations),
        sum(a.cash_pence for a in allocations),
        _tier_rows(paid, classes),
        sum(a.undistributed_pence for a in allocations),
    )


def _clawback_by_class(
    clawback: int, total: Allocation, classes: Sequence[ClassTerms]
) -> dict[str, int]:
    if clawback == 0:
        return {}
    names = [c.share_class for c in classes]
    parts = allocate_largest_remainder(clawback, [total.to_carry(n) for n in names], names)
    return {n: p for n, p in zip(names, parts, strict=True) if p}


# --- within a class --------------------------------------------------------------------


def split_to_investors(amount_pence: int, accounts: Mapping[str, int]) -> dict[str, int]:
    """A class's amount shared among its investors pro rata to their capital accounts.

    Largest remainder to the penny, ties by investor id; the parts add up to the amount.
    Accounts below nil weigh nothing; when none is above nil the amount is shared
    equally (so the money still lands somewhere named).
    """
    ids = sorted(accounts)
    if not ids:
        if amount_pence:
            raise ValueError("no investors to share the amount among")
        return {}
    weights = [max(0, int(accounts[i])) for i in ids]
    if not any(weights):
        weights = [1] * len(ids)
    return dict(zip(ids, allocate_largest_remainder(amount_pence, weights, ids), strict=True))


# --- the two uses ----------------------------------------------------------------------


def hypothetical_liquidation(
    waterfall: WaterfallTerms | None,
    classes: Sequence[ClassTerms],
    deals: Sequence[Deal],
    as_of: dt.date,
    nav_pence: int | Mapping[str, int],
    carry_paid_pence: int,
) -> Liquidation:
    """NAV on ``as_of`` distributed as a last distribution after the distributions to date.

    ``nav_pence``: the fund's NAV (European), or deal_id → the deal's NAV (American; a
    deal in the mapping and not in ``deals`` is refused). Accrued carry = the waterfall's
    carry on the distributions to date and NAV, less any clawback, less
    ``carry_paid_pence`` (what the carry holder actually received to date).
    """
    dates = [e.date for d in deals for e in d.contributions]
    dates += [e.date for d in deals for e in d.distributions]
    if any(day > as_of for day in dates):
        raise ValueError(f"flows dated after {as_of}: {min(d for d in dates if d > as_of)}")
    ordered = _checked_classes(waterfall, classes)
    american = waterfall is not None and waterfall.style == "american"
    navs = _deal_navs(deals, nav_pence, american=american)
    if american:
        with_nav = [
            Deal(
                d.deal_id, d.contributions, (*d.distributions, Distribution(as_of, navs[d.deal_id]))
            )
            if navs.get(d.deal_id)
            else d
            for d in deals
        ]
    else:  # pooled: NAV last, after every distribution dated as_of
        with_nav = [*deals, Deal("NAV", (), (Distribution(as_of, navs[""]),))]
    run = run_waterfall(waterfall, classes, with_nav)
    if american:
        nav_parts = [
            r.allocations[-1]
            for r, d in zip(run.deals, with_nav, strict=True)
            if navs.get(d.deal_id)
        ]
    else:
        nav_parts = [run.whole_fund.allocations[-1]]
    nav = (
        _summed(nav_parts, ordered)
        if nav_parts
        else Allocation(as_of, 0, _tier_rows({}, ordered), 0)
    )
    carry = run.net_carry_pence
    # The clawback is owed back to the classes: a claim of theirs on the fund at T, part of
    # their share of NAV (the carry holder's accrued carry is reduced by as much).
    by_class = nav.by_class()
    for name, owed in run.clawback_by_class.items():
        by_class[name] = by_class.get(name, 0) + owed
    return Liquidation(
        as_of,
        sum(navs.values()),
        nav,
        by_class,
        carry,
        carry_paid_pence,
        carry - carry_paid_pence,
        run,
    )


def _deal_navs(
    deals: Sequence[Deal], nav_pence: int | Mapping[str, int], *, american: bool
) -> dict[str, int]:
    if isinstance(nav_pence, Mapping):
        unknown = sorted(set(nav_pence) - {d.deal_id for d in deals})
        if unknown:
            raise ValueError(f"NAV for deals with no flows: {', '.join(unknown)}")
        navs = {k: int(v) for k, v in nav_pence.items()}
    elif american:
        raise ValueError("an American waterfall needs each deal's NAV (deal_id → pence)")
    else:
        navs = {"": int(nav_pence)}
    if any(v < 0 for v in navs.values()):
        raise ValueError("a negative NAV")
    return navs if american else {"": sum(navs.values())}


def check_distributions(
    run: WaterfallRun,
    received_by_class: Mapping[str, int],
    carry_received_pence: int,
) -> list[Finding]:
    """A finding wherever a class or the carry holder received to date more than £1 away
    from what the waterfall gives for the cash the fund distributed (``run``, before any
    clawback, which is settled at the end).

    The finding names fund, class, tier, expected and received. The tier is where the
    difference lies when what was received is laid over the tiers in order: for a
    shortfall, the first tier not fully received; for an excess, the class's last tier.
    """
    findings: list[Finding] = []
    classes = list(dict.fromkeys(t.share_class for t in run.total.tiers))
    for name in [*classes, *sorted(set(received_by_class) - set(classes))]:
        tiers = [(t, run.total.to_class(name, t)) for t in TIERS]
        received = int(received_by_class.get(name, 0))
        findings += _differ(run.fund_id, f"class {name}", tiers, received, name)
    if run.carry_holder is not None:
        tiers = [(t, run.total.to_carry(tier=t)) for t in (CATCH_UP, CARRIED_INTEREST)]
        findings += _differ(
            run.fund_id,
            f"carry holder {run.carry_holder}",
            tiers,
            int(carry_received_pence),
            run.carry_holder,
        )
    return findings


def _differ(
    fund_id: str, who: str, tiers: Sequence[tuple[str, int]], received: int, row: str
) -> list[Finding]:
    expected = sum(amount for _, amount in tiers)
    if abs(received - expected) <= TOLERANCE_PENCE:
        return []
    named = tiers[-1][0]
    if received < expected:
        running = 0
        for tier, amount in tiers:
            running += amount
            if running > received:
                named = tier
                break
    return [
        Finding(
            CHECK,
            f"fund {fund_id} {who} tier {named}: expected {pounds(expected)} to date "
            f"from the waterfall, received {pounds(received)}",
            (f"investor_flows {fund_id} {row}",),
        )
    ]
