"""SQL types for model fields, and the few conversions drivers do not agree on."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..dialects import capabilities
from ..dialects import types as variants
from ..errors import ModelDefinitionError, ValidationError
from ..models.spec import FieldSpec

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC with microseconds on every backend; naive input is refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(variants.timestamp().dialect_impl(dialect))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise ValidationError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                "naive datetime refused: pass a timezone-aware value (e.g. tzinfo=UTC)"
            )
        value = value.astimezone(UTC)
        return value if capabilities(dialect).aware_datetime else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite as read by a driver that returns text
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class ExactDecimal(TypeDecorator[Decimal]):
    """DECIMAL(p, s) where the backend has it; a scaled BIGINT on SQLite (exact and sortable)."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if capabilities(dialect).exact_decimal:
            return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=True))
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(f"not a decimal number: {type(value).__name__}") from None
        if not number.is_finite():
            raise ValidationError("NaN and infinite decimals cannot be stored")
        if capabilities(dialect).exact_decimal:
            return number
        scaled = number.scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValidationError(f"decimal has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if capabilities(dialect).exact_decimal:
            return value if isinstance(value, Decimal) else Decimal(str(value))
        return Decimal(int(value)).scaleb(-self.scale)

    def average(self) -> DecimalAverage:
        """The type of ``AVG`` over this column."""
        return DecimalAverage(self.scale)


class DecimalAverage(TypeDecorator[Decimal]):
    """``AVG`` of an :class:`ExactDecimal` column, as a Decimal: the backend's DECIMAL result,
    or on SQLite the REAL average of the scaled integers, scaled back."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__(asdecimal=True)
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if capabilities(dialect).exact_decimal:
            return dialect.type_descriptor(sa.Numeric(asdecimal=True))
        return dialect.type_descriptor(sa.Float())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return number if capabilities(dialect).exact_decimal else number.scaleb(-self.scale)


class EnumValue(TypeDecorator[Any]):
    """Stores an Enum member (or Literal choice) by its value."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.value if isinstance(value, enum.Enum) else value


#: Decimal precision used when a field gives none (fits SQLite's scaled 64-bit integers).
DEFAULT_DECIMAL = (18, 6)


def column_type(field: FieldSpec, model: str) -> TypeEngine[Any]:
    kind = field.kind
    if kind == "str":
        if field.max_length is not None:
            return sa.String(field.max_length)
        col = field.column_info
        if col.unique or col.index:
            raise ModelDefinitionError(
                f"{model}.{field.name}: an indexed or unique str needs max_length "
                "(MySQL cannot index unbounded text)"
            )
        return sa.Text()
    if kind == "decimal":
        precision = field.max_digits or DEFAULT_DECIMAL[0]
        scale = field.decimal_places if field.decimal_places is not None else DEFAULT_DECIMAL[1]
        return ExactDecimal(precision, scale)
    if kind in ("enum", "literal"):
        values = field.choices
        if all(isinstance(v, str) for v in values):
            return EnumValue(max(len(v) for v in values))
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return variants.big_integer()
        raise ModelDefinitionError(
            f"{model}.{field.name}: enum/Literal values must be all str or all int"
        )
    simple: dict[str, TypeEngine[Any]] = {
        "int": variants.big_integer(),
        "float": sa.Double(),
        "bool": sa.Boolean(),
        "uuid": sa.Uuid(as_uuid=True),
        "datetime": UTCDateTime(),
        "date": sa.Date(),
        "time": variants.time_of_day(),
        "bytes": variants.binary(),
        "json": variants.json(),
    }
    return simple[kind]
