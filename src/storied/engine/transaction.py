"""Transactions: the ambient transaction, savepoints, isolation, retries — written once.

``with db.transaction():`` pins one connection for the block and publishes it in a context
variable; every repository call inside joins it (no connection argument to forget). Nested
blocks become savepoints. Callbacks registered with ``on_commit`` run after the outermost
COMMIT (:mod:`storied.engine.callbacks`).

What a block does is a sans-I/O generator, :func:`transaction_flow`, as the repository
operations are: it yields *steps* (each a function of the executor: run this statement, commit,
hand the connection back) and :data:`BODY` where the ``with`` block's own code runs; an error a
step raised, or the body raised, is thrown into it. The sync and the async context managers
only drive it: a sync step returns its result, an async one an awaitable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import TYPE_CHECKING, Any, Final, TypeVar

from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from ..errors import ConfigurationError, TransactionConflict
from .ambient import AMBIENT, Ambient, ambient_for
from .callbacks import run_callbacks, run_callbacks_async

if TYPE_CHECKING:
    from ..dialects import Capabilities
    from .async_database import AsyncDatabase
    from .async_executor import AsyncExecutor
    from .core import DatabaseCore
    from .database import Database
    from .executor import SyncExecutor

T = TypeVar("T")
ISOLATION_LEVELS: tuple[str, ...] = ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")

#: one step of a block: called with the executor; returns the result (sync) or an awaitable
Step = Callable[[Any], Any]
Callbacks = list[Callable[[], Any]]
#: what the flow yields where the ``with`` block's body runs
BODY: Final = object()
Steps = Generator[Step | object, Any, Callbacks]


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


def transaction_flow(
    db: DatabaseCore[Any, Any], isolation: str | None, timeout: float | None
) -> Steps:
    """One ``db.transaction()`` block: a savepoint inside an open transaction, else its own.

    Returns the on_commit callbacks to run once the outermost transaction has committed."""
    executor = db._running()
    tx = ambient_for(executor)
    if tx is not None:
        if isolation is not None or timeout is not None:
            raise ConfigurationError(
                "a nested transaction cannot change the isolation level or statement timeout"
            )
        yield from _savepoint(tx)
        return []
    statements = begin_statements(db._backend().capabilities, isolation)
    lease = yield lambda ex: ex.open_transaction(statements, timeout)
    tx = Ambient(executor, lease, db.clock.now())
    token = AMBIENT.set((*AMBIENT.get(), tx))
    try:
        try:
            yield BODY
        except BaseException:
            if not lease.broken:
                lease.session = None  # the rollback undoes a set_config of the block
                try:
                    yield lambda ex: ex.send(lease, "ROLLBACK")
                except Exception:  # the block's own error is the one to raise
                    lease.broken = True
            raise
        yield lambda ex: ex.commit(lease)
    finally:
        AMBIENT.reset(token)
        if timeout is not None and not lease.broken:
            yield lambda ex: ex.restore_timeout(lease)
        yield lambda ex: ex.pool.release(lease)
    return tx.on_commit


def _savepoint(tx: Ambient) -> Generator[Step | object, Any, None]:
    """A nested block. Rolled back, it drops the on_commit callbacks queued since it opened
    (its own and its nested ones'): those of earlier siblings, released or not, stay."""
    tx.depth += 1
    name, mark, lease = f"storied_sp{tx.depth}", len(tx.on_commit), tx.lease
    try:
        yield lambda ex: ex.text(lease, f"SAVEPOINT {name}")
        try:
            yield BODY
        except BaseException:
            # after a deadlock MySQL has rolled the whole transaction back, savepoints included:
            # the error that got us here is the one to report; the outer block rolls back
            lease.session = None  # it undoes a set_config made since the savepoint
            with suppress(Exception):
                yield lambda ex: ex.text(lease, f"ROLLBACK TO SAVEPOINT {name}")
            del tx.on_commit[mark:]
            raise
        yield lambda ex: ex.text(lease, f"RELEASE SAVEPOINT {name}")
    finally:
        tx.depth -= 1


class Flow:
    """A block's steps as its driver sees them: the next step to run, and what it returned."""

    __slots__ = ("callbacks", "steps")

    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.callbacks: Callbacks = []

    def resume(self, value: Any = None, error: BaseException | None = None) -> Step | None:
        """Send a step's result (or throw its error) in; the next step, or None when the body
        is to run or the flow has ended (its callbacks are then in ``callbacks``)."""
        try:
            step = self.steps.send(value) if error is None else self.steps.throw(error)
        except StopIteration as stop:
            self.callbacks = stop.value
            return None
        return None if step is BODY else step  # type: ignore[return-value]


def _advance(executor: SyncExecutor, flow: Flow, error: BaseException | None = None) -> None:
    step = flow.resume(None, error)
    while step is not None:
        try:
            value = step(executor)
        except Exception as exc:
            step = flow.resume(None, exc)
        else:
            step = flow.resume(value)


@contextmanager
def sync_block(db: Database, steps: Steps) -> Iterator[None]:
    """Run a block's steps on the sync executor, the body where the flow says."""
    executor, flow = db._sync_executor(), Flow(steps)
    _advance(executor, flow)
    try:
        yield
    except BaseException as exc:
        _advance(executor, flow, exc)  # rolls back, then raises ``exc`` again
        raise
    _advance(executor, flow)
    run_callbacks(db, flow.callbacks)


async def _advance_async(
    executor: AsyncExecutor, flow: Flow, error: BaseException | None = None
) -> None:
    step = flow.resume(None, error)
    while step is not None:
        try:
            value = await step(executor)
        except Exception as exc:
            step = flow.resume(None, exc)
        else:
            step = flow.resume(value)


@asynccontextmanager
async def async_block(db: AsyncDatabase, steps: Steps) -> AsyncIterator[None]:
    """The same on the async executor, awaiting each step."""
    executor, flow = db._async_executor(), Flow(steps)
    await _advance_async(executor, flow)
    try:
        yield
    except BaseException as exc:
        await _advance_async(executor, flow, exc)
        raise
    await _advance_async(executor, flow)
    await run_callbacks_async(db, flow.callbacks)


def _retrying_kwargs(attempts: int) -> dict[str, Any]:
    if attempts < 1:
        raise ConfigurationError("attempts must be at least 1")
    return {
        "stop": stop_after_attempt(attempts),
        "wait": wait_random_exponential(multiplier=0.01, max=1.0),
        "retry": retry_if_exception_type(TransactionConflict),
        "reraise": True,
    }


def _outside(db: DatabaseCore[Any, Any], attempts: int) -> dict[str, Any]:
    if ambient_for(db._running()) is not None:
        raise ConfigurationError("atomic() retries whole transactions: call it outside one")
    return _retrying_kwargs(attempts)


def run_atomic(db: Database, fn: Callable[[], T], isolation: str | None, attempts: int) -> T:
    """``fn()`` in a transaction, retried on serialization failures and deadlocks only."""
    for attempt in Retrying(**_outside(db, attempts)):
        with attempt, db.transaction(isolation=isolation):
            result = fn()
    return result


async def run_atomic_async(
    db: AsyncDatabase, fn: Callable[[], Awaitable[T]], isolation: str | None, attempts: int
) -> T:
    async for attempt in AsyncRetrying(**_outside(db, attempts)):
        with attempt:
            async with db.transaction(isolation=isolation):
                result = await fn()
    return result
