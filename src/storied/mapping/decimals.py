"""Decimals, exactly: the column type (DECIMAL, or scaled integers on SQLite) and the fit check.

A value that does not fit its column exactly is refused before any SQL (``fit_values``), so a
Decimal is never rounded by the database; SQLite, which has no exact decimal type, stores the
value as an integer of the column's fixed point, which sorts and compares like the number.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..dialects import Capabilities, ColumnWise, capabilities
from ..errors import ValidationError
from ..models.spec import FieldSpec
from .columnwise import decimal_column, scaled_decimal_column

if TYPE_CHECKING:
    from .registry import MappedModel

#: Decimal places of a field that declares max_digits but no decimal_places.
DEFAULT_SCALE = 6


class ExactDecimal(TypeDecorator[Decimal]):
    """DECIMAL(p, s) where the backend has it; a scaled BIGINT on SQLite (exact and sortable).

    A field that declares neither precision nor scale gets the backend's widest exact type
    (``Capabilities.widest_decimal``: unbounded NUMERIC on PostgreSQL, DECIMAL(65, 30) on
    MariaDB); one that declares only ``max_digits`` keeps 6 decimal places.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int | None, scale: int | None) -> None:
        super().__init__(precision, scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def limits(self, caps: Capabilities) -> tuple[int | None, int | None]:
        """(precision, scale) of the column on a backend; None where it is unbounded."""
        wide = caps.widest_decimal
        if self.precision is None and self.scale is None:
            return wide if wide is not None else (None, None)
        scale = self.scale if self.scale is not None else DEFAULT_SCALE
        precision = self.precision
        if wide is not None:
            precision = wide[0] if precision is None else precision
            if not caps.exact_decimal:  # scaled 64-bit integers hold 18 digits, whatever is asked
                precision = min(precision, wide[0])
        return precision, scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        caps = capabilities(dialect)
        if caps.exact_decimal:
            precision, scale = self.limits(caps)
            if precision is None:  # unbounded: NUMERIC takes no scale; validation keeps it
                return dialect.type_descriptor(sa.Numeric(asdecimal=True))
            return dialect.type_descriptor(sa.Numeric(precision, scale, asdecimal=True))
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        caps = capabilities(dialect)
        if caps.exact_decimal:
            return _finite(value)
        return _scaled_int(value, self.limits(caps)[1] or 0)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        caps = capabilities(dialect)
        if caps.exact_decimal:
            return value if isinstance(value, Decimal) else Decimal(str(value))
        return Decimal(int(value)).scaleb(-(self.limits(caps)[1] or 0))

    # Where decimals are scaled integers (SQLite), the processors settle the scale once per
    # compiled statement instead of looking the backend up for every value; they compose with
    # the integer type's own processors, as TypeDecorator's do.

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        caps = capabilities(dialect)
        if caps.exact_decimal:
            exact = self.load_dialect_impl(dialect).bind_processor(dialect)

            def bind(value: Any) -> Any:
                if value is not None and not (type(value) is Decimal and value.is_finite()):
                    value = _finite(value)
                return value if exact is None else exact(value)

            return bind
        scale = self.limits(caps)[1] or 0
        inner = self.load_dialect_impl(dialect).bind_processor(dialect)

        def process(value: Any) -> Any:
            if value is not None:
                # _scaled_int, inlined: this runs for every value bound
                number = value if type(value) is Decimal and value.is_finite() else _finite(value)
                scaled = number.scaleb(scale)
                if scaled != scaled.to_integral_value():
                    raise ValidationError(f"decimal has more than {scale} decimal places")
                value = int(scaled)
            return value if inner is None else inner(value)

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        caps = capabilities(dialect)
        if caps.exact_decimal:
            try:
                exact = self.load_dialect_impl(dialect).result_processor(dialect, coltype)
            except TypeError:
                # psycopg's numeric processor wants the column's type code, known only after
                # execution; psycopg returns Decimal itself, as the other drivers do
                exact = None
            if exact is None:
                return DRIVER_DECIMAL

            def result(value: Any) -> Decimal | None:
                if exact is not None:
                    value = exact(value)
                if value is None or type(value) is Decimal:
                    return value
                return Decimal(str(value))

            return result
        shift = -(self.limits(caps)[1] or 0)
        inner = self.load_dialect_impl(dialect).result_processor(dialect, coltype)

        def process(value: Any) -> Decimal | None:
            if inner is not None:
                value = inner(value)
            return None if value is None else Decimal(int(value)).scaleb(shift)

        if inner is not None:
            return process
        return ColumnWise(process, scaled_decimal_column(shift, process))

    def average(self) -> DecimalAverage:
        """The type of ``AVG`` over this column."""
        return DecimalAverage(self.scale if self.scale is not None else DEFAULT_SCALE)


def _decimal(value: Any) -> Decimal | None:
    """A driver's DECIMAL value: the Decimal it is, normalized only when it is not one."""
    if value is None or type(value) is Decimal:
        return value
    return Decimal(str(value))


#: with its whole-column form, for results of many rows (mapping/columnwise.py)
DRIVER_DECIMAL = ColumnWise(_decimal, decimal_column(_decimal))


def _finite(value: Any) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(f"not a decimal number: {type(value).__name__}") from None
    if not number.is_finite():
        raise ValidationError("NaN and infinite decimals cannot be stored")
    return number


def _scaled_int(value: Any, scale: int) -> int:
    """A decimal as the integer of its ``scale``-digit fixed point (SQLite's storage)."""
    scaled = _finite(value).scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"decimal has more than {scale} decimal places")
    return int(scaled)


