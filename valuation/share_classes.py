"""A share class's figures: the aggregates a shareholder's statement sets beside its own.

Per (fund_id, share_class) at T: investors (count), committed, paid-in,
distributed and NAV (Σ of the members' capital accounts, NAV as allocated to
the penny), DPI = distributed / paid-in, TVPI = (distributed + NAV) / paid-in
(``multiples.multiples``),
and the class's pooled IRR = XIRR of every member's calls (negative) and
distributions (positive) plus the class NAV at T — the rate pari passu
compares each member's IRR with; over flows spanning less than a year no IRR
but the class's period return (``period_return``, returns.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .capital_accounts import CapitalAccount, account_flows
from .money import decimal_to_pence, pence_to_decimal
from .multiples import multiples
from .returns import NOTE_NO_FLOWS, IrrResult, xirr_grouped

__all__ = ["ShareClassValue", "share_class_values"]

_NO_FLOWS = IrrResult(None, NOTE_NO_FLOWS, False)


@dataclass(frozen=True, slots=True)
class ShareClassValue:
    fund_id: str
    share_class: str
    investors: int
    committed: Decimal
    paid_in: Decimal
    distributed: Decimal
    nav: Decimal
    dpi: float | None
    tvpi: float | None
    irr: float | None
    irr_note: str | None
    period_return: float | None = None  # flows spanning under a year: not annualised


def share_class_values(
    accounts: Sequence[CapitalAccount],
    commitments: pd.DataFrame,
    investor_flows: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
) -> list[ShareClassValue]:
    """Every share class of the accounts' funds, sorted by (fund_id, share_class)."""
    cutoff = pd.Timestamp(as_of)
    funds = sorted({a.fund_id for a in accounts})
    flows = account_flows(commitments, investor_flows, funds, cutoff)
    signed = flows[["fund_id", "share_class", "date"]].assign(
        amount_pence=np.where(flows["kind"].eq("call"), -1, 1) * flows["amount_pence"].to_numpy()
    )
    classes: dict[tuple[str, str], list[CapitalAccount]] = {}
    for account in accounts:
        classes.setdefault((account.fund_id, account.share_class), []).append(account)
    navs = pd.DataFrame(
        {
            "fund_id": [k[0] for k in classes],
            "share_class": [k[1] for k in classes],
            "date": cutoff,
            "amount_pence": [sum(decimal_to_pence(a.nav) for a in m) for m in classes.values()],
        }
    )
    navs = navs[navs["amount_pence"] != 0]  # a nil NAV is no flow
    parts = [p.assign(date=p["date"].astype("datetime64[ns]")) for p in (signed, navs) if len(p)]
    pooled = (
        xirr_grouped(pd.concat(parts, ignore_index=True), ["fund_id", "share_class"])
        if parts
        else {}
    )
    out = []
    for key in sorted(classes):
        members = classes[key]
        paid_in = sum(decimal_to_pence(a.paid_in) for a in members)
        distributed = sum(decimal_to_pence(a.distributed) for a in members)
        nav = sum(decimal_to_pence(a.nav) for a in members)
        irr = pooled.get(key, _NO_FLOWS)
        ratios = multiples(paid_in, distributed, nav)
        out.append(
            ShareClassValue(
                fund_id=key[0],
                share_class=key[1],
                investors=len({a.investor_id for a in members}),
                committed=pence_to_decimal(sum(decimal_to_pence(a.committed) for a in members)),
                paid_in=pence_to_decimal(paid_in),
                distributed=pence_to_decimal(distributed),
                nav=pence_to_decimal(nav),
                dpi=ratios.dpi,
                tvpi=ratios.tvpi,
                irr=irr.rate,
                irr_note=irr.note,
                period_return=irr.period_return,
            )
        )
    return out
