"""How each result column's values become their model types: one value at a time, or a
whole column at a time (``Compiled.rows`` from ``COLUMNWISE`` rows on)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.engine import Dialect

from ..dialects import ColumnWise, uuid_result
from ..dialects.results import UUIDS, one_value

Processor = Callable[[Any], Any] | None
#: a result processor over a whole column's values
ColumnProcessor = Callable[[Sequence[Any]], Sequence[Any]]

_UNSEEN: Any = object()


def result_processors(columns: Sequence[Any], dialect: Dialect) -> tuple[Processor, ...]:
    """Each column's result processor on ``dialect`` (None: the driver's value is final)."""
    results = tuple(_remembered(c.type, _result_processor(c.type, dialect)) for c in columns)
    exact = uuid_result(dialect)
    if exact is not None:  # the driver's uuid values need converting (asyncpg's subclass)
        results = tuple(
            exact if p is None and _is_uuid(c.type) else p
            for c, p in zip(columns, results, strict=True)
        )
    return results


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)  # type: ignore[no-any-return]
    except TypeError:
        # psycopg's numeric processor wants the column's type code, which is only known after
        # execution; those drivers return Decimal themselves, and ExactDecimal normalizes it.
        return _decorator_only(type_, dialect)


def _is_uuid(type_: Any) -> bool:
    return isinstance(type_, sa.Uuid) and bool(type_.as_uuid)


def _remembered(type_: Any, process: Processor) -> Processor:
    """A UUID column's processor that keeps the last value it made: where UUIDs are text
    (SQLite, MySQL), each costs a ``uuid.UUID(hex)`` (about 10,000 instructions), and a
    column such as the tenant's repeats one value in every row a repository reads. Another
    value costs one comparison more; UUIDs are immutable, so rows may share one. (Results of
    ``COLUMNWISE`` rows or more parse the column in pydantic-core instead: ``_UuidColumn``.)"""
    if process is None or not _is_uuid(type_) or isinstance(process, ColumnWise):
        return process
    return _Remembered(process)


class _Remembered:
    __slots__ = ("convert", "last")

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert
        self.last: tuple[Any, Any] = (_UNSEEN, None)

    def __call__(self, value: Any) -> Any:
        seen = self.last
        if seen[0] == value:
            return seen[1]
        made = self.convert(value)
        self.last = (value, made)
        return made


class _UuidColumn:
    """A text UUID column's processor over a whole column: pydantic-core parses the values
    (into ``uuid.UUID``, as the processor does); text it refuses goes through the processor,
    which raises SQLAlchemy's own error. A column of one value (the tenant's, in every read
    of a tenant's repository) is parsed once; its rows share the immutable UUID."""

    __slots__ = ("process",)

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process

    def __call__(self, values: Sequence[Any]) -> Sequence[Any]:
        if one_value(values):
            return [self.process(values[0])] * len(values)
        try:
            return UUIDS.validate_python(values)
        except PydanticValidationError:
            return list(map(self.process, values))


def per_value(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The per-value form of a processor (called with values that are not None)."""
    return process.value if isinstance(process, ColumnWise) else process


def per_column(process: Callable[[Any], Any]) -> ColumnProcessor:
    """The whole-column form of a processor (called with a column's values, None among them)."""
    if isinstance(process, _Remembered):
        return _UuidColumn(process.convert)
    convert = process.column if isinstance(process, ColumnWise) else partial(_each, process)
    return partial(_unless_none, convert)


def _each(process: Callable[[Any], Any], values: Sequence[Any]) -> Sequence[Any]:
    return list(map(process, values))


def _unless_none(convert: ColumnProcessor, values: Sequence[Any]) -> Sequence[Any]:
    if values[0] is None and values.count(None) == len(values):  # deleted_at of live rows
        return values
    return convert(values)


def _decorator_only(type_: Any, dialect: Dialect) -> Processor:
    process = getattr(type_, "process_result_value", None)
    if process is None or not hasattr(type_, "impl"):
        return None
    return lambda value: process(value, dialect)
