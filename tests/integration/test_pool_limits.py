"""Pool limits are explicit: ``pool_size + max_overflow`` connections at most, a bounded wait.

Holders keep connections checked out (a transaction left open in another thread or task; on
SQLite, whose write transactions take one lock, the executor's own lease); every further
acquire path — a repository call, a transaction, raw SQL — then waits ``pool_timeout`` and
raises ``DatabaseTimeout``, within a second of the bound.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import pytest

from storied import AsyncDatabase, ConfigurationError, Database, DatabaseTimeout
from tests.integration.conftest import Store, settle
from tests.integration.conn_support import connected, mode
from tests.models import Product

__all__ = ["mode"]

TIMEOUT = 1.5


@asynccontextmanager
async def holders(store: Store, count: int) -> AsyncIterator[None]:
    """``count`` connections checked out for the block, each in its own thread or task."""
    db: Any = store.db
    by_lease = db.dialect_name == "sqlite"
    if isinstance(db, AsyncDatabase):
        stop = asyncio.Event()
        started: list[asyncio.Event] = [asyncio.Event() for _ in range(count)]

        async def hold(ready: asyncio.Event) -> None:
            executor = db._async_executor()
            if by_lease:
                lease = await executor.acquire()
                ready.set()
                await stop.wait()
                await executor.pool.release(lease)
                return
            async with db.transaction():
                ready.set()
                await stop.wait()

        tasks = [asyncio.create_task(hold(ready)) for ready in started]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in started)), 10)
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks)
        return
    sync_stop = threading.Event()
    ready = threading.Semaphore(0)
    failures: list[BaseException] = []

    def hold_sync() -> None:
        try:
            executor = db._sync_executor()
            if by_lease:
                lease = executor.acquire()
                ready.release()
                sync_stop.wait(30)
                executor.pool.release(lease)
                return
            with db.transaction():
                ready.release()
                sync_stop.wait(30)
        except BaseException as exc:
            failures.append(exc)
            ready.release()

    threads = [threading.Thread(target=hold_sync) for _ in range(count)]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert ready.acquire(timeout=10)
    assert not failures, failures
    try:
        yield
    finally:
        sync_stop.set()
        for thread in threads:
            thread.join(10)


async def times_out(call: Callable[[], Awaitable[Any] | Any]) -> float:
    """Seconds until ``call`` raised DatabaseTimeout."""
    start = time.monotonic()
    with pytest.raises(DatabaseTimeout) as caught:
        await settle(call())
    elapsed = time.monotonic() - start
    assert "pool_timeout" in str(caught.value)
    assert isinstance(caught.value, TimeoutError)
    return elapsed


def paths(store: Store) -> dict[str, Callable[[], Any]]:
    """Every way a caller acquires a connection."""
    repo = store.repository(Product, tenant_id=uuid4())

    async def in_transaction() -> None:
        async with store.transaction():
            pass

    return {
        "repository": lambda: repo.count(),
        "transaction": in_transaction,
        "raw": lambda: store.db.fetch_value("SELECT 1"),
    }


@pytest.mark.parametrize(("size", "overflow"), [(2, 0), (1, 2)])
async def test_exhaustion_is_a_timeout_within_the_bound(
    mode: str, db_url: str, async_url: str, size: int, overflow: int
) -> None:
    async with connected(
        mode,
        db_url,
        async_url,
        Product,
        pool_size=size,
        max_overflow=overflow,
        pool_timeout=TIMEOUT,
    ) as store:
        async with holders(store, size + overflow):  # exactly the limit is admitted
            for name, call in paths(store).items():
                elapsed = await times_out(call)
                assert TIMEOUT - 0.2 <= elapsed <= TIMEOUT + 1.0, (name, elapsed)
        for call in paths(store).values():  # and once they are handed back, all work
            await settle(call())


async def test_a_waiter_gets_the_connection_handed_back(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(
        mode, db_url, async_url, Product, pool_size=1, max_overflow=0, pool_timeout=10
    ) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        if isinstance(store.db, Database):
            done = threading.Event()

            def late_release() -> None:
                with holders_sync(store.db):
                    done.set()
                    time.sleep(0.3)

            thread = threading.Thread(target=late_release)
            thread.start()
            done.wait(10)
            start = time.monotonic()
            assert await repo.count() == 0
            thread.join(10)
        else:
            async with holders(store, 1):
                waiter = asyncio.create_task(repo.count())
                await asyncio.sleep(0.3)
                assert not waiter.done()
            start = time.monotonic()
            assert await waiter == 0
        assert time.monotonic() - start < 5


class holders_sync:
    """One connection held by the current thread (SQLite: a lease; servers: a transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cm: Any = None
        self.lease: Any = None

    def __enter__(self) -> None:
        if self.db.dialect_name == "sqlite":
            self.lease = self.db._sync_executor().acquire()
        else:
            self.cm = self.db.transaction()
            self.cm.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self.lease is not None:
            self.db._sync_executor().pool.release(self.lease)
        else:
            self.cm.__exit__(None, None, None)


@pytest.mark.parametrize(
    "options",
    [
        {"pool_size": 0},
        {"max_overflow": -1},
        {"pool_timeout": -1},
        {"pool_size": 2.5},
        {"statement_timeout": 0},
    ],
)
def test_bad_pool_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match=next(iter(options))):
        Database("sqlite://", **options)
