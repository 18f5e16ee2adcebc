"""Query → shape: every name checked against its model, every value bound.

This runs on every query, cached statement or not (the shape *is* the cache key), so it does
only what the key needs: validate, bind, and build the small frozen nodes of :mod:`.shapes`.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..mapping.registry import MappedModel, Registry
from ..relationships.resolve import resolve
from ..sql.inlist import MAX_IN, many_values
from ..sql.like import escape_like
from ..tenancy.scope import Scope, scope_for
from .cte_shapes import CteSub
from .cte_shaping import cte_subquery
from .expressions import Aggregate, Condition, FieldRef, Order, Window
from .joins import JoinPlanner
from .query import Query
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
    Projected,
    Related,
    SelectShape,
    SubShape,
)
from .windows import check_windowed, shape_window

_BY_ID = Order("id")
_LIKE = {"contains": "%{}%", "icontains": "%{}%", "startswith": "{}%", "endswith": "%{}"}


class Shaper:
    """Shapes queries over ``mapped`` in ``scope``; subqueries share its parameters."""

    def __init__(
        self,
        mapped: MappedModel,
        scope: Scope,
        registry: Registry,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.mapped = mapped
        self.scope = scope
        self.registry = registry
        self.params: dict[str, Any] = params if params is not None else {}
        #: the CTEs the statement names so far, by name (a statement's subqueries share it)
        self.ctes: dict[str, tuple[Any, Any]] = {}
        #: the joins of the query being shaped (dotted projections, orders, groups,
        #: aggregates), set by structure()
        self.planner: JoinPlanner

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return name

    def structure(self, query: Query[Any]) -> SelectShape:
        """The shape of a whole query (binding its values)."""
        mapped = self.mapped
        timed = query.as_of_value is not None
        if timed:
            self.params["_asof"] = query.as_of_value
        planner = self.planner = JoinPlanner(mapped, self.scope, self.registry, timed)
        planner.explicit(query.joins)
        where = tuple(self.condition(mapped, c, timed) for c in query.conditions)
        projection = tuple(self.projected(p) for p in query.projection)
        if any(isinstance(p, Window) for p in query.projection):
            check_windowed(query)
        labels = {p.label for p in projection}
        orders = query.orders
        for order in orders:
            if order.field not in labels:
                planner.field(order.field)
        if orders and not projection and all(o.field != "id" for o in orders):
            # ties broken by id: the order is total, so after() continues a first page exactly
            orders = (*orders, _BY_ID)
        for name in query.grouping:
            planner.field(name)
        having = tuple(self.condition(mapped, c, timed) for c in query.having_conditions)
        if not projection:
            planner.refuse_many()
        after: tuple[str | None, ...] = ()
        if query.after_values is not None:
            if projection and not _pageable(projection, query.grouping, orders):
                raise ValidationError(
                    "after() and iterate() page through select() of plain fields only, "
                    "every order_by field and id among them"
                )
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
        if planner.joins and any(isinstance(p, Window) for p in query.projection):
            raise ValidationError(
                "window functions cannot be combined with related fields or join() yet: "
                "window over the model's own fields"
            )
        return SelectShape(
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
            tuple(planner.joins.values()),
        )

    def condition(self, mapped: MappedModel, cond: Condition, timed: bool) -> Predicate:
        op = cond.op
        if op == "and":
            return AllOf(tuple(self.condition(mapped, c, timed) for c in cond.children))
        if op == "or":
            return AnyOf(tuple(self.condition(mapped, c, timed) for c in cond.children))
        if op == "not":
            if len(cond.children) != 1:
                raise ValidationError("a negation takes exactly one condition: ~(F.x == 1)")
            return Not(self.condition(mapped, cond.children[0], timed))
        field = cond.field
        if isinstance(field, Aggregate):
            agg = self.aggregate(field)
            if field.field is None or field.fn == "count":
                return self.leaf(mapped, agg, cond, None)
            owner, last = self.planner.field(field.field)
            return self.leaf(owner, agg, cond, last)
        name = field or ""
        if "." in name:
            head, rest = name.split(".", 1)
            inner = Condition(op, rest, cond.value, cond.children)
            return self.related(mapped, head, inner, timed)
        mapped.spec.check_readable(name)
        return self.leaf(mapped, name, cond, name)

    def leaf(
        self, mapped: MappedModel, target: str | Agg, cond: Condition, field: str | None
    ) -> Leaf:
        """``target`` tested by ``cond``'s operator; values coerced to ``field``'s type."""
        value = cond.value

        def coerce(v: Any) -> Any:
            return mapped.spec.coerce(field, v) if field else v

        match cond.op:
            case "eq" | "ne" | "lt" | "le" | "gt" | "ge" as op:
                return Compare(target, op, self.bind(coerce(value)))
            case "is_null" | "is_not_null" as op:
                return IsNull(target, op == "is_not_null")
            case "in" | "not_in" as op:
                negated = op == "not_in"
                if isinstance(value, Query):
                    return InQuery(target, self.subquery(value), negated)
                if len(value) > MAX_IN:  # one array parameter where the dialect has them
                    array, each = many_values([coerce(v) for v in value], self.bind)
                    return InArray(target, array, each, negated)
                return InValues(target, tuple(self.bind(coerce(v)) for v in value), negated)
            case "between":
                if len(value) != 2:
                    raise ValidationError("between needs exactly two values")
                low, high = (self.bind(coerce(v)) for v in value)
                return Between(target, low, high)
            case "contains" | "icontains" | "startswith" | "endswith" as op:
                if not isinstance(value, str):
                    raise ValidationError(f"{op} needs a string, got {type(value).__name__}")
                mapped.spec.check_text(field or op, value)
                return Like(target, op, self.bind(_LIKE[op].format(escape_like(value))))
        raise ValidationError(f"{cond.op!r} is not an operator of a single field")

    def related(self, mapped: MappedModel, name: str, cond: Condition, timed: bool) -> Related:
        rel = resolve(self.registry, mapped.spec.model, name)
        target = self.registry.mapped(rel.target)
        scope_for(self.scope, target.spec)  # fails closed before anything runs
        target_timed = timed and target.identity_table is not None
        return Related(rel, target_timed, self.condition(target, cond, target_timed))

    def aggregate(self, agg: Aggregate) -> Agg:
        if agg.field is not None:
            self.planner.field(agg.field)
        elif agg.fn != "count":
            raise ValidationError(f"{agg.fn}() needs a field")
        return Agg(agg.fn, agg.field, agg.distinct)

    def projected(self, item: FieldRef | Aggregate | Window) -> Projected:
        if isinstance(item, Aggregate):
            return Aggregated(self.aggregate(item), item.key)
        if isinstance(item, Window):
            return shape_window(self, item)
        self.planner.field(item.name)
        return Column(item.name)

    def subquery(self, query: Query[Any]) -> SubShape | CteSub:
        if query.source is not None:
            return cte_subquery(self, query)
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
        inner = Shaper(runner.mapped, runner.scope, self.registry, self.params)
        inner.ctes = self.ctes
        return SubShape(runner.mapped, inner.structure(query))


def _pageable(
    projection: tuple[Projected, ...], grouping: tuple[str, ...], orders: tuple[Order, ...]
) -> bool:
    """A ``select()`` a keyset page can continue: plain fields, ungrouped, every order key
    (id among them, the tie-breaker) projected, so a page's last row is its cursor."""
    if grouping or not all(isinstance(p, Column) for p in projection):
        return False
    labels = {p.label for p in projection}
    return "id" in labels and all(o.field in labels for o in orders)
