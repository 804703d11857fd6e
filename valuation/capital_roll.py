"""Capital accounts rolled forward month by month, as a fund administrator keeps them.

Per account (fund_id, investor_id, share_class: flows are attributed to classes as in
``capital_accounts.account_flows``), for every period from the month-end of the fund's
first call to T (periods end on month-ends; T ends a final short period):

    ending = beginning + contributions − distributions − management fees − expenses
             + income + realised + unrealised

**The fund's gain.** At every period end the fund's NAV (``fund.value_fund_in``: its
holdings' NAV + fund cash) is computed with its split, cumulatively since inception
(``fund_month_ends``, one vectorised pass over every holding's flows and marks):

- income = interest + dividends received by the fund's holdings
- realised = repayments beyond cost outstanding − write-offs
- unrealised = holdings' NAV − their cost outstanding
- fund fees and expenses = ``fund_expenses`` (management_fee, expense)

so that NAV = calls − distributions + income + realised + unrealised − fees − expenses
exactly. A call with purpose ``management_fee`` (``expense``) is the investor's own
charge: a contribution and, in the same period, a fee (expense) charged to its account
alone; the fund's payment of it is its ``fund_expenses`` row, so the fees and expenses
*pooled* (allocated to every account) are the fund's less those charged to one
investor. The pooled net gain of a period, income + realised + unrealised − pooled fees
− pooled expenses, is allocated by the fund's basis at the period's end:

- ``paid_in`` (default): each account's capital contributed (calls of purpose
  investment, excused and equalisation, less the equalisation interest it paid) net of
  capital returned (distributions of purpose return_of_capital, and every recallable
  distribution), never below nil;
- ``commitment``: its commitments dated ≤ the period's end (the date is the admission;
  an undated commitment stands from the start).

Where every weight is nil (nothing paid in yet) the other basis is used.

**Equalisation.** A later closer's equalisation call is a contribution; the fund pays it
on to the earlier investors as distributions of purpose ``equalisation``: the recallable
ones return capital (their unfunded commitment rises again), the others are the
interest. The interest of a period (Σ non-recallable equalisation distributions) is
charged to that period's equalisation callers (by their equalisation calls, largest
remainder) and credited as income to the investors it was paid to: it is income, not
capital, on both sides (column ``equalisation_interest``, already in ``income``). A
period with such distributions but no equalisation call has no interest: they are plain
distributions.

**Unfunded and recallable.** unfunded = commitments − (calls − equalisation interest
paid) + recallable distributions; recallable = the part of it still to be recalled:
calls recall recallable capital first, period by period (within one month calls and
recallable distributions are netted). ``unfunded`` includes ``recallable``.

**Pennies.** The allocation is exact (``Fraction``) and cumulative: an account's
exact balance at a month-end is its net flows (whole pence) + Σ over periods of its
weight share × the period's pooled gain. Balances are rounded once per month-end, by
largest remainder over the fund's NAV (ties by investor_id, share_class), so they add up
to the NAV exactly; income, realised, fees and expenses are each rounded the same way
over their own cumulative totals, and unrealised is the balancing line, so every column
adds up to the fund's figure too. Period lines are differences of these cumulative
lines, so beginning + movements = ending line by line over any window.

One more rule makes pro-rata funds read as they always have. Calls and distributions
split pro rata to commitment are exact only to the penny (the sample's are split
cumulatively by largest remainder), so an account's exact balance differs from its
commitment share of NAV by a fraction of a penny that is rounding, not ownership: where
*every* account of the fund is within one penny of its commitment share of NAV
(commitments admitted by then), the balances are that share, rounded by largest
remainder exactly as ``capital_accounts`` rounds it. So with pro-rata flows both bases
give today's figures; any real departure from pro rata (a late closer, an excused
investor, a fee charged to one investor) is over a penny and rolls forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Mapping, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from .capital_accounts import ACCOUNT_KEYS, account_flows
from .fund_cash import fund_cash
from .money import allocate_largest_remainder

__all__ = [
    "ALLOCATION_BASES",
    "CALL_PURPOSES",
    "DISTRIBUTION_PURPOSES",
    "FLOW_LINES",
    "ROLL_LINES",
    "capital_roll",
    "fund_month_ends",
    "month_ends",
    "window_lines",
    "with_flow_defaults",
]

CALL_PURPOSES = ("investment", "management_fee", "expense", "equalisation", "excused")
DISTRIBUTION_PURPOSES = ("return_of_capital", "income", "gain", "equalisation")
ALLOCATION_BASES = ("paid_in", "commitment")
_DEFAULT_PURPOSE = {"call": "investment", "distribution": "gain"}
_CAPITAL_CALLS = ("investment", "excused", "equalisation")

CONTRIBUTION_LINES = tuple(f"contributions_{p}" for p in CALL_PURPOSES)
DISTRIBUTION_LINES = tuple(f"distributions_{p}" for p in DISTRIBUTION_PURPOSES)
# Movements of a period (summed over a window); ending = beginning + these, signed.
FLOW_LINES = (
    *CONTRIBUTION_LINES,
    *DISTRIBUTION_LINES,
    "management_fees",
    "expenses",
    "income",
    "realised",
    "unrealised",
    "equalisation_interest",  # of which in income: + received, − paid
)
ROLL_LINES = ("beginning", *FLOW_LINES, "ending", "committed", "unfunded", "recallable")
_MINUS = {*DISTRIBUTION_LINES, "management_fees", "expenses"}
_SIGN = {
    line: -1 if line in _MINUS else 1 for line in FLOW_LINES if line != "equalisation_interest"
}


def with_flow_defaults(investor_flows: pd.DataFrame) -> pd.DataFrame:
    """``investor_flows`` with ``purpose`` and ``recallable`` filled in (today's frames lack them).

    A missing column or empty cell means the default: calls ``investment``,
    distributions ``gain``, not recallable.
    """
    flows = investor_flows.copy()
    default = flows["kind"].map(_DEFAULT_PURPOSE)
    if "purpose" in flows:
        given = flows["purpose"].where(flows["purpose"].notna() & (flows["purpose"] != ""))
        flows["purpose"] = given.fillna(default)
    else:
        flows["purpose"] = default
    if "recallable" in flows:
        flows["recallable"] = flows["recallable"].fillna(False).astype(bool)
    else:
        flows["recallable"] = False
    return flows


def month_ends(first: dt.date | pd.Timestamp, as_of: dt.date | pd.Timestamp) -> pd.DatetimeIndex:
    """The period ends: each month-end from ``first``'s to the last before T, then T."""
    start, cutoff = pd.Timestamp(first), pd.Timestamp(as_of)
    ends = pd.date_range(start + pd.offsets.MonthEnd(0), cutoff, freq="ME")
    ends = ends[ends < cutoff]
    return pd.DatetimeIndex([*ends, cutoff]).astype("datetime64[ns]")


# --- the fund at every month-end ------------------------------------------------------

_FUND_COLUMNS = (
    "calls",
    "distributions",
    "drawdowns",
    "receipts",
    "management_fees",
    "expenses",
    "holdings_nav",
    "cost_outstanding",
    "income",
    "realised",
    "unrealised",
)


def fund_month_ends(
    fund_ids: Collection[str],
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    ends: Sequence[pd.Timestamp] | pd.DatetimeIndex,
) -> pd.DataFrame:
    """Each fund's NAV and its split at each of ``ends``, cumulative since inception.

    One row per (fund_id, date) for every fund and end; columns ``<name>_pence`` for
    calls, distributions, drawdowns, receipts, management_fees, expenses (fund_expenses
    by kind), holdings_nav, cost_outstanding, income, realised, unrealised (module
    docstring), cash (``fund_cash``) and nav (holdings_nav + cash). Rows dated after the
    last end are left out. Set-based: every holding's NAV after each of its flow dates
    and marks in one pass, then summed by fund and period.
    """
    scope = sorted(fund_ids)
    end_days = pd.DatetimeIndex(ends).to_numpy(dtype="datetime64[ns]")
    last = end_days[-1]
    n_p = len(end_days)
    funds = pd.Index(scope)
    # Each column's pence per (fund, period), summed exactly in int64 with np.add.at over
    # integer codes: grouping millions of flow rows by their string ids costs seconds.
    sums = {c: np.zeros(len(scope) * n_p, dtype=np.int64) for c in _FUND_COLUMNS}

    def add(frame: pd.DataFrame, fund_col: str, column: str, values: np.ndarray) -> None:
        fund = funds.get_indexer(frame[fund_col].to_numpy())
        period = np.searchsorted(end_days, frame["date"].to_numpy(), side="left")
        np.add.at(sums[column], fund * n_p + period, values.astype(np.int64))

    flows = investor_flows.loc[
        investor_flows["fund_id"].isin(scope) & (investor_flows["date"] <= last)
    ]
    for kind, column in (("call", "calls"), ("distribution", "distributions")):
        rows = flows.loc[flows["kind"] == kind]
        add(rows, "fund_id", column, rows["amount_pence"].to_numpy())
    spent = fund_expenses.loc[
        fund_expenses["fund_id"].isin(scope) & (fund_expenses["date"] <= last)
    ]
    for kind, column in (("management_fee", "management_fees"), ("expense", "expenses")):
        rows = spent.loc[spent["kind"] == kind]
        add(rows, "fund_id", column, rows["amount_pence"].to_numpy())
    own = project_flows.loc[
        project_flows["holder_id"].isin(scope) & (project_flows["date"] <= last)
    ]
    own_marks = marks.loc[marks["holder_id"].isin(scope) & (marks["date"] <= last)]
    events = _holding_events(own, own_marks)
    for column in ("drawdowns", "receipts", *_FUND_COLUMNS[6:]):
        add(events, "holder_id", column, events[column].to_numpy())

    index = pd.MultiIndex.from_product([scope, range(n_p)], names=["fund_id", "period"])
    table = pd.DataFrame(index=index)
    for column in _FUND_COLUMNS:
        # cumulative within each fund: rows are fund-major, n_p periods each
        table[f"{column}_pence"] = sums[column].reshape(len(scope), n_p).cumsum(1).reshape(-1)
    out = table.reset_index()
    out["date"] = end_days[out["period"].to_numpy()]
    out["cash_pence"] = fund_cash(
        calls=out["calls_pence"],
        drawdowns=out["drawdowns_pence"],
        receipts=out["receipts_pence"],
        distributions=out["distributions_pence"],
        expenses=out["management_fees_pence"] + out["expenses_pence"],
    )
    out["nav_pence"] = out["holdings_nav_pence"] + out["cash_pence"]
    return out.drop(columns="period")[
        ["fund_id", "date", *out.columns[2:-3], "cash_pence", "nav_pence"]
    ]


def _holding_events(flows: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """Per holding and event (a flow date, or a mark), the change in each fund figure.

    Columns: holder_id, date, drawdowns, receipts (the day's flows) and the change at
    the event of holdings_nav, cost_outstanding, income, realised and unrealised. A
    holding's NAV after an event is that of ``book.HoldingBook``: before any mark its
    cost outstanding; from a mark (the value at the end of its date, so after that
    date's flows), rolled forward by drawdowns − receipts, floored at nil each date.
    """
    keys = ["project_id", "holder_id", "tranche"]
    # One integer code per holding, over flows and marks together: grouping and sorting
    # by it is far cheaper than by three string columns.
    both = pd.concat([flows[keys], marks[keys]], ignore_index=True)
    combined = np.zeros(len(both), dtype=np.int64)
    for key in keys:
        part, seen = pd.factorize(both[key].to_numpy())
        combined = combined * max(len(seen), 1) + part
    codes = np.unique(combined, return_inverse=True)[1].reshape(-1)
    holder_of = np.empty(int(codes.max(initial=-1)) + 1, dtype=object)
    holder_of[codes] = both["holder_id"].to_numpy()
    amount = flows["amount_pence"].to_numpy(dtype=np.int64)
    kind = flows["kind"].to_numpy()
    day_flows = pd.DataFrame(
        {
            "code": codes[: len(flows)],
            "date": flows["date"].to_numpy(dtype="datetime64[ns]"),
            "drawdowns": np.where(kind == "drawdown", amount, 0),
            "receipts": np.where(np.isin(kind, ["repayment", "interest", "dividend"]), amount, 0),
            "repaid": np.where(kind == "repayment", amount, 0),
            "written_off": np.where(kind == "write_off", amount, 0),
            "income": np.where(np.isin(kind, ["interest", "dividend"]), amount, 0),
        }
    )
    day_flows = day_flows.groupby(["code", "date"], sort=False).sum().reset_index()
    day_flows["is_mark"] = False
    day_flows["mark"] = 0
    marked = pd.DataFrame(
        {
            "code": codes[len(flows) :],
            "date": marks["date"].to_numpy(dtype="datetime64[ns]"),
            "is_mark": True,
            "mark": marks["fair_value_pence"].to_numpy(dtype=np.int64),
        }
    )
    events = pd.concat([day_flows, marked], ignore_index=True)
    money = ["drawdowns", "receipts", "repaid", "written_off", "income"]
    events[money] = events[money].fillna(0).astype(np.int64)
    # a mark after its date's flows: it is the value at the end of the day
    events = events.sort_values(["code", "date", "is_mark"], kind="stable", ignore_index=True)
    holding = events["code"].to_numpy(dtype=np.int64)
    by_holding = pd.Series(holding)

    def cumulative(values: np.ndarray) -> np.ndarray:
        return pd.Series(values).groupby(by_holding).cumsum().to_numpy(dtype=np.int64)

    owed = cumulative(
        events["drawdowns"].to_numpy()
        - events["repaid"].to_numpy()
        - events["written_off"].to_numpy()
    )
    cost = np.clip(owed, 0, None)
    gain = np.clip(-owed, 0, None)  # repayments beyond cost
    written_off = cumulative(events["written_off"].to_numpy())
    income = cumulative(events["income"].to_numpy())

    is_mark = events["is_mark"].to_numpy()
    segment = pd.Series(is_mark.astype(np.int64)).groupby(by_holding).cumsum().to_numpy()
    change = np.where(is_mark, events["mark"].to_numpy(), 0) + np.where(
        is_mark, 0, events["drawdowns"].to_numpy() - events["receipts"].to_numpy()
    )
    run = pd.Series(holding * (int(segment.max(initial=0)) + 1) + segment)
    sums = pd.Series(change).groupby(run).cumsum().to_numpy()
    lowest = pd.Series(np.minimum(sums, 0)).groupby(run).cummin().to_numpy()
    nav = np.where(segment > 0, sums - lowest, cost)

    def step(values: np.ndarray) -> np.ndarray:
        before = pd.Series(values).groupby(by_holding).shift(1, fill_value=0).to_numpy()
        return (values - before).astype(np.int64)

    return pd.DataFrame(
        {
            "holder_id": holder_of[holding] if len(holding) else np.array([], dtype=object),
            "date": events["date"].to_numpy(),
            "drawdowns": events["drawdowns"].to_numpy(),
            "receipts": events["receipts"].to_numpy(),
            "holdings_nav": step(nav),
            "cost_outstanding": step(cost),
            "income": step(income),
            "realised": step(gain - written_off),
            "unrealised": step(nav - cost),
        }
    )


# --- the accounts ---------------------------------------------------------------------


def capital_roll(
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_expenses: pd.DataFrame,
    project_flows: pd.DataFrame,
    marks: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    fund_ids: Collection[str] | None = None,
    allocation_basis: str | Mapping[str, str] = "paid_in",
) -> pd.DataFrame:
    """Every capital account of the funds, period by period to T (module docstring).

    ``fund_ids``: the funds (default: every fund with a call ≤ T). ``allocation_basis``:
    one basis for all, or fund_id → basis (``fund_terms.allocation_basis``; a fund not
    named takes ``paid_in``). One row per account and period, sorted by fund_id,
    investor_id, share_class, period_end: the keys, ``period_start``, ``period_end`` and
    the ``ROLL_LINES`` as int64 pence (movements positive as named: distributions, fees
    and expenses are subtracted; committed, unfunded and recallable at the period end).
    """
    cutoff = pd.Timestamp(as_of)
    flows = with_flow_defaults(investor_flows)
    flows = flows.loc[(flows["date"] <= cutoff) & flows["kind"].isin(["call", "distribution"])]
    calls = flows.loc[flows["kind"] == "call"]
    first_calls = calls.groupby("fund_id")["date"].min()
    scope = sorted(first_calls.index if fund_ids is None else fund_ids)
    scope = [f for f in scope if f in first_calls.index]
    frames = []
    for fund_id in scope:
        basis = (
            allocation_basis
            if isinstance(allocation_basis, str)
            else allocation_basis.get(fund_id, "paid_in")
        )
        if basis not in ALLOCATION_BASES:
            raise ValueError(f"fund {fund_id}: unknown allocation basis {basis!r}")
        ends = month_ends(first_calls[fund_id], cutoff)
        fund = fund_month_ends([fund_id], flows, fund_expenses, project_flows, marks, ends)
        frames.append(_roll_fund(fund_id, basis, ends, fund, commitments, flows))
    if not frames:
        return _empty_roll()
    return pd.concat(frames, ignore_index=True)


def _empty_roll() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {k: pd.Series(dtype=object) for k in ACCOUNT_KEYS}
    columns["period_start"] = pd.Series(dtype="datetime64[ns]")
    columns["period_end"] = pd.Series(dtype="datetime64[ns]")
    columns.update({line: pd.Series(dtype=np.int64) for line in ROLL_LINES})
    return pd.DataFrame(columns)


def _attributed(
    commitments: pd.DataFrame, flows: pd.DataFrame, fund_id: str, cutoff: pd.Timestamp
) -> pd.DataFrame:
    """The fund's flows in their accounts, each part keeping its purpose and recallable flag."""
    parts = []
    mine = flows.loc[flows["fund_id"] == fund_id]
    for (purpose, recallable), group in mine.groupby(["purpose", "recallable"], sort=True):
        split = account_flows(commitments, group, [fund_id], cutoff)
        parts.append(split.assign(purpose=purpose, recallable=bool(recallable)))
    if not parts:
        empty = account_flows(commitments, mine, [fund_id], cutoff)
        return empty.assign(purpose=pd.Series(dtype=object), recallable=pd.Series(dtype=bool))
    return pd.concat(parts, ignore_index=True)


def _roll_fund(
    fund_id: str,
    basis: str,
    ends: pd.DatetimeIndex,
    fund: pd.DataFrame,
    commitments: pd.DataFrame,
    flows: pd.DataFrame,
) -> pd.DataFrame:
    cutoff = ends[-1]
    end_days = ends.to_numpy(dtype="datetime64[ns]")
    n_p = len(ends)
    mine = commitments.loc[commitments["fund_id"] == fund_id]
    mine = mine.loc[mine["date"].isna() | (mine["date"] <= cutoff)]
    moved = _attributed(commitments, flows, fund_id, cutoff)
    keys = ["investor_id", "share_class"]
    accounts = (
        pd.concat([mine[keys], moved[keys]], ignore_index=True)
        .drop_duplicates()
        .sort_values(keys, ignore_index=True)
    )
    n_a = len(accounts)
    ties: list[Hashable] = list(zip(accounts["investor_id"], accounts["share_class"], strict=True))
    slot = {key: i for i, key in enumerate(ties)}

    def matrix(rows: pd.DataFrame, values: np.ndarray, dates: pd.Series) -> np.ndarray:
        out = np.zeros((n_p, n_a), dtype=np.int64)
        cols = np.array(
            [slot[k] for k in zip(rows["investor_id"], rows["share_class"], strict=True)],
            dtype=np.int64,
        )
        periods = np.searchsorted(end_days, dates.to_numpy(dtype="datetime64[ns]"), side="left")
        np.add.at(out, (periods, cols), values.astype(np.int64))
        return out

    admitted = mine.assign(date=mine["date"].fillna(pd.Timestamp("1900-01-01")))
    committed = matrix(admitted, admitted["amount_pence"].to_numpy(), admitted["date"]).cumsum(0)

    lines: dict[str, np.ndarray] = {}
    for kind, purposes, prefix in (
        ("call", CALL_PURPOSES, "contributions_"),
        ("distribution", DISTRIBUTION_PURPOSES, "distributions_"),
    ):
        for purpose in purposes:
            rows = moved.loc[(moved["kind"] == kind) & (moved["purpose"] == purpose)]
            lines[prefix + purpose] = matrix(rows, rows["amount_pence"].to_numpy(), rows["date"])
    recallable_rows = moved.loc[(moved["kind"] == "distribution") & moved["recallable"]]
    recallable_in = matrix(
        recallable_rows, recallable_rows["amount_pence"].to_numpy(), recallable_rows["date"]
    )
    returned = lines["distributions_return_of_capital"] + recallable_in
    both = (moved["kind"] == "distribution") & moved["recallable"]
    returned -= matrix(
        moved.loc[both & (moved["purpose"] == "return_of_capital")],
        moved.loc[both & (moved["purpose"] == "return_of_capital"), "amount_pence"].to_numpy(),
        moved.loc[both & (moved["purpose"] == "return_of_capital"), "date"],
    )
    interest_rows = moved.loc[
        (moved["kind"] == "distribution")
        & (moved["purpose"] == "equalisation")
        & ~moved["recallable"]
    ]
    interest_out = matrix(
        interest_rows, interest_rows["amount_pence"].to_numpy(), interest_rows["date"]
    )
    interest_in = _interest_paid(lines["contributions_equalisation"], interest_out, ties)
    interest_out = np.where(interest_in.sum(1, keepdims=True) > 0, interest_out, 0)

    contributed = sum(lines[c] for c in CONTRIBUTION_LINES)
    distributed = sum(lines[d] for d in DISTRIBUTION_LINES)
    own_fees = lines["contributions_management_fee"]
    own_expenses = lines["contributions_expense"]
    net = np.cumsum(
        contributed - distributed - own_fees - own_expenses - interest_in + interest_out, 0
    )
    capital = np.cumsum(
        sum(lines["contributions_" + p] for p in _CAPITAL_CALLS) - interest_in - returned, 0
    )
    paid_in = np.clip(capital, 0, None)
    weights = (paid_in, committed) if basis == "paid_in" else (committed, paid_in)

    f = fund.set_index("date")
    nav = f["nav_pence"].to_numpy(dtype=np.int64)
    pooled = {
        "income": f["income_pence"].to_numpy(dtype=np.int64),
        "realised": f["realised_pence"].to_numpy(dtype=np.int64),
        "fees": f["management_fees_pence"].to_numpy(dtype=np.int64) - np.cumsum(own_fees.sum(1)),
        "expenses": f["expenses_pence"].to_numpy(dtype=np.int64) - np.cumsum(own_expenses.sum(1)),
    }
    total_gain = nav - net.sum(
        1
    )  # cumulative pooled gain: income + realised + unrealised − fees − expenses
    rounded = _allocate(total_gain, pooled, weights, committed, net, nav, ties, fund_id)

    ending = net + rounded["gain"]
    cum = {name: rounded[name] for name in ("income", "realised", "fees", "expenses")}
    cum["unrealised"] = (
        rounded["gain"] - cum["income"] - cum["realised"] + cum["fees"] + cum["expenses"]
    )

    def period(values: np.ndarray) -> np.ndarray:
        return np.diff(values, axis=0, prepend=np.zeros((1, n_a), dtype=np.int64))

    out_lines = dict(lines)
    out_lines["management_fees"] = own_fees + period(cum["fees"])
    out_lines["expenses"] = own_expenses + period(cum["expenses"])
    out_lines["equalisation_interest"] = interest_out - interest_in
    out_lines["income"] = period(cum["income"]) + out_lines["equalisation_interest"]
    out_lines["realised"] = period(cum["realised"])
    out_lines["unrealised"] = period(cum["unrealised"])
    out_lines["ending"] = ending
    out_lines["beginning"] = ending - period(ending)
    calls_against = np.cumsum(contributed - interest_in, 0)
    out_lines["committed"] = committed
    out_lines["unfunded"] = committed - calls_against + np.cumsum(recallable_in, 0)
    out_lines["recallable"] = _recallable(recallable_in, contributed - interest_in)

    starts = np.r_[
        ends[0].replace(day=1).to_datetime64(), (ends[:-1] + pd.Timedelta(days=1)).to_numpy()
    ]
    frame = pd.DataFrame(
        {
            "fund_id": fund_id,
            "investor_id": np.repeat(accounts["investor_id"].to_numpy(), n_p),
            "share_class": np.repeat(accounts["share_class"].to_numpy(), n_p),
            "period_start": np.tile(starts.astype("datetime64[ns]"), n_a),
            "period_end": np.tile(end_days, n_a),
        }
    )
    for line in ROLL_LINES:
        frame[line] = out_lines[line].T.reshape(-1).astype(np.int64)
    return frame


def _interest_paid(
    equalisation_calls: np.ndarray, interest: np.ndarray, ties: list[Hashable]
) -> np.ndarray:
    """Each period's equalisation interest (Σ ``interest``) charged to its equalisation
    callers by their equalisation calls, largest remainder; nil where nobody called."""
    paid = np.zeros_like(interest)
    for p in np.flatnonzero(interest.sum(1) > 0):
        callers = equalisation_calls[p]
        if callers.sum() > 0:
            quotas = [
                Fraction(int(c) * int(interest[p].sum()), int(callers.sum())) for c in callers
            ]
            paid[p] = _round_to_total(quotas, int(interest[p].sum()), ties)
    return paid


def _recallable(recallable_in: np.ndarray, calls: np.ndarray) -> np.ndarray:
    """Recallable capital outstanding: r = max(0, r + recallable distributions − calls)
    per period (calls recall it first), as S − min(0, running min of S) over S = Σ(in − calls)."""
    sums = np.cumsum(recallable_in - calls, 0)
    lowest = np.minimum.accumulate(np.minimum(sums, 0), axis=0)
    return sums - lowest


def _allocate(
    total_gain: np.ndarray,
    pooled: Mapping[str, np.ndarray],
    weights: tuple[np.ndarray, np.ndarray],
    committed: np.ndarray,
    net: np.ndarray,
    nav: np.ndarray,
    ties: list[Hashable],
    fund_id: str,
) -> dict[str, np.ndarray]:
    """Cumulative rounded allocations per period end: ``gain`` and each pooled component."""
    n_p, n_a = net.shape
    names = ("gain", *pooled)
    cumulative = {"gain": total_gain, **pooled}
    exact = {name: [Fraction(0)] * n_a for name in names}
    out = {name: np.zeros((n_p, n_a), dtype=np.int64) for name in names}
    shares_cache: dict[tuple[int, ...], list[Fraction]] = {}
    before = dict.fromkeys(names, 0)
    for p in range(n_p):
        chosen = weights[0][p] if weights[0][p].sum() > 0 else weights[1][p]
        key = tuple(int(w) for w in chosen)
        if key not in shares_cache:
            total = sum(key)
            shares_cache[key] = [Fraction(w, total) for w in key] if total else []
        shares = shares_cache[key]
        for name in names:
            change = int(cumulative[name][p]) - before[name]
            before[name] = int(cumulative[name][p])
            if change and not shares:
                raise ValueError(
                    f"fund {fund_id} has a gain of {change} pence by {p} with nobody paid in "
                    "or committed to allocate it to"
                )
            if change:
                exact[name] = [e + s * change for e, s in zip(exact[name], shares, strict=True)]
        balance = _pro_rata_balance(int(nav[p]), committed[p], net[p], exact["gain"], ties)
        if balance is None:
            out["gain"][p] = _round_to_total(exact["gain"], int(total_gain[p]), ties)
        else:
            out["gain"][p] = balance - net[p]
        for name in pooled:
            out[name][p] = _round_to_total(exact[name], int(cumulative[name][p]), ties)
    return out


def _pro_rata_balance(
    nav: int, committed: np.ndarray, net: np.ndarray, gain: list[Fraction], ties: list[Hashable]
) -> np.ndarray | None:
    """The commitment shares of NAV (largest remainder) if every exact balance is within a
    penny of its share (module docstring: pennies), else ``None``."""
    total = int(committed.sum())
    if total == 0:
        return None
    quotas = [Fraction(int(c) * nav, total) for c in committed]
    for q, x, g in zip(quotas, net, gain, strict=True):
        if abs(int(x) + g - q) >= 1:
            return None
    # capital_accounts' own rounding (a negative NAV split as its magnitude), so the
    # balances are today's figures to the penny
    weights = [int(c) for c in committed]
    return np.asarray(allocate_largest_remainder(nav, weights, ties), dtype=np.int64)


def _round_to_total(quotas: Sequence[Fraction], total: int, ties: Sequence[Hashable]) -> list[int]:
    """Whole pence adding up to ``total`` (= Σ quotas): floors, then the pennies left over
    one each to the largest remainders, ties by ``ties`` ascending. Quotas may be negative."""
    floors = [q.numerator // q.denominator for q in quotas]
    left = total - sum(floors)
    if not 0 <= left <= len(quotas):
        raise ValueError(f"quotas do not add up to {total}")
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), ties[i]))  # type: ignore[operator]
    for i in order[:left]:
        floors[i] += 1
    return floors


