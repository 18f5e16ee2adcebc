"""Executors that send reads to replicas: the rules are in :mod:`storied.engine.replicas`.

A routing executor *is* the primary's executor (transactions, raw SQL and schema tools use it
unchanged); only :meth:`run` outside a transaction looks at the operation's first request. A
write (or a write transaction) runs on the primary. A read runs on the next healthy replica
(its lag checked first when a check is due); if that replica fails before the operation began
a transaction there, the rest of the operation runs on the next replica or the primary, so the
caller sees no error. An operation that reads first and writes later without a transaction
(none of storied's do) is handed to the primary at its first write.
"""

from __future__ import annotations

from collections.abc import Generator
from time import monotonic
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ..errors import (
    ConfigurationError,
    OperationalError,
    OutcomeUnknownError,
    SchemaError,
    StoriedError,
    TransactionConflict,
)
from ..ops.requests import Begin, CallHook, Operation, Request, Result
from .ambient import ambient_for
from .async_executor import AsyncExecutor
from .compiled import StatementCache
from .executor import SyncExecutor
from .pool import AsyncPool, Lease, SyncPool
from .replicas import Replica, Replicas, lag_check

if TYPE_CHECKING:
    from .core import DatabaseCore

T = TypeVar("T")

#: what a replica's run returns when the operation asked to write: go on on the primary
_REROUTE: Any = object()


class Route:
    """One operation on its way: the request still unanswered, and what it did so far."""

    def __init__(self, first: Request, op: Operation[Any], cache: StatementCache) -> None:
        self.pending: Request = first
        self.op = op
        self.cache = cache
        self.began = False
        self.writes = self.is_write(first)

    def is_write(self, request: Request) -> bool:
        if isinstance(request, Begin):
            return request.write
        if isinstance(request, CallHook):
            return False  # a hook runs here, in Python, wherever the statements go
        return not self.cache.get(request.statement).reads

    def resume(self, on_replica: bool) -> Generator[Request, Result, Any]:
        """The operation from its pending request on (on a replica: up to its first write)."""
        if not on_replica and self.began:
            # a read transaction began on a replica that then asked to write: begin again here
            yield Begin()
        request = self.pending
        while True:
            self.pending = request  # unanswered until the executor sends its result
            if self.is_write(request):
                self.writes = True
                if on_replica:
                    return _REROUTE
            try:
                result = yield request
            except StoriedError as exc:
                if on_replica and self.failover(exc) is not None:
                    raise  # the operation waits at its request for the next server
                # any other failure is the operation's own to handle, as on one server
                try:
                    request = self.op.throw(exc)
                except StopIteration as stop:
                    return stop.value
                continue
            self.began = self.began or isinstance(request, Begin)
            try:
                request = self.op.send(result)
            except StopIteration as stop:
                return stop.value

    def failover(self, exc: BaseException) -> Literal["down", "behind"] | None:
        """What a replica's failure means, when the operation can leave it behind (it had no
        transaction open there, whose snapshot another server cannot go on): "down" (its
        connection failed: skip it until a check finds it healthy) or "behind" (a table it has
        not replayed yet, a read cancelled by a conflict with its recovery: read the primary).
        None: the caller gets the error."""
        if self.began:
            return None
        if isinstance(exc, OperationalError) and not isinstance(exc, OutcomeUnknownError):
            return "down"
        if isinstance(exc, SchemaError | TransactionConflict):
            return "behind"
        return None


def _first(op: Operation[Any]) -> tuple[Request | None, Any]:
    try:
        return next(op), None
    except StopIteration as stop:
        return None, stop.value


class RoutingSyncExecutor(SyncExecutor):
    def __init__(self, primary: SyncExecutor, replicas: Replicas) -> None:
        super().__init__(primary.backend, primary.cache, primary.pool, primary.statement_timeout)
        self.replicas = replicas

    def run(self, op: Operation[T], errors: Any = None, name: str | None = None) -> T:
        name = name if name is not None else getattr(op, "__name__", None)
        if ambient_for(self) is not None:
            return super().run(op, errors, name)  # its COMMIT pins the context (see commit)
        first, done = _first(op)
        if first is None:
            return done  # type: ignore[no-any-return]
        route = Route(first, op, self.cache)
        if not route.writes and not self.replicas.pinned():
            for replica in self.replicas.order():
                if replica.due(monotonic(), self.replicas.check_interval):
                    self._check(replica)
                if not replica.healthy:
                    continue
                try:
                    out = replica.executor.run(route.resume(True), errors, name)
                except StoriedError as exc:
                    why = route.failover(exc)
                    if why is None:
                        raise
                    self.replicas.failovers += 1
                    if why == "behind":
                        break
                    replica.failed(exc)
                    continue
                if out is not _REROUTE:
                    replica.reads += 1
                    return out  # type: ignore[no-any-return]
                break
        if not route.writes:
            self.replicas.primary_reads += 1
        try:
            return super().run(route.resume(False), errors, name)  # type: ignore[no-any-return]
        finally:
            op.close()  # its finally runs even when the last server abandoned it
            if route.writes:
                self.replicas.wrote()

    def _check(self, replica: Replica) -> None:
        replica.checking = True
        try:
            replica.checked(replica.executor.run(lag_check(self._lag_sql())), self.replicas.max_lag)
        except StoriedError as exc:
            replica.failed(exc)
        finally:
            replica.checking = False

    def _lag_sql(self) -> str:
        sql = self.backend.capabilities.replica_lag
        assert sql is not None
        return sql

    def commit(self, lease: Lease, errors: Any = None, op: object = None) -> None:
        try:
            super().commit(lease, errors, op)
        finally:
            self.replicas.wrote()

    def close_replicas(self) -> None:
        for replica in self.replicas.replicas:
            if replica.executor is not None:
                replica.executor.pool.close()
                replica.executor = None


