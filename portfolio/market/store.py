"""``passu market import`` and ``passu market summary``: the INDIGO dataset in the database.

An import reads the export folder with ``indigo.read_indigo`` and replaces every
market row in one transaction under passu's writer lock (one executemany per
table); rows the reader could not load are reported, never dropped silently.
The summary reads the tables back into the frames ``valuation/market.py`` takes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from passu.portfolio.errors import UsageError
from passu.portfolio.listing import Column, Figure, Figures, Listing
from passu.portfolio.market.indigo import ATTRIBUTION, NotIndigoError, Skipped, read_indigo
from passu.portfolio.store import audit
from passu.portfolio.store.database import require_schema, writing
from passu.portfolio.store.market_models import (
    MARKET_TABLES,
    MarketImport,
    MarketInvestment,
    MarketOrganisation,
    MarketOutcomeMetric,
    MarketOutcomePayment,
    MarketProject,
    MarketResult,
)
from passu.valuation.market import GROUPINGS, MarketRow, MarketSummary, market_summary
from passu.valuation.money import money_text

LIST_COLUMNS = {"countries", "organisation_ids", "payer_ids", "recipient_ids"}


@dataclass(frozen=True)
class MarketImportReport:
    source: str
    rows: tuple[tuple[str, int], ...]  # (table, rows loaded)
    skipped: tuple[Skipped, ...]
    warnings: tuple[Skipped, ...]
    planned_payments_excluded: int
    missing_files: tuple[str, ...]


def _cell(value: Any) -> Any:
    """A frame cell as a database value: lists comma-joined, blanks (NaN, NaT) as None."""
    if isinstance(value, tuple | list):
        return ", ".join(value)
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame, rename: dict[str, str] | None = None) -> list[dict[str, Any]]:
    frame = frame.rename(columns=rename or {})
    columns = list(frame.columns)
    return [
        {c: _cell(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _text_defaults(records: list[dict[str, Any]], model: Any) -> list[dict[str, Any]]:
    """Blank text stays "" (not NULL) in the NOT NULL text columns."""
    required = [c.name for c in model.__table__.columns if not c.nullable and c.name != "id"]
    for record in records:
        for name in required:
            if record.get(name) is None:
                record[name] = False if name == "capital_is_range" else ""
    return records


def import_market(engine: Engine, directory: Path, *, user: str) -> MarketImportReport:
    """Replace the stored market data with the INDIGO export in ``directory``.

    Raises UsageError (exit 2) only when the folder is not the INDIGO export.
    """
    require_schema(engine)
    try:
        data = read_indigo(directory)
    except NotIndigoError as error:
        raise UsageError(str(error)) from None
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (MarketProject, _records(data.projects)),
        (MarketOrganisation, _records(data.organisations)),
        (MarketInvestment, _records(data.investments)),
        (MarketOutcomePayment, _records(data.outcome_payments)),
        (MarketResult, _records(data.results)),
        (MarketOutcomeMetric, _records(data.outcome_metrics, {"id": "metric_key"})),
    ]
    with writing(engine) as conn:
        for model in MARKET_TABLES:
            conn.execute(delete(model))
        for model, records in tables:
            if records:
                conn.execute(insert(model), _text_defaults(records, model))
        conn.execute(
            insert(MarketImport),
            {
                "imported_at": audit.now(),
                "user": user,
                "source": str(directory),
                "attribution": ATTRIBUTION,
                "projects": len(data.projects),
                "skipped_rows": len(data.skipped),
            },
        )
        audit.record(
            conn,
            user=user,
            command="market import",
            details={
                "source": str(directory),
                "rows": {model.__tablename__: len(records) for model, records in tables},
                "skipped": len(data.skipped),
            },
        )
    return MarketImportReport(
        source=str(directory),
        rows=tuple((model.__tablename__, len(records)) for model, records in tables),
        skipped=data.skipped,
        warnings=data.warnings,
        planned_payments_excluded=data.planned_payments_excluded,
        missing_files=data.missing_files,
    )


def _frame(conn: Connection, model: Any, columns: list[str]) -> pd.DataFrame:
    table = model.__table__
    rows = conn.execute(select(*(table.c[c] for c in columns))).all()
    frame = pd.DataFrame.from_records(rows, columns=columns).astype(object)
    for column in LIST_COLUMNS & set(columns):
        frame[column] = [
            tuple(p.strip() for p in (v or "").split(",") if p.strip()) for v in frame[column]
        ]
    return frame


def stored_market(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(projects, investments, outcome_payments) as ``read_indigo`` made them."""
    projects = _frame(
        conn,
        MarketProject,
        [
            "id", "name", "stage", "countries", "policy_sector", "currency", "capital_raised",
            "max_outcome_payment", "max_outcome_payment_currency",
        ],
    )  # fmt: skip
    investments = _frame(conn, MarketInvestment, ["project_id", "organisation_id"])
    payments = _frame(conn, MarketOutcomePayment, ["project_id", "type", "currency", "amount"])
    return projects, investments, payments


