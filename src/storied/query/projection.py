"""Projected values (``select(...)``, aggregates) in their field's Python type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .expressions import Aggregate, FieldRef
from .joins import owner_of

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry

_MICROSECOND = dt.timedelta(microseconds=1)


def projected_value(mapped: MappedModel, item: FieldRef | Aggregate, value: Any) -> Any:
    """A projected value in the field's Python type, whatever the driver returned (PostgreSQL
    sums integers as NUMERIC, SQLite averages as REAL …)."""
    if value is None:
        return None
    if isinstance(item, FieldRef):
        return value
    if item.fn == "count":
        return int(value)
    assert item.field is not None
    if item.fn == "avg":
        kind = mapped.spec.fields[item.field].kind if item.field in mapped.spec.fields else ""
        if kind == "duration":  # an interval, or the mean of BIGINT microseconds
            return value if isinstance(value, dt.timedelta) else _MICROSECOND * float(value)
        return Decimal(str(value)) if kind == "decimal" else float(value)
    return mapped.spec.coerce(item.field, value)


def localized(
    registry: Registry, mapped: MappedModel, item: FieldRef | Aggregate
) -> tuple[MappedModel, FieldRef | Aggregate]:
    """An aggregate over a related field (``func.sum(F["lines.qty"])``) as one over the
    related model's own field, so its value is typed like that field."""
    if isinstance(item, Aggregate) and item.field is not None and "." in item.field:
        owner, last = owner_of(registry, mapped, item.field)
        return owner, Aggregate(item.fn, last, item.alias, item.distinct)
    return mapped, item
