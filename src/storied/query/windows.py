"""Window functions: ``func.rank().over(partition_by=F.category, order_by=F.price.desc())``.

A :class:`~.expressions.Window` is plain data until shaped here: every name (the field, the
partition and order keys) is checked against the model, the lag/lead offset must be a
non-negative integer and its default is coerced to the field's type, both bound. The
:class:`~.shapes.Windowed` node renders as ``fn(…) OVER (PARTITION BY … ORDER BY … [ROWS …])``;
a query of several windows computes each in a derived table of its own (:func:`window_levels`).

Windows run over the rows the query's WHERE leaves (tenancy, soft delete and ``as_of`` are
predicates there, :mod:`.scoping`), so another tenant's or a deleted row is in no partition.
They go in ``select()`` beside fields and other windows; a query that groups or aggregates is
refused (a window over groups is not what the plain fields around it would suggest), and
their results are filtered through a CTE (``query.cte(…)``), since SQL evaluates windows after
WHERE and HAVING.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .._compat import ClauseAdapter
from ..errors import ValidationError
from .expressions import Aggregate, FieldRef, Order, Window, WindowCall
from .ordering import order_terms
from .shapes import Agg, Column, SelectShape, Windowed

if TYPE_CHECKING:
    from .cte_shapes import CteSelect
    from .query import Query
    from .render import Renderer
    from .shaping import Shaper

Frame = tuple[int | None, int | None]
#: the functions whose result depends on the rows' order: ``.over(order_by=…)`` is required
ORDERED = frozenset({"row_number", "rank", "dense_rank", "lag", "lead"})


def check_windowed(query: Query[Any]) -> None:
    """A query selecting windows selects fields and windows only, ungrouped."""
    if query.grouping or query.having_conditions:
        raise ValidationError(
            "a query with window functions takes no group_by() or having(): window functions "
            "run over rows, not groups"
        )
    if any(isinstance(p, Aggregate) for p in query.projection):
        raise ValidationError(
            "a query with window functions selects fields and windows, not aggregates: "
            "make the aggregate a window with .over(…), e.g. func.sum(F.qty).over()"
        )


def shape_window(
    shaper: Shaper,
    window: Window,
    check: Callable[[str], None] | None = None,
    coerce: Callable[[str, Any], Any] | None = None,
) -> Windowed:
    """The shape of ``window`` over ``shaper``'s model (or, with ``check`` and ``coerce``,
    over other columns: a CTE's); its offset and default bound."""
    spec = shaper.mapped.spec
    check = check or spec.check_readable
    coerce = coerce or spec.coerce
    call = window.call
    if not isinstance(call, WindowCall):
        raise ValidationError(f"{call!r} is not a window function")
    if call.distinct:
        raise ValidationError(f"{call.fn}(distinct=True) cannot be a window function")
    field = None if call.field is None else _name(call.fn, call.field)
    if field is not None:
        check(field)
    elif call.fn not in ("row_number", "rank", "dense_rank", "count"):
        raise ValidationError(f"{call.fn}() needs a field")
    partition = tuple(_name("partition_by", k) for k in window.partition)
    orders = tuple(_order(o) for o in window.orders)
    for name in (*partition, *(o.field for o in orders)):
        check(name)
    if call.fn in ORDERED and not orders:
        raise ValidationError(f"{call.fn}() needs .over(order_by=…): its result follows an order")
    rows = None if window.rows is None else _frame(call, window.rows, orders)
    offset = default = None
    if call.fn in ("lag", "lead"):
        if not _bound(call.offset) or call.offset is None or call.offset < 0:
            raise ValidationError(
                f"a {call.fn} offset is a non-negative integer, not {call.offset!r}"
            )
        offset = shaper.bind(call.offset)
        if call.default is not None:
            default = shaper.bind(coerce(field, call.default))  # type: ignore[arg-type]
    return Windowed(call.fn, field, partition, orders, rows, offset, default, window.key)


def _frame(call: WindowCall, rows: Any, orders: tuple[Order, ...]) -> Frame:
    """``rows=(start, end)`` checked: an aggregate's, in an order, integers (None: unbounded)
    rendered by SQLAlchemy as ``n PRECEDING``/``CURRENT ROW``/``n FOLLOWING``."""
    if call.fn in ORDERED:
        raise ValidationError(f"{call.fn}() takes no rows= frame")
    if not isinstance(rows, tuple) or len(rows) != 2 or not all(map(_bound, rows)):
        raise ValidationError("rows= takes (start, end): integers or None, e.g. (None, 0)")
    start = -_LIMIT if rows[0] is None else rows[0]
    if start > (_LIMIT if rows[1] is None else rows[1]):
        raise ValidationError(f"rows=({rows[0]}, {rows[1]}) ends before it starts")
    if not orders:
        raise ValidationError("rows= frames rows in an order: add order_by=…")
    frame: Frame = rows
    return frame


@dataclass(frozen=True, slots=True)
class Source:
    """What windows read: named columns, how an aggregate over them is built, and the FROM
    they come from (None: the model's table)."""

    columns: Mapping[str, Any]
    aggregate: Callable[[Agg], sa.ColumnElement[Any]]
    table: Any = None


