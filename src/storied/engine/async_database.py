"""``AsyncDatabase``: the awaited facade. What its methods do is written once in :mod:`.core`;
here is only how they run: on the async engine, the async executor and the async pool."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Any, Self, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ..dialects import backend_for
from ..ops.changes import ChangeEvent
from .async_executor import AsyncExecutor
from .callbacks import register_on_commit, run_callbacks_async
from .core import DatabaseCore
from .facade import async_repository
from .feed import AsyncChangeFeed
from .pool import AsyncPool
from .raw import AsyncRawSQL
from .routing import close_async, routed_async
from .transaction import async_block, run_atomic_async
from .translate import connect_error

T = TypeVar("T")


class AsyncDatabase(AsyncRawSQL, DatabaseCore[AsyncEngine, AsyncExecutor]):
    """The async Database: ``AsyncDatabase("postgresql://…")``; ``await db.connect()``.

    The keywords are :class:`~storied.engine.core.DatabaseCore`'s (``docs/connections.md``).
    """

    _is_async = True

    async def connect(self) -> Self:
        """See :meth:`Database.connect`."""
        if self._executor is not None:
            return self
        engine = self._new_engine(create_async_engine)
        try:
            async with engine.connect():
                pass
        except (DBAPIError, OSError) as exc:
            await engine.dispose()
            raise connect_error(exc, backend_for(engine.dialect).classify, self.url) from exc
        self._engine = engine

        def executor(backend: Any, cache: Any) -> AsyncExecutor:
            driver, caps = backend.async_driver, backend.capabilities
            pool = AsyncPool(
                engine,
                self.limits,
                lambda conn: driver.execute(conn, "SELECT 1", (), True),
                single=caps.single_connection,
                networked=caps.networked,
            )
            pool.connector = self._connector(backend)
            pool.on_wait = self.events.connection_waited
            return routed_async(self, AsyncExecutor(backend, cache, pool, self.statement_timeout))

        self.use_executor(engine.dialect, executor)
        return self

    async def close(self) -> None:
        """See :meth:`Database.close`."""
        if self._executor is not None:
            await close_async(self._executor)
            await self._executor.pool.close()
        self._forget()

    async def __aenter__(self) -> Self:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    _async_executor = DatabaseCore._running  # repositories and raw SQL: no extra frame

    @property
    def changes(self) -> AsyncChangeFeed:
        """The resumable change feed: ``db.changes.read(after=cursor, limit=…)`` (see
        ``docs/changes.md``)."""
        return AsyncChangeFeed(self)

    repository = async_repository(DatabaseCore._repository)

    def transaction(
        self, *, isolation: str | None = None, statement_timeout: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """``async with db.transaction():`` — see :meth:`Database.transaction`."""
        return async_block(self, self._transaction(isolation, statement_timeout))

    async def atomic(
        self, fn: Callable[[], Awaitable[T]], *, isolation: str | None = None, attempts: int = 3
    ) -> T:
        """``await fn()`` in a transaction, retried on serialization failures and deadlocks."""
        return await run_atomic_async(self, fn, isolation, attempts)

    async def _publish(self, events: list[ChangeEvent]) -> None:
        """See :meth:`Database._publish`; coroutine listeners are awaited."""
        deliver = partial(self.change_listeners.dispatch_async, events)
        if not register_on_commit(self._running(), deliver):
            await deliver()

    async def on_commit(self, callback: Callable[[], Any]) -> None:
        """Call (and await) ``callback`` after the current transaction commits.

        See :meth:`Database.on_commit`: failures are logged and reported, never raised."""
        if not register_on_commit(self._running(), callback):
            await run_callbacks_async(self, [callback])
