"""CTE → shape: the CTE's query shaped like any query of its model, its walk's and its
readers' names checked (against the model, or against the CTE's columns) and values bound.

The functions take the :class:`~.shaping.Shaper` at work, so a CTE's binds join the
statement's one set of parameters (a CTE in a filter shares its outer query's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import UnknownFieldError, ValidationError
from .cte import Cte
from .cte_shapes import WALK_DEPTH, CteSelect, CteShape, CteSub, WalkShape
from .expressions import Aggregate, Condition, FieldRef, Window
from .joins import joins_of
from .shapes import Agg, Aggregated, AllOf, AnyOf, Column, Not, Predicate, Projected, Windowed
from .windows import check_windowed, shape_window

if TYPE_CHECKING:
    from .query import Query
    from .shaping import Shaper

_NOT_HERE = "belongs on the query the CTE is made from, not on a query over the CTE"


def shape_cte(shaper: Shaper, cte: Cte) -> CteShape:
    """The shape of ``cte``, its values bound into ``shaper``'s parameters; the same CTE
    named twice in one statement is one shape (its WITH clause holds it once)."""
    seen = shaper.ctes.get(cte.name)
    if seen is not None:
        if seen[0] is not cte:
            raise ValidationError(f"one statement names two different CTEs {cte.name!r}")
        shape: CteShape = seen[1]
        return shape
    shape = _shape_cte(shaper, cte)
    shaper.ctes[cte.name] = (cte, shape)
    return shape


def _shape_cte(shaper: Shaper, cte: Cte) -> CteShape:
    source = cte.source
    if joins_of(source):
        raise ValidationError(
            f"CTE {cte.name}: its query cannot join related models (dotted fields outside "
            "filters, join()); filter on related fields instead"
        )
    runner: Any = source.runner
    registry = shaper.registry
    if runner.scope != shaper.scope and runner.scope.kind != "untenanted":
        raise ValidationError("a CTE must read in the same tenant scope as its query")
    taken = {t.name.lower() for t in registry.metadata.tables.values()}
    if cte.name.lower() in taken:
        raise ValidationError(f"CTE name {cte.name!r} is a table's name; choose another")
    moment = shaper.params.get("_asof")  # one moment per statement: its binds share a name
    if source.as_of_value is not None and moment not in (None, source.as_of_value):
        raise ValidationError("a CTE must read as of the same moment as its query")
    mapped = runner.mapped
    inner = type(shaper)(mapped, runner.scope, registry, shaper.params)
    inner.ctes = shaper.ctes
    if not source.projection:
        source = source.select(*(FieldRef(n) for n in mapped.names))
    if cte.walk is None:
        return CteShape(cte.name, mapped, inner.structure(source), None)
    if any(isinstance(p, Aggregate | Window) for p in source.projection) or source.grouping:
        raise ValidationError(
            "a recursive CTE's query selects fields, not aggregates, windows or groups"
        )
    if source.having_conditions or source.distinct_rows or source.orders:
        raise ValidationError(
            "a recursive CTE's query takes no having(), distinct() or order_by(): "
            "order the query over the CTE instead"
        )
    body = inner.structure(source)
    walk = cte.walk
    labels = [p.label for p in body.projection]
    mapped.spec.check_readable(walk.child)
    if walk.column not in labels:
        raise UnknownFieldError(f"CTE {cte.name}", walk.column, labels)
    kinds = {_kind(mapped, walk.child), _kind(mapped, walk.column)}
    if None not in kinds and len(kinds) > 1:
        raise ValidationError(
            f"CTE {cte.name}: link compares {walk.child!r} with {walk.column!r}, "
            "which hold different types"
        )
    added = [n for n in (walk.depth, walk.path and walk.path[0]) if n]
    for label in added:
        if label in labels:
            raise ValidationError(f"CTE {cte.name}: {label!r} is already one of its columns")
    depth = walk.depth or (WALK_DEPTH if walk.max_depth is not None else None)
    path = sep = None
    if walk.path is not None:
        mapped.spec.check_readable(walk.path[1])
        path, sep = walk.path[:2], inner.bind(walk.path[2])
    limit = None if walk.max_depth is None else inner.bind(walk.max_depth)
    where = tuple(inner.condition(mapped, c, body.timed) for c in walk.where)
    step = WalkShape(walk.child, walk.column, depth, path, sep, limit, where)
    return CteShape(cte.name, mapped, body, step)


def shape_cte_query(shaper: Shaper, query: Query[Any]) -> CteSelect:
    """The shape of a query over a CTE (``cte.query()…``), binding its values."""
    assert query.source is not None
    if query.visibility != "live" or query.as_of_value is not None:
        raise ValidationError(f"include_deleted()/as_of() {_NOT_HERE}")
    if query.loads or query.after_values is not None:
        raise ValidationError("a query over a CTE returns dicts: no load(), after() or iterate()")
    if query.joins:
        raise ValidationError("a query over a CTE reads the CTE's columns: it joins no relation")
    cte = shape_cte(shaper, query.source)
    columns = cte.columns
    where = tuple(_condition(shaper, cte, c) for c in query.conditions)
    projection = tuple(_projected(shaper, cte, p) for p in query.projection)
    if any(isinstance(p, Window) for p in query.projection):
        check_windowed(query)
    for name in query.grouping:
        _check(cte, name)
    having = tuple(_condition(shaper, cte, c) for c in query.having_conditions)
    known = {*columns, *(p.label for p in projection)}
    for order in query.orders:
        if order.field not in known:
            raise UnknownFieldError(f"CTE {cte.name}", order.field, sorted(known))
    params = shaper.params
    for key, value in (("_limit", query.limit_value), ("_offset", query.offset_value)):
        if value is not None:
            params[key] = value
    if query.offset_value is not None and query.limit_value is None:
        params["_limit"] = 2**62  # MySQL accepts OFFSET only after LIMIT
    return CteSelect(
        cte,
        where,
        projection,
        query.grouping,
        having,
        query.orders,
        query.distinct_rows,
        query.limit_value is not None,
        query.offset_value is not None,
    )


def cte_subquery(shaper: Shaper, query: Query[Any]) -> CteSub:
    """A one-column query over a CTE, used in a filter (``F.id.in_(cte.query().select(F.id))``)."""
    if len(query.projection) != 1:
        raise ValidationError("a subquery over a CTE selects exactly one column")
    if query.limit_value is not None or query.offset_value is not None:
        raise ValidationError("a subquery cannot have limit() or offset()")
    return CteSub(shape_cte_query(shaper, query))


def _kind(mapped: Any, name: str) -> type | None:
    """The Python type a field's column holds (None where its type does not say)."""
    try:
        kind: type = mapped.field_columns[name].type.python_type
    except NotImplementedError:
        return None
    return None if kind is object else kind  # a decorated type that does not say


