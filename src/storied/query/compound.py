"""``Compound``: an immutable set operation over queries (``union``, ``union_all``,
``intersect``, ``except_``), with its own ``order_by``/``limit``/``offset`` and terminals.

``q1.union(q2)`` is a :class:`Compound`; chaining reads left to right:
``a.union(b).except_(c)`` is ``(a UNION b) EXCEPT c``, whatever precedence SQL gives the
operators (INTERSECT binds tighter in the standard; SQLite has none). Its members keep their
own filters, visibility, ``as_of``, ``select``/``group_by``/``having``; each member's rows are
scoped (tenant, soft delete, time) by the same renderer as any query. :mod:`.setshaping`
checks the members and builds the shape, :mod:`.setrender` the statement.

Only ``union_all`` is an ALL form: MariaDB has INTERSECT ALL / EXCEPT ALL only from 10.5.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, Self, TypeVar

from ..errors import ValidationError
from .expressions import FieldRef, Order, Subquery, as_order

M = TypeVar("M")
SetOperator = Literal["union", "union_all", "intersect", "except"]


class CompoundRunner(Protocol):
    """What runs a compound: the repository of its first member."""

    def _run_query(self, query: Any, mode: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Compound(Generic[M]):
    """A set operation over ``members`` (queries or compounds), left to right.

    Members are bound repository queries. One with its own ``limit``/``offset`` keeps them
    (in its own ``order_by``: a derived table); an ``order_by`` without them, ``after`` and
    ``load`` are refused (order the compound instead).
    """

    operator: SetOperator
    members: tuple[Any, ...]
    orders: tuple[Order, ...] = ()
    limit_value: int | None = None
    offset_value: int | None = None
    #: plain rows (``tuples()``/``dicts()``), inherited from the first query when made
    rows_as: Literal["models", "tuples", "dicts"] = "models"

    def __post_init__(self) -> None:
        if self.operator not in _NAMES:
            raise ValidationError(f"{self.operator!r} is not a set operation")
        if not self.members:
            raise ValidationError("a set operation needs queries")

    def union(self, *others: Any) -> Self:
        """Rows in any member, duplicates removed."""
        return combine(self, "union", others)  # type: ignore[no-any-return]

    def union_all(self, *others: Any) -> Self:
        """Rows of every member, duplicates kept."""
        return combine(self, "union_all", others)  # type: ignore[no-any-return]

    def intersect(self, *others: Any) -> Self:
        """Rows in every member (distinct)."""
        return combine(self, "intersect", others)  # type: ignore[no-any-return]

    def except_(self, *others: Any) -> Self:
        """Rows of this one that no other member has (distinct)."""
        return combine(self, "except", others)  # type: ignore[no-any-return]

    def order_by(self, *orders: Order | FieldRef | str) -> Self:
        """Order by field names (whole-model rows) or labels (projections)."""
        return dataclasses.replace(self, orders=(*self.orders, *(as_order(o) for o in orders)))

    def limit(self, n: int | None) -> Self:
        return dataclasses.replace(self, limit_value=_count(n, "limit"))

    def tuples(self) -> Compound[tuple[Any, ...]]:
        """Plain rows, as the query's ``tuples()``: the model's fields in declared order or
        the projection's items, in their Python types, unvalidated."""
        return dataclasses.replace(self, rows_as="tuples")  # type: ignore[return-value]

    def dicts(self) -> Compound[dict[str, Any]]:
        """Plain rows as dicts, as the query's ``dicts()``."""
        return dataclasses.replace(self, rows_as="dicts")  # type: ignore[return-value]

    def offset(self, n: int | None) -> Self:
        return dataclasses.replace(self, offset_value=_count(n, "offset"))

    @property
    def runner(self) -> CompoundRunner | None:
        first = self.members[0]
        return first.runner  # type: ignore[no-any-return]

    # terminal methods --------------------------------------------------------------------
    def all(self) -> Any:
        return self._runner()._run_query(self, "rows")

    def first(self) -> Any:
        return self._runner()._run_query(dataclasses.replace(self, limit_value=1), "first")

    def one(self) -> Any:
        return self._runner()._run_query(dataclasses.replace(self, limit_value=2), "one")

    def count(self) -> Any:
        """The number of rows of the set operation (``limit``/``offset`` ignored, as on a
        query)."""
        return self._runner()._run_query(self, "count")

    def exists(self) -> Any:
        return self._runner()._run_query(self, "exists")

    def iterate(self, batch_size: int = 1000) -> Any:
        """Refused: keyset pages need an id order, which a set operation's rows lack."""
        raise ValidationError(
            "iterate() pages by id; a set operation has no id order: page it with "
            "order_by(), limit() and offset()"
        )

    def _runner(self) -> CompoundRunner:
        runner = self.runner
        if runner is None:
            raise ValidationError("a set operation's queries must come from a repository")
        return runner


class SyncCompound(Compound[M]):
    """A set operation of a sync repository's queries."""

    __slots__ = ()

    if TYPE_CHECKING:

        def tuples(self) -> SyncCompound[tuple[Any, ...]]: ...

        def dicts(self) -> SyncCompound[dict[str, Any]]: ...

        def all(self) -> list[M]: ...

        def first(self) -> M | None: ...

        def one(self) -> M: ...

        def iterate(self, batch_size: int = 1000) -> Iterator[M]: ...

        def count(self) -> int: ...

        def exists(self) -> bool: ...


class AsyncCompound(Compound[M]):
    """A set operation of an async repository's queries: each terminal method is awaited."""

    __slots__ = ()

    if TYPE_CHECKING:

        def tuples(self) -> AsyncCompound[tuple[Any, ...]]: ...

        def dicts(self) -> AsyncCompound[dict[str, Any]]: ...

        def all(self) -> Coroutine[Any, Any, list[M]]: ...

        def first(self) -> Coroutine[Any, Any, M | None]: ...

        def one(self) -> Coroutine[Any, Any, M]: ...

        def iterate(self, batch_size: int = 1000) -> AsyncIterator[M]: ...

        def count(self) -> Coroutine[Any, Any, int]: ...

        def exists(self) -> Coroutine[Any, Any, bool]: ...


def combine(left: Any, operator: SetOperator, others: tuple[Any, ...]) -> Any:
    """``left <operator> others…``; a compound of the same operator, unordered and unlimited,
    takes the others as more members (``a.union(b).union(c)`` is one UNION of three)."""
    if not others:
        raise ValidationError(f"{_NAMES[operator]}() needs at least one other query")
    for other in others:
        if not isinstance(other, Subquery | Compound):
            raise ValidationError(
                f"{_NAMES[operator]}() takes repository queries, not {type(other).__name__}"
            )
    kind = type(left) if isinstance(left, Compound) else left.compound_type
    form = left.rows_as  # q.tuples().union(…) is a compound of tuples
    if isinstance(left, Compound) and left.operator == operator and not is_shaped(left):
        return kind(operator, (*left.members, *others), rows_as=form)
    return kind(operator, (left, *others), rows_as=form)


def is_shaped(compound: Compound[Any]) -> bool:
    return bool(compound.orders) or compound.limit_value is not None or bool(compound.offset_value)


def _count(n: int | None, what: str) -> int | None:
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
        raise ValidationError(f"{what} must be a non-negative integer")
    return n


_NAMES = {"union": "union", "union_all": "union_all", "intersect": "intersect", "except": "except_"}
