"""The queries a repository hands out: the same :class:`~.query.Query`, with its terminal
methods typed for the repository's model and for how it runs (sync or async).

Both classes add no field and no code: every method is :class:`~.query.Query`'s, so a query
costs the same whichever it is. What they add is the types a checker sees —
``repo.query().all()`` is a ``list[Product]``, ``await arepo.query().all()`` too, and
``select()`` turns the rows into dicts, ``tuples()`` into tuples.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .compound import AsyncCompound, Compound, SyncCompound
from .cte import Cte
from .expressions import Aggregate, Condition, FieldRef, Window
from .query import Query

M = TypeVar("M")


class SyncQuery(Query[M]):
    """A query of a sync repository: each terminal method runs it and returns its rows."""

    __slots__ = ()
    compound_type: ClassVar[type[Compound[Any]]] = SyncCompound

    if TYPE_CHECKING:

        def select(self, *items: FieldRef | Aggregate | Window) -> SyncQuery[dict[str, Any]]: ...

        def tuples(self) -> SyncQuery[tuple[Any, ...]]: ...

        def dicts(self) -> SyncQuery[dict[str, Any]]: ...

        def union(self, *others: Query[Any] | Compound[Any]) -> SyncCompound[M]: ...

        def union_all(self, *others: Query[Any] | Compound[Any]) -> SyncCompound[M]: ...

        def intersect(self, *others: Query[Any] | Compound[Any]) -> SyncCompound[M]: ...

        def except_(self, *others: Query[Any] | Compound[Any]) -> SyncCompound[M]: ...

        def all(self) -> list[M]: ...

        def first(self) -> M | None: ...

        def one(self) -> M: ...

        def iterate(self, batch_size: int = 1000) -> Iterator[M]: ...

        def count(self) -> int: ...

        def exists(self) -> bool: ...

        def cte(self, name: str) -> SyncCte: ...

        def recursive(
            self,
            name: str,
            *,
            link: tuple[FieldRef | str, str],
            depth: str | None = None,
            path: tuple[str, FieldRef | str, str] | None = None,
            max_depth: int | None = None,
            where: tuple[Condition, ...] | Condition = (),
        ) -> SyncCte: ...


class AsyncQuery(Query[M]):
    """A query of an async repository: each terminal method returns a coroutine to await
    (``iterate()`` an async iterator)."""

    __slots__ = ()
    compound_type: ClassVar[type[Compound[Any]]] = AsyncCompound

    if TYPE_CHECKING:

        def select(self, *items: FieldRef | Aggregate | Window) -> AsyncQuery[dict[str, Any]]: ...

        def tuples(self) -> AsyncQuery[tuple[Any, ...]]: ...

        def dicts(self) -> AsyncQuery[dict[str, Any]]: ...

        def union(self, *others: Query[Any] | Compound[Any]) -> AsyncCompound[M]: ...

        def union_all(self, *others: Query[Any] | Compound[Any]) -> AsyncCompound[M]: ...

        def intersect(self, *others: Query[Any] | Compound[Any]) -> AsyncCompound[M]: ...

        def except_(self, *others: Query[Any] | Compound[Any]) -> AsyncCompound[M]: ...

        def all(self) -> Coroutine[Any, Any, list[M]]: ...

        def first(self) -> Coroutine[Any, Any, M | None]: ...

        def one(self) -> Coroutine[Any, Any, M]: ...

        def iterate(self, batch_size: int = 1000) -> AsyncIterator[M]: ...

        def count(self) -> Coroutine[Any, Any, int]: ...

        def exists(self) -> Coroutine[Any, Any, bool]: ...

        def cte(self, name: str) -> AsyncCte: ...

        def recursive(
            self,
            name: str,
            *,
            link: tuple[FieldRef | str, str],
            depth: str | None = None,
            path: tuple[str, FieldRef | str, str] | None = None,
            max_depth: int | None = None,
            where: tuple[Condition, ...] | Condition = (),
        ) -> AsyncCte: ...


if TYPE_CHECKING:

    class SyncCte(Cte):
        """A CTE of a sync repository's query (for type checkers: it is a :class:`Cte`)."""

        def query(self) -> SyncQuery[dict[str, Any]]: ...

    class AsyncCte(Cte):
        """A CTE of an async repository's query: its query's terminal methods are awaited."""

        def query(self) -> AsyncQuery[dict[str, Any]]: ...
