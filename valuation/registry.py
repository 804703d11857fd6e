"""The figure registry: every reported figure, its label, kind, definition and home.

One line per figure. The run document's fund section (its keys, their order and
how each is written), the CLI headline table, the committee pack's headline and
methods page, the workbook's number formats and the table in docs/figures.md are
all generated from ``REGISTRY``. A new fund figure is one function (taking a
``FundContext``) and one ``FundFigure`` line here; its key is written after the
existing ones, so older documents keep their bytes.

``python -m passu.valuation.registry`` prints the table of docs/figures.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from .cost_of_capital import CostOfCapital
from .fund import FundValue
from .money import pence_to_decimal
from .pme import fund_pme_figure
from .returns import xirr
from .structure import FundStructure

__all__ = [
    "CAPITAL",
    "COST",
    "FUND_FIGURES",
    "REGISTRY",
    "RETURNS",
    "SECTION_FIGURES",
    "FundContext",
    "FundFigure",
    "Kind",
    "Part",
    "SectionFigure",
    "figures_table",
    "fund_figure",
    "kinds",
    "methods",
]

# ``document``: a JSON object written as it is (a fund's waterfall, issue 14).
Kind = Literal["money", "rate", "multiple", "bps", "count", "text", "group", "document"]

# The pack's headline groups for fund figures (other groups are the run's other sections).
CAPITAL = "Capital"
RETURNS = "Returns"
COST = "Cost of capital against HM Treasury's cost of financing"


@dataclass(frozen=True)
class FundContext:
    """What a fund figure is computed from: one scope's valued fund, its cost of capital,
    the investors' net flows and the benchmark data, as of T."""

    fund: FundValue
    cost: CostOfCapital
    fund_ids: Collection[str]
    as_of: dt.date
    # Calls negative, distributions positive, dated ≤ T: ``date``, ``amount_pence``; the
    # carry holders' left out (issue 14).
    net_flows: pd.DataFrame
    nav_pence: int  # the investors' NAV: the fund's, less any accrued carried interest
    gilt_yields: pd.DataFrame
    # The structure of each fund in scope with share-class terms (issue 14): none for
    # funds without terms.
    structures: tuple[FundStructure, ...] = ()


@dataclass(frozen=True)
class Part:
    """One member of a grouped figure (written as an object)."""

    key: str
    label: str
    kind: Kind


@dataclass(frozen=True)
class FundFigure:
    """A figure of the ``fund`` section (and of each entry of ``funds``).

    ``compute`` returns the value, or ``(value, note)`` when ``noted`` (the note is the
    reason the value is ``None``, written as ``<key>_note`` right after it). ``cli``:
    shown in ``passu value``'s table; ``pack``: the committee pack headline group;
    ``detail``: keys whose values the pack shows under this one. ``title``: the longer
    name the pack and its methods page give it (else the label); ``rank``: its place in
    its pack group (figures without one follow, in registry order), so the headline reads
    as a committee expects (net IRR first) while a new figure needs no rank.
    ``note_for``: a text figure that is a caveat on another figure (its key), written as
    its own key after the older ones; the CLI prints it among the notes and the pack
    under that figure, when it is set. ``only_when_set``: the CLI table and the pack
    show the figure only when it is not null (a period return beside a missing IRR).
    """

    key: str
    label: str
    kind: Kind
    definition: str
    where: str
    compute: Callable[[FundContext], Any]
    noted: bool = False
    parts: tuple[Part, ...] = ()
    cli: bool = True
    pack: str | None = None
    detail: tuple[str, ...] = ()
    methods: bool = True
    places: int = 1  # decimal places of a rate shown as a percentage in the pack
    title: str = ""
    rank: int = 100
    note_for: str = ""
    only_when_set: bool = False  # shown in the CLI and the pack only when not null
    # Issue 14: written (and shown) only for a scope with share-class terms, so the
    # documents of funds without terms keep their bytes; absent, it reads as null.
    with_terms: bool = False

    @property
    def heading(self) -> str:
        """The name the pack and the methods page print."""
        text = self.title or self.label
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class SectionFigure:
    """A figure of another section of the run (or a concept a report shows), defined once."""

    section: str
    key: str
    label: str
    kind: Kind
    definition: str
    where: str
    methods: bool = True
    table: bool = True  # a row in docs/figures.md


