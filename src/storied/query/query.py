"""``Query``: an immutable, generative description of a read over one model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Literal, Protocol, TypeVar

from ..errors import ValidationError
from .expressions import Aggregate, Condition, FieldRef, Order, Subquery

M = TypeVar("M")


class Runner(Protocol):
    """What executes a query: a sync or an async repository."""

    def _run_query(self, query: Query[Any], mode: str) -> Any: ...

    def _iterate(self, query: Query[Any], batch_size: int) -> Any: ...


@dataclass(frozen=True, slots=True)
class Query(Subquery, Generic[M]):
    """Each method returns a new Query; nothing runs until ``all()``, ``first()``, ``count()``…

    On an async repository the terminal methods return awaitables.
    """

    runner: Runner | None = None
    conditions: tuple[Condition, ...] = ()
    orders: tuple[Order, ...] = ()
    limit_value: int | None = None
    offset_value: int | None = None
    visibility: Literal["live", "deleted", "any"] = "live"
    as_of_value: dt.datetime | None = None
    projection: tuple[FieldRef | Aggregate, ...] = ()
    grouping: tuple[str, ...] = ()
    having_conditions: tuple[Condition, ...] = ()
    distinct_rows: bool = False
    after_values: tuple[Any, ...] | None = None
    loads: tuple[str, ...] = ()

    def filter(self, *conditions: Condition, **equals: Any) -> Query[M]:
        extra = tuple(FieldRef(name) == value for name, value in equals.items())
        for cond in conditions:
            if not isinstance(cond, Condition):
                raise ValidationError(f"filter() takes conditions such as F.x == 1, not {cond!r}")
        return replace(self, conditions=(*self.conditions, *conditions, *extra))

    where = filter

    def order_by(self, *orders: Order | FieldRef | str) -> Query[M]:
        return replace(self, orders=(*self.orders, *(_order(o) for o in orders)))

    def limit(self, n: int | None) -> Query[M]:
        if n is not None and (not isinstance(n, int) or n < 0):
            raise ValidationError("limit must be a non-negative integer")
        return replace(self, limit_value=n)

    def offset(self, n: int | None) -> Query[M]:
        if n is not None and (not isinstance(n, int) or n < 0):
            raise ValidationError("offset must be a non-negative integer")
        return replace(self, offset_value=n)

    def include_deleted(self, include: bool = True) -> Query[M]:
        return replace(self, visibility="any" if include else "live")

    def only_deleted(self) -> Query[M]:
        return replace(self, visibility="deleted")

    def as_of(self, moment: dt.datetime | None) -> Query[M]:
        """Read the versions valid at ``moment`` (scd2 models); None reads current versions."""
        if moment is not None and (not isinstance(moment, dt.datetime) or moment.tzinfo is None):
            raise ValidationError("as_of needs a timezone-aware datetime")
        return replace(self, as_of_value=moment)

    def select(self, *items: FieldRef | Aggregate) -> Query[M]:
        """Return plain dicts of these fields and aggregates instead of models."""
        for item in items:
            if not isinstance(item, FieldRef | Aggregate):
                raise ValidationError(f"select() takes F.field or func.…(), not {item!r}")
        return replace(self, projection=items)

    def group_by(self, *fields: FieldRef | str) -> Query[M]:
        names = tuple(f.name if isinstance(f, FieldRef) else f for f in fields)
        return replace(self, grouping=(*self.grouping, *names))

    def having(self, *conditions: Condition) -> Query[M]:
        return replace(self, having_conditions=(*self.having_conditions, *conditions))

    def distinct(self, distinct: bool = True) -> Query[M]:
        return replace(self, distinct_rows=distinct)

    def after(self, cursor: Any) -> Query[M]:
        """Keyset pagination: the rows after ``cursor`` (a row of the previous page, or a
        tuple of its order_by values) in this query's order. ``id`` is added to the order
        as the tie-breaker."""
        query = self if any(o.field == "id" for o in self.orders) else self.order_by("id")
        if isinstance(cursor, tuple):
            values = cursor
        elif isinstance(cursor, Mapping):
            values = tuple(cursor[o.field] for o in query.orders)
        else:
            values = tuple(getattr(cursor, o.field) for o in query.orders)
        return replace(query, after_values=values)

    def load(self, *paths: str) -> Query[M]:
        """Eager-load relations (``"posts"``, ``"posts.comments"``): one query per relation."""
        return replace(self, loads=(*self.loads, *paths))

    # terminal methods --------------------------------------------------------------------
    def all(self) -> Any:
        """The rows (models, or dicts after ``select()``)."""
        return self._runner()._run_query(self, "rows")

    def first(self) -> Any:
        """The first row, or None."""
        return self._runner()._run_query(replace(self, limit_value=1), "first")

    def one(self) -> Any:
        """Exactly one row: NotFoundError if none, MultipleResultsError if more."""
        return self._runner()._run_query(replace(self, limit_value=2), "one")

    def iterate(self, batch_size: int = 1000) -> Any:
        """Stream the rows in keyset-paginated batches of ``batch_size`` (flat memory).

        A generator on a sync repository, an async generator on an async one.
        """
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValidationError("batch_size must be a positive integer")
        if self.projection:
            raise ValidationError("iterate() streams rows; it cannot page through select()")
        return self._runner()._iterate(self, batch_size)

    def count(self) -> Any:
        return self._runner()._run_query(self, "count")

    def exists(self) -> Any:
        return self._runner()._run_query(self, "exists")

    def _runner(self) -> Runner:
        if self.runner is None:
            raise ValidationError("this Query is not bound to a repository; use repo.query()")
        return self.runner


def _order(value: Order | FieldRef | str) -> Order:
    if isinstance(value, Order):
        return value
    if isinstance(value, FieldRef):
        return Order(value.name)
    if isinstance(value, str):
        return Order(value[1:], descending=True) if value.startswith("-") else Order(value)
    raise ValidationError(
        f"order_by takes F.field, F.field.desc() or 'field'/'-field', not {value!r}"
    )
