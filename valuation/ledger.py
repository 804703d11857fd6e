"""The ledger: every table of a portfolio as frames, the one input of ``valuation/``.

Money is int64 pence (columns ``<name>_pence``), dates ``datetime64[ns]``, exact
fractions ``Decimal``. A ledger is as of a date when its dated rows after that date
were left out when it was read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Ledger:
    """Every table of a portfolio, as of a date (dated rows after it are left out)."""

    funds: pd.DataFrame
    investors: pd.DataFrame
    commitments: pd.DataFrame
    investor_flows: pd.DataFrame
    fund_expenses: pd.DataFrame
    projects: pd.DataFrame
    delivery_partners: pd.DataFrame
    holdings: pd.DataFrame
    project_flows: pd.DataFrame
    marks: pd.DataFrame
    outcome_contracts: pd.DataFrame
    contract_payers: pd.DataFrame
    unit_values: pd.DataFrame
    outcome_metrics: pd.DataFrame
    outcomes: pd.DataFrame
    outcome_claims: pd.DataFrame
    outcome_payments: pd.DataFrame
    fund_forecasts: pd.DataFrame
    innovations: pd.DataFrame
    project_costs: pd.DataFrame
    project_measures: pd.DataFrame
    evaluations: pd.DataFrame
