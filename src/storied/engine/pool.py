"""A thin idle list in front of SQLAlchemy's pool.

SQLAlchemy's pool makes, initializes and disposes connections; checking one out of it costs
several times a loopback round trip in Python, so connections storied hands back stay here, idle,
and the next operation takes one in a list pop.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import Pool, PoolProxiedConnection, QueuePool
from sqlalchemy.util import greenlet_spawn


class Lease:
    """One checked-out connection: SQLAlchemy's proxy and the driver's own connection."""

    __slots__ = ("broken", "driver", "execute", "proxy")

    def __init__(self, proxy: PoolProxiedConnection, driver: Any, execute: Any = None) -> None:
        self.proxy = proxy
        self.driver = driver
        self.broken = False
        #: the DB-API connection's own ``execute(sql, params)`` returning a cursor, where the
        #: driver offers one (sqlite3, psycopg): it spares making and closing a cursor
        self.execute = execute


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """How many connections are busy. Idle ones kept for reuse are not in use."""

    #: connections the pool keeps open (its ``pool_size``; more may open as overflow)
    size: int
    #: connections an operation holds right now
    in_use: int
    #: open connections waiting for the next operation
    idle: int

    @property
    def usage(self) -> float:
        """``in_use / size``: 0.0 for an idle pool, 1.0 when every pooled connection is busy."""
        return self.in_use / self.size if self.size else 0.0


class _IdleList:
    """Leases handed back and kept for reuse, up to ``size``; a gate when only one may exist."""

    _gate: threading.Lock | asyncio.Lock | None

    def __init__(self, size: int) -> None:
        self._size = size
        self._idle: list[Lease] = []

    def _keep(self, lease: Lease) -> bool:
        """Keep a healthy lease for reuse; False when the caller must hand it back or drop it."""
        if not lease.broken and len(self._idle) < self._size:
            self._idle.append(lease)
            return True
        return False

    def _open_gate(self) -> None:
        if self._gate is not None:
            self._gate.release()

    def _status(self, pool: Pool) -> PoolStatus:
        idle = len(self._idle)
        if isinstance(pool, QueuePool):
            # SQLAlchemy counts the connections idling in our list as checked out
            in_use = max(0, pool.checkedout() - idle)
            return PoolStatus(pool.size(), in_use, pool.checkedin() + idle)
        # one shared connection (in-memory SQLite): busy while its gate is held
        busy = int(self._gate is not None and self._gate.locked())
        return PoolStatus(1, busy, 1 - busy)


class SyncPool(_IdleList):
    def __init__(self, engine: Engine, size: int, single: bool) -> None:
        super().__init__(size)
        self._engine = engine
        self._gate = threading.Lock() if single else None

    def acquire(self) -> Lease:
        if self._gate is not None:
            self._gate.acquire()
        try:
            return self._idle.pop()
        except IndexError:
            try:
                proxy = self._engine.raw_connection()
            except BaseException:
                self._open_gate()
                raise
            driver = proxy.dbapi_connection
            return Lease(proxy, driver, getattr(driver, "execute", None))

    def release(self, lease: Lease) -> None:
        try:
            if not self._keep(lease):
                (lease.proxy.invalidate if lease.broken else lease.proxy.close)()
        finally:
            self._open_gate()

    def status(self) -> PoolStatus:
        return self._status(self._engine.pool)

    def close(self) -> None:
        while self._idle:
            self._idle.pop().proxy.close()
        self._engine.dispose()


class AsyncPool(_IdleList):
    def __init__(self, engine: AsyncEngine, size: int, single: bool) -> None:
        super().__init__(size)
        self._engine = engine
        self._gate = asyncio.Lock() if single else None

    def take(self) -> Lease | None:
        """An idle lease without awaiting, when no gate guards the pool (the common case)."""
        if self._gate is None and self._idle:
            return self._idle.pop()
        return None

    def put_back(self, lease: Lease) -> bool:
        """Keep a healthy lease without awaiting; False when ``release`` must be awaited."""
        return self._gate is None and self._keep(lease)

    async def acquire(self) -> Lease:
        if self._gate is not None:
            await self._gate.acquire()  # type: ignore[misc]  # an asyncio.Lock here
        try:
            return self._idle.pop()
        except IndexError:
            try:
                proxy = await self._engine.raw_connection()
            except BaseException:
                self._open_gate()
                raise
            return Lease(proxy, proxy.driver_connection)

    async def release(self, lease: Lease) -> None:
        try:
            if not self._keep(lease):
                # closing an async driver connection awaits; SQLAlchemy's adapter needs a greenlet
                await greenlet_spawn(lease.proxy.invalidate if lease.broken else lease.proxy.close)
        finally:
            self._open_gate()

    def status(self) -> PoolStatus:
        return self._status(self._engine.pool)

    async def close(self) -> None:
        while self._idle:
            await greenlet_spawn(self._idle.pop().proxy.close)
        await self._engine.dispose()