def model_source(renderer: Renderer) -> Source:
    return Source(renderer.mapped.field_columns, renderer.aggregate)


def window_column(
    renderer: Renderer, node: Windowed, source: Source | None = None
) -> sa.ColumnElement[Any]:
    """``fn(…) OVER (…)`` over the renderer's model (or ``source``), typed as its values are."""
    source = source or model_source(renderer)
    columns = source.columns
    order = [k for o in node.orders for k in order_terms(columns.__getitem__, o, columns)]

    def over(fn: Any) -> sa.ColumnElement[Any]:
        return fn.over(  # type: ignore[no-any-return]
            partition_by=[columns[p] for p in node.partition] or None,
            order_by=order or None,
            rows=node.rows,
        )

    if node.fn in ("row_number", "rank", "dense_rank"):
        return over(getattr(sa.func, node.fn)(type_=sa.BigInteger()))
    if node.fn not in ("lag", "lead"):
        return over(source.aggregate(Agg(node.fn, node.field, False)))  # type: ignore[arg-type]
    assert node.field is not None
    assert node.offset is not None
    col = columns[node.field]
    shift = getattr(sa.func, node.fn)
    offset = sa.bindparam(node.offset, type_=sa.Integer())
    value = over(shift(col, offset, type_=col.type))
    if node.default is None:
        return value
    # LAG(x, n, default) where no row is n away: MariaDB's LAG/LEAD take no default, so the
    # missing row is told by a LAG of a constant (NULL only there; x itself may be NULL)
    missing = over(shift(sa.literal(1, sa.Integer()), offset, type_=sa.Integer())).is_(None)
    return sa.case((missing, sa.bindparam(node.default, type_=col.type)), else_=value)


#: offsets and frame bounds stay within a 32-bit integer (every backend's, and SQL's own)
_LIMIT = 2**31


def window_levels(
    renderer: Renderer,
    shape: SelectShape | CteSelect,
    preds: list[Any],
    source: Source | None = None,
) -> tuple[sa.Subquery, dict[str, Any], dict[str, Any]] | None:
    """A projection of several windows as nested derived tables, one window each, the
    scope's and the query's predicates (``preds``) innermost, the fields the projection, the
    windows and the order need carried through; None for one window or none.

    MariaDB 10.11 computes some windows of one SELECT over another window's sort (beside
    ``SUM(qty) OVER (ORDER BY category)``, ``ROW_NUMBER() OVER (ORDER BY category, name
    DESC)`` numbers the rows by category alone; beside an ``OVER ()`` others go wrong too;
    found comparing random window sets with PostgreSQL and SQLite): alone in its SELECT, each
    window gets its own sort. The rows are the same on every backend. Returns the outermost
    derived table, each projected label's column in it, and each field's.
    """
    projection = shape.projection
    windows = [p for p in projection if isinstance(p, Windowed)]
    if len(windows) < 2:
        return None
    source = source or model_source(renderer)
    columns = source.columns
    labels = {p.label for p in projection}
    needed = {p.field for p in projection if isinstance(p, Column)}
    needed.update(o.field for o in shape.orders if o.field not in labels)
    for w in windows:
        needed.update((*w.partition, *(o.field for o in w.orders), *([w.field] if w.field else ())))
    names = [n for n in columns if n in needed]  # in the model's (or CTE's) order
    stmt = sa.select(*(columns[n] for n in names))
    if source.table is not None:
        stmt = stmt.select_from(source.table)
    stmt = stmt.where(*preds)
    for i, node in enumerate(windows):
        column = window_column(renderer, node, source)
        if i:
            level = stmt.subquery(f"_w{i}")
            stmt, column = sa.select(*level.c), ClauseAdapter(level).traverse(column)
        stmt = stmt.add_columns(column.label(f"_w{i}"))
    outer = stmt.subquery("windowed")
    on_outer = ClauseAdapter(outer).traverse
    fields = {n: on_outer(columns[n]) for n in names}
    projected: dict[str, Any] = {}
    for p in projection:
        if isinstance(p, Windowed):
            projected[p.label] = outer.c[f"_w{windows.index(p)}"]
        elif isinstance(p, Column):
            projected[p.label] = fields[p.field]
        else:
            raise AssertionError("shaping refuses aggregates beside windows")
    return outer, projected, fields


def _bound(value: Any) -> bool:
    """None, or an integer an offset or frame bound can be (not a bool, within 32 bits)."""
    if value is None:
        return True
    return isinstance(value, int) and not isinstance(value, bool) and -_LIMIT < value < _LIMIT


def _name(kind: str, value: Any) -> str:
    if isinstance(value, FieldRef):
        return value.name
    if isinstance(value, str):
        return value
    raise ValidationError(f"{kind} takes F.field or a field name, not {value!r}")


def _order(value: Any) -> Order:
    if isinstance(value, Order):
        return value
    name = _name("order_by", value)
    return Order(name[1:], descending=True) if name.startswith("-") else Order(name)
