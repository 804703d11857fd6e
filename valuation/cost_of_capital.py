"""Cost of capital of a fund's projects against HM Treasury's cost of borrowing.

- cost of capital = one XIRR over the pooled flows of every holder in the
  fund's projects (the fund and its co-investors) plus their NAVs at T: what
  the outcomes partnerships paid for their finance
- cost of financing = realised + NAV − invested over those holdings (what the
  holders earned), also as a share of outcome payments
- benchmark = Σ (drawdownᵢ × gilt yieldᵢ) / Σ drawdownᵢ over every drawdown in
  those projects dated ≤ T, each priced at the Bank of England nominal par
  gilt yield averaged over the drawdown's quarter, for the tenor nearest the
  holding's term: a term (project end − start; with no project end, the latest
  end of its outcome contracts) under 7.5 years takes the 5-year yield,
  otherwise the 10-year; a quarter the 5-year series lacks (it starts in 2009)
  is priced at that quarter's 10-year yield, named in ``benchmark_note``, and
  only a quarter neither series has is an error
- spread = (cost of capital − benchmark) × 10,000 basis points
- beside them, the Green Book STPR (3.5% real) and its nominal equivalent,
  each averaged over the drawdown years weighted by amount, from the annual
  benchmark table, so a nominal IRR is never set against a real rate alone;
  when a drawdown year has no nominal equivalent in the table the nominal rate
  is ``None`` and ``green_book_note`` names the years (never a partial average)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .book import HoldingBook
from .holdings import pool_value
from .money import pence_to_decimal
from .returns import IrrResult

__all__ = [
    "LONG_TERM_YEARS",
    "CostOfCapital",
    "MissingTermError",
    "MissingYieldError",
    "cost_of_capital",
    "cost_of_capital_in",
    "drawdown_benchmark",
    "drawdown_benchmark_noted",
    "project_tenors",
]

LONG_TERM_YEARS = 7.5  # the midpoint of 5 and 10: the nearer tenor wins
DAYS_PER_YEAR = 365.25  # a term in calendar years, leap days averaged in


class MissingYieldError(ValueError):
    """A drawdown falls in a quarter with no gilt yield for its tenor (for the 5-year
    tenor: nor a 10-year yield to stand in).

    ``quarter`` and ``tenor`` name the earliest gap; ``missing`` lists them all.
    """

    def __init__(self, quarter: str, tenor: int, missing: tuple[tuple[str, int], ...] = ()):
        self.quarter = quarter
        self.tenor = tenor
        self.missing = missing or ((quarter, tenor),)
        more = f" (and {len(self.missing) - 1} more)" if len(self.missing) > 1 else ""
        which = "5-year or 10-year" if tenor == 5 else f"{tenor}-year"
        super().__init__(
            f"no {which} gilt yield for {quarter}, needed to price drawdowns in it{more}"
        )


class MissingTermError(ValueError):
    """A project has no start date, or no end date and no outcome contract end."""

    def __init__(self, project_id: str):
        self.project_id = project_id
        super().__init__(
            f"project {project_id} has no term: it needs a start_date and an end_date "
            "(or an outcome contract with an end_date)"
        )


@dataclass(frozen=True, slots=True)
class CostOfCapital:
    """The fund's projects' cost of capital at T beside the Treasury benchmarks."""

    fund_id: str
    project_ids: tuple[str, ...]
    invested: Decimal
    realised: Decimal
    nav: Decimal
    cost_of_financing: Decimal
    outcome_payments: Decimal | None
    cost_of_financing_share: float | None
    cost_of_capital: float | None
    cost_of_capital_note: str | None
    multiple_sign_changes: bool
    benchmark: float | None
    spread_bps: float | None
    green_book_stpr_real: float | None
    green_book_nominal_equivalent: float | None
    green_book_years_missing: tuple[int, ...]
    green_book_note: str | None = None
    benchmark_note: str | None = None
    period_return: float | None = None  # flows spanning under a year: not annualised


def cost_of_capital(
    fund_ids: Collection[str],
    fund_label: str,
    holdings: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    projects: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    gilt_yields: pd.DataFrame,
    annual_benchmark: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    outcome_payments_pence: int | None = None,
) -> CostOfCapital:
    """Cost of capital, cost of financing and the benchmarks for ``fund_ids`` at T.

    The fund's projects are those in which a fund in ``fund_ids`` holds a stake;
    every holder in them counts. ``outcome_payments_pence`` (outcome payments
    into those projects to T) gives cost of financing as a share of them.
    Raises ``MissingYieldError`` or ``MissingTermError`` rather than guess.
    """
    book = HoldingBook(holdings, project_flows, marks, as_of)
    return cost_of_capital_in(
        book,
        fund_ids,
        fund_label,
        projects,
        outcome_contracts,
        gilt_yields,
        annual_benchmark,
        outcome_payments_pence,
    )


def cost_of_capital_in(
    book: HoldingBook,
    fund_ids: Collection[str],
    fund_label: str,
    projects: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    gilt_yields: pd.DataFrame,
    annual_benchmark: pd.DataFrame,
    outcome_payments_pence: int | None = None,
) -> CostOfCapital:
    """``cost_of_capital`` at the book's as-of date over the holdings of ``book``."""
    project_ids = tuple(sorted(book.projects_of(fund_ids)))
    in_projects = book.select(project_ids=project_ids)
    pool = pool_value(book, fund_label, in_projects)
    irr = IrrResult(pool.irr, pool.irr_note, pool.multiple_sign_changes)
    financing = pool.realised + pool.nav - pool.invested

    drawdowns = book.drawdowns(in_projects)
    benchmark, benchmark_note = drawdown_benchmark_noted(
        drawdowns, projects, outcome_contracts, gilt_yields
    )
    real, nominal, missing_years = _green_book(drawdowns, annual_benchmark)
    green_book_note = None
    if missing_years:
        nominal = None
        listed = ", ".join(str(y) for y in missing_years)
        green_book_note = f"no GDP deflator for {listed} in the annual table: no nominal equivalent"

    payments = None if outcome_payments_pence is None else pence_to_decimal(outcome_payments_pence)
    share = float(financing / payments) if payments else None
    spread = None
    if irr.rate is not None and benchmark is not None:
        spread = (irr.rate - benchmark) * 10_000
    return CostOfCapital(
        fund_id=fund_label,
        project_ids=project_ids,
        invested=pool.invested,
        realised=pool.realised,
        nav=pool.nav,
        cost_of_financing=financing,
        outcome_payments=payments,
        cost_of_financing_share=share,
        cost_of_capital=irr.rate,
        cost_of_capital_note=irr.note,
        multiple_sign_changes=irr.multiple_sign_changes,
        benchmark=benchmark,
        spread_bps=spread,
        green_book_stpr_real=real,
        green_book_nominal_equivalent=nominal,
        green_book_years_missing=missing_years,
        green_book_note=green_book_note,
        benchmark_note=benchmark_note,
        period_return=pool.period_return,
    )