def market_summary_for(
    engine: Engine,
    country: str | None = None,
    by: Literal["policy_sector", "stage"] = "policy_sector",
) -> MarketSummary:
    """The stored market summarised (GBP), optionally for one country, broken down ``by``."""
    if by not in GROUPINGS:
        raise UsageError(f"--by: expected one of {', '.join(GROUPINGS)}, found {by!r}")
    require_schema(engine)
    with engine.connect() as conn:
        source = conn.execute(select(MarketImport.source, MarketImport.imported_at)).first()
        if source is None:
            raise UsageError("no market data yet: run `passu market import DIR` first")
        projects, investments, payments = stored_market(conn)
    return market_summary(projects, investments, payments, country=country, by=by)


@dataclass(frozen=True)
class MarketView:
    totals: Figures
    breakdown: Listing
    document: dict[str, Any]


def _money(value: Decimal) -> str:
    return str(money_text(value))


def _row_document(row: MarketRow, key: str) -> dict[str, Any]:
    return {
        key: row.group,
        "projects": row.projects,
        "capital_raised": _money(row.capital_raised),
        "projects_with_capital": row.projects_with_capital,
        "max_outcome_payments": _money(row.max_outcome_payments),
        "projects_with_max_outcome_payment": row.projects_with_max_outcome_payment,
        "actual_outcome_payments": _money(row.actual_outcome_payments),
        "projects_with_actual_payments": row.projects_with_actual_payments,
        "other_currency_projects": row.other_currency_projects,
        "investors": row.investors,
    }


def market_view(
    engine: Engine,
    country: str | None = None,
    by: Literal["policy_sector", "stage"] = "policy_sector",
) -> MarketView:
    """The summary as figures, a breakdown table and the JSON document."""
    s = market_summary_for(engine, country, by)
    with engine.connect() as conn:
        source, imported_at = conn.execute(
            select(MarketImport.source, MarketImport.imported_at)
        ).one()
    notes = (
        f"Data: {source}, imported {imported_at:%Y-%m-%d}. The INDIGO dataset is {ATTRIBUTION}.",
        "Capital raised = total investment commitment (exact, else the minimum of its range); "
        "amounts in other currencies are counted in other_currency_projects, not converted.",
    )
    totals = Figures(
        f"Market: {s.country or 'all countries'}, {s.currency}",
        (
            Figure("country", s.country or "all"),
            Figure("currency", s.currency),
            Figure("projects", s.projects, "count"),
            Figure("capital_raised", s.capital_raised, "money", "capital raised"),
            Figure("projects_with_capital", s.projects_with_capital, "count", "  projects with it"),
            Figure(
                "max_outcome_payments", s.max_outcome_payments, "money", "maximum outcome payments"
            ),
            Figure(
                "projects_with_max_outcome_payment",
                s.projects_with_max_outcome_payment,
                "count",
                "  projects with it",
            ),
            Figure(
                "actual_outcome_payments",
                s.actual_outcome_payments,
                "money",
                "actual outcome payments",
            ),
            Figure(
                "projects_with_actual_payments",
                s.projects_with_actual_payments,
                "count",
                "  projects with them",
            ),
            Figure(
                "other_currency_projects",
                s.other_currency_projects,
                "count",
                "projects with other currencies",
            ),
            Figure("investors", s.investors, "count"),
        ),
        notes,
    )
    columns = (
        Column(by),
        Column("projects", "count"),
        Column("capital_raised", "money", "capital raised"),
        Column("max_outcome_payments", "money", "max outcome payments"),
        Column("actual_outcome_payments", "money", "actual outcome payments"),
        Column("other_currency_projects", "count", "other currency"),
        Column("investors", "count"),
    )
    breakdown = Listing(
        f"By {by.replace('_', ' ')}",
        columns,
        tuple(
            (
                r.group,
                r.projects,
                r.capital_raised,
                r.max_outcome_payments,
                r.actual_outcome_payments,
                r.other_currency_projects,
                r.investors,
            )
            for r in s.breakdown
        ),
    )
    total = _row_document(s, "group")
    del total["group"]
    document = {
        "country": s.country,
        "currency": s.currency,
        **total,
        f"by_{by}": [_row_document(r, by) for r in s.breakdown],
    }
    return MarketView(totals, breakdown, document)
