"""Investors' capital accounts in a fund at an as-of date T.

Per (fund_id, investor_id, share_class), over rows dated ≤ T:

- committed, paid-in (Σ calls), distributed (Σ distributions)
- NAV = the account's ending balance at T in the capital roll
  (``capital_roll.capital_roll``: contributions − distributions − its own fees
  and expenses + its allocation of the fund's gains, so the balances add up to
  the fund NAV exactly), and unfunded the roll's (committed − calls, less the
  equalisation interest paid, + recallable distributions); the valuer passes
  them as ``balances``. An account the roll does not hold (a fund with no call
  yet) takes the commitment share: fund NAV × its share of the fund's
  commitments, to the penny by largest remainder (ties by investor_id, then
  share_class), and unfunded = committed − paid-in. Where flows are pro rata
  to commitment the two agree to the penny (capital_roll's module docstring).
- DPI = distributed / paid-in; TVPI = (distributed + NAV share) / paid-in
  (``multiples.multiples``)
- IRR = XIRR of its own calls (negative), distributions (positive) and its
  NAV share at T (positive); over flows spanning less than a year no IRR but
  the period return (``period_return``), as for holdings (returns.py)

Investor flows carry no share class. An investor with one class in a fund has
its flows in that class; one with several has each flow split across them pro
rata to commitment (largest remainder, ties by share_class), which is what
pari passu within the fund means. Flows of an investor with no commitment
(a data gap) land in an account with share class "" and nothing committed,
so no money goes missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .money import allocate_largest_remainder, decimal_to_pence, pence_to_decimal
from .multiples import multiples
from .returns import NOTE_NO_FLOWS, IrrResult, xirr_grouped

__all__ = [
    "ACCOUNT_KEYS",
    "CapitalAccount",
    "account_commitments",
    "account_flows",
    "capital_accounts",
    "combine_accounts",
]

ACCOUNT_KEYS = ("fund_id", "investor_id", "share_class")
_NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)


@dataclass(frozen=True, slots=True)
class CapitalAccount:
    """One investor's account in one share class of a fund (or combined: see combine_accounts)."""

    fund_id: str
    investor_id: str
    share_class: str
    committed: Decimal
    paid_in: Decimal
    distributed: Decimal
    nav: Decimal
    unfunded: Decimal
    dpi: float | None
    tvpi: float | None
    irr: float | None
    irr_note: str | None
    multiple_sign_changes: bool
    period_return: float | None = None  # flows spanning under a year: not annualised


def account_commitments(
    commitments: pd.DataFrame, fund_ids: Iterable[str], as_of: dt.date | pd.Timestamp
) -> pd.DataFrame:
    """Σ commitments dated ≤ T per (fund_id, investor_id, share_class), as committed_pence."""
    cutoff = pd.Timestamp(as_of)
    rows = commitments.loc[
        commitments["fund_id"].isin(list(fund_ids))
        # an undated commitment is a standing one: it counts at every date
        & (commitments["date"].isna() | (commitments["date"] <= cutoff))
    ]
    return (
        rows.groupby(list(ACCOUNT_KEYS), sort=True)["amount_pence"]
        .sum()
        .rename("committed_pence")
        .reset_index()
    )


