"""How a repository runs its operations: the only code that differs between the sync and
the async facade (hooks are requests of the operations, answered by the executors).
``sync.py`` builds on :class:`SyncIO`; ``asyncio.py`` is generated from it
(``scripts/unasync.py``) and builds on :class:`AsyncIO`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from .. import reads
from ..errors import TransactionConflict
from ..ops.changes import PENDING, ChangeEvent
from ..query.bound import AsyncQuery, SyncQuery
from .base import RepositoryBase, keyset_pages
from .hooks import AROUND, Write

if TYPE_CHECKING:
    from ..ops.requests import Operation
    from ..query.compound import Compound
    from ..query.query import Query
    from .host import AsyncHost, SyncHost

M = TypeVar("M", bound="Any")


#: a write outside a transaction that the database rolled back whole is run again up to twice
#: (three attempts, as ``db.atomic``'s default), after a jittered wait of 10 ms and up
AGAIN: dict[str, Any] = {
    "stop": stop_after_attempt(2),
    "wait": wait_random_exponential(multiplier=0.01, max=1.0),
    "retry": retry_if_exception_type(TransactionConflict),
    "reraise": True,
}


def query_name(mode: str) -> str:
    """The operation name listeners and spans get for a query: "query", "count", "exists"
    (not the generator's own, ``run_query``)."""
    return mode if mode in ("count", "exists") else "query"


class SyncIO(RepositoryBase[M]):
    db: SyncHost

    def _run(self, op: Operation[Any], name: str | None = None) -> Any:
        return self.db._sync_executor().run(op, self, name, self._session)

    def _write(
        self, kind: Write | None, make: Callable[[], Operation[Any]], name: str | None = None
    ) -> Any:
        """Run the write ``make()`` builds (``repository/writes.py``); ``name`` (the
        repository method: "update_many") is what operation listeners are told.

        Outside a transaction, a write the database rolled back whole (a deadlock, a
        serialization failure: :class:`TransactionConflict`) is built and run again, as
        ``db.atomic`` would run it: nothing of it was applied (see :data:`AGAIN`)."""
        name = name or kind
        db = self.db
        try:  # _recorded and _hooked's common case, inlined: this runs on every write
            if db.change_listeners.entries and PENDING.get() is None:
                return self._changing(kind, make(), name)
            if kind is None or not db.hooks.any_for(self.model, *AROUND[kind]):
                return db._sync_executor().run(make(), self, name, self._session)
            return self._hooked(kind, make(), name)
        except TransactionConflict:
            if db._in_transaction():
                raise  # the caller's transaction is gone: theirs to run again (db.atomic)
        for attempt in Retrying(**AGAIN):
            with attempt:
                return self._recorded(kind, make(), name)
        raise AssertionError("unreachable: the last attempt's error is raised")

    def _recorded(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """A write made by a hook of a write whose changes are recorded joins that record
        (``PENDING``), so its events come in write order with the outer write's."""
        if self.db.change_listeners.entries and PENDING.get() is None:
            return self._changing(kind, op, name)
        return self._hooked(kind, op, name)

    def _hooked(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """In a transaction when the model has hooks for the write (a hook's repositories
        join it), as one operation otherwise."""
        if kind is not None and self.db.hooks.any_for(self.model, *AROUND[kind]):
            with self.db.transaction():
                return self._run(op, name)
        return self._run(op, name)

    def _changing(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """Run a write whose change events someone listens to; they are published once the
        write has returned (queued on the open transaction, or delivered: it committed)."""
        events: list[ChangeEvent] = []
        token = PENDING.set(events)
        try:
            out = self._hooked(kind, op, name)
        finally:
            PENDING.reset(token)
        if events:
            self.db._publish(events)
        return out

    def query(self) -> SyncQuery[M]:
        """A new query over this repository's visible rows."""
        return SyncQuery(runner=self)

    def _run_query(self, query: Query[Any] | Compound[Any], mode: str) -> Any:
        op = reads.run_query(self.db.registry, self.mapped, self.scope, query, mode)
        return self._run(op, query_name(mode))

    def _iterate(self, query: Query[Any], batch_size: int) -> Iterator[Any]:
        page = keyset_pages(query, batch_size, self.mapped)
        rows = self._run_query(next(page), "rows")
        while True:
            yield from rows
            if len(rows) < batch_size:
                return
            rows = self._run_query(page.send(rows[-1]), "rows")


class AsyncIO(RepositoryBase[M]):
    db: AsyncHost

    async def _run(self, op: Operation[Any], name: str | None = None) -> Any:
        return await self.db._async_executor().run(op, self, name, self._session)

    async def _write(
        self, kind: Write | None, make: Callable[[], Operation[Any]], name: str | None = None
    ) -> Any:
        """See :meth:`SyncIO._write`; the async executor awaits the hooks."""
        name = name or kind
        db = self.db
        try:
            if db.change_listeners.entries and PENDING.get() is None:
                return await self._changing(kind, make(), name)
            if kind is None or not db.hooks.any_for(self.model, *AROUND[kind]):
                return await db._async_executor().run(make(), self, name, self._session)
            return await self._hooked(kind, make(), name)
        except TransactionConflict:
            if db._in_transaction():
                raise
        async for attempt in AsyncRetrying(**AGAIN):
            with attempt:
                return await self._recorded(kind, make(), name)
        raise AssertionError("unreachable: the last attempt's error is raised")

    async def _recorded(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """See :meth:`SyncIO._recorded`."""
        if self.db.change_listeners.entries and PENDING.get() is None:
            return await self._changing(kind, op, name)
        return await self._hooked(kind, op, name)

    async def _hooked(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """See :meth:`SyncIO._hooked`."""
        if kind is not None and self.db.hooks.any_for(self.model, *AROUND[kind]):
            async with self.db.transaction():
                return await self._run(op, name)
        return await self._run(op, name)

    async def _changing(self, kind: Write | None, op: Operation[Any], name: str | None) -> Any:
        """See :meth:`SyncIO._changing`; coroutine listeners are awaited."""
        events: list[ChangeEvent] = []
        token = PENDING.set(events)
        try:
            out = await self._hooked(kind, op, name)
        finally:
            PENDING.reset(token)
        if events:
            await self.db._publish(events)
        return out

    def query(self) -> AsyncQuery[M]:
        """A new query over this repository's visible rows; its terminal methods are awaited."""
        return AsyncQuery(runner=self)

    def _run_query(self, query: Query[Any] | Compound[Any], mode: str) -> Any:
        op = reads.run_query(self.db.registry, self.mapped, self.scope, query, mode)
        return self._run(op, query_name(mode))

    async def _iterate(self, query: Query[Any], batch_size: int) -> AsyncIterator[Any]:
        page = keyset_pages(query, batch_size, self.mapped)
        rows = await self._run_query(next(page), "rows")
        while True:
            for row in rows:
                yield row
            if len(rows) < batch_size:
                return
            rows = await self._run_query(page.send(rows[-1]), "rows")
