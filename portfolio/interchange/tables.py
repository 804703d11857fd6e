"""The interchange format's tables (docs/format.md) joined to the tables that store them.

Every column, key, reference and rule of the format is written once, in
``valuation/schema.py``; a ``TableSpec`` is that schema plus the SQLAlchemy model
holding the table, found by its table name, so import, export, the period locks
and the database's frames read one description of the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sqlalchemy import Table

from passu.portfolio.store import models as m
from passu.valuation.schema import (
    FLOW_KINDS,
    FLOW_TABLES,
    FORECAST_MEASURES,
    HOLDING,
    INVESTOR_KINDS,
    PAYER_KINDS,
    REQUIRED_TABLES,
    SCHEMAS,
    Col,
    Kind,
    Ref,
    TableSchema,
)

__all__ = [
    "BY_NAME",
    "FLOW_KINDS",
    "FLOW_TABLES",
    "FORECAST_MEASURES",
    "HOLDING",
    "INVESTOR_KINDS",
    "PAYER_KINDS",
    "REQUIRED_TABLES",
    "SPECS",
    "Col",
    "Kind",
    "Ref",
    "TableSpec",
]


@dataclass(frozen=True)
class TableSpec(TableSchema):
    """A table of the format and the model that stores it."""

    model: type[m.Base] = field(kw_only=True)

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table


def _models() -> dict[str, type[m.Base]]:
    """Every mapped class by its table name (the format's tables are named alike)."""
    return {mapper.class_.__tablename__: mapper.class_ for mapper in m.Base.registry.mappers}


def _spec(schema: TableSchema, models: dict[str, type[m.Base]]) -> TableSpec:
    values = {f.name: getattr(schema, f.name) for f in fields(schema)}
    return TableSpec(**values, model=models[schema.name])


_MODELS = _models()
SPECS: tuple[TableSpec, ...] = tuple(_spec(s, _MODELS) for s in SCHEMAS)
BY_NAME: dict[str, TableSpec] = {s.name: s for s in SPECS}