def drawdown_benchmark(
    drawdowns: pd.DataFrame,
    projects: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    gilt_yields: pd.DataFrame,
) -> float | None:
    """Σ (amount × gilt yield for the drawdown's quarter and tenor) / Σ amount.

    ``drawdowns`` has project_id, date and amount_pence; ``None`` when empty.
    """
    return drawdown_benchmark_noted(drawdowns, projects, outcome_contracts, gilt_yields)[0]


def drawdown_benchmark_noted(
    drawdowns: pd.DataFrame,
    projects: pd.DataFrame,
    outcome_contracts: pd.DataFrame,
    gilt_yields: pd.DataFrame,
) -> tuple[float | None, str | None]:
    """``drawdown_benchmark`` and its note: the quarters a 5-year drawdown was priced at
    the 10-year yield because the 5-year series has no yield for them (else ``None``)."""
    if drawdowns.empty:
        return None, None
    tenors = project_tenors(projects, outcome_contracts, drawdowns["project_id"].unique())
    priced = drawdowns.assign(
        tenor_years=drawdowns["project_id"].map(tenors).astype(np.int64),
        quarter=drawdowns["date"].dt.to_period("Q"),
    )
    yields = gilt_yields.assign(quarter=gilt_yields["quarter_end"].dt.to_period("Q"))
    yields = yields.astype({"tenor_years": np.int64})[["quarter", "tenor_years", "yield_"]]
    priced = priced.merge(yields, on=["quarter", "tenor_years"], how="left")
    long = yields.loc[yields["tenor_years"] == 10, ["quarter", "yield_"]]
    long = long.rename(columns={"yield_": "yield_10"})
    priced = priced.merge(long, on="quarter", how="left")
    stand_in = priced["yield_"].isna() & priced["tenor_years"].eq(5) & priced["yield_10"].notna()
    priced["yield_"] = priced["yield_"].where(~stand_in, priced["yield_10"])
    gaps = priced.loc[priced["yield_"].isna(), ["quarter", "tenor_years"]].drop_duplicates()
    if len(gaps):
        listed = tuple(
            sorted((f"{q.year}Q{q.quarter}", int(t)) for q, t in gaps.itertuples(index=False))
        )
        raise MissingYieldError(listed[0][0], listed[0][1], listed)
    amounts = priced["amount_pence"].to_numpy(dtype=np.float64)
    rate = float(np.dot(amounts, priced["yield_"].to_numpy(dtype=np.float64)) / amounts.sum())
    note = None
    if stand_in.any():
        quarters = sorted({(q.year, q.quarter) for q in priced.loc[stand_in, "quarter"]})
        named = ", ".join(f"{y}Q{q}" for y, q in quarters)
        note = (
            f"no 5-year gilt yield for {named}: drawdowns on projects under 7.5 years "
            "priced at the 10-year yield"
        )
    return rate, note


