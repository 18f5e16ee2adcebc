"""CompoundShape → statement: ``SELECT … FROM (m1 UNION m2 …) AS setop ORDER BY … LIMIT …``.

Each member is rendered by :class:`~.render.Renderer`, so its rows carry the tenant, soft
delete and time predicates of :func:`~.scoping.row_predicates` like any query's. The compound
is always read as a derived table: its ORDER BY may then use NULLS FIRST/LAST emulations (a
bare compound's ORDER BY takes only result column names), and a nested compound of another
operator is one too, since SQLite takes no parentheses around compound members.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Literal

import sqlalchemy as sa

from ..mapping.registry import MappedModel, Registry
from ..tenancy.scope import Scope, scope_for, shaped
from .expressions import Order
from .render import Renderer
from .setshaping import CompoundShape, Limited
from .shapes import SubShape

Mode = Literal["rows", "count", "exists"]
_OPERATORS = {
    "union": sa.union,
    "union_all": sa.union_all,
    "intersect": sa.intersect,
    "except": sa.except_,
}


def compound_stmt(
    scope_shape: Hashable, registry: Registry, shape: CompoundShape, mode: Mode
) -> sa.Select[Any]:
    """The statement of a compound's ``shape`` in a scope of ``scope_shape``."""
    sub = _compound(shaped(scope_shape), registry, shape).subquery("setop")
    if mode == "count":
        return sa.select(sa.func.count()).select_from(sub)
    if mode == "exists":
        return sa.select(sa.exists(sa.select(sa.literal(1)).select_from(sub)))
    stmt = sa.select(*sub.c)
    first = _first(shape)
    for order in shape.orders:
        stmt = stmt.order_by(*_order_terms(sub.c[_position(first, order)], order))
    if shape.limited or shape.offset:
        stmt = stmt.limit(sa.bindparam("_limit", type_=sa.BigInteger()))
    if shape.offset:
        stmt = stmt.offset(sa.bindparam("_offset", type_=sa.BigInteger()))
    return stmt


def _compound(scope: Scope, registry: Registry, shape: CompoundShape) -> sa.CompoundSelect[Any]:
    members: list[sa.Select[Any]] = []
    for member in shape.members:
        if isinstance(member, SubShape):
            members.append(_member(scope, registry, member))
        elif isinstance(member, Limited):  # in its order, limited, as a derived table
            stmt = _member(scope, registry, member.sub)
            stmt = stmt.limit(sa.bindparam(member.limit, type_=sa.BigInteger()))
            if member.offset is not None:
                stmt = stmt.offset(sa.bindparam(member.offset, type_=sa.BigInteger()))
            members.append(sa.select(*stmt.subquery().c))
        else:  # another operator's compound, as a derived table
            inner = _compound(scope, registry, member).subquery()
            members.append(sa.select(*inner.c))
    return _OPERATORS[shape.operator](*members)


def _member(scope: Scope, registry: Registry, member: SubShape) -> sa.Select[Any]:
    """A query's rows, scoped by :func:`~.scoping.row_predicates` through the Renderer."""
    renderer = Renderer(member.mapped, scope_for(scope, member.mapped.spec), registry)
    mode: Any = "project" if member.shape.projection else "rows"
    return renderer.select(member.shape, mode)


def _first(shape: CompoundShape) -> SubShape:
    member = shape.members[0]
    if isinstance(member, Limited):
        return member.sub
    return member if isinstance(member, SubShape) else _first(member)


def _position(first: SubShape, order: Order) -> int:
    """The result column an order names: a label of the projection, or a model field."""
    if first.shape.projection:
        return [p.label for p in first.shape.projection].index(order.field)
    mapped: MappedModel = first.mapped
    return list(mapped.names).index(order.field)


def _order_terms(col: Any, order: Order) -> list[Any]:
    """Sort keys for one order; NULLS FIRST/LAST portably (MySQL has no such clause)."""
    expr = col.desc() if order.descending else col.asc()
    if order.nulls is None:
        return [expr]
    first = order.nulls == "first"
    return [sa.case((col.is_(None), 0 if first else 1), else_=1 if first else 0), expr]
