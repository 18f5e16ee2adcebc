"""Projected values (``select(...)``, aggregates) in their field's Python type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .expressions import Aggregate, FieldRef, Window
from .joins import owner_of

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry

_MICROSECOND = dt.timedelta(microseconds=1)


def projected_key(item: FieldRef | Aggregate | Window) -> str:
    """The key of a projected item in a result dict: the field's name, or the label."""
    return item.name if isinstance(item, FieldRef) else item.key


def projected_value(mapped: MappedModel, item: FieldRef | Aggregate | Window, value: Any) -> Any:
    """A projected value in the field's Python type, whatever the driver returned (PostgreSQL
    sums integers as NUMERIC, SQLite averages as REAL …); a window's as its aggregate's (a
    rank as a count, a lag/lead as a max of its field)."""
    if value is None:
        return None
    if isinstance(item, FieldRef):
        return value
    if isinstance(item, Window):
        call = item.call
        if call.fn in ("row_number", "rank", "dense_rank"):
            return int(value)
        field = call.field.name if isinstance(call.field, FieldRef) else call.field
        item = Aggregate("max" if call.fn in ("lag", "lead") else call.fn, field)  # type: ignore[arg-type]
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
    registry: Registry, mapped: MappedModel, item: FieldRef | Aggregate | Window
) -> tuple[MappedModel, FieldRef | Aggregate | Window]:
    """An aggregate over a related field (``func.sum(F["lines.qty"])``) as one over the
    related model's own field, so its value is typed like that field."""
    if isinstance(item, Aggregate) and item.field is not None and "." in item.field:
        owner, last = owner_of(registry, mapped, item.field)
        return owner, Aggregate(item.fn, last, item.alias, item.distinct)
    return mapped, item