_IRR_NOTE = (
    "null with the reason in the note beside it when undefined, and over flows spanning "
    "less than a year (not annualised: the period return beside it instead); −100% with "
    'the note "total loss" when money went in, nothing came back and nothing is held'
)
_PERIOD = (
    "The simple return over flows spanning less than 365 days, Σ inflows ÷ Σ outflows − 1 "
    "(same-date flows netted, NAV at T an inflow), shown where the IRR is not annualised "
    "(GIPS); null over a year or more."
)


_NET_OF_CARRY = (
    " For a fund with share-class terms, net of carried interest: the carry "
    "holder's distributions are not the investors' and NAV is less the accrued carry."
)


def _accrued_carry(c: FundContext) -> Decimal | None:
    """Σ accrued carry of the scope's funds with terms; None without terms."""
    if not c.structures:
        return None
    return pence_to_decimal(sum(s.accrued_carry_pence for s in c.structures))


def _waterfall(c: FundContext) -> dict[str, Any] | None:
    """The one fund's waterfall document (``FundStructure.to_document``); None for a fund
    without terms and for several funds together."""
    if len(c.structures) != 1 or len(c.fund_ids) != 1:
        return None
    return c.structures[0].to_document()


def _net_period_return(c: FundContext) -> float | None:
    """The net flows' period return (returns.py), NAV at T a final inflow."""
    flows = c.net_flows
    dates = [*flows["date"], *([pd.Timestamp(c.as_of)] if c.nav_pence else [])]
    amounts = [*flows["amount_pence"].tolist(), *([c.nav_pence] if c.nav_pence else [])]
    return xirr(dates, amounts).period_return


