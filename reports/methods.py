"""The methods-and-sources page: each figure's definition in one sentence, each source's terms.

The sentences follow DESIGN.md §2, where every figure is defined; a reader
checking a number in the pack should not need to open the code.
"""

from __future__ import annotations

from passu.portfolio.market.indigo import ATTRIBUTION as ATTRIBUTION_INDIGO
from passu.portfolio.reference.packaged import ATTRIBUTION_BOE_HMT, ATTRIBUTION_GMCA

from .model import Figure

DEFINITIONS: tuple[Figure, ...] = (
    Figure("Invested", "The sum of drawdowns a holder paid into a project up to the as-of date."),
    Figure("Realised", "Repayments, interest and dividends a project paid to a holder."),
    Figure(
        "NAV",
        "The latest fair-value mark (IPEV) dated on or before the as-of date, rolled forward by "
        "later drawdowns less receipts and never below nil; a fund's NAV adds its cash.",
    ),
    Figure("MOIC", "Realised plus NAV, divided by invested."),
    Figure(
        "IRR",
        "The rate that sets the net present value of the dated flows, with NAV as a final "
        "inflow, to nil (Actual/365, as spreadsheet XIRR); undefined, never zero, when the "
        "flows do not change sign.",
    ),
    Figure("Gross IRR", "The IRR of the fund's own holdings in its projects."),
    Figure(
        "Net IRR",
        "The IRR of investors' calls and distributions with the fund's NAV at the as-of date.",
    ),
    Figure("Paid-in (PIC)", "The sum of capital calls; unfunded is commitments less paid-in."),
    Figure("DPI, RVPI, TVPI", "Distributions, NAV, and both, each divided by paid-in capital."),
    Figure(
        "Cost of capital",
        "One IRR over the pooled flows and NAVs of every holder in the fund's projects: what the "
        "outcomes partnerships paid for their finance.",
    ),
    Figure(
        "HM Treasury benchmark",
        "Every drawdown priced at the Bank of England nominal par gilt yield for its quarter and "
        "the tenor nearest its holding's term (5 or 10 years), averaged by amount.",
    ),
    Figure(
        "Green Book rate",
        "The social time preference rate, 3.5% real for years 0 to 30, shown with its nominal "
        "equivalent for the drawdown years so a nominal IRR is not set against a real rate alone.",
    ),
    Figure(
        "Pari passu check",
        "Each investor's (holder's) flows, NAV and IRR compared with its pro-rata share of its "
        "class's (tranche's), listing every deviation over £1 or 1 basis point.",
    ),
    Figure(
        "Outcomes to date",
        "Counts for periods ending, and payments dated, on or before the as-of date.",
    ),
    Figure(
        "Social value",
        "Each outcome's unit value × (1 − deadweight) × attribution × (1 − optimism bias), summed "
        "as fiscal, economic and social value, in each unit value's price year, undiscounted.",
    ),
    Figure(
        "NAV bridge",
        "Opening NAV plus contributions less distributions plus the change in value gives the "
        "closing NAV.",
    ),
    Figure(
        "Project economics (cost stack)",
        "Delivery, innovation (at bid: design; added in delivery: pilot) and management and "
        "other costs recorded to date make the project expenditure. Cost of financing is what "
        "the holders earned: realised + NAV − invested over all the project's holdings. Cost "
        "to government is every outcome payment into the project; it equals project "
        "expenditure + cost of financing + unexplained (the partnership's surplus or a data "
        "gap). Cost per beneficiary and per payer divide it by the participants recorded and "
        "by the distinct payers on the project's contracts.",
    ),
    Figure(
        "Cash profile",
        "The partnership's cash by calendar quarter: drawdowns + outcome receipts − spending "
        "− returns to holders (repayments, interest, dividends), cumulated. The what-if "
        "without the innovation spending drops innovation costs and divides each quarter's "
        "outcome receipts by one plus the productivity gain the innovations are credited with.",
    ),
    Figure(
        "Outcome claims",
        "Claimed, verified, rejected and paid as known at the as-of date; the verification "
        "rate counts verified outcomes over those decided. Days waiting run from the claim "
        "for claims awaiting verification and from verification for those awaiting payment.",
    ),
    Figure(
        "Recomputed history",
        "Year-end points in the charts value the fund afresh with today's data, so they may "
        "differ from what was reported at the time; the last point is the stored run.",
    ),
)

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