def project_tenors(
    projects: pd.DataFrame, outcome_contracts: pd.DataFrame, project_ids: Collection[str]
) -> dict[str, int]:
    """Gilt tenor (5 or 10 years) for each project by its term (module docstring)."""
    ids = sorted(project_ids)
    # Vectorised over the projects (a portfolio may have thousands): a project
    # missing from ``projects`` reindexes to no dates, so it has no term either.
    wanted = projects.loc[projects["project_id"].isin(ids)].set_index("project_id")
    start = wanted["start_date"].reindex(ids)
    contract_end = outcome_contracts.groupby("project_id")["end_date"].max()
    end = wanted["end_date"].reindex(ids).fillna(contract_end.reindex(ids))
    no_term = (start.isna() | end.isna()).to_numpy()
    if no_term.any():
        raise MissingTermError(ids[int(np.argmax(no_term))])
    term_years = (end - start).dt.days.to_numpy() / DAYS_PER_YEAR
    tenors = np.where(term_years < LONG_TERM_YEARS, 5, 10)
    return dict(zip(ids, tenors.tolist(), strict=True))


def _green_book(
    drawdowns: pd.DataFrame, annual_benchmark: pd.DataFrame
) -> tuple[float | None, float | None, tuple[int, ...]]:
    """STPR (real) and its nominal equivalent, amount-weighted over drawdown years.

    Only years present in the table with a value count; drawdown years without
    a nominal equivalent are returned, and the caller reports no nominal rate.
    """
    if drawdowns.empty:
        return None, None, ()
    by_year = drawdowns.groupby(drawdowns["date"].dt.year)["amount_pence"].sum()
    table = annual_benchmark.set_index(annual_benchmark["year"].astype(np.int64))
    rates = []
    for column in ("stpr_real", "stpr_nominal_equivalent"):
        values = table[column].reindex(by_year.index)
        known = values.notna()
        weights = by_year[known].to_numpy(dtype=np.float64)
        rates.append(
            float(np.dot(weights, values[known].to_numpy(dtype=np.float64)) / weights.sum())
            if weights.sum() > 0
            else None
        )
    nominal = table["stpr_nominal_equivalent"].reindex(by_year.index)
    missing = tuple(int(y) for y in by_year.index[nominal.isna()])
    return rates[0], rates[1], missing
