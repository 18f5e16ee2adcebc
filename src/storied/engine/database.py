"""``Database``: the sync facade. What its methods do is written once in :mod:`.core`; here is
only how they run: on the sync engine, the sync executor and the sync pool."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ..dialects import backend_for
from ..ops.changes import ChangeEvent
from .async_database import AsyncDatabase as AsyncDatabase  # also importable from here
from .callbacks import register_on_commit, run_callbacks
from .core import DatabaseCore
from .executor import SyncExecutor
from .facade import sync_repository
from .feed import ChangeFeed
from .pool import SyncPool
from .raw import RawSQL
from .routing import close_sync, routed_sync
from .transaction import run_atomic, sync_block
from .translate import connect_error

T = TypeVar("T")


class Database(RawSQL, DatabaseCore[Engine, SyncExecutor]):
    """A synchronous database: ``Database("sqlite:///app.db")``. Connect before use.

    The keywords are :class:`~storied.engine.core.DatabaseCore`'s (``docs/connections.md``).
    """

    def connect(self) -> Self:
        """Open the pool (one first connection, to learn the server); a no-op when connected."""
        if self._executor is not None:
            return self
        engine = self._new_engine(sa.create_engine)
        try:
            with engine.connect():
                pass  # first connection: the dialect learns the server version
        except (DBAPIError, OSError) as exc:
            engine.dispose()
            raise connect_error(exc, backend_for(engine.dialect).classify, self.url) from exc
        self._engine = engine

        def executor(backend: Any, cache: Any) -> SyncExecutor:
            caps = backend.capabilities
            pool = SyncPool(
                engine, self.limits, single=caps.single_connection, networked=caps.networked
            )
            pool.connector = self._connector(backend)
            pool.on_wait = self.events.connection_waited
            return routed_sync(self, SyncExecutor(backend, cache, pool, self.statement_timeout))

        self.use_executor(engine.dialect, executor)
        return self

    def close(self) -> None:
        """Close every connection; ``connect()`` may open the pool again."""
        if self._executor is not None:
            close_sync(self._executor)
            self._executor.pool.close()
        self._forget()

    def __enter__(self) -> Self:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    _sync_executor = DatabaseCore._running  # repositories and raw SQL: no extra frame

    @property
    def changes(self) -> ChangeFeed:
        """The resumable change feed: ``db.changes.read(after=cursor, limit=…)`` (see
        ``docs/changes.md``)."""
        return ChangeFeed(self)

    repository = sync_repository(DatabaseCore._repository)

    def transaction(
        self, *, isolation: str | None = None, statement_timeout: float | None = None
    ) -> AbstractContextManager[None]:
        """Run the block in one transaction; repositories used inside join it.

        Nested blocks become savepoints. An exception rolls the block back and propagates.
        ``isolation``: "READ COMMITTED", "REPEATABLE READ" or "SERIALIZABLE".
        ``statement_timeout``: seconds each statement of this transaction may run (instead
        of the Database's).
        """
        return sync_block(self, self._transaction(isolation, statement_timeout))

    def atomic(self, fn: Callable[[], T], *, isolation: str | None = None, attempts: int = 3) -> T:
        """``fn()`` in a transaction, run again (up to ``attempts`` times, with jittered backoff)
        only when the database rolled it back as a serialization failure or deadlock."""
        return run_atomic(self, fn, isolation, attempts)

    def _publish(self, events: list[ChangeEvent]) -> None:
        """Hand a repository call's change events to the listeners once they are committed."""
        deliver = partial(self.change_listeners.dispatch, events)
        if not register_on_commit(self._running(), deliver):
            deliver()

    def on_commit(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` after the current transaction commits (at once outside one).

        Dropped if the transaction, or the savepoint it was registered in, rolls back. A
        callback that raises never turns the committed write into an error: the exception is
        logged on the "storied" logger and passed to ``on_commit_error``, and the remaining
        callbacks still run."""
        if not register_on_commit(self._running(), callback):
            run_callbacks(self, [callback])
