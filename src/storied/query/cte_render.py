"""CTE shape → statement: ``WITH [RECURSIVE] name AS (…) SELECT … FROM name …``.

The CTE's query is rendered as any query of its model (so it carries the scope's predicates,
:mod:`.scoping`); a recursive step reads the model again, through an alias, and takes the
same predicates: another tenant's row, a soft-deleted one or a version not valid at the
query's moment never joins the walk, and so never brings its own descendants in.

A walk keeps a hidden column of the ids on each row's path (``,id1,id2,``) and never steps
to a row already on it: a cycle in a graph ends the walk instead of hanging it.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from .._compat import ClauseAdapter
from ..dialects.types import walk_text
from ..mapping.registry import Registry
from ..mapping.types import ExactDecimal
from ..tenancy.scope import scope_for, shaped
from .cte_shapes import WALK_IDS, CteSelect, CteShape
from .ordering import order_terms
from .scoping import row_predicates
from .shapes import (
    Agg,
    AllOf,
    AnyOf,
    Column,
    Not,
    Predicate,
    Projected,
    Related,
    Windowed,
)
from .windows import Source, window_column, window_levels

if TYPE_CHECKING:
    from .render import Renderer

CteMode = Literal["count", "exists", "project"]
Columns = dict[str, sa.ColumnElement[Any]]


def render_cte(renderer: Renderer, shape: CteShape) -> sa.CTE:
    """The CTE of ``shape``, its model read in ``renderer``'s scope (as for that model).

    One CTE object per shape and scope shape: a statement naming one CTE twice (in two
    filters) then holds it once, as SQL must (two CTE objects of one name are refused).
    """
    scope = scope_for(renderer.scope, shape.mapped.spec)
    kind: Any = type(renderer)
    return _cte(kind, shape, scope.shape, renderer.registry)


@lru_cache(maxsize=1024)
def _cte(kind: Any, shape: CteShape, scope_shape: Hashable, registry: Registry) -> sa.CTE:
    """Built from the shapes alone (as every statement is), so it may be kept like them.
    ``kind`` is the Renderer class (render imports this module, not the other way)."""
    mapped = shape.mapped
    body_renderer: Renderer = kind(mapped, shaped(scope_shape), registry)
    body = body_renderer.select(shape.body, "project")
    walk = shape.walk
    if walk is None:
        return body.cte(shape.name)
    text = walk_text()
    table = mapped.table
    anchor: list[Any] = [_ids(sa.literal(",") + sa.cast(table.c.id, text) + ",", text)]
    if walk.depth:
        anchor.append(sa.cast(sa.literal(0), sa.Integer()).label(walk.depth))
    if walk.path:
        anchor.append(
            sa.cast(_text(mapped.field_columns[walk.path[1]], text), text).label(walk.path[0])
        )
    cte = body.add_columns(*anchor).cte(shape.name, recursive=True)
    alias = table.alias()
    on = ClauseAdapter(alias).traverse
    walked = cte.c[WALK_IDS]
    step_id = sa.cast(alias.c.id, text)
    items: list[Any] = [on(mapped.field_columns[p.field]).label(p.label) for p in _fields(shape)]
    items.append(_ids(walked + step_id + ",", text))
    preds: list[Any] = [
        on(p)
        for p in (
            *row_predicates(mapped, body_renderer.scope, shape.body.visibility, shape.body.timed),
            *(body_renderer.predicate(mapped, w) for w in walk.where),
        )
    ]
    preds.append(sa.not_(walked.contains(sa.literal(",") + step_id + ",")))
    if walk.depth:
        depth = cte.c[walk.depth]
        items.append(sa.cast(depth + 1, sa.Integer()).label(walk.depth))
        if walk.max_depth:
            preds.append(depth < sa.bindparam(walk.max_depth, type_=sa.Integer()))
    if walk.path and walk.sep:
        sep = sa.bindparam(walk.sep, type_=sa.String())
        value = _text(on(mapped.field_columns[walk.path[1]]), text)
        items.append(sa.cast(cte.c[walk.path[0]] + sep + value, text).label(walk.path[0]))
    link = on(mapped.field_columns[walk.child]) == cte.c[walk.column]
    step = sa.select(*items).select_from(alias.join(cte, link)).where(*preds)
    return cte.union_all(step)


def select_cte(renderer: Renderer, shape: CteSelect, mode: CteMode) -> sa.Select[Any]:
    """``SELECT … FROM cte …`` (a count or an EXISTS over it), the WITH clause attached."""
    cte = render_cte(renderer, shape.cte)
    cols: Columns = {n: cte.c[n] for n in shape.cte.columns}
    labels: Columns = {}
    items: list[Any] = list(cols.values())
    preds = [_predicate(renderer, cols, p) for p in shape.where]
    source = Source(cols, lambda agg: _aggregate(cols, agg), cte)
    start: Any = cte
    fields: Columns = cols  # the columns order_by may name beside the labels
    layered = window_levels(renderer, shape, preds, source) if shape.projection else None
    if layered is not None:  # several windows: each in a derived table of its own
        start, columns, fields = layered
        labels = {k: c.label(k) for k, c in columns.items()}
        preds = []  # inside, with the first window
    elif shape.projection:
        labels = {p.label: _projected(renderer, source, p).label(p.label) for p in shape.projection}
    if labels:
        items = list(labels.values())
    stmt = sa.select(*items).select_from(start).where(*preds)
    if shape.grouping:
        stmt = stmt.group_by(*(cols[g] for g in shape.grouping))
    if shape.having:
        stmt = stmt.having(*(_predicate(renderer, cols, p) for p in shape.having))
    if shape.distinct:
        stmt = stmt.distinct()
    if mode == "exists":
        return sa.select(stmt.exists())
    if mode == "count":
        return sa.select(sa.func.count()).select_from(stmt.subquery())
    known: Any = {**fields, **labels}
    stmt = stmt.order_by(
        *(
            k
            for o in shape.orders
            for k in order_terms(shape.cte.mapped.field_columns.__getitem__, o, known)
        )
    )
    if shape.limited or shape.offset:
        stmt = stmt.limit(sa.bindparam("_limit", type_=sa.BigInteger()))
    if shape.offset:
        stmt = stmt.offset(sa.bindparam("_offset", type_=sa.BigInteger()))
    return stmt


def _fields(shape: CteShape) -> list[Column]:
    return [p for p in shape.body.projection if isinstance(p, Column)]


def _ids(value: Any, text: Any) -> sa.Label[Any]:
    return sa.cast(value, text).label(WALK_IDS)


def _text(column: Any, text: Any) -> Any:
    """A path part: the value as text, '' for NULL (so one NULL does not blank the path)."""
    return sa.func.coalesce(sa.cast(column, text), sa.cast(sa.literal(""), text), type_=text)


def _projected(renderer: Renderer, source: Source, item: Projected) -> sa.ColumnElement[Any]:
    if isinstance(item, Column):
        return source.columns[item.field]  # type: ignore[no-any-return]
    if isinstance(item, Windowed):
        return window_column(renderer, item, source)
    return _aggregate(dict(source.columns), item.agg)


def _aggregate(cols: Columns, agg: Agg) -> sa.ColumnElement[Any]:
    if agg.field is None:
        return sa.func.count()
    col = cols[agg.field]
    arg = sa.distinct(col) if agg.distinct else col
    if agg.fn == "avg" and isinstance(col.type, ExactDecimal):
        # typed, so the average of scaled-integer decimals (SQLite) is scaled back
        return sa.func.avg(arg, type_=col.type.average())
    return getattr(sa.func, agg.fn)(arg)  # type: ignore[no-any-return]


def _predicate(renderer: Renderer, cols: Columns, node: Predicate) -> sa.ColumnElement[bool]:
    match node:
        case AllOf(parts):
            return sa.and_(*(_predicate(renderer, cols, p) for p in parts))
        case AnyOf(parts):
            return sa.or_(*(_predicate(renderer, cols, p) for p in parts))
        case Not(part):
            return sa.not_(_predicate(renderer, cols, part))
        case Related():
            raise AssertionError("shaping refuses related paths over a CTE")
    target = node.target
    col = _aggregate(cols, target) if isinstance(target, Agg) else cols[target]
    return renderer.leaf(col, node)
