"""Column types that keep money and fractions exact on SQLite and PostgreSQL.

SQLite has no decimal type: SQLAlchemy's ``Numeric`` there round-trips through
``float``. So money is stored as integer pence on SQLite and as ``NUMERIC(18, 2)``
on PostgreSQL, and exact fractions as text on SQLite and ``NUMERIC`` on
PostgreSQL; the code always sees ``decimal.Decimal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from passu.valuation.money import pence_to_decimal

PENNY = Decimal("0.01")


class MoneyPrecisionError(ValueError):
    """A money value with more than two decimals reached the database layer."""


def to_pence(value: Decimal) -> int:
    """Exact pounds → integer pence; refuses sub-penny amounts rather than rounding."""
    pence = value * 100
    if pence != pence.to_integral_value():
        raise MoneyPrecisionError(f"{value} has more than two decimals")
    return int(pence)


def from_pence(pence: int) -> Decimal:
    return pence_to_decimal(int(pence))


class Money(TypeDecorator[Decimal]):
    """Pounds with two decimals: NUMERIC(18, 2) on PostgreSQL, integer pence on SQLite."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        pence = to_pence(amount)
        if dialect.name == "sqlite":
            return pence
        return from_pence(pence)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return from_pence(int(value))
        return Decimal(value).quantize(PENNY)


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal kept exactly as written (shares, rates, measures): NUMERIC or text."""

    impl = Numeric()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if dialect.name == "sqlite":
            return format(number, "f")
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
