"""``Query``: an immutable, generative description of a read over one model."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, Protocol, Self, TypeVar, cast

from ..errors import ValidationError
from .compound import Compound, combine
from .cte import Cte, make_cte, make_walk
from .expressions import (
    Aggregate,
    Condition,
    FieldRef,
    Order,
    Subquery,
    Window,
    WindowCall,
    as_order,
)

M = TypeVar("M")
Q = TypeVar("Q", bound="Query[Any]")
#: what a query's rows come back as: models (dicts after ``select()``), tuples or dicts
RowForm = Literal["models", "tuples", "dicts"]


class Runner(Protocol):
    """What executes a query: a sync or an async repository."""

    def _run_query(self, query: Query[Any] | Compound[Any], mode: str) -> Any: ...

    def _iterate(self, query: Query[Any], batch_size: int) -> Any: ...


@dataclass(frozen=True, slots=True)
class Query(Subquery, Generic[M]):
    """Each method returns a new Query; nothing runs until ``all()``, ``first()``, ``count()``…

    A repository's ``query()`` is a :class:`~storied.query.bound.SyncQuery` (``all()`` is a
    ``list[M]``) or, on an async repository, an :class:`~storied.query.bound.AsyncQuery`
    (``all()`` is awaited); each method keeps that type.
    """

    #: the class of this query's set operations (typed for sync/async in bound.py)
    compound_type: ClassVar[type[Compound[Any]]] = Compound

    runner: Runner | None = None
    conditions: tuple[Condition, ...] = ()
    orders: tuple[Order, ...] = ()
    limit_value: int | None = None
    offset_value: int | None = None
    visibility: Literal["live", "deleted", "any"] = "live"
    as_of_value: dt.datetime | None = None
    projection: tuple[FieldRef | Aggregate | Window, ...] = ()
    grouping: tuple[str, ...] = ()
    having_conditions: tuple[Condition, ...] = ()
    distinct_rows: bool = False
    after_values: tuple[Any, ...] | None = None
    loads: tuple[str, ...] = ()
    #: the CTE this query reads (``cte.query()``), None for the repository's model
    source: Cte | None = None
    #: plain rows (``tuples()``/``dicts()``): values in their Python types, no validation
    rows_as: RowForm = "models"
    #: relation paths joined explicitly, each with whether the join is INNER
    joins: tuple[tuple[str, bool], ...] = ()

    def filter(self, *conditions: Condition, **equals: Any) -> Self:
        extra = tuple(FieldRef(name) == value for name, value in equals.items())
        for cond in conditions:
            if not isinstance(cond, Condition):
                raise ValidationError(f"filter() takes conditions such as F.x == 1, not {cond!r}")
        return _evolve(self, conditions=(*self.conditions, *conditions, *extra))

    where = filter

    def order_by(self, *orders: Order | FieldRef | str) -> Self:
        return _evolve(self, orders=(*self.orders, *(as_order(o) for o in orders)))

    def limit(self, n: int | None) -> Self:
        if n is not None and (not isinstance(n, int) or n < 0):
            raise ValidationError("limit must be a non-negative integer")
        return _evolve(self, limit_value=n)

    def offset(self, n: int | None) -> Self:
        if n is not None and (not isinstance(n, int) or n < 0):
            raise ValidationError("offset must be a non-negative integer")
        return _evolve(self, offset_value=n)

    def include_deleted(self, include: bool = True) -> Self:
        return _evolve(self, visibility="any" if include else "live")

    def only_deleted(self) -> Self:
        return _evolve(self, visibility="deleted")

    def as_of(self, moment: dt.datetime | None) -> Self:
        """Read the versions valid at ``moment`` (scd2 models); None reads current versions."""
        if moment is not None and (not isinstance(moment, dt.datetime) or moment.tzinfo is None):
            raise ValidationError("as_of needs a timezone-aware datetime")
        return _evolve(self, as_of_value=moment)

    def select(self, *items: FieldRef | Aggregate | Window) -> Query[dict[str, Any]]:
        """Return plain dicts of these fields and aggregates (or window functions,
        ``func.rank().over(…)``) instead of models."""
        for item in items:
            if isinstance(item, WindowCall):
                raise ValidationError(f"func.{item.fn}() is a window function: add .over(…)")
            if not isinstance(item, FieldRef | Aggregate | Window):
                raise ValidationError(f"select() takes F.field or func.…(), not {item!r}")
        return cast("Query[dict[str, Any]]", _evolve(self, projection=items))

    def tuples(self) -> Query[tuple[Any, ...]]:
        """Plain rows for reports and ETL: the terminals return tuples instead of models.

        A whole-model query's tuples hold the model's fields in declared order
        (``Model.model_fields``), a ``select()``'s its items in order. Values come in their
        Python types (exact Decimal, aware UTC datetime, UUID …) without Pydantic validation.
        """
        return cast("Query[tuple[Any, ...]]", _evolve(self, rows_as="tuples"))

    def dicts(self) -> Query[dict[str, Any]]:
        """Plain rows as dicts keyed by field name (or ``select()`` label); see :meth:`tuples`."""
        return cast("Query[dict[str, Any]]", _evolve(self, rows_as="dicts"))

    def group_by(self, *fields: FieldRef | str) -> Self:
        for f in fields:
            if not isinstance(f, FieldRef | str):
                raise ValidationError(f"group_by() takes F.field or a field name, not {f!r}")
        names = tuple(f.name if isinstance(f, FieldRef) else f for f in fields)
        return _evolve(self, grouping=(*self.grouping, *names))

    def having(self, *conditions: Condition) -> Self:
        return _evolve(self, having_conditions=(*self.having_conditions, *conditions))

    def join(self, path: str) -> Self:
        """INNER JOIN the related rows at ``path`` (``"team"``, ``"team.company"``): rows
        without a visible related row drop out, and dotted fields of that path read it."""
        return _evolve(self, joins=(*self.joins, (_path(path), True)))

    def left_join(self, path: str) -> Self:
        """LEFT OUTER JOIN the related rows at ``path``: every row stays, with NULL related
        fields where there is no visible related row (dotted paths join so by default)."""
        return _evolve(self, joins=(*self.joins, (_path(path), False)))

    def distinct(self, distinct: bool = True) -> Self:
        return _evolve(self, distinct_rows=distinct)

    def after(self, cursor: Any) -> Self:
        """Keyset pagination: the rows after ``cursor`` (a row of the previous page, or a
        tuple of its order_by values) in this query's order. ``id`` is added to the order
        as the tie-breaker."""
        _check_keyset(self)
        query = self if any(o.field == "id" for o in self.orders) else self.order_by("id")
        if isinstance(cursor, tuple):
            values = cursor
        elif isinstance(cursor, Mapping):
            values = tuple(cursor[o.field] for o in query.orders)
        else:
            values = tuple(getattr(cursor, o.field) for o in query.orders)
        return _evolve(query, after_values=values)

    def load(self, *paths: str) -> Self:
        """Eager-load relations (``"posts"``, ``"posts.comments"``): one query per relation."""
        return _evolve(self, loads=(*self.loads, *paths))

    def cte(self, name: str) -> Cte:
        """This query's rows as a named CTE (``WITH name AS (…)``); see :mod:`.cte`."""
        return make_cte(self, name)

    def recursive(
        self,
        name: str,
        *,
        link: tuple[FieldRef | str, str],
        depth: str | None = None,
        path: tuple[str, FieldRef | str, str] | None = None,
        max_depth: int | None = None,
        where: tuple[Condition, ...] | Condition = (),
    ) -> Cte:
        """A recursive CTE walking from this query's rows (the anchor): each step adds the
        model's rows whose ``link[0]`` field equals a walked row's ``link[1]`` column and
        that meet ``where``. ``depth`` labels a column counting steps (0 at the anchor),
        ``path=(label, F.field, sep)`` one joining the field's values; a walk never revisits
        a row already on its own path, and stops after ``max_depth`` steps."""
        conditions = (where,) if isinstance(where, Condition) else tuple(where)
        return make_walk(self, name, link, depth, path, max_depth, conditions)

    def _over(self, cte: Cte) -> Self:
        return _evolve(self, source=cte)

    def union(self, *others: Query[Any] | Compound[Any]) -> Compound[M]:
        """A set operation (see :mod:`.compound`): rows of any query, deduplicated."""
        return combine(self, "union", others)  # type: ignore[no-any-return]

    def union_all(self, *others: Query[Any] | Compound[Any]) -> Compound[M]:
        return combine(self, "union_all", others)  # type: ignore[no-any-return]

    def intersect(self, *others: Query[Any] | Compound[Any]) -> Compound[M]:
        return combine(self, "intersect", others)  # type: ignore[no-any-return]

    def except_(self, *others: Query[Any] | Compound[Any]) -> Compound[M]:
        return combine(self, "except", others)  # type: ignore[no-any-return]

    # terminal methods --------------------------------------------------------------------
    def all(self) -> Any:
        """The rows (models, or dicts after ``select()``)."""
        return self._runner()._run_query(self, "rows")

    def first(self) -> Any:
        """The first row, or None."""
        return self._runner()._run_query(_evolve(self, limit_value=1), "first")

    def one(self) -> Any:
        """Exactly one row: NotFoundError if none, MultipleResultsError if more."""
        return self._runner()._run_query(_evolve(self, limit_value=2), "one")

    def iterate(self, batch_size: int = 1000) -> Any:
        """Stream the rows in keyset-paginated batches of ``batch_size`` (flat memory).

        A generator on a sync repository, an async generator on an async one.
        """
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValidationError("batch_size must be a positive integer")
        if self.source is not None:
            raise ValidationError("iterate() pages by id; it cannot page through a CTE's rows")
        if self.projection:
            _check_pageable(self)
        _check_keyset(self)
        return self._runner()._iterate(self, batch_size)

    def count(self) -> Any:
        return self._runner()._run_query(self, "count")

    def exists(self) -> Any:
        return self._runner()._run_query(self, "exists")

    def _runner(self) -> Runner:
        if self.runner is None:
            raise ValidationError("this Query is not bound to a repository; use repo.query()")
        return self.runner


