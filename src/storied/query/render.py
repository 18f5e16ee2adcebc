"""Shape → statement: the SQLAlchemy ``Select`` of a :class:`~.shapes.SelectShape`.

This runs only when a shape is not compiled yet. Every table a statement touches — the
model's, a related model's in an EXISTS, a subquery's — gets its predicates from
:func:`~.scoping.row_predicates`, the one place tenancy, soft delete and time live.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, assert_never

import sqlalchemy as sa

from .._compat import ClauseAdapter
from ..mapping.registry import MappedModel, Registry
from ..mapping.types import ExactDecimal
from ..sql.inlist import ManyIn
from ..sql.like import CaseSensitiveLike
from ..tenancy.scope import Scope, scope_for
from .cte_render import select_cte
from .cte_shapes import CteSub
from .joinrender import Joined
from .ordering import keyset_after, order_terms
from .scoping import row_predicates
from .shapes import (
    Agg,
    Aggregated,
    AllOf,
    AnyOf,
    Between,
    Column,
    Compare,
    InArray,
    InQuery,
    InValues,
    IsNull,
    Leaf,
    Like,
    Not,
    Predicate,
    Related,
    SelectShape,
    SubShape,
    Windowed,
)
from .windows import window_column, window_levels

Mode = Literal["rows", "count", "exists", "project"]
_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "eq": lambda c, v: c == v,
    "ne": lambda c, v: c != v,
    "lt": lambda c, v: c < v,
    "le": lambda c, v: c <= v,
    "gt": lambda c, v: c > v,
    "ge": lambda c, v: c >= v,
}


class Renderer:
    """Builds the statements of shapes over ``mapped`` in ``scope``."""

    def __init__(self, mapped: MappedModel, scope: Scope, registry: Registry) -> None:
        self.mapped = mapped
        self.scope = scope
        self.registry = registry
        #: the FROM clause and the columns by (dotted) name of the statement being built
        self.joined = Joined(mapped, scope, registry, ())

    def select(self, shape: SelectShape, mode: Mode) -> sa.Select[Any]:
        mapped = self.mapped
        joined = self.joined = Joined(mapped, self.scope, self.registry, shape.joins)
        column = joined.column
        preds = [
            *row_predicates(mapped, self.scope, shape.visibility, shape.timed),
            *(self.predicate(mapped, p) for p in shape.where),
        ]
        if shape.after:
            preds.append(keyset_after(mapped, shape.orders, shape.after))
        grouped = bool(shape.grouping or shape.having)
        if mode == "exists" and not grouped:
            return sa.select(sa.exists().select_from(joined.source).where(*preds))
        items: list[Any] = list(mapped.columns)
        labels: dict[str, sa.Label[Any]] = {}
        source: Any = joined.source
        fields: dict[str, Any] = {}  # the fields order_by names, when not the table's
        layered = window_levels(self, shape, preds) if shape.projection else None
        if layered is not None:  # several windows: each in a derived table of its own
            source, columns, fields = layered
            labels = {k: c.label(k) for k, c in columns.items()}
            preds = []  # inside, with the first window
        elif shape.projection:
            labels = {p.label: self.projected(p).label(p.label) for p in shape.projection}
        if labels:
            items = list(labels.values())
        stmt = sa.select(*items).select_from(source).where(*preds)
        if shape.grouping:
            stmt = stmt.group_by(*(column(g) for g in shape.grouping))
        if shape.having:
            stmt = stmt.having(*(self.predicate(mapped, p) for p in shape.having))
        if mode == "exists":
            return sa.select(stmt.exists())  # whether any group passes HAVING
        if shape.distinct:
            stmt = stmt.distinct()
        if mode == "count":
            if shape.projection or shape.distinct or shape.grouping:
                return sa.select(sa.func.count()).select_from(stmt.subquery())
            return sa.select(sa.func.count()).select_from(joined.source).where(*preds)
        known = {**fields, **labels} if fields else labels
        stmt = stmt.order_by(*(k for o in shape.orders for k in order_terms(column, o, known)))
        if shape.limited or shape.offset:
            stmt = stmt.limit(sa.bindparam("_limit", type_=sa.BigInteger()))
        if shape.offset:
            stmt = stmt.offset(sa.bindparam("_offset", type_=sa.BigInteger()))
        return stmt

    def projected(self, item: Column | Aggregated | Windowed) -> sa.ColumnElement[Any]:
        match item:
            case Column(field):
                return self.joined.column(field)
            case Aggregated(agg):
                return self.aggregate(agg)
            case Windowed():
                return window_column(self, item)
        assert_never(item)

    def aggregate(self, agg: Agg) -> sa.ColumnElement[Any]:
        if agg.field is None:
            return sa.func.count()
        col: sa.ColumnElement[Any] = self.joined.column(agg.field)
        if agg.fn == "avg" and isinstance(col.type, ExactDecimal):
            # typed, so the average of scaled-integer decimals (SQLite) is scaled back
            return sa.func.avg(sa.distinct(col) if agg.distinct else col, type_=col.type.average())
        if agg.distinct:
            col = sa.distinct(col)
        return getattr(sa.func, agg.fn)(col)  # type: ignore[no-any-return]

    def predicate(self, mapped: MappedModel, node: Predicate) -> sa.ColumnElement[bool]:
        match node:
            case AllOf(parts):
                return sa.and_(*(self.predicate(mapped, p) for p in parts))
            case AnyOf(parts):
                return sa.or_(*(self.predicate(mapped, p) for p in parts))
            case Not(part):
                return sa.not_(self.predicate(mapped, part))
            case Related():
                return self.exists(mapped, node)
        target = node.target
        col = self.aggregate(target) if isinstance(target, Agg) else mapped.field_columns[target]
        return self.leaf(col, node)

    def leaf(self, col: sa.ColumnElement[Any], node: Leaf) -> sa.ColumnElement[bool]:
        match node:
            case Compare(op=op, bind=bind):
                return _CMP[op](col, sa.bindparam(bind, type_=col.type))  # type: ignore[no-any-return]
            case IsNull(negated=negated):
                return col.is_not(None) if negated else col.is_(None)
            case InValues(binds=names, negated=negated):
                if not names:
                    return sa.true() if negated else sa.false()
                binds = [sa.bindparam(n, type_=col.type) for n in names]
                return col.not_in(binds) if negated else col.in_(binds)
            case InArray(array=array, each=each, negated=negated):
                whole = sa.bindparam(array, type_=sa.ARRAY(col.type))
                binds = [sa.bindparam(n, type_=col.type) for n in each]
                return ManyIn(col, whole, binds, negated)
            case InQuery(sub=sub, negated=negated):
                select = self.subselect(sub)
                return col.not_in(select) if negated else col.in_(select)
            case Between(low=low, high=high):
                typed = col.type
                return col.between(sa.bindparam(low, type_=typed), sa.bindparam(high, type_=typed))
            case Like(op="icontains", bind=bind):
                return col.ilike(sa.bindparam(bind, type_=sa.String()), escape="\\")
            case Like(bind=bind):
                return CaseSensitiveLike(col, sa.bindparam(bind, type_=sa.String()))
        assert_never(node)

    def exists(self, mapped: MappedModel, node: Related) -> sa.ColumnElement[bool]:
        """``EXISTS`` over a related model, correlated on the relation's keys.

        The related tables are aliased: a relation to the model's own table (a manager, a
        parent) then compares two rows, not a row with itself.
        """
        rel = node.relation
        target = self.registry.mapped(rel.target)
        scope = scope_for(self.scope, target.spec)
        alias = target.table.alias()
        on_alias = ClauseAdapter(alias).traverse
        preds = [
            on_alias(p)
            for p in (
                *row_predicates(target, scope, "live", node.timed),
                self.predicate(target, node.inner),
            )
        ]
        local = mapped.field_columns[rel.local]
        remote = on_alias(target.field_columns[rel.remote])
        if rel.kind != "many_to_many":
            return sa.exists().select_from(alias).where(remote == local, *preds)
        link_model, link_local, link_remote = rel.through()
        link = self.registry.mapped(link_model)
        link_scope = scope_for(self.scope, link.spec)
        link_alias = link.table.alias()
        on_link = ClauseAdapter(link_alias).traverse
        on = on_link(link.field_columns[link_remote]) == remote
        return (
            sa.exists()
            .select_from(alias.join(link_alias, on))
            .where(
                on_link(link.field_columns[link_local]) == local,
                *(on_link(p) for p in row_predicates(link, link_scope, "live", False)),
                *preds,
            )
        )

    def subselect(self, sub: SubShape | CteSub) -> sa.Select[Any]:
        if isinstance(sub, CteSub):
            return select_cte(self, sub.select, "project")
        scope = scope_for(self.scope, sub.mapped.spec)
        return Renderer(sub.mapped, scope, self.registry).select(sub.shape, "project")
