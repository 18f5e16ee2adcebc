"""Transactions: the ambient transaction, savepoints, isolation, on-commit callbacks, retries.

``with db.transaction():`` pins one connection for the block and publishes it in a context
variable; every repository call inside joins it (no connection argument to forget). Nested
blocks become savepoints. Callbacks registered with ``on_commit`` run after the outermost
COMMIT, and are dropped with the savepoint or transaction they were registered in.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from ..errors import ConfigurationError, TransactionConflict
from .executor import AMBIENT, Ambient, AsyncExecutor, SyncExecutor, ambient_for

if TYPE_CHECKING:
    from ..dialects import Capabilities
    from .database import AsyncDatabase, Database

T = TypeVar("T")
ISOLATION_LEVELS: tuple[str, ...] = ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")


def begin_statements(caps: Capabilities, isolation: str | None) -> list[str]:
    """The statements that open a write transaction at ``isolation`` on this backend."""
    if isolation is None:
        return [caps.begin_write]
    level = isolation.upper().replace("_", " ")
    if level not in ISOLATION_LEVELS:
        raise ConfigurationError(f"isolation must be one of {', '.join(ISOLATION_LEVELS)}")
    if caps.isolation_syntax == "begin":
        return [f"{caps.begin_write} ISOLATION LEVEL {level}"]
    if caps.isolation_syntax == "set":
        return [f"SET TRANSACTION ISOLATION LEVEL {level}", caps.begin_write]
    return [caps.begin_write]  # SQLite: every transaction is serializable


def _savepoint_callbacks(tx: Ambient) -> None:
    tx.on_commit[:] = [(depth, fn) for depth, fn in tx.on_commit if depth <= tx.depth]


@contextmanager
def sync_transaction(
    db: Database, isolation: str | None, statement_timeout: float | None = None
) -> Iterator[None]:
    executor: SyncExecutor = db._sync_executor()
    tx = ambient_for(executor)
    if tx is not None:
        if isolation is not None or statement_timeout is not None:
            raise ConfigurationError(
                "a nested transaction cannot change the isolation level or statement timeout"
            )
        tx.depth += 1
        name = f"storied_sp{tx.depth}"
        executor.text(tx.lease, f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # after a deadlock MySQL has rolled the whole transaction back, savepoints included:
            # the error that got us here is the one to report; the outer block rolls back
            with suppress(Exception):
                executor.text(tx.lease, f"ROLLBACK TO SAVEPOINT {name}")
            tx.depth -= 1
            _savepoint_callbacks(tx)
            raise
        executor.text(tx.lease, f"RELEASE SAVEPOINT {name}")
        tx.depth -= 1
        return
    statements = begin_statements(db._backend().capabilities, isolation)
    lease = executor.open_transaction(statements, statement_timeout)
    tx = Ambient(executor, lease, db.clock.now())
    token = AMBIENT.set((*AMBIENT.get(), tx))
    try:
        try:
            yield
        except BaseException:
            if not lease.broken:
                executor._rollback(lease)
            raise
        executor.commit(lease)
    finally:
        AMBIENT.reset(token)
        if statement_timeout is not None and not lease.broken:
            executor.restore_timeout(lease)
        executor.pool.release(lease)
    for _, callback in tx.on_commit:
        callback()


@asynccontextmanager
async def async_transaction(
    db: AsyncDatabase, isolation: str | None, statement_timeout: float | None = None
) -> AsyncIterator[None]:
    executor: AsyncExecutor = db._async_executor()
    tx = ambient_for(executor)
    if tx is not None:
        if isolation is not None or statement_timeout is not None:
            raise ConfigurationError(
                "a nested transaction cannot change the isolation level or statement timeout"
            )
        tx.depth += 1
        name = f"storied_sp{tx.depth}"
        await executor.text(tx.lease, f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            with suppress(Exception):  # see sync_transaction
                await executor.text(tx.lease, f"ROLLBACK TO SAVEPOINT {name}")
            tx.depth -= 1
            _savepoint_callbacks(tx)
            raise
        await executor.text(tx.lease, f"RELEASE SAVEPOINT {name}")
        tx.depth -= 1
        return
    statements = begin_statements(db._backend().capabilities, isolation)
    lease = await executor.open_transaction(statements, statement_timeout)
    tx = Ambient(executor, lease, db.clock.now())
    token = AMBIENT.set((*AMBIENT.get(), tx))
    try:
        try:
            yield
        except BaseException:
            if not lease.broken:
                try:
                    await executor.text(lease, "ROLLBACK")
                except Exception:  # as executor._rollback: the block's own error propagates
                    lease.broken = True
            raise
        await executor.commit(lease)
    finally:
        AMBIENT.reset(token)
        if statement_timeout is not None and not lease.broken:
            await executor.restore_timeout(lease)
        await executor.pool.release(lease)
    for _, callback in tx.on_commit:
        result = callback()
        if inspect.isawaitable(result):
            await result


def register_on_commit(executor: object, callback: Callable[[], Any]) -> bool:
    """Queue ``callback`` for after the ambient transaction commits; False if none is open."""
    tx = ambient_for(executor)
    if tx is None:
        return False
    tx.on_commit.append((tx.depth, callback))
    return True


def _retrying_kwargs(attempts: int) -> dict[str, Any]:
    if attempts < 1:
        raise ConfigurationError("attempts must be at least 1")
    return {
        "stop": stop_after_attempt(attempts),
        "wait": wait_random_exponential(multiplier=0.01, max=1.0),
        "retry": retry_if_exception_type(TransactionConflict),
        "reraise": True,
    }


def run_atomic(db: Database, fn: Callable[[], T], isolation: str | None, attempts: int) -> T:
    """``fn()`` in a transaction, retried on serialization failures and deadlocks only."""
    if ambient_for(db._sync_executor()) is not None:
        raise ConfigurationError("atomic() retries whole transactions: call it outside one")
    for attempt in Retrying(**_retrying_kwargs(attempts)):
        with attempt, sync_transaction(db, isolation):
            result = fn()
    return result


async def run_atomic_async(
    db: AsyncDatabase, fn: Callable[[], Awaitable[T]], isolation: str | None, attempts: int
) -> T:
    if ambient_for(db._async_executor()) is not None:
        raise ConfigurationError("atomic() retries whole transactions: call it outside one")
    async for attempt in AsyncRetrying(**_retrying_kwargs(attempts)):
        with attempt:
            async with async_transaction(db, isolation):
                result = await fn()
    return result