_FIELDS = tuple(f.name for f in dataclasses.fields(Query))
_set = object.__setattr__


def _evolve(query: Q, **changes: Any) -> Q:
    """``dataclasses.replace`` for a query, at a third of its cost (it runs once per method
    call): the same fields copied, ``changes`` applied, no ``__init__`` re-run (every value
    was checked by the method that set it). Subclasses add no fields."""
    new = object.__new__(type(query))
    for name in _FIELDS:
        _set(new, name, getattr(query, name))
    for name, value in changes.items():
        _set(new, name, value)
    return new


def _check_pageable(query: Query[Any]) -> None:
    """``iterate()`` over ``select()`` pages by the rows' own order keys: only plain fields
    (no aggregate, ``group_by`` or ``having``) that include ``id`` and every order field."""
    if query.grouping or query.having_conditions:
        raise ValidationError(
            "iterate() cannot page through group_by() or having(): "
            "use all(), or order_by() with limit() and offset()"
        )
    names = set()
    for item in query.projection:
        if not isinstance(item, FieldRef):
            raise ValidationError("iterate() cannot page through aggregates; use all()")
        names.add(item.name)
    missing = [n for n in ("id", *(o.field for o in query.orders)) if n not in names]
    if missing:
        raise ValidationError(
            f"iterate() over select() pages by the rows' order keys: select {missing[0]!r} too"
        )


def _path(path: str) -> str:
    if not isinstance(path, str) or not all(path.split(".")):
        raise ValidationError(f"join() takes a relation path such as 'team.company', not {path!r}")
    return path


def _check_keyset(query: Query[Any]) -> None:
    if any("." in o.field for o in query.orders):
        raise ValidationError(
            "after() and iterate() page by the query's own fields, not by a related field's "
            "order; order by the model's fields, or page with limit() and offset()"
        )
