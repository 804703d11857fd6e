"""Which project flows are receipts: money a project pays back to a holder.

Of the project-flow kinds (drawdown, repayment, interest, dividend,
write_off), a drawdown is money in to the project, and a write-off moves no
cash at all (it only lowers the cost outstanding). The rest are receipts: a
holding's realised money, a fund's cash in, a project's returns to holders.
"""

from __future__ import annotations

__all__ = ["RECEIPT_KINDS"]

RECEIPT_KINDS = ("repayment", "interest", "dividend")
