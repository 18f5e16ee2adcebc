"""ORDER BY terms and the keyset-page predicate, NULLs placed portably."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..sql.nulls import DefaultNullsFirst
from .expressions import Order

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel


def order_terms(
    column: Callable[[str], Any], order: Order, labels: Mapping[str, sa.Label[Any]]
) -> list[Any]:
    """Sort keys for one order item; NULLS FIRST/LAST portably (MySQL has no such clause).

    A projected name sorts by its labelled column (rendered as the quoted label), never by
    text spliced into the SQL; any other name is ``column(name)`` (a field, or a joined
    related field).
    """
    col: Any = labels[order.field] if order.field in labels else column(order.field)
    expr = col.desc() if order.descending else col.asc()
    if order.nulls is None:
        return [expr]
    first = order.nulls == "first"
    return [sa.case((col.is_(None), 0 if first else 1), else_=1 if first else 0), expr]


def keyset_after(mapped: MappedModel, orders: Sequence[Order], after: Sequence[str | None]) -> Any:
    """Rows strictly after a cursor in the (order_by …) sort: the keyset page predicate.

    ``after`` names each cursor value's bind, or is None where the cursor's value is NULL;
    NULLs sit where the ORDER BY puts them (NULLS FIRST/LAST, else the backend's default).
    """
    terms = []
    equal: list[Any] = []
    beyond: sa.ColumnElement[bool]
    same: sa.ColumnElement[bool]
    for order, name in zip(orders, after, strict=True):
        col = mapped.field_columns[order.field]
        first: Any = (
            DefaultNullsFirst(order.descending) if order.nulls is None else order.nulls == "first"
        )
        if name is None:  # after a NULL come the other NULLs (by the next key), then values
            beyond = sa.and_(col.is_not(None), first) if first is not False else sa.false()
            same = col.is_(None)
        else:
            bind = sa.bindparam(name, type_=col.type)
            beyond = col < bind if order.descending else col > bind
            if col.nullable and first is not True:
                beyond = sa.or_(beyond, sa.and_(col.is_(None), sa.not_(first)))
            same = col == bind
        terms.append(sa.and_(*equal, beyond))
        equal.append(same)
    return sa.or_(*terms)
