"""Executors that send reads to replicas: the rules are in :mod:`storied.engine.replicas`
(configuration and state) and :mod:`storied.engine.route` (the decision, once for both).

A routing executor *is* the primary's executor (transactions, raw SQL and schema tools use it
unchanged); only :meth:`run` outside a transaction looks at the operation's first request. A
write (or a write transaction) runs on the primary. A read runs on the next healthy replica
(its lag checked first when a check is due); if that replica fails before the operation began
a transaction there, the rest of the operation runs on the next replica or the primary, so the
caller sees no error. An operation that reads first and writes later without a transaction
(none of storied's do) is handed to the primary at its first write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ..errors import ConfigurationError, StoriedError
from ..ops.requests import Operation
from .ambient import ambient_for
from .async_executor import AsyncExecutor
from .executor import SyncExecutor
from .pool import AsyncPool, Lease, SyncPool
from .replicas import Replicas, lag_check
from .route import PRIMARY, Route, first_request, replica_legs
from .session import SessionScope

if TYPE_CHECKING:
    from .core import DatabaseCore

T = TypeVar("T")
#: what listeners (``db.events``) are told a replica's lag check is called
CHECK = "replica_check"


class RoutingSyncExecutor(SyncExecutor):
    def __init__(self, primary: SyncExecutor, replicas: Replicas) -> None:
        super().__init__(primary.backend, primary.cache, primary.pool, primary.statement_timeout)
        self.replicas = replicas

    def run(
        self,
        op: Operation[T],
        errors: Any = None,
        name: str | None = None,
        session: SessionScope | None = None,
    ) -> T:
        name = name if name is not None else getattr(op, "__name__", None)
        if ambient_for(self) is not None:
            return super().run(
                op, errors, name, session
            )  # its COMMIT pins the context (see commit)
        first, done = first_request(op)
        if first is None:
            return done  # type: ignore[no-any-return]
        route = Route(first, op, self.cache)
        legs = replica_legs(route, self.replicas)
        answer: Any = None
        failure: StoriedError | None = None
        try:
            while True:
                leg = legs.send(answer) if failure is None else legs.throw(failure)
                failure = None
                try:
                    if leg.check:
                        answer = leg.replica.executor.run(
                            lag_check(_lag_sql(self)), None, CHECK, session
                        )
                    else:
                        answer = leg.replica.executor.run(route.resume(True), errors, name, session)
                except StoriedError as exc:
                    failure = exc
        except StopIteration as stop:
            if stop.value is not PRIMARY:
                return stop.value  # type: ignore[no-any-return]
        try:
            return super().run(route.resume(False), errors, name, session)  # type: ignore[no-any-return]
        finally:
            op.close()  # its finally runs even when the last server abandoned it
            if route.writes:
                self.replicas.wrote()

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

    async def run(
        self,
        op: Operation[T],
        errors: Any = None,
        name: str | None = None,
        session: SessionScope | None = None,
    ) -> T:
        name = name if name is not None else getattr(op, "__name__", None)
        if ambient_for(self) is not None:
            return await super().run(
                op, errors, name, session
            )  # its COMMIT pins the context (see commit)
        first, done = first_request(op)
        if first is None:
            return done  # type: ignore[no-any-return]
        route = Route(first, op, self.cache)
        legs = replica_legs(route, self.replicas)
        answer: Any = None
        failure: StoriedError | None = None
        try:
            while True:
                leg = legs.send(answer) if failure is None else legs.throw(failure)
                failure = None
                try:
                    if leg.check:
                        answer = await leg.replica.executor.run(
                            lag_check(_lag_sql(self)), None, CHECK, session
                        )
                    else:
                        answer = await leg.replica.executor.run(
                            route.resume(True), errors, name, session
                        )
                except StoriedError as exc:
                    failure = exc
        except StopIteration as stop:
            if stop.value is not PRIMARY:
                return stop.value  # type: ignore[no-any-return]
        try:
            return await super().run(route.resume(False), errors, name, session)
        finally:
            op.close()  # its finally runs even when the last server abandoned it
            if route.writes:
                self.replicas.wrote()

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


def _lag_sql(executor: SyncExecutor | AsyncExecutor) -> str:
    sql = executor.backend.capabilities.replica_lag
    assert sql is not None
    return sql


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
        _tells(db, replica.executor)
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
        _tells(db, replica.executor)
    return RoutingAsyncExecutor(primary, db.replicas)


def _tells(db: DatabaseCore[Any, Any], executor: SyncExecutor | AsyncExecutor) -> None:
    """A replica's executor tells the Database's listeners (``db.events``) too: a read that a
    replica answered is an operation like any other."""
    executor.events = db.events
    executor.backend_name = db.dialect_name


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