def account_flows(
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    fund_ids: Iterable[str],
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """Each call and distribution dated ≤ T attributed to its account.

    Columns: fund_id, investor_id, share_class, date, kind, amount_pence
    (positive, as stored). See the module docstring for investors with
    several share classes or none.
    """
    scope = list(fund_ids)
    cutoff = pd.Timestamp(as_of)
    flows = investor_flows.loc[
        investor_flows["fund_id"].isin(scope)
        & (investor_flows["date"] <= cutoff)
        & investor_flows["kind"].isin(["call", "distribution"]),
        ["fund_id", "investor_id", "date", "kind", "amount_pence"],
    ]
    classes = account_commitments(commitments, scope, cutoff)
    class_count = classes.groupby(["fund_id", "investor_id"])["share_class"].transform("size")
    single = classes.loc[class_count == 1, ["fund_id", "investor_id", "share_class"]]
    several = classes.loc[class_count > 1]

    attributed = flows.merge(single, on=["fund_id", "investor_id"], how="left")
    split_keys = several[["fund_id", "investor_id"]].drop_duplicates()
    needs_split = attributed.merge(
        split_keys, on=["fund_id", "investor_id"], how="left", indicator=True
    )["_merge"].eq("both")
    simple = attributed.loc[~needs_split.to_numpy()].copy()
    simple["share_class"] = simple["share_class"].fillna("")
    parts = [simple, _split_across_classes(attributed.loc[needs_split.to_numpy()], several)]
    columns = [*ACCOUNT_KEYS, "date", "kind", "amount_pence"]
    result = pd.concat([p[columns] for p in parts], ignore_index=True)
    result["amount_pence"] = result["amount_pence"].astype(np.int64)
    return result.sort_values(columns, kind="stable", ignore_index=True)


def _split_across_classes(flows: pd.DataFrame, several: pd.DataFrame) -> pd.DataFrame:
    """Split each flow of a multi-class investor pro rata to its class commitments.

    A Python loop over these flows only: investors holding several classes of
    one fund are rare, and each split must be exact to the penny.
    """
    rows: list[dict[str, Hashable]] = []
    by_investor = {key: group for key, group in several.groupby(["fund_id", "investor_id"])}
    for flow in flows.itertuples(index=False):
        group = by_investor[(flow.fund_id, flow.investor_id)]
        shares = allocate_largest_remainder(
            int(flow.amount_pence),
            [int(c) for c in group["committed_pence"]],
            list(group["share_class"]),
        )
        for share_class, share in zip(group["share_class"], shares, strict=True):
            if share:
                rows.append(
                    {
                        "fund_id": flow.fund_id,
                        "investor_id": flow.investor_id,
                        "share_class": share_class,
                        "date": flow.date,
                        "kind": flow.kind,
                        "amount_pence": share,
                    }
                )
    columns = [*ACCOUNT_KEYS, "date", "kind", "amount_pence"]
    return pd.DataFrame(rows, columns=columns)


def capital_accounts(
    fund_navs: Mapping[str, Decimal],
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    balances: Mapping[tuple[str, str, str], tuple[int, int]] | None = None,
) -> list[CapitalAccount]:
    """Every capital account of the funds in ``fund_navs`` (fund_id → fund NAV at T).

    ``balances``: (fund_id, investor_id, share_class) → (ending balance, unfunded) in
    pence at T from the capital roll; accounts not in it take the commitment share
    (module docstring). Sorted by (fund_id, investor_id, share_class). For all funds
    together the accounts stay per fund; ``combine_accounts`` sums an investor's rows.
    """
    cutoff = pd.Timestamp(as_of)
    scope = sorted(fund_navs)
    committed = account_commitments(commitments, scope, cutoff)
    flows = account_flows(commitments, investor_flows, scope, cutoff)
    keys = list(ACCOUNT_KEYS)

    accounts = (
        pd.concat([committed[keys], flows[keys]], ignore_index=True)
        .drop_duplicates()
        .merge(committed, on=keys, how="left")
        .fillna({"committed_pence": 0})
        .astype({"committed_pence": np.int64})
        .sort_values(keys, ignore_index=True)
    )
    amount = flows["amount_pence"]
    sums = (
        pd.DataFrame(
            {
                "paid_in_pence": amount.where(flows["kind"] == "call", 0),
                "distributed_pence": amount.where(flows["kind"] == "distribution", 0),
            }
        )
        .groupby([flows[k] for k in keys])
        .sum()
    )
    account_index = pd.MultiIndex.from_frame(accounts[keys])
    for column in ("paid_in_pence", "distributed_pence"):
        accounts[column] = sums[column].reindex(account_index, fill_value=0).to_numpy(np.int64)
    accounts["nav_pence"] = _allocate_navs(accounts, fund_navs)
    accounts["unfunded_pence"] = accounts["committed_pence"] - accounts["paid_in_pence"]
    if balances:
        rolled = [balances.get(k) for k in zip(*(accounts[k] for k in keys), strict=True)]
        held = np.array([r is not None for r in rolled], dtype=bool)
        if held.any():
            accounts.loc[held, "nav_pence"] = [r[0] for r in rolled if r is not None]
            accounts.loc[held, "unfunded_pence"] = [r[1] for r in rolled if r is not None]

    irrs = _account_irrs(flows, accounts, keys, cutoff)
    return [
        _account(row, irrs.get(tuple(row[k] for k in keys), _NO_FLOWS))
        for row in _records(accounts)
    ]


def combine_accounts(
    accounts: Iterable[CapitalAccount],
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    *,
    label: str = "ALL",
) -> list[CapitalAccount]:
    """One row per investor summing its accounts (across funds and classes), sorted.

    fund_id is ``label`` and share_class the classes joined by ",". The IRR is
    recomputed over the investor's pooled calls, distributions and Σ NAV
    shares at T, never averaged.
    """
    cutoff = pd.Timestamp(as_of)
    listed = list(accounts)
    funds = sorted({a.fund_id for a in listed})
    flows = account_flows(commitments, investor_flows, funds, cutoff)
    rows = pd.DataFrame(
        {
            "investor_id": [a.investor_id for a in listed],
            "share_class": [a.share_class for a in listed],
            "committed_pence": [decimal_to_pence(a.committed) for a in listed],
            "paid_in_pence": [decimal_to_pence(a.paid_in) for a in listed],
            "distributed_pence": [decimal_to_pence(a.distributed) for a in listed],
            "nav_pence": [decimal_to_pence(a.nav) for a in listed],
            "unfunded_pence": [decimal_to_pence(a.unfunded) for a in listed],
        }
    )
    if rows.empty:
        return []
    money = ["committed_pence", "paid_in_pence", "distributed_pence", "nav_pence", "unfunded_pence"]
    combined = rows.groupby("investor_id", sort=True).agg(
        {**dict.fromkeys(money, "sum"), "share_class": lambda c: ",".join(sorted(set(c)))}
    )
    combined = combined.reset_index().assign(fund_id=label)
    flows = flows.loc[flows["investor_id"].isin(combined["investor_id"])]
    irrs = _account_irrs(flows, combined, ["investor_id"], cutoff)
    return [_account(row, irrs.get((row["investor_id"],), _NO_FLOWS)) for row in _records(combined)]


def _allocate_navs(accounts: pd.DataFrame, fund_navs: Mapping[str, Decimal]) -> np.ndarray:
    """Each fund's NAV over its accounts by commitment, to the penny (largest remainder)."""
    shares = np.zeros(len(accounts), dtype=np.int64)
    for fund_id, rows in accounts.groupby("fund_id", sort=True):
        nav = decimal_to_pence(fund_navs[str(fund_id)])
        weights = [int(c) for c in rows["committed_pence"]]
        if sum(weights) == 0 and nav != 0:
            raise ValueError(
                f"fund {fund_id} has a NAV of {fund_navs[str(fund_id)]} but no commitments"
            )
        ties = list(zip(rows["investor_id"], rows["share_class"], strict=True))
        shares[rows.index.to_numpy()] = allocate_largest_remainder(nav, weights, ties)
    return shares


def _account_irrs(
    flows: pd.DataFrame, accounts: pd.DataFrame, keys: list[str], cutoff: pd.Timestamp
) -> dict[tuple[Hashable, ...], IrrResult]:
    """XIRR per account: calls negative, distributions positive, NAV share at T."""
    signed = flows[[*keys, "date"]].assign(
        amount_pence=np.where(flows["kind"].eq("call"), -1, 1) * flows["amount_pence"].to_numpy()
    )
    held = accounts.loc[accounts["nav_pence"] != 0]
    navs = held[keys].assign(date=cutoff, amount_pence=held["nav_pence"].to_numpy())
    signed["date"] = signed["date"].astype("datetime64[ns]")
    navs["date"] = navs["date"].astype("datetime64[ns]")
    cash = pd.concat([signed, navs], ignore_index=True)
    return xirr_grouped(cash, keys, "date", "amount_pence") if len(cash) else {}


def _records(frame: pd.DataFrame) -> list[dict[str, Hashable]]:
    return frame.to_dict("records")  # type: ignore[return-value]


def _account(row: Mapping[str, Hashable], irr: IrrResult) -> CapitalAccount:
    committed, paid_in = int(row["committed_pence"]), int(row["paid_in_pence"])  # type: ignore[call-overload]
    distributed, nav = int(row["distributed_pence"]), int(row["nav_pence"])  # type: ignore[call-overload]
    unfunded = int(row.get("unfunded_pence", committed - paid_in))  # type: ignore[call-overload]
    ratios = multiples(paid_in, distributed, nav)
    return CapitalAccount(
        fund_id=str(row["fund_id"]),
        investor_id=str(row["investor_id"]),
        share_class=str(row["share_class"]),
        committed=pence_to_decimal(committed),
        paid_in=pence_to_decimal(paid_in),
        distributed=pence_to_decimal(distributed),
        nav=pence_to_decimal(nav),
        unfunded=pence_to_decimal(unfunded),
        dpi=ratios.dpi,
        tvpi=ratios.tvpi,
        irr=irr.rate,
        irr_note=irr.note,
        multiple_sign_changes=irr.multiple_sign_changes,
        period_return=irr.period_return,
    )
