"""Plain rows (``query.tuples()`` / ``query.dicts()``): values in their Python types, as the
column types' result processors made them (exact Decimal, aware UTC datetime, ``uuid.UUID``,
date, timedelta, bool, JSON), without Pydantic validation.

The executor has already converted every column whose driver value is not its Python type
(``engine/compiled.py``: only the columns with a result processor, per dialect and driver), so
a whole-model row only needs its fields put in declared order, and a ``select()`` row only its
aggregates coerced to their field's type (PostgreSQL sums integers as NUMERIC, SQLite averages
as REAL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..query.expressions import Aggregate, FieldRef, Window
from ..query.projection import localized, projected_key, projected_value

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from ..query.query import RowForm

Convert = Callable[[Any], Any]


def model_rows(mapped: MappedModel, rows: Sequence[tuple[Any, ...]], form: RowForm) -> list[Any]:
    """A whole-model query's rows as tuples or dicts of the model's fields."""
    return mapped.to_tuples(rows) if form == "tuples" else mapped.to_dicts(rows)


def projected_rows(
    registry: Registry,
    mapped: MappedModel,
    items: Sequence[FieldRef | Aggregate | Window],
    rows: Sequence[tuple[Any, ...]],
    form: RowForm,
) -> list[Any]:
    """A ``select()``'s rows as tuples (``form == "tuples"``) or dicts keyed by label (its
    rows' form unless ``tuples()`` was asked for); only
    the aggregates' values are converted (a field's value is its column type's already), an
    aggregate over a related field (``func.sum(F["lines.qty"])``) typed like that field."""
    converting: list[tuple[int, Convert]] = [
        (i, partial(projected_value, *localized(registry, mapped, p)))
        for i, p in enumerate(items)
        if not isinstance(p, FieldRef)
    ]
    if converting:
        rows = [_converted(row, converting) for row in rows]
    if form == "tuples":
        return list(rows)
    keys = [projected_key(p) for p in items]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _converted(row: tuple[Any, ...], converting: list[tuple[int, Convert]]) -> tuple[Any, ...]:
    values = list(row)
    for i, convert in converting:
        values[i] = convert(values[i])
    return tuple(values)


def row_names(
    mapped: MappedModel, projection: Sequence[FieldRef | Aggregate | Window]
) -> tuple[str, ...]:
    """The names of a plain row's values, in order (what a tuple's positions mean)."""
    if not projection:
        return mapped.declared[0]
    return tuple(projected_key(p) for p in projection)


def refuse_loads(loads: tuple[str, ...], form: RowForm) -> None:
    if loads and form != "models":
        raise ValidationError(
            f"load({loads[0]!r}) attaches related models to models; plain rows "
            f"({form}()) have none: drop load() or the {form}() call"
        )