#: quantizes at any size a column can have (PostgreSQL's NUMERIC: 147,455 digits at most)
_EXACT = Context(prec=150_000, traps=[InvalidOperation])
#: the context's own method: ``Decimal.quantize(exp, context=…)`` parses its keyword for
#: about as long as the quantizing takes (this runs on every Decimal of every write)
_quantize = _EXACT.quantize


@functools.cache
def _exponent(scale: int) -> Decimal:
    return Decimal(1).scaleb(-scale)


def fit_decimal(value: Decimal, precision: int | None, scale: int | None) -> Decimal | str:
    """``value`` at the column's scale, or what keeps it from fitting exactly."""
    if not value.is_finite():
        return "NaN and infinity cannot be stored"
    if scale is None:
        return value
    fitted = _quantize(value, _exponent(scale))
    if fitted != value:
        return f"more than {scale} decimal places: the column would round it"
    if precision is not None and fitted and fitted.adjusted() >= precision - scale:
        return f"more than {precision - scale} digits before the decimal point"
    return fitted


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


def decimal_limits(
    field: FieldSpec, column: TypeEngine[Any], caps: Capabilities
) -> tuple[int | None, int | None]:
    """(precision, scale) a Decimal field's column holds on a backend (None: unbounded)."""
    if isinstance(column, ExactDecimal):
        return column.limits(caps)
    if isinstance(column, sa.Numeric) and not isinstance(column, sa.Float):
        return column.precision, column.scale
    return None, None


@functools.lru_cache(maxsize=1024)
def decimal_fits(
    mapped: MappedModel, caps: Capabilities
) -> dict[str, tuple[int | None, int | None]]:
    """Decimal field → (precision, scale) of its column on a backend."""
    return {
        name: decimal_limits(f, mapped.field_columns[name].type, caps)
        for name, f in mapped.spec.fields.items()
        if f.kind == "decimal"
    }


def fit_values(
    model: str, fits: dict[str, tuple[int | None, int | None]], values: dict[str, Any]
) -> None:
    """Put the Decimal ``values`` at their columns' scale, in place, or refuse those that do
    not fit exactly (``fits``: field → its column's precision and scale)."""
    errors: list[dict[str, Any]] = []
    for name, (precision, scale) in fits.items():
        value = values.get(name)
        if isinstance(value, Decimal):
            if scale is not None and value.is_finite():  # fit_decimal's way, when it fits
                quantized = _quantize(value, _exponent(scale))
                if quantized == value and (
                    precision is None or not quantized or quantized.adjusted() < precision - scale
                ):
                    # already at that scale: keep the object (a Decimal is immutable), so a
                    # batch's bind processor converts a value its rows share once
                    if not value.same_quantum(quantized):
                        values[name] = quantized
                    continue
            fitted = fit_decimal(value, precision, scale)
            if isinstance(fitted, str):
                errors.append({"loc": (name,), "msg": fitted})
            elif fitted is not value:
                values[name] = fitted
    if errors:
        parts = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in errors)
        raise ValidationError(f"invalid {model}: {parts}", errors)