FUND_FIGURES: tuple[FundFigure, ...] = (
    FundFigure("committed", "committed", "money", "Σ commitments to the fund's investors.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.committed,
               pack=CAPITAL, methods=False, title="commitments", rank=1),
    FundFigure("paid_in", "paid-in", "money",
               "Paid-in capital (PIC): Σ capital calls dated ≤ T.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.paid_in, pack=CAPITAL,
               title="paid-in capital", rank=2),
    FundFigure("distributed", "distributed", "money", "Σ distributions dated ≤ T.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.distributed,
               pack=CAPITAL, methods=False, rank=4),
    FundFigure("unfunded", "unfunded", "money", "Commitments − paid-in.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.unfunded, pack=CAPITAL,
               title="unfunded commitments", rank=3),
    FundFigure("nav", "NAV (holdings + cash)", "money",
               "The fund's NAV: Σ NAV of its holdings (the latest fair-value mark (IPEV) ≤ T, "
               "rolled forward by later drawdowns less receipts date by date, never below nil; "
               "no mark: cost outstanding) + fund cash.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.nav, pack=CAPITAL,
               detail=("holdings_nav", "cash"), title="net asset value", rank=5),
    FundFigure("cash", "fund cash", "money",
               "Calls − the fund's drawdowns + its receipts − distributions − fund expenses.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.cash),
    FundFigure("holdings_nav", "holdings", "money", "Σ NAV of the fund's holdings.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.holdings_nav, cli=False,
               methods=False),
    FundFigure("expenses", "fund expenses", "money", "Σ fund expenses dated ≤ T.",
               "valuation/fund.py: value_fund_in", lambda c: c.fund.expenses, cli=False,
               methods=False),
    FundFigure("dpi", "DPI", "multiple",
               "Distributed ÷ paid-in; null before any call." + _NET_OF_CARRY,
               "valuation/multiples.py", lambda c: c.fund.dpi, pack=RETURNS, rank=4),
    FundFigure("rvpi", "RVPI", "multiple", "NAV ÷ paid-in." + _NET_OF_CARRY,
               "valuation/multiples.py", lambda c: c.fund.rvpi, pack=RETURNS, rank=5),
    FundFigure("tvpi", "TVPI", "multiple",
               "DPI + RVPI: (distributed + NAV) ÷ paid-in." + _NET_OF_CARRY,
               "valuation/multiples.py", lambda c: c.fund.tvpi, pack=RETURNS, rank=3),
    FundFigure("gross_irr", "gross IRR", "rate",
               f"The IRR of the fund's own holdings, pooled; {_IRR_NOTE}.",
               "valuation/fund.py: value_fund_in → pool_value",
               lambda c: (c.fund.gross_irr, c.fund.gross_irr_note), noted=True, pack=RETURNS,
               title="gross IRR (fund's holdings)", rank=2),
    FundFigure("gross_moic", "gross MOIC", "multiple",
               "(Realised + NAV) ÷ invested over the fund's own holdings.",
               "valuation/fund.py: value_fund_in → pool_value", lambda c: c.fund.gross_moic,
               pack=RETURNS, rank=6),
    FundFigure("net_irr", "net IRR", "rate",
               "XIRR of investors' calls (−), distributions (+) and the fund's NAV at T (+); "
               f"{_IRR_NOTE}." + _NET_OF_CARRY,
               "valuation/fund.py: value_fund_in",
               lambda c: (c.fund.net_irr, c.fund.net_irr_note), noted=True, pack=RETURNS,
               title="net IRR (to investors)", rank=1),
    FundFigure("cost_of_capital", "cost of capital", "rate",
               "One XIRR over the pooled flows and NAVs of every holder in the fund's projects: "
               "what the outcomes partnerships paid for their finance.",
               "valuation/cost_of_capital.py: cost_of_capital_in",
               lambda c: (c.cost.cost_of_capital, c.cost.cost_of_capital_note), noted=True,
               pack=COST),
    FundFigure("hmt_benchmark", "HM Treasury benchmark (gilts)", "rate",
               "Each of those drawdowns priced at the Bank of England nominal par gilt yield "
               "(quarterly average of its quarter) for the tenor nearest its holding's term "
               "(under 7.5 years: 5-year, else 10-year), averaged weighted by amount. A quarter "
               "the 5-year series lacks (it starts in 2009) is priced at its 10-year yield, "
               "named in the benchmark note; a quarter neither series has is an error naming "
               "it.",
               "valuation/cost_of_capital.py: drawdown_benchmark", lambda c: c.cost.benchmark,
               pack=COST, places=2),
    FundFigure("spread_bps", "spread over benchmark", "bps",
               "(Cost of capital − HM Treasury benchmark) × 10,000 basis points.",
               "valuation/cost_of_capital.py: cost_of_capital", lambda c: c.cost.spread_bps,
               pack=COST, title="spread over the benchmark"),
    FundFigure("green_book_real", "Green Book STPR, real", "rate",
               "The Green Book social time preference rate, 3.5% real for years 0 to 30.",
               "valuation/cost_of_capital.py: cost_of_capital",
               lambda c: c.cost.green_book_stpr_real, cli=False, pack=COST,
               detail=("green_book_nominal",), title="Green Book discount rate (STPR), real"),
    FundFigure("green_book_nominal", "Green Book STPR, nominal equivalent", "rate",
               "The STPR with the GDP deflator of the drawdown years, (1 + 3.5%) × (1 + "
               "deflator growth) − 1, averaged weighted by amount, so a nominal IRR is not set "
               "against a real rate alone; null, with the Green Book note naming the years, "
               "when the annual table has no deflator for a drawdown year (never a partial "
               "average).",
               "valuation/cost_of_capital.py: cost_of_capital",
               lambda c: c.cost.green_book_nominal_equivalent),
    FundFigure("cost_of_financing", "cost of financing", "money",
               "Realised + NAV − invested, over every holder in the fund's projects.",
               "valuation/cost_of_capital.py: cost_of_capital",
               lambda c: c.cost.cost_of_financing, cli=False),
    FundFigure("financing_share_of_outcome_payments", "cost of financing ÷ outcome payments",
               "rate", "Cost of financing ÷ outcome payments dated ≤ T into the projects.",
               "valuation/cost_of_capital.py: cost_of_capital",
               lambda c: c.cost.cost_of_financing_share, cli=False, pack=COST),
    FundFigure("undrawn_holding_commitments", "undrawn holding commitments", "money",
               "The fund's commitments to projects not yet drawn.",
               "valuation/fund.py: value_fund_in",
               lambda c: c.fund.undrawn_holding_commitments, cli=False, methods=False),
    FundFigure("available_liquidity", "available liquidity", "money",
               "Fund cash + unfunded commitments.", "valuation/fund.py: value_fund_in",
               lambda c: c.fund.available_liquidity, cli=False, methods=False),
    FundFigure("pme", "PME against gilts", "group",
               "KS-PME = (Σ distributions ÷ index at their dates + NAV ÷ index at T) ÷ "
               "(Σ calls ÷ index at their dates), the index starting at 1 on the first flow "
               "and compounding daily (Actual/365) at the 10-year gilt yield of each day's "
               "quarter; direct alpha = the XIRR of the flows carried to T by index(T) ÷ "
               "index(date), like every IRR not annualised over flows spanning less than a "
               "year and −100% for a total loss. Null with the reason when there is nothing "
               "to compare.",
               "valuation/pme.py: fund_pme",
               lambda c: fund_pme_figure(c.net_flows, c.nav_pence, c.as_of, c.gilt_yields),
               noted=True, pack=COST,
               parts=(Part("ks_pme", "KS-PME against gilts", "multiple"),
                      Part("direct_alpha", "direct alpha against gilts", "rate"),
                      Part("benchmark", "PME benchmark", "text"))),
    FundFigure("green_book_note", "Green Book note", "text",
               "Why the Green Book nominal equivalent is null: the drawdown years the annual "
               "table has no GDP deflator for; null when every year is priced.",
               "valuation/cost_of_capital.py: cost_of_capital_in",
               lambda c: c.cost.green_book_note, methods=False,
               note_for="green_book_nominal"),
    FundFigure("benchmark_note", "HM Treasury benchmark note", "text",
               "The quarters whose drawdowns on projects under 7.5 years were priced at the "
               "10-year gilt yield, the 5-year series having none; null when there are none.",
               "valuation/cost_of_capital.py: drawdown_benchmark_noted",
               lambda c: c.cost.benchmark_note, methods=False, note_for="hmt_benchmark"),
    FundFigure("net_period_return", "net return for the period (not annualised)", "rate",
               _PERIOD, "valuation/returns.py: xirr", _net_period_return, pack=RETURNS,
               only_when_set=True, rank=1),
    FundFigure("cost_of_capital_period_return",
               "cost of capital for the period (not annualised)", "rate", _PERIOD,
               "valuation/returns.py: xirr", lambda c: c.cost.period_return, pack=COST,
               only_when_set=True, methods=False),
    FundFigure("gross_period_return", "gross return for the period (not annualised)", "rate",
               _PERIOD, "valuation/fund.py: value_fund_in → pool_value",
               lambda c: c.fund.gross_period_return, pack=RETURNS, only_when_set=True,
               methods=False, rank=2),
    FundFigure("accrued_carry", "accrued carried interest", "money",
               "For a fund with share-class terms (class_terms, waterfalls): the carried "
               "interest the waterfall gives the carry holder if NAV were distributed at T "
               "(hypothetical liquidation, HLBV), over the fund's life and net of any "
               "clawback, less the carry it was actually paid; the classes' shares of NAV, "
               "accrued carry and what no class may take add up to NAV. Absent for a fund "
               "without terms; for several funds together, the sum.",
               "valuation/structure.py: fund_structure", _accrued_carry, pack=RETURNS,
               with_terms=True, only_when_set=True, rank=7),
    FundFigure("waterfall", "distribution waterfall", "document",
               "A fund with share-class terms: its waterfall's terms, each class's "
               "contributions, receipts, share of NAV and every tier's amounts, to date "
               "(the distributions made) and at hypothetical liquidation at NAV, the carry "
               "paid, accrued and clawed back, and each investor's share of NAV. Absent "
               "for a fund without terms and for several funds together.",
               "valuation/structure.py: FundStructure.to_document", _waterfall, cli=False,
               methods=False, with_terms=True),
)  # fmt: skip

SECTION_FIGURES: tuple[SectionFigure, ...] = (
    SectionFigure("holdings", "invested", "invested", "money",
                  "The sum of drawdowns a holder paid into a project, dated ≤ T.",
                  "valuation/holdings.py: holding_positions"),
    SectionFigure("holdings", "realised", "realised", "money",
                  "Repayments, interest and dividends a project paid to a holder, dated ≤ T.",
                  "valuation/receipts.py"),
    SectionFigure("holdings", "nav", "NAV", "money",
                  "The latest fair-value mark (IPEV) ≤ T, taken as of the end of its date (flows "
                  "on that date are in it), rolled forward date by date by later drawdowns less "
                  "receipts, floored at nil after each date (a drawdown after the floor is held "
                  "at cost). With no mark: the cost outstanding (interest and dividends are "
                  "income). A fund's NAV adds its cash.",
                  "valuation/holdings.py: holding_positions"),
    SectionFigure("holdings", "cost_outstanding", "cost outstanding", "money",
                  "Invested − repayments − write-offs (a write-off moves no cash), never below "
                  "nil: repayments beyond cost are the realised gain.",
                  "valuation/holdings.py: holding_positions", methods=False),
    SectionFigure("holdings", "realised_gain", "realised gain", "money",
                  "Repayments + write-offs − invested where positive: what was repaid beyond "
                  "cost (cost outstanding stops at nil).",
                  "valuation/holdings.py: holding_positions", methods=False),
    SectionFigure("holdings", "moic", "MOIC", "multiple",
                  "(Realised + NAV) ÷ invested; null when nothing was invested.",
                  "valuation/multiples.py"),
    SectionFigure("holdings", "irr", "IRR", "rate",
                  "The rate that sets the net present value of the dated flows, NAV at T a final "
                  "inflow, to nil (Actual/365, as spreadsheet XIRR), same-date flows netted; "
                  "null with a reason, never zero, when undefined; more than one sign change is "
                  "flagged, and warned about only when NPV has a second root in −99%…+1,000%. "
                  "Over flows spanning less than 365 days there is no IRR (GIPS: not "
                  "annualised): the note says so and the period return stands beside it. "
                  "Money in, nothing back and nothing held (every netted flow an outflow) is a "
                  "total loss: −100%, the note \"total loss\".",
                  "valuation/returns.py: xirr, xirr_grouped"),
    SectionFigure("holdings", "period_return", "period return (not annualised)", "rate",
                  _PERIOD, "valuation/returns.py: xirr, xirr_grouped"),
    SectionFigure("projects", "project", "project figures", "text",
                  "The same over all of a project's holdings together: what the project pays "
                  "for its capital.", "valuation/holdings.py: project_values", methods=False),
    SectionFigure("investors", "capital_account", "capital account", "text",
                  "An investor's account rolled forward month by month from the fund's first "
                  "call: ending = beginning + contributions − distributions − its own fees and "
                  "expenses + its allocation of the fund's income, realised and unrealised gain "
                  "less pooled fees and expenses, allocated by the fund's basis (paid-in capital "
                  "net of capital returned, default, or commitments admitted), to the penny by "
                  "largest remainder so the balances add up to the fund's NAV; where every "
                  "account is within a penny of its commitment share of NAV, that share (pro-rata "
                  "funds keep their figures). NAV is the ending balance; unfunded = commitment − "
                  "calls (less equalisation interest) + recallable distributions; DPI, TVPI and "
                  "IRR on its own flows and NAV (over flows spanning less than a year the period "
                  "return instead). The ILPA lines since inception are in capital_account. For a "
                  "fund with share-class terms the ending balance is the account's share of NAV "
                  "after the waterfall (hypothetical liquidation), split within its class pro "
                  "rata to the rolled-forward balances, and the line carried interest is its "
                  "part of the accrued carry.",
                  "valuation/capital_roll.py, capital_lines.py, capital_accounts.py",
                  methods=False),
    SectionFigure("share_classes", "share_class", "share class", "text",
                  "Σ of its members' capital accounts, and the class's pooled IRR (over flows "
                  "spanning less than a year the pooled period return instead).",
                  "valuation/share_classes.py", methods=False),
    SectionFigure("pari_passu", "ok", "pari passu check", "text",
                  "Each class member's (tranche holder's) paid-in, distributed and NAV against "
                  "its pro-rata share of the class (tranche) totals, and its IRR against the "
                  "pooled IRR; every deviation over £1 or 1 basis point is a breach, unless a "
                  "documented event explains it (an excused call: every measure; a later "
                  "closing that was equalised: NAV and IRR, with equalisation counted as capital "
                  "and its interest as income), when it is listed as excused.",
                  "valuation/pari_passu.py"),
    SectionFigure("pari_passu", "government", "pari passu with classes: cost to government",
                  "money",
                  "For each government investor's class in a fund with share-class terms: what "
                  "it received + its share of NAV after the waterfall, against its share by "
                  "paid-in of every distribution and of NAV as if every investor were in one "
                  "class with no carried interest; the difference in pounds (negative: a cost "
                  "of the structure to government) and in IRR basis points.",
                  "valuation/structure_cost.py: government_costs"),
    SectionFigure("outcomes", "payments", "outcome payments", "money",
                  "Achieved against forecast (periods ending ≤ T), payments dated ≤ T against "
                  "caps, cost per outcome, payers' shares, and the derived counts (contracts, "
                  "payers, delivery partners, co-investors) as docs/format.md defines them.",
                  "valuation/outcomes.py, outcome_summary.py"),
    SectionFigure("social_value", "total", "social value", "money",
                  "Σ achieved × unit value × (1 − deadweight) × attribution × (1 − optimism "
                  "bias), separately fiscal, economic and social, undiscounted; transfers "
                  "excluded; each figure rounded once, half up. Values in one price year stay in "
                  "it; values in several are rebased with the GDP deflator to the latest of them "
                  "(price_year set, rebased true), a financial-year value (GMCA's 2015/16) with "
                  "its financial year's index, (3 × I[y] + I[y + 1]) ÷ 4.",
                  "valuation/social_value.py"),
    SectionFigure("social_value", "per_pound", "value per £1", "money",
                  "Value ÷ outcome payments dated ≤ T (per £1 paid) and ÷ Σ drawdowns by every "
                  "holder of the scope's projects (per £1 invested); null when nothing was paid.",
                  "valuation/social_value.py"),
    SectionFigure("claims", "verification_rate", "outcome claims", "rate",
                  "Claimed, verified, rejected and paid as known at T; the verification rate is "
                  "verified over those decided; days waiting run from the claim while awaiting "
                  "verification and from verification while awaiting payment.",
                  "valuation/claims.py"),
    SectionFigure("reports", "nav_bridge", "NAV bridge", "text",
                  "Opening NAV + contributions − distributions + the change in value = closing "
                  "NAV (value change is the balancing item).", "valuation/nav_bridge.py"),
    SectionFigure("reports", "economics", "project economics (cost stack)", "text",
                  "Delivery, innovation (at bid: design; in delivery: pilot) and other costs to "
                  "date make the project expenditure. Cost of financing = realised + NAV − "
                  "invested over the project's holdings; cost to government = every outcome "
                  "payment into it = expenditure + cost of financing + unexplained; per "
                  "beneficiary and per payer divide it by participants and distinct payers.",
                  "valuation/economics.py"),
    SectionFigure("reports", "cash_profile", "cash profile", "text",
                  "The partnership's cash by calendar quarter: drawdowns + outcome receipts − "
                  "spending − returns to holders, cumulated. The what-if without the innovation "
                  "spending drops innovation costs and divides each quarter's outcome receipts "
                  "by one plus the productivity gain the innovations are credited with.",
                  "valuation/cash_profile.py"),
    SectionFigure("reports", "history", "recomputed history", "text",
                  "Year-end points in the charts value the fund afresh with today's data, so "
                  "they may differ from what was reported at the time; the last point is the "
                  "stored run.", "reports/history.py", table=False),
)  # fmt: skip

REGISTRY: tuple[FundFigure | SectionFigure, ...] = (*FUND_FIGURES, *SECTION_FIGURES)
_BY_KEY = {f.key: f for f in FUND_FIGURES}


def fund_figure(key: str) -> FundFigure:
    """The registry line of a fund figure, by its document key."""
    return _BY_KEY[key]


def kinds() -> dict[str, set[str]]:
    """Every document key of each number kind (a grouped figure's parts included)."""
    out: dict[str, set[str]] = {}
    for entry in REGISTRY:
        for key, kind in [(entry.key, entry.kind)] + [
            (p.key, p.kind) for p in getattr(entry, "parts", ())
        ]:
            out.setdefault(kind, set()).add(key)
    return out


def methods() -> tuple[tuple[str, str], ...]:
    """(label, definition) of every figure the pack's methods page defines, in order."""
    return tuple(
        (
            entry.heading if isinstance(entry, FundFigure) else _capital(entry.label),
            entry.definition,
        )
        for entry in REGISTRY
        if entry.methods
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(entry: FundFigure | SectionFigure) -> str:
    return f"`{entry.where}`"


def figures_table() -> str:
    """The table of docs/figures.md: one row per figure (a grouped figure per part)."""
    lines = ["| figure | key | kind | definition | where |", "|---|---|---|---|---|"]
    for entry in REGISTRY:
        if isinstance(entry, SectionFigure) and not entry.table:
            continue
        section = "fund" if isinstance(entry, FundFigure) else entry.section
        key = f"`{section}.{entry.key}`"
        if isinstance(entry, FundFigure) and entry.parts:
            key = ", ".join(f"`fund.{entry.key}.{p.key}`" for p in entry.parts)
        kind = (
            " / ".join(p.kind for p in entry.parts)
            if isinstance(entry, FundFigure) and entry.parts
            else entry.kind
        )
        lines.append(f"| {entry.label} | {key} | {kind} | {entry.definition} | {_where(entry)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(figures_table(), end="")
