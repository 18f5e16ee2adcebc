"""Transactions: the ambient transaction, savepoints, isolation, on-commit callbacks, retries.

``with db.transaction():`` pins one connection for the block and publishes it in a context
variable; every repository call inside joins it (no connection argument to forget). Nested
blocks become savepoints. Callbacks registered with ``on_commit`` run after the outermost
COMMIT, and are dropped with the savepoint or transaction they were registered in. Once the
transaction has committed every callback runs: one that raises is logged (logger "storied") and
handed to the database's ``on_commit_error`` hook, never raised out of the committed write.
"""

from __future__ import annotations

import inspect
import logging
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

logger = logging.getLogger("storied")

if TYPE_CHECKING:
    from ..dialects import Capabilities
    from .async_database import AsyncDatabase
    from .database import Database

T = TypeVar("T")
#: ``on_commit_error(exc, callback)``: told of each on_commit callback that raised after commit
OnCommitError = Callable[[Exception, Callable[[], Any]], None]
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


def _drop_callbacks(tx: Ambient, mark: int) -> None:
    """Forget the callbacks a rolled-back savepoint queued (its own and its nested ones').

    A savepoint owns exactly the callbacks queued since it opened (``mark``): those of earlier
    siblings, released or not, come before it and stay queued.
    """
    del tx.on_commit[mark:]


def _callback_name(callback: Callable[[], Any]) -> str:
    # the qualified name only: a repr (of a partial, say) could show bound values
    return getattr(callback, "__qualname__", type(callback).__qualname__)


def _report(db: Database | AsyncDatabase, exc: Exception, callback: Callable[[], Any]) -> None:
    logger.error(
        "on_commit callback %s raised after the transaction committed",
        _callback_name(callback),
        exc_info=exc,
    )
    hook = db.on_commit_error
    if hook is None:
        return
    try:
        hook(exc, callback)
    except Exception:  # the hook's own failure must not undo the committed write either
        logger.exception("on_commit_error hook raised")


def run_callbacks(db: Database, callbacks: list[Callable[[], Any]]) -> None:
    """Call every callback of a committed transaction; failures are reported, not raised."""
    for callback in callbacks:
        try:
            callback()
        except Exception as exc:
            _report(db, exc, callback)


async def run_callbacks_async(db: AsyncDatabase, callbacks: list[Callable[[], Any]]) -> None:
    """:func:`run_callbacks`, awaiting the callbacks that return awaitables."""
    for callback in callbacks:
        try:
            result = callback()
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            _report(db, exc, callback)


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
        mark = len(tx.on_commit)
        executor.text(tx.lease, f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # after a deadlock MySQL has rolled the whole transaction back, savepoints included:
            # the error that got us here is the one to report; the outer block rolls back
            with suppress(Exception):
                executor.text(tx.lease, f"ROLLBACK TO SAVEPOINT {name}")
            tx.depth -= 1
            _drop_callbacks(tx, mark)
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
    run_callbacks(db, tx.on_commit)


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
        mark = len(tx.on_commit)
        await executor.text(tx.lease, f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            with suppress(Exception):  # see sync_transaction
                await executor.text(tx.lease, f"ROLLBACK TO SAVEPOINT {name}")
            tx.depth -= 1
            _drop_callbacks(tx, mark)
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
    await run_callbacks_async(db, tx.on_commit)


def register_on_commit(executor: object, callback: Callable[[], Any]) -> bool:
    """Queue ``callback`` for after the ambient transaction commits; False if none is open."""
    tx = ambient_for(executor)
    if tx is None:
        return False
    tx.on_commit.append(callback)
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