def _check(cte: CteShape, name: str) -> None:
    if name not in cte.columns:
        raise UnknownFieldError(f"CTE {cte.name}", name, cte.columns)


def _projected(shaper: Shaper, cte: CteShape, item: Any) -> Projected:
    if isinstance(item, Window):
        return shape_window(
            shaper, item, lambda name: _check(cte, name), lambda name, v: _coerce(cte, name, v)
        )
    if isinstance(item, Aggregate):
        return Aggregated(_aggregate(cte, item), item.key)
    _check(cte, item.name)
    return Column(item.name)


def _coerce(cte: CteShape, label: str, value: Any) -> Any:
    """A value for column ``label`` (a lag's default) in the type of the field it came from."""
    field = source_field(cte, label)
    if field is not None:
        return cte.mapped.spec.coerce(field, value)
    origin = cte.origin(label)
    if isinstance(origin, Windowed | Aggregated) and origin.agg.fn == "count":
        _integers(value)
    return value


def _aggregate(cte: CteShape, agg: Aggregate) -> Agg:
    if agg.field is not None:
        _check(cte, agg.field)
    elif agg.fn != "count":
        raise ValidationError(f"{agg.fn}() needs a field")
    return Agg(agg.fn, agg.field, agg.distinct)


def source_field(cte: CteShape, label: str, fn: str | None = None) -> str | None:
    """The model field whose type values compared with (or aggregated over) ``label`` have:
    the field itself, or the field a min/max/sum in the CTE's query went over."""
    origin = cte.origin(label)
    if fn in ("count", "avg"):
        return None
    if isinstance(origin, Column):
        return origin.field
    if isinstance(origin, Aggregated | Windowed) and origin.agg.fn in ("min", "max", "sum"):
        return origin.agg.field
    return None


def _condition(shaper: Shaper, cte: CteShape, cond: Condition) -> Predicate:
    if cond.op in ("and", "or"):
        parts = tuple(_condition(shaper, cte, c) for c in cond.children)
        return AllOf(parts) if cond.op == "and" else AnyOf(parts)
    if cond.op == "not":
        if len(cond.children) != 1:
            raise ValidationError("a negation takes exactly one condition: ~(F.x == 1)")
        return Not(_condition(shaper, cte, cond.children[0]))
    target = cond.field
    if isinstance(target, Aggregate):
        agg = _aggregate(cte, target)
        field = source_field(cte, target.field, target.fn) if target.field else None
        return shaper.leaf(cte.mapped, agg, cond, field)
    name = target or ""
    _check(cte, name)
    field = source_field(cte, name)
    origin = cte.origin(name)
    if field is None and cte.walk is not None and name == cte.walk.depth:
        _integers(cond.value)
    elif isinstance(origin, Windowed) and origin.agg.fn == "count":
        _integers(cond.value)  # a rank, a row number or a count
    return shaper.leaf(cte.mapped, name, cond, field)


def _integers(value: Any) -> None:
    """A depth or a rank is compared with integers only (no field to coerce values to)."""
    from_query = hasattr(value, "runner")
    values = value if isinstance(value, tuple) and not from_query else (value,)
    for v in values:
        if v is not None and not from_query and (not isinstance(v, int) or isinstance(v, bool)):
            raise ValidationError(f"a depth, rank or count is compared with integers, not {v!r}")
