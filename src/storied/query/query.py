"""``Query``: an immutable, generative description of a read over one model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Generic, Literal, Protocol, TypeVar

from ..errors import ValidationError
from .expressions import Condition, FieldRef, Order

M = TypeVar("M")


class Runner(Protocol):
    """What executes a query: a sync or an async repository."""

    def _run_query(self, query: Query[Any], mode: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Query(Generic[M]):
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

    # terminal methods --------------------------------------------------------------------
    def all(self) -> Any:
        return self._runner()._run_query(self, "rows")

    def first(self) -> Any:
        return self._runner()._run_query(replace(self, limit_value=1), "first")

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
