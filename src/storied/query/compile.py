"""The one place where tenancy, soft-delete and temporal predicates join a statement."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..engine.requests import Exec
from ..errors import ValidationError
from ..models.registry import Mapped
from ..tenancy.scope import Scope
from .expressions import Condition, Order

if TYPE_CHECKING:
    from .query import Query

Visibility = Literal["live", "deleted", "any"]
_LIKE_ESCAPE = "\\"


def tenant_predicates(
    mapped: Mapped, scope: Scope, table: sa.Table | None = None
) -> list[sa.ColumnElement[bool]]:
    """The scope's tenant predicate on ``table`` (the model's table by default), if any."""
    if not scope.filters():
        return []
    table = mapped.table if table is None else table
    tenant = scope.predicate(table.c.tenant_id)
    return [tenant] if tenant is not None else []


def row_predicates(
    mapped: Mapped, scope: Scope, visibility: Visibility = "live", as_of: bool = False
) -> list[sa.ColumnElement[bool]]:
    """Tenant, soft-delete and temporal predicates every statement on ``mapped`` must carry."""
    table = mapped.table
    preds = tenant_predicates(mapped, scope, table)
    if mapped.spec.options.soft_delete and visibility != "any":
        deleted = table.c.deleted_at
        preds.append(deleted.is_(None) if visibility == "live" else deleted.is_not(None))
    strategy = mapped.strategy
    current = strategy.as_of_predicate(mapped) if as_of else strategy.current_predicate(mapped)
    if current is not None:
        preds.append(current)
    return preds


def by_id(
    mapped: Mapped, scope: Scope, visibility: Visibility = "live", as_of: bool = False
) -> list[Any]:
    return [
        mapped.table.c.id == sa.bindparam("_id"),
        *row_predicates(mapped, scope, visibility, as_of),
    ]


def _like(value: Any, op: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{op} needs a string, got {type(value).__name__}")
    text = value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return {
        "contains": f"%{text}%",
        "icontains": f"%{text}%",
        "startswith": f"{text}%",
        "endswith": f"%{text}",
    }[op]


class _Flattener:
    """Walks a condition tree: its shape (for the cache key) and its values (bound params)."""

    def __init__(self, mapped: Mapped) -> None:
        self.mapped = mapped
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return name

    def shape(self, cond: Condition) -> Hashable:
        if cond.op in ("and", "or", "not"):
            return (cond.op, tuple(self.shape(c) for c in cond.children))
        spec = self.mapped.spec
        field = cond.field or ""
        spec.check_readable(field)
        op = cond.op
        if op in ("is_null", "is_not_null"):
            return (op, field)
        if op in ("in", "not_in", "between"):
            values = tuple(spec.coerce(field, v) for v in cond.value)
            if op == "between" and len(values) != 2:
                raise ValidationError("between needs exactly two values")
            return (op, field, tuple(self.bind(v) for v in values))
        if op in ("contains", "icontains", "startswith", "endswith"):
            return (op, field, self.bind(_like(cond.value, op)))
        return (op, field, self.bind(spec.coerce(field, cond.value)))


def condition_sql(mapped: Mapped, shape: Any) -> sa.ColumnElement[bool]:
    op = shape[0]
    if op in ("and", "or"):
        parts = [condition_sql(mapped, s) for s in shape[1]]
        return sa.and_(*parts) if op == "and" else sa.or_(*parts)
    if op == "not":
        return sa.not_(condition_sql(mapped, shape[1][0]))
    col = mapped.field_columns[shape[1]]
    if op == "is_null":
        return col.is_(None)
    if op == "is_not_null":
        return col.is_not(None)
    arg = shape[2]
    if op in ("in", "not_in"):
        binds = [sa.bindparam(n, type_=col.type) for n in arg]
        if not binds:
            return sa.false() if op == "in" else sa.true()
        return col.in_(binds) if op == "in" else col.not_in(binds)
    if op == "between":
        return col.between(
            sa.bindparam(arg[0], type_=col.type), sa.bindparam(arg[1], type_=col.type)
        )
    if op in ("contains", "startswith", "endswith"):
        return col.like(sa.bindparam(arg, type_=sa.String()), escape=_LIKE_ESCAPE)
    if op == "icontains":
        return col.ilike(sa.bindparam(arg, type_=sa.String()), escape=_LIKE_ESCAPE)
    ops: dict[str, Callable[[Any], sa.ColumnElement[bool]]] = {
        "eq": col.__eq__,
        "ne": col.__ne__,
        "lt": col.__lt__,
        "le": col.__le__,
        "gt": col.__gt__,
        "ge": col.__ge__,
    }
    return ops[op](sa.bindparam(arg, type_=col.type))


def _order_sql(mapped: Mapped, order: Order) -> sa.ColumnElement[Any]:
    col = mapped.field_columns[order.field]
    expr = col.desc() if order.descending else col.asc()
    if order.nulls == "first":
        return expr.nulls_first()
    if order.nulls == "last":
        return expr.nulls_last()
    return expr


Mode = Literal["rows", "count", "exists"]


def compile_query(mapped: Mapped, scope: Scope, query: Query[Any], mode: Mode = "rows") -> Exec:
    """Turn a Query into an Exec: shape key, statement builder, bound values."""
    flat = _Flattener(mapped)
    where = tuple(flat.shape(c) for c in query.conditions)
    for order in query.orders:
        mapped.spec.check_readable(order.field)
    params = {**flat.params, **scope.params()}
    if query.limit_value is not None:
        params["_limit"] = query.limit_value
    if query.offset_value is not None:
        params["_offset"] = query.offset_value
    visibility: Visibility = query.visibility
    as_of = query.as_of_value is not None
    if as_of:
        params["_asof"] = query.as_of_value
    orders = query.orders
    has_limit, has_offset = query.limit_value is not None, query.offset_value is not None
    key = (
        mapped.key,
        "select",
        mode,
        scope.shape,
        visibility,
        where,
        orders,
        has_limit,
        has_offset,
        as_of,
    )

    def build() -> sa.Select[Any]:
        preds = [
            *row_predicates(mapped, scope, visibility, as_of),
            *(condition_sql(mapped, s) for s in where),
        ]
        if mode == "count":
            stmt: sa.Select[Any] = sa.select(sa.func.count()).select_from(mapped.table)
        elif mode == "exists":
            return sa.select(sa.exists().where(*preds))
        else:
            stmt = sa.select(*mapped.columns)
        stmt = stmt.where(*preds)
        if mode == "rows":
            stmt = stmt.order_by(*(_order_sql(mapped, o) for o in orders))
            if has_limit:
                stmt = stmt.limit(sa.bindparam("_limit", type_=sa.Integer()))
            if has_offset:
                if not has_limit:
                    stmt = stmt.limit(sa.bindparam("_limit", type_=sa.BigInteger()))
                stmt = stmt.offset(sa.bindparam("_offset", type_=sa.Integer()))
        return stmt

    if has_offset and not has_limit:
        params["_limit"] = 2**62  # MySQL has OFFSET only after LIMIT
    return Exec(key, build, params, fetch=True)
