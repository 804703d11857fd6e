"""What the fair-value model reads: the ledger's frames and the two tables of issue #15.

``cost_forecasts`` (project_id, period_end, category, amount_pence) and ``holding_terms``
(project_id, holder_id, tranche, seniority, coupon, maturity_date) are optional: a ledger
without them gives empty frames of the right dtypes. The method is described in
``fair_value.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

METHOD = "dcf_expected_outcomes"
GOVERNMENT_PAYER_KINDS = ("central_government", "local_government", "nhs", "school")
COST_FORECAST_COLUMNS = ("project_id", "period_end", "category", "amount_pence")
HOLDING_TERMS_COLUMNS = (
    "project_id",
    "holder_id",
    "tranche",
    "seniority",
    "coupon",
    "maturity_date",
)
DAYS_PER_YEAR = 365.0


def empty_cost_forecasts() -> pd.DataFrame:
    """``cost_forecasts`` with no rows: its columns and dtypes."""
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype=object),
            "period_end": pd.Series(dtype="datetime64[ns]"),
            "category": pd.Series(dtype=object),
            "amount_pence": pd.Series(dtype="int64"),
        }
    )


def empty_holding_terms() -> pd.DataFrame:
    """``holding_terms`` with no rows: its columns and dtypes."""
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype=object),
            "holder_id": pd.Series(dtype=object),
            "tranche": pd.Series(dtype=object),
            "seniority": pd.Series(dtype="int64"),
            "coupon": pd.Series(dtype=object),
            "maturity_date": pd.Series(dtype="datetime64[ns]"),
        }
    )


@dataclass(frozen=True)
class ModelInputs:
    """The ledger's frames the model reads, and the two tables of issue #15 item 1."""

    outcome_contracts: pd.DataFrame
    contract_payers: pd.DataFrame
    outcome_metrics: pd.DataFrame
    outcomes: pd.DataFrame  # every period, those ending after T included
    outcome_payments: pd.DataFrame
    holdings: pd.DataFrame
    project_flows: pd.DataFrame
    marks: pd.DataFrame
    cost_forecasts: pd.DataFrame
    holding_terms: pd.DataFrame
    investor_flows: pd.DataFrame | None = None  # the fund figures of scenarios only
    fund_expenses: pd.DataFrame | None = None
    # spending recorded to date: the cash a project holds, and its costs after entry
    # when the rate is calibrated; None (or no rows for a project): neither is known
    project_costs: pd.DataFrame | None = None

    @classmethod
    def from_ledger(
        cls,
        ledger: Any,
        *,
        cost_forecasts: pd.DataFrame | None = None,
        holding_terms: pd.DataFrame | None = None,
    ) -> ModelInputs:
        """From a ``Ledger`` (not cut at T: the forecasts after T are needed).

        ``cost_forecasts`` and ``holding_terms`` default to the ledger's own tables once
        it has them, else to empty tables.
        """
        costs = cost_forecasts
        if costs is None:
            costs = getattr(ledger, "cost_forecasts", None)
        terms = holding_terms
        if terms is None:
            terms = getattr(ledger, "holding_terms", None)
        return cls(
            outcome_contracts=ledger.outcome_contracts,
            contract_payers=ledger.contract_payers,
            outcome_metrics=ledger.outcome_metrics,
            outcomes=ledger.outcomes,
            outcome_payments=ledger.outcome_payments,
            holdings=ledger.holdings,
            project_flows=ledger.project_flows,
            marks=ledger.marks,
            cost_forecasts=empty_cost_forecasts() if costs is None else costs,
            holding_terms=empty_holding_terms() if terms is None else terms,
            investor_flows=ledger.investor_flows,
            fund_expenses=ledger.fund_expenses,
            project_costs=ledger.project_costs,
        )
