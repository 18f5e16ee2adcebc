"""Running a query over a CTE: dicts (or tuples, after ``tuples()``) whose values have their
source field's Python type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import MultipleResultsError, NotFoundError
from ..ops.requests import Operation
from ..query.cte_compiler import compile_cte_query
from ..query.cte_render import CteMode
from ..query.cte_shapes import CteSelect, CteShape
from ..query.expressions import Aggregate
from ..query.projection import projected_value
from ..query.shapes import Aggregated, Column, Windowed

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel, Registry
    from ..query.query import Query
    from ..tenancy.scope import Scope

Convert = Callable[[Any], Any]


def run_cte_query(
    registry: Registry, mapped: MappedModel, scope: Scope, query: Query[Any], mode: str
) -> Operation[Any]:
    compiled: CteMode = "count" if mode == "count" else "exists" if mode == "exists" else "project"
    request, shape = compile_cte_query(mapped, scope, registry, query, compiled)
    result = yield request
    if mode == "count":
        return int(result.rows[0][0])
    if mode == "exists":
        return bool(result.rows[0][0])
    columns = _converters(mapped, shape)
    rows: list[Any]
    if query.rows_as == "tuples":  # plain tuples of the columns, in order
        rows = _tuples(result.rows, [(i, f) for i, (_, f) in enumerate(columns) if f is not None])
    else:
        keys = [k for k, _ in columns]
        rows = [dict(zip(keys, r, strict=True)) for r in result.rows]
        converting = [(k, f) for k, f in columns if f is not None]
        for row in rows if converting else ():
            for k, f in converting:
                row[k] = f(row[k])
    if mode == "first":
        return rows[0] if rows else None
    if mode == "one":
        if not rows:
            raise NotFoundError(f"CTE {shape.cte.name}", "matching the query")
        if len(rows) > 1:
            raise MultipleResultsError(f"CTE {shape.cte.name}: more than one row matches")
        return rows[0]
    return rows


def _tuples(rows: Sequence[tuple[Any, ...]], converting: list[tuple[int, Convert]]) -> list[Any]:
    if not converting:
        return list(rows)
    out = []
    for row in rows:
        values = list(row)
        for i, f in converting:
            values[i] = f(values[i])
        out.append(tuple(values))
    return out


def _converters(mapped: MappedModel, shape: CteSelect) -> list[tuple[str, Convert | None]]:
    """Each column's name and how its values are converted (None: as the driver and the
    column type's result processor gave them, the Python type already)."""
    items = shape.projection or tuple(Column(n) for n in shape.cte.columns)
    out = []
    for item in items:
        if isinstance(item, Column):
            out.append((item.label, _converter(mapped, shape.cte, item.field, None)))
        else:
            agg = item.agg
            out.append((item.label, _converter(mapped, shape.cte, agg.field, agg.fn)))
    return out


def _converter(
    mapped: MappedModel, cte: CteShape, label: str | None, fn: str | None
) -> Convert | None:
    """How a value of column ``label`` (aggregated by ``fn``) becomes its Python type: as the
    field it came from would be (PostgreSQL sums integers as NUMERIC, SQLite averages as REAL)."""
    if fn == "count" or label is None:
        return _maybe(int)
    origin = cte.origin(label)
    if fn is None and not isinstance(origin, Aggregated | Windowed):
        return None  # a field (typed by its column), a walk's depth (int) or path (text)
    if origin is None or (isinstance(origin, Aggregated | Windowed) and origin.agg.fn == "count"):
        # a walk's depth (or a count): integers; a path is text as the driver returns it
        if cte.walk is not None and cte.walk.path and label == cte.walk.path[0]:
            return _maybe(str)
        return _maybe(float) if fn == "avg" else _maybe(int)
    item: Aggregate
    if isinstance(origin, Column):
        item = Aggregate(fn, origin.field)  # type: ignore[arg-type]
    else:
        inner = origin.agg
        item = Aggregate(inner.fn if fn in (None, "min", "max") else fn, inner.field)  # type: ignore[arg-type]
    return lambda value: projected_value(mapped, item, value)


def _maybe(kind: Callable[[Any], Any]) -> Convert:
    return lambda value: None if value is None else kind(value)