class RoutingAsyncExecutor(AsyncExecutor):
    def __init__(self, primary: AsyncExecutor, replicas: Replicas) -> None:
        super().__init__(primary.backend, primary.cache, primary.pool, primary.statement_timeout)
        self.replicas = replicas

    async def run(self, op: Operation[T], errors: Any = None, name: str | None = None) -> T:
        name = name if name is not None else getattr(op, "__name__", None)
        if ambient_for(self) is not None:
            return await super().run(op, errors, name)
        first, done = _first(op)
        if first is None:
            return done  # type: ignore[no-any-return]
        route = Route(first, op, self.cache)
        if not route.writes and not self.replicas.pinned():
            for replica in self.replicas.order():
                if replica.due(monotonic(), self.replicas.check_interval):
                    await self._check(replica)
                if not replica.healthy:
                    continue
                try:
                    out = await replica.executor.run(route.resume(True), errors, name)
                except StoriedError as exc:
                    why = route.failover(exc)
                    if why is None:
                        raise
                    self.replicas.failovers += 1
                    if why == "behind":
                        break
                    replica.failed(exc)
                    continue
                if out is not _REROUTE:
                    replica.reads += 1
                    return out  # type: ignore[no-any-return]
                break
        if not route.writes:
            self.replicas.primary_reads += 1
        try:
            return await super().run(route.resume(False), errors, name)
        finally:
            op.close()  # its finally runs even when the last server abandoned it
            if route.writes:
                self.replicas.wrote()

    async def _check(self, replica: Replica) -> None:
        replica.checking = True
        try:
            sql = self.backend.capabilities.replica_lag
            assert sql is not None
            row = await replica.executor.run(lag_check(sql))
            replica.checked(row, self.replicas.max_lag)
        except StoriedError as exc:
            replica.failed(exc)
        finally:
            replica.checking = False

    async def commit(self, lease: Lease, errors: Any = None, op: object = None) -> None:
        try:
            await super().commit(lease, errors, op)
        finally:
            self.replicas.wrote()

    async def close_replicas(self) -> None:
        for replica in self.replicas.replicas:
            if replica.executor is not None:
                await replica.executor.pool.close()
                replica.executor = None


def routed_sync(db: DatabaseCore[Any, Any], primary: SyncExecutor) -> SyncExecutor:
    """``primary`` itself without replicas; else a routing executor over it and them (each
    replica gets its own engine and pool, opened lazily: a replica down at connect is only
    skipped)."""
    if not db.replicas:
        return primary
    caps = primary.backend.capabilities
    if caps.replica_lag is None:
        primary.pool.close()
        raise _no_replicas()
    for replica in db.replicas.replicas:
        engine = db._new_engine(sa.create_engine, replica.url)
        pool = SyncPool(engine, db.limits, single=caps.single_connection, networked=True)
        replica.executor = SyncExecutor(
            primary.backend, primary.cache, pool, primary.statement_timeout
        )
    return RoutingSyncExecutor(primary, db.replicas)


def routed_async(db: DatabaseCore[Any, Any], primary: AsyncExecutor) -> AsyncExecutor:
    """The async :func:`routed_sync`."""
    if not db.replicas:
        return primary
    caps = primary.backend.capabilities
    if caps.replica_lag is None:
        raise _no_replicas()
    driver = primary.driver
    for replica in db.replicas.replicas:
        engine = db._new_engine(create_async_engine, replica.url)
        pool = AsyncPool(
            engine,
            db.limits,
            lambda conn: driver.execute(conn, "SELECT 1", (), True),
            single=caps.single_connection,
            networked=True,
        )
        replica.executor = AsyncExecutor(
            primary.backend, primary.cache, pool, primary.statement_timeout
        )
    return RoutingAsyncExecutor(primary, db.replicas)


def _no_replicas() -> ConfigurationError:
    return ConfigurationError(
        "replicas: this backend has no read replicas storied can route to "
        "(PostgreSQL streaming replicas are supported)"
    )


def close_sync(executor: SyncExecutor) -> None:
    """Close the replicas' pools of a routing executor (the primary's is closed by its
    Database)."""
    if isinstance(executor, RoutingSyncExecutor):
        executor.close_replicas()


async def close_async(executor: AsyncExecutor) -> None:
    if isinstance(executor, RoutingAsyncExecutor):
        await executor.close_replicas()