# --- statements over a window ----------------------------------------------------------


def window_lines(
    roll: pd.DataFrame, start: dt.date | pd.Timestamp, end: dt.date | pd.Timestamp
) -> pd.DataFrame:
    """Each account's lines over the periods ending in [start, end]: the period, the year
    to date or since inception.

    One row per account with a period in the window: the keys, ``from`` (the first
    period's start) and ``to`` (the last period's end), beginning (the first period's),
    the movements summed, ending (the last period's), and committed, unfunded and
    recallable at the end, so that beginning + movements = ending line by line.
    """
    chosen = roll.loc[
        (roll["period_end"] >= pd.Timestamp(start)) & (roll["period_end"] <= pd.Timestamp(end))
    ]
    chosen = chosen.sort_values([*ACCOUNT_KEYS, "period_end"], kind="stable")
    grouped = chosen.groupby(list(ACCOUNT_KEYS), sort=True)
    firsts = grouped[["period_start", "beginning"]].first()
    lasts = grouped[["period_end", "ending", "committed", "unfunded", "recallable"]].last()
    out = pd.concat([firsts, grouped[list(FLOW_LINES)].sum(), lasts], axis=1)
    out = out.rename(columns={"period_start": "from", "period_end": "to"}).reset_index()
    columns = [*ACCOUNT_KEYS, "from", "to", *ROLL_LINES]
    return out[columns]


def movements(lines: pd.DataFrame) -> pd.Series:
    """ending − beginning implied by the movement lines (distributions, fees and expenses
    subtracted; equalisation interest is already in income)."""
    return sum((_SIGN[line] * lines[line] for line in _SIGN), pd.Series(0, index=lines.index))
