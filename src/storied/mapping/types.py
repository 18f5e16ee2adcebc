"""SQL types for model fields, and the few conversions drivers do not agree on."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..dialects import ColumnWise, capabilities
from ..dialects import types as variants
from ..errors import ModelDefinitionError, ValidationError
from ..models.spec import FieldSpec
from .columnwise import utc_stored_column, utc_text_column
from .decimals import DecimalAverage as DecimalAverage  # the decimal types, importable here too
from .decimals import ExactDecimal as ExactDecimal
from .decimals import decimal_fits as decimal_fits
from .decimals import fit_values as fit_values

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC with microseconds on every backend; naive input is refused.

    Where the backend stores text (``Capabilities.datetime_text``: SQLite), the check, the
    conversion to UTC and the text are one function per value, and so is the parse back, in
    the format SQLAlchemy's SQLite DATETIME writes. The conversions avoid
    ``datetime.replace(tzinfo=…)``, which costs more than the rest of a conversion together
    (about 10,000 instructions on CPython 3.11; a created row binds two timestamps and a read
    returns two).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(variants.timestamp().dialect_impl(dialect))

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if not capabilities(dialect).datetime_text:
            return super().bind_processor(dialect)
        # the last value and its text: a row's created_at and updated_at are one "now"
        last: tuple[Any, str] = (None, "")

        def process(value: Any) -> str | None:
            nonlocal last
            if value is None:
                return None
            seen = last
            if seen[0] is value:
                return seen[1]
            text = _utc(value).isoformat(" ", "microseconds")[:-6]  # less its "+00:00"
            last = (value, text)
            return text

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        # each with its whole-column form, for results of many rows (mapping/columnwise.py)
        if capabilities(dialect).datetime_text:
            return FROM_TEXT
        inner = self.load_dialect_impl(dialect).result_processor(dialect, coltype)
        if inner is None:  # the driver's datetimes: one function per value, not three
            return STORED
        return super().result_processor(dialect, coltype)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = _utc(value)
        return value if capabilities(dialect).aware_datetime else _naive(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite as read by a driver that returns text
            return _from_text(value)
        return _aware(value)


def _utc(value: Any) -> dt.datetime:
    """``value`` in UTC; anything but an aware datetime refused."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(f"expected a datetime, got {type(value).__name__}")
    zone = value.tzinfo
    if zone is UTC:
        return value
    if zone is None or value.utcoffset() is None:
        raise ValidationError(
            "naive datetime refused: pass a timezone-aware value (e.g. tzinfo=UTC)"
        )
    return value.astimezone(UTC)


_combine = dt.datetime.combine
_parse = dt.datetime.fromisoformat


def _naive(value: dt.datetime) -> dt.datetime:
    """A UTC datetime without its zone (what a backend without aware timestamps stores)."""
    return _combine(value.date(), value.time())


def _aware(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (naive ones are stored in UTC)."""
    zone = value.tzinfo
    if zone is None:
        return _combine(value.date(), value.time(), UTC)
    return value if zone is UTC else value.astimezone(UTC)


def _stored(value: Any) -> dt.datetime | None:
    """A driver's timestamp as an aware UTC datetime (``process_result_value``, less the
    dialect it does not need)."""
    if value is None:
        return None
    if type(value) is str:
        return _from_text(value)
    zone = value.tzinfo
    return value if zone is UTC else _aware(value)


def _from_text(value: Any) -> dt.datetime | None:
    """A stored timestamp from SQLite's text: naive UTC as storied writes it, or text that
    names its own offset."""
    if value is None:
        return None
    if type(value) is str:
        try:
            return _parse(value + "+00:00")
        except ValueError:  # it has an offset already, or it is not a timestamp
            value = _parse(value)
    return _aware(value)


FROM_TEXT = ColumnWise(_from_text, utc_text_column(_from_text))
STORED = ColumnWise(_stored, utc_stored_column(_stored))


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
