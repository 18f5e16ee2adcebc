"""SQL types for model fields, and the few conversions drivers do not agree on."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..dialects import capabilities
from ..dialects import types as variants
from ..errors import ModelDefinitionError, ValidationError
from ..models.spec import FieldSpec
from .decimals import DecimalAverage as DecimalAverage  # the decimal types, importable here too
from .decimals import ExactDecimal as ExactDecimal
from .decimals import decimal_fits as decimal_fits
from .decimals import fit_values as fit_values

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


class Duration(TypeDecorator[dt.timedelta]):
    """``timedelta``: INTERVAL where the backend has it, else exact BIGINT microseconds."""

    impl = sa.BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if capabilities(dialect).native_interval:
            return dialect.type_descriptor(sa.Interval(native=True))
        return dialect.type_descriptor(variants.big_integer())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or capabilities(dialect).native_interval:
            return value
        return value // _MICROSECOND

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.timedelta | None:
        if value is None or isinstance(value, dt.timedelta):
            return value
        return dt.timedelta(microseconds=int(value))


class EnumValue(TypeDecorator[Any]):
    """Stores an Enum member (or Literal choice) by its value."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.value if isinstance(value, enum.Enum) else value


_MICROSECOND = dt.timedelta(microseconds=1)


def column_type(field: FieldSpec, model: str) -> TypeEngine[Any]:
    if field.column_info.db_type is not None:
        return field.column_info.db_type
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
        return ExactDecimal(field.max_digits, field.decimal_places)
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
        "duration": Duration(),
        "bytes": variants.binary(),
        "json": variants.json(),
    }
    return simple[kind]
