"""Compound → shape: every member checked (same rows, same tenant scope, one moment) and
shaped by :class:`~.shaping.Shaper`, all before any SQL runs.

Members are compatible when they are whole-model queries of the same model, or projections
with the same labels (in any order: they are put in the first member's) whose columns have the
same types. The shape (:class:`CompoundShape`, interned like every node of :mod:`.shapes`) is
the statement-cache key: compounds differing only in values share one statement.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..mapping.registry import MappedModel, Registry
from ..tenancy.scope import Scope
from .compound import Compound, is_shaped
from .expressions import Aggregate, FieldRef, Order, Window
from .joins import joins_of
from .projection import projected_key
from .query import Query
from .shapes import Node, SubShape
from .shaping import Shaper

_BY_ID = Order("id")


@dataclass(frozen=True, slots=True, eq=False)
class Limited(Node):
    """A member with its own limit (and offset), in its own order: read as a derived table;
    ``limit`` and ``offset`` name their binds."""

    sub: SubShape
    limit: str
    offset: str | None


Member = SubShape | Limited


@dataclass(frozen=True, slots=True, eq=False)
class CompoundShape(Node):
    """``members`` joined by ``operator`` left to right; a member is a query's shape (with its
    own limit: :class:`Limited`) or a compound of another operator (read as a derived table)."""

    operator: str
    members: tuple[Member | CompoundShape, ...]
    orders: tuple[Order, ...]
    limited: bool
    offset: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """What a compound reads: the first member's model and projection (how its rows convert),
    the shape, and the bound values."""

    mapped: MappedModel
    projection: tuple[FieldRef | Aggregate | Window, ...]
    shape: CompoundShape
    params: dict[str, Any]


def plan(compound: Compound[Any], scope: Scope, registry: Registry) -> Plan:
    shaper = _CompoundShaper(scope, registry)
    shape = shaper.compound(compound, top=True)
    assert shaper.first is not None
    runner: Any = shaper.first.runner
    return Plan(runner.mapped, shaper.first.projection, shape, shaper.params)


class _CompoundShaper:
    def __init__(self, scope: Scope, registry: Registry) -> None:
        self.scope = scope
        self.registry = registry
        self.params: dict[str, Any] = {}
        self.first: Query[Any] | None = None
        self.labels: tuple[str, ...] = ()
        self.signature: Any = None

    def compound(self, compound: Compound[Any], top: bool = False) -> CompoundShape:
        if not top and is_shaped(compound):
            raise ValidationError(
                "a set operation inside another cannot have order_by(), limit() or offset(): "
                "order and limit the outer one"
            )
        members = tuple(self.member(m) for m in compound.members)
        orders = compound.orders
        if top:
            orders = self.orders(orders)
            limits = (("_limit", compound.limit_value), ("_offset", compound.offset_value))
            for key, value in limits:
                if value is not None:
                    self.params[key] = value
            if compound.offset_value is not None and compound.limit_value is None:
                self.params["_limit"] = 2**62  # MySQL accepts OFFSET only after LIMIT
        return CompoundShape(
            compound.operator,
            members,
            orders,
            compound.limit_value is not None,
            compound.offset_value is not None,
        )

    def member(self, member: Any) -> Member | CompoundShape:
        if isinstance(member, Compound):
            return self.compound(member)
        if not isinstance(member, Query):
            raise ValidationError(f"a set operation combines queries, not {type(member).__name__}")
        runner: Any = member.runner
        if runner is None:
            raise ValidationError("a set operation's queries must come from a repository")
        if runner.scope != self.scope and runner.scope.kind != "untenanted":
            raise ValidationError("the queries of a set operation must read in one tenant scope")
        limit, offset = member.limit_value, member.offset_value
        if member.orders and limit is None and offset is None:
            raise ValidationError(
                "a query in a set operation orders its rows only for its own limit(): "
                "order the set operation instead"
            )
        if member.after_values is not None or member.loads:
            raise ValidationError("a query in a set operation cannot use after() or load()")
        if member.source is not None:
            raise ValidationError(
                "a set operation combines queries of models, not of a CTE: "
                "combine the queries the CTE is made of"
            )
        if joins_of(member):
            raise ValidationError(
                "a query in a set operation cannot join related models (dotted fields outside "
                "filters, join()); filter on related fields instead"
            )
        moment = self.params.get("_asof")  # one moment per statement: its binds share a name
        if member.as_of_value is not None and moment not in (None, member.as_of_value):
            raise ValidationError("the queries of a set operation must read as of one moment")
        member = self.check(runner.mapped, member)
        shaper = Shaper(runner.mapped, runner.scope, self.registry, self.params)
        unlimited = dataclasses.replace(member, limit_value=None, offset_value=None)
        sub = SubShape(runner.mapped, shaper.structure(unlimited))
        if limit is None and offset is None:
            return sub
        # its own binds: "_limit"/"_offset" are the set operation's
        limit_bind = shaper.bind(2**62 if limit is None else limit)  # MySQL: OFFSET needs LIMIT
        return Limited(sub, limit_bind, None if offset is None else shaper.bind(offset))

    def check(self, mapped: MappedModel, query: Query[Any]) -> Query[Any]:
        """The member as the first one's rows (its projection put in the first's order), or
        ValidationError if its rows differ."""
        if not query.projection:
            signature: Any = mapped
            labels: tuple[str, ...] = ()
        else:
            by_label = {_label(p): p for p in query.projection}
            if len(by_label) != len(query.projection):
                raise ValidationError("a query in a set operation selects each label once")
            labels = tuple(by_label)
            if self.first is not None and set(labels) == set(self.labels):
                query = dataclasses.replace(
                    query, projection=tuple(by_label[k] for k in self.labels)
                )
                labels = self.labels
            signature = tuple((_label(p), _kind(mapped, p)) for p in query.projection)
        if self.first is None:
            self.first, self.labels, self.signature = query, labels, signature
        elif signature != self.signature:
            raise ValidationError(_mismatch(self.signature, signature))
        return query

    def orders(self, orders: tuple[Order, ...]) -> tuple[Order, ...]:
        first = self.first
        assert first is not None
        if first.projection:
            for order in orders:
                if order.field not in self.labels:
                    raise ValidationError(
                        f"a set operation of select() rows orders by its labels "
                        f"({', '.join(self.labels)}), not {order.field!r}"
                    )
            return orders
        mapped: MappedModel = first.runner.mapped  # type: ignore[union-attr]
        for order in orders:
            mapped.spec.check_readable(order.field)
        if orders and all(o.field != "id" for o in orders):
            orders = (*orders, _BY_ID)  # ties broken by id: the order is total
        return orders


_label = projected_key


def _kind(mapped: MappedModel, item: FieldRef | Aggregate | Window) -> Any:
    """What a projected column holds, for comparing members: the SQL type (and scale)."""
    if isinstance(item, Window):
        field = item.call.field
        name = field.name if isinstance(field, FieldRef) else field
        return ("window", item.call.fn, None if name is None else _kind(mapped, FieldRef(name)))
    if isinstance(item, Aggregate):
        if item.fn == "count":
            return "count"
        if item.field is None:
            return item.fn
        return (item.fn, _kind(mapped, FieldRef(item.field)))
    mapped.spec.check_readable(item.name)
    col_type = mapped.field_columns[item.name].type
    return (type(col_type).__name__, getattr(col_type, "scale", None))


def _mismatch(expected: Any, got: Any) -> str:
    if isinstance(expected, MappedModel) and isinstance(got, MappedModel):
        return (
            f"a set operation of whole rows needs one model: {expected.model_name} and "
            f"{got.model_name} differ (select() the same labelled fields from each)"
        )
    if isinstance(expected, MappedModel) or isinstance(got, MappedModel):
        return "a set operation cannot combine whole-model rows with select() rows"
    if [k for k, _ in expected] != [k for k, _ in got]:
        return (
            f"the queries of a set operation select different labels: "
            f"{', '.join(k for k, _ in expected)} and {', '.join(k for k, _ in got)}"
        )
    bad = [k for (k, a), (_, b) in zip(expected, got, strict=True) if a != b]
    return f"the queries of a set operation select {', '.join(bad)} with different types"
