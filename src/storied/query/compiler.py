"""Query → one Exec: a shape key, a statement builder and the bound values.

Everything structural (fields, operators, orders, projections, relations walked) goes into the
shape, so a statement is compiled once per shape; every value becomes a bound parameter. Every
table a statement touches — the model's, a related model's in an EXISTS, a subquery's — gets
its predicates from :func:`row_predicates`, the one place tenancy, soft delete and time live.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Literal

import sqlalchemy as sa

from .._compat import ClauseAdapter
from ..errors import ValidationError
from ..mapping.registry import Mapped, Registry
from ..mapping.types import ExactDecimal
from ..ops.requests import Exec
from ..relationships.resolve import resolve
from ..sql.inlist import MAX_IN, ManyIn, many_values
from ..sql.like import CaseSensitiveLike, escape_like
from ..tenancy.scope import Scope, scope_for
from .scoping import row_predicates
from .expressions import Aggregate, Condition, FieldRef, Order
from .ordering import keyset_after, order_terms
from .query import Query

Mode = Literal["rows", "count", "exists", "project"]
_LIKE = {"contains": "%{}%", "icontains": "%{}%", "startswith": "{}%", "endswith": "%{}"}
_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "eq": lambda c, v: c == v,
    "ne": lambda c, v: c != v,
    "lt": lambda c, v: c < v,
    "le": lambda c, v: c <= v,
    "gt": lambda c, v: c > v,
    "ge": lambda c, v: c >= v,
}


class QueryCompiler:
    """Compiles queries over ``mapped`` in ``scope``; subqueries share its parameters."""

    def __init__(
        self, mapped: Mapped, scope: Scope, registry: Registry, params: dict[str, Any] | None = None
    ) -> None:
        self.mapped = mapped
        self.scope = scope
        self.registry = registry
        self.params: dict[str, Any] = params if params is not None else {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return name

    # --- shapes: validate names, bind values ------------------------------------------------
    def condition(self, mapped: Mapped, cond: Condition, timed: bool) -> Hashable:
        if cond.op in ("and", "or", "not"):
            return (cond.op, tuple(self.condition(mapped, c, timed) for c in cond.children))
        if isinstance(cond.field, Aggregate):
            return (
                "agg",
                self.aggregate(cond.field),
                self.leaf(mapped, cond, cond.field.field if cond.field.fn != "count" else None),
            )
        name = cond.field or ""
        if "." in name:
            head, rest = name.split(".", 1)
            return (
                "rel",
                head,
                self.related(
                    mapped, head, Condition(cond.op, rest, cond.value, cond.children), timed
                ),
            )
        mapped.spec.check_readable(name)
        return ("col", name, self.leaf(mapped, cond, name))

    def leaf(self, mapped: Mapped, cond: Condition, field: str | None) -> Hashable:
        op, value = cond.op, cond.value

        def coerce(v: Any) -> Any:
            return mapped.spec.coerce(field, v) if field else v

        if op in ("is_null", "is_not_null"):
            return (op,)
        if op in ("in", "not_in"):
            if isinstance(value, Query):
                return (op, "query", self.subquery(value))
            if len(value) > MAX_IN:  # one array parameter where the dialect has them
                return (op, "many", *many_values([coerce(v) for v in value], self.bind))
            return (op, tuple(self.bind(coerce(v)) for v in value))
        if op == "between":
            if len(value) != 2:
                raise ValidationError("between needs exactly two values")
            return (op, tuple(self.bind(coerce(v)) for v in value))
        if op in _LIKE:
            if not isinstance(value, str):
                raise ValidationError(f"{op} needs a string, got {type(value).__name__}")
            mapped.spec.check_text(field or op, value)
            return (op, self.bind(_LIKE[op].format(escape_like(value))))
        return (op, self.bind(coerce(value)))

    def related(self, mapped: Mapped, name: str, cond: Condition, timed: bool) -> Hashable:
        rel = resolve(self.registry, mapped.spec.model, name)
        target = self.registry.mapped(rel.target)
        scope_for(self.scope, target.spec)  # fails closed before anything runs
        target_timed = timed and target.identity_table is not None
        return (rel, target_timed, self.condition(target, cond, target_timed))

    def aggregate(self, agg: Aggregate) -> Hashable:
        if agg.field is not None:
            self.mapped.spec.check_readable(agg.field)
        elif agg.fn != "count":
            raise ValidationError(f"{agg.fn}() needs a field")
        return (agg.fn, agg.field, agg.distinct)

    def subquery(self, query: Query[Any]) -> Hashable:
        runner: Any = query.runner
        if runner is None or len(query.projection) != 1:
            raise ValidationError("a subquery needs a repository query selecting one field")
        if runner.scope != self.scope and runner.scope.kind != "untenanted":
            raise ValidationError("a subquery must read in the same tenant scope as its query")
        if query.limit_value is not None or query.offset_value is not None:
            raise ValidationError("a subquery cannot have limit() or offset()")
        moment = self.params.get("_asof")  # one moment per statement: its binds share a name
        if query.as_of_value is not None and moment not in (None, query.as_of_value):
            raise ValidationError("a subquery must read as of the same moment as its query")
        inner = QueryCompiler(runner.mapped, runner.scope, self.registry, self.params)
        return (runner.mapped, inner.structure(query))

    def structure(self, query: Query[Any]) -> Hashable:
        """The shape of a whole query (binding its values)."""
        mapped = self.mapped
        timed = query.as_of_value is not None
        if timed:
            self.params["_asof"] = query.as_of_value
        where = tuple(self.condition(mapped, c, timed) for c in query.conditions)
        projection = tuple(
            ("agg", self.aggregate(p), p.key)
            if isinstance(p, Aggregate)
            else ("col", _checked(mapped, p.name), p.name)
            for p in query.projection
        )
        labels = {key for *_, key in projection}
        orders = query.orders
        for order in orders:
            if order.field not in labels:
                mapped.spec.check_readable(order.field)
        if orders and not projection and all(o.field != "id" for o in orders):
            # ties broken by id: the order is total, so after() continues a first page exactly
            orders = (*orders, Order("id"))
        for name in query.grouping:
            mapped.spec.check_readable(name)
        having = tuple(self.condition(mapped, c, timed) for c in query.having_conditions)
        after: tuple[str | None, ...] = ()
        if query.after_values is not None:
            if projection:
                raise ValidationError("after() and iterate() page through rows, not select()")
            if len(query.after_values) != len(orders):
                raise ValidationError("after() needs one value per order_by field")
            after = tuple(
                None if v is None else self.bind(mapped.spec.coerce(o.field, v))
                for o, v in zip(orders, query.after_values, strict=True)
            )
        self.params.update(self.scope.params())
        for key, value in (("_limit", query.limit_value), ("_offset", query.offset_value)):
            if value is not None:
                self.params[key] = value
        if query.offset_value is not None and query.limit_value is None:
            self.params["_limit"] = 2**62  # MySQL accepts OFFSET only after LIMIT
        return (
            query.visibility,
            timed,
            where,
            projection,
            query.grouping,
            having,
            orders,
            after,
            query.distinct_rows,
            query.limit_value is not None,
            query.offset_value is not None,
        )

    # --- statements from shapes ---------------------------------------------------------------
    def select(self, shape: Any, mode: Mode) -> sa.Select[Any]:
        (
            visibility,
            timed,
            where,
            projection,
            grouping,
            having,
            orders,
            after,
            distinct,
            has_limit,
            has_offset,
        ) = shape
        mapped = self.mapped
        preds = [
            *row_predicates(mapped, self.scope, visibility, timed),
            *(self.sql(mapped, s) for s in where),
        ]
        if after:
            preds.append(keyset_after(mapped, orders, after))
        if mode == "exists" and not (grouping or having):
            return sa.select(sa.exists().where(*preds))
        items: list[Any] = list(mapped.columns)
        labels: dict[str, sa.Label[Any]] = {}
        if projection:
            labels = {
                key: (self.agg_sql(a) if kind == "agg" else mapped.field_columns[a]).label(key)
                for kind, a, key in projection
            }
            items = list(labels.values())
        stmt = sa.select(*items).select_from(mapped.table).where(*preds)
        if grouping:
            stmt = stmt.group_by(*(mapped.field_columns[g] for g in grouping))
        if having:
            stmt = stmt.having(*(self.sql(mapped, s) for s in having))
        if mode == "exists":
            return sa.select(stmt.exists())  # whether any group passes HAVING
        if distinct:
            stmt = stmt.distinct()
        if mode == "count":
            if projection or distinct or grouping:
                return sa.select(sa.func.count()).select_from(stmt.subquery())
            return sa.select(sa.func.count()).select_from(mapped.table).where(*preds)
        stmt = stmt.order_by(*(k for o in orders for k in order_terms(mapped, o, labels)))
        if has_limit or has_offset:
            stmt = stmt.limit(sa.bindparam("_limit", type_=sa.BigInteger()))
        if has_offset:
            stmt = stmt.offset(sa.bindparam("_offset", type_=sa.BigInteger()))
        return stmt

    def agg_sql(self, agg: Any) -> sa.ColumnElement[Any]:
        fn, field, distinct = agg
        if field is None:
            return sa.func.count()
        col: sa.ColumnElement[Any] = self.mapped.field_columns[field]
        if fn == "avg" and isinstance(col.type, ExactDecimal):
            # typed, so the average of scaled-integer decimals (SQLite) is scaled back
            return sa.func.avg(sa.distinct(col) if distinct else col, type_=col.type.average())
        if distinct:
            col = sa.distinct(col)
        return getattr(sa.func, fn)(col)  # type: ignore[no-any-return]

    def sql(self, mapped: Mapped, shape: Any) -> sa.ColumnElement[bool]:
        kind = shape[0]
        if kind in ("and", "or"):
            parts = [self.sql(mapped, s) for s in shape[1]]
            return sa.and_(*parts) if kind == "and" else sa.or_(*parts)
        if kind == "not":
            return sa.not_(self.sql(mapped, shape[1][0]))
        if kind == "rel":
            return self.exists(mapped, shape[2])
        target = self.agg_sql(shape[1]) if kind == "agg" else mapped.field_columns[shape[1]]
        return self.leaf_sql(target, shape[2])

    def leaf_sql(self, col: sa.ColumnElement[Any], leaf: Any) -> sa.ColumnElement[bool]:
        op = leaf[0]
        if op == "is_null":
            return col.is_(None)
        if op == "is_not_null":
            return col.is_not(None)
        if op in ("in", "not_in"):
            if leaf[1] == "query":
                sub = self.subselect(leaf[2])
                return col.in_(sub) if op == "in" else col.not_in(sub)
            if leaf[1] == "many":
                array = sa.bindparam(leaf[2], type_=sa.ARRAY(col.type))
                each = [sa.bindparam(n, type_=col.type) for n in leaf[3]]
                return ManyIn(col, array, each, op == "not_in")
            binds = [sa.bindparam(n, type_=col.type) for n in leaf[1]]
            if not binds:
                return sa.false() if op == "in" else sa.true()
            return col.in_(binds) if op == "in" else col.not_in(binds)
        if op == "between":
            low, high = (sa.bindparam(n, type_=col.type) for n in leaf[1])
            return col.between(low, high)
        if op == "icontains":
            return col.ilike(sa.bindparam(leaf[1], type_=sa.String()), escape="\\")
        if op in _LIKE:
            return CaseSensitiveLike(col, sa.bindparam(leaf[1], type_=sa.String()))
        return _CMP[op](col, sa.bindparam(leaf[1], type_=col.type))  # type: ignore[no-any-return]

    def exists(self, mapped: Mapped, rel_shape: Any) -> sa.ColumnElement[bool]:
        """``EXISTS`` over a related model, correlated on the relation's keys.

        The related tables are aliased: a relation to the model's own table (a manager, a
        parent) then compares two rows, not a row with itself.
        """
        rel, timed, inner = rel_shape
        target = self.registry.mapped(rel.target)
        scope = scope_for(self.scope, target.spec)
        alias = target.table.alias()
        on_alias = ClauseAdapter(alias).traverse
        preds = [
            on_alias(p)
            for p in (*row_predicates(target, scope, "live", timed), self.sql(target, inner))
        ]
        local = mapped.field_columns[rel.local]
        remote = on_alias(target.field_columns[rel.remote])
        if rel.kind == "many_to_many":
            link = self.registry.mapped(rel.link)
            link_scope = scope_for(self.scope, link.spec)
            link_alias = link.table.alias()
            on_link = ClauseAdapter(link_alias).traverse
            on = on_link(link.field_columns[rel.link_remote]) == remote
            return (
                sa.exists()
                .select_from(alias.join(link_alias, on))
                .where(
                    on_link(link.field_columns[rel.link_local]) == local,
                    *(on_link(p) for p in row_predicates(link, link_scope, "live", False)),
                    *preds,
                )
            )
        return sa.exists().select_from(alias).where(remote == local, *preds)

    def subselect(self, sub_shape: Any) -> sa.Select[Any]:
        sub_mapped, shape = sub_shape
        scope = scope_for(self.scope, sub_mapped.spec)
        return QueryCompiler(sub_mapped, scope, self.registry, self.params).select(shape, "project")


def _checked(mapped: Mapped, name: str) -> str:
    mapped.spec.check_readable(name)
    return name


def compile_query(
    mapped: Mapped, scope: Scope, registry: Registry, query: Query[Any], mode: Mode
) -> Exec:
    compiler = QueryCompiler(mapped, scope, registry)
    shape = compiler.structure(query)
    key = (mapped.key, "query", mode, scope.shape, shape)
    return Exec(key, lambda: compiler.select(shape, mode), compiler.params, fetch=True)


__all__ = ["FieldRef", "QueryCompiler", "compile_query"]
