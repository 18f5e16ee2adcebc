"""A thin idle list in front of SQLAlchemy's pool, which also enforces the pool's limits.

SQLAlchemy's pool makes, initializes and disposes connections; checking one out of it costs
several times a loopback round trip in Python, so connections storied hands back stay here, idle,
and the next operation takes one in a list pop. Because idle connections stay checked out of
SQLAlchemy's pool, this list is also where callers wait for a free connection: at most
``pool_size + max_overflow`` exist, a caller waits at most ``pool_timeout`` seconds for one
(then :class:`~storied.errors.DatabaseTimeout`), and a connection idle for longer than
``pool_pre_ping_after`` seconds is pinged before it is handed out (a dead one is replaced).
"""

from __future__ import annotations

import asyncio
import collections
import math
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import Pool, PoolProxiedConnection, QueuePool

from .._compat import greenlet_spawn
from ..errors import DatabaseTimeout
from .resilience import Connector

#: how long a waiter sleeps before it looks at the idle list again (a release does not always
#: wake it: handing back stays lock-free, so a wake-up can be missed by this much at most)
_WAIT_SLICE = 0.05


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """The pool's bounds (see ``Database``): connections kept, extra ones, the wait, the ping."""

    size: int = 10
    overflow: int = 10
    timeout: float = 30.0
    ping_after: float = 1.0


class Lease:
    """One checked-out connection: SQLAlchemy's proxy and the driver's own connection."""

    __slots__ = (
        "broken", "driver", "execute", "idle_since", "proxy", "session", "timer", "unsent"
    )  # fmt: skip

    def __init__(self, proxy: PoolProxiedConnection, driver: Any, execute: Any = None) -> None:
        self.proxy = proxy
        self.driver = driver
        self.broken = False
        #: the failure that broke it happened before anything was sent (see ErrorInfo.unsent)
        self.unsent = False
        #: the DB-API connection's own ``execute(sql, params)`` returning a cursor, where the
        #: driver offers one (sqlite3, psycopg): it spares making and closing a cursor
        self.execute = execute
        self.idle_since = monotonic()
        #: the client-side statement timer (SQLite), when a statement timeout applies
        self.timer: Any = None
        #: the tenant scope its session holds under Row-Level Security (``session.py``);
        #: None: unknown (a new connection, or one the server may have reset)
        self.session: Any = None


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """How many connections are busy. Idle ones kept for reuse are not in use."""

    #: connections the pool keeps open (its ``pool_size``; more may open as overflow)
    size: int
    #: connections an operation holds right now
    in_use: int
    #: open connections waiting for the next operation
    idle: int
    #: the most connections that may exist at once (``pool_size + max_overflow``)
    limit: int = 0

    @property
    def usage(self) -> float:
        """``in_use / size``: 0.0 for an idle pool, 1.0 when every pooled connection is busy."""
        return self.in_use / self.size if self.size else 0.0


class _IdleList:
    """Leases handed back and kept for reuse, and the count of leases that exist."""

    def __init__(self, limits: PoolLimits, single: bool, networked: bool) -> None:
        self._size = 1 if single else limits.size
        self._limit = 1 if single else limits.size + limits.overflow
        self._timeout = limits.timeout
        # a connection that cannot be lost (SQLite) is never pinged, nor its idle time taken
        self._ping_after: float | None = limits.ping_after if networked else None
        self._idle: list[Lease] = []
        self._count = 0
        #: called with each new lease (installs the SQLite statement timer)
        self.on_open: Callable[[Lease], Any] | None = None
        #: opens connections with retries and behind the circuit breaker, when configured
        self.connector: Connector | None = None
        #: told the seconds each acquisition waited that found no idle connection (it waited
        #: for one or opened one); the metrics' wait-time histogram
        self.on_wait: Callable[[float], object] | None = None

    def _keep(self, lease: Lease) -> bool:
        """Keep a healthy lease for reuse; False when the caller must hand it back or drop it."""
        if not lease.broken and len(self._idle) < self._size:
            if self._ping_after is not None:
                lease.idle_since = monotonic()
            self._idle.append(lease)
            return True
        return False

    def _status(self, pool: Pool) -> PoolStatus:
        """Connections in use now (storied's operations and direct users of the engine, such
        as schema sync and backups), and those idle for the next operation."""
        idle = len(self._idle)
        # SQLAlchemy counts the connections idling in storied's list as checked out
        busy = pool.checkedout() if isinstance(pool, QueuePool) else self._count
        return PoolStatus(self._size, max(0, busy - idle), idle, self._limit)

    def _stale(self, lease: Lease) -> bool:
        """Idle for longer than ``pool_pre_ping_after``: one clock read and one compare, and
        nothing at all where connections cannot be lost."""
        after = self._ping_after
        return after is not None and monotonic() - lease.idle_since > after

    def suspect_idle(self) -> None:
        """A connection was lost: ping every idle one before its next use (a restarted server
        has dropped them all)."""
        for lease in self._idle:
            lease.idle_since = -math.inf

    def _exhausted(self) -> DatabaseTimeout:
        return DatabaseTimeout(
            f"database: no connection came free within pool_timeout={self._timeout:g} s "
            f"(all {self._limit} in use: pool_size + max_overflow); raise the limits or "
            "hold connections (transactions) for less time"
        )

    def _remaining(self, deadline: float) -> float:
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise self._exhausted()
        return min(remaining, _WAIT_SLICE)


def _lease(proxy: PoolProxiedConnection) -> Lease:
    driver = proxy.dbapi_connection
    return Lease(proxy, driver, getattr(driver, "execute", None))


class SyncPool(_IdleList):
    def __init__(
        self, engine: Engine, limits: PoolLimits, *, single: bool = False, networked: bool = True
    ) -> None:
        super().__init__(limits, single, networked)
        self._engine = engine
        self._cond = threading.Condition(threading.Lock())

    def acquire(self) -> Lease:
        try:
            lease = self._idle.pop()
        except IndexError:
            return self._wait_or_open(use_idle=True)
        after = self._ping_after  # _stale, inlined: this runs on every call
        if after is not None and monotonic() - lease.idle_since > after:
            return self._checked(lease)
        return lease

    def fresh(self) -> Lease:
        """A newly opened connection (after one was lost: the idle ones may be dead too)."""
        return self._wait_or_open(use_idle=False)

    def _checked(self, lease: Lease) -> Lease:
        try:
            cursor = lease.driver.cursor()
            try:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            finally:
                cursor.close()
        except Exception:  # dead: nothing was sent on it, so its replacement is safe
            lease.broken = True
            self.release(lease)
            self.suspect_idle()
            return self._wait_or_open(use_idle=False)
        return lease

    def _wait_or_open(self, *, use_idle: bool) -> Lease:
        deadline = monotonic() + self._timeout
        lease: Lease | None
        with self._cond:
            while True:
                if use_idle and self._idle:
                    lease = self._idle.pop()
                    break
                if self._count < self._limit:
                    self._count += 1  # the slot is ours; connect outside the lock
                    lease = None
                    break
                self._cond.wait(self._remaining(deadline))
        if lease is None:
            lease = self._open()
        elif self._stale(lease):
            lease = self._checked(lease)
        if self.on_wait is not None:
            self.on_wait(monotonic() - deadline + self._timeout)
        return lease

    def _open(self) -> Lease:
        """Open a connection for the slot just counted."""
        try:
            connect = self._engine.raw_connection
            proxy = connect() if self.connector is None else self.connector.open(connect)
        except BaseException as exc:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            if isinstance(exc, PoolTimeoutError):  # something else holds SQLAlchemy's pool
                raise self._exhausted() from None
            raise
        lease = _lease(proxy)
        if self.on_open is not None:
            try:
                self.on_open(lease)
            except BaseException:  # a connection not set up is closed, and its slot freed
                proxy.invalidate()
                with self._cond:
                    self._count -= 1
                    self._cond.notify()
                raise
        return lease

    def release(self, lease: Lease) -> None:
        if self._keep(lease):
            return
        try:
            (lease.proxy.invalidate if lease.broken else lease.proxy.close)()
        finally:
            with self._cond:
                self._count -= 1
                self._cond.notify()

    def status(self) -> PoolStatus:
        return self._status(self._engine.pool)

    def close(self) -> None:
        while self._idle:
            self._idle.pop().proxy.close()
            self._count -= 1
        self._engine.dispose()


class AsyncPool(_IdleList):
    def __init__(
        self,
        engine: AsyncEngine,
        limits: PoolLimits,
        ping: Callable[[Any], Awaitable[Any]],
        *,
        single: bool = False,
        networked: bool = True,
    ) -> None:
        super().__init__(limits, single, networked)
        self._engine = engine
        self._ping = ping
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def take(self) -> Lease | None:
        """An idle lease that needs no ping, without awaiting (the common case)."""
        idle = self._idle
        if not idle:
            return None
        after = self._ping_after  # _stale, inlined: this runs on every call
        if after is not None and monotonic() - idle[-1].idle_since > after:
            return None
        return idle.pop()

    def put_back(self, lease: Lease) -> bool:
        """Keep a healthy lease without awaiting; False when ``release`` must be awaited."""
        if not self._keep(lease):
            return False
        if self._waiters:
            self._wake()
        return True

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def acquire(self) -> Lease:
        return await self._wait_or_open(use_idle=True)

    async def fresh(self) -> Lease:
        """See :meth:`SyncPool.fresh`."""
        return await self._wait_or_open(use_idle=False)

    async def _wait_or_open(self, *, use_idle: bool) -> Lease:
        start = monotonic()
        lease = await self._wait_then_open(use_idle, start + self._timeout)
        if self.on_wait is not None:
            self.on_wait(monotonic() - start)
        return lease

    async def _wait_then_open(self, use_idle: bool, deadline: float) -> Lease:
        while True:
            if use_idle and self._idle:
                lease = self._idle.pop()
                return await self._checked(lease) if self._stale(lease) else lease
            if self._count < self._limit:
                self._count += 1
                return await self._open()
            wait = self._remaining(deadline)  # raises DatabaseTimeout (a TimeoutError) at the end
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, wait)
            except TimeoutError:
                pass  # look again
            finally:
                if not waiter.done():
                    waiter.cancel()

    async def _checked(self, lease: Lease) -> Lease:
        try:
            await self._ping(lease.driver)
        except Exception:
            lease.broken = True
            await self.release(lease)
            self.suspect_idle()
            return await self._wait_or_open(use_idle=False)
        return lease

    async def _open(self) -> Lease:
        try:
            connect = self._engine.raw_connection
            if self.connector is None:
                proxy = await connect()
            else:
                proxy = await self.connector.open_async(connect)
        except BaseException as exc:
            self._count -= 1
            self._wake()
            if isinstance(exc, PoolTimeoutError):
                raise self._exhausted() from None
            raise
        lease = Lease(proxy, proxy.driver_connection)
        if self.on_open is not None:
            try:
                await self.on_open(lease)
            except BaseException:  # a connection not set up is closed, and its slot freed
                await greenlet_spawn(proxy.invalidate)
                self._count -= 1
                self._wake()
                raise
        return lease

    async def release(self, lease: Lease) -> None:
        if self.put_back(lease):
            return
        try:
            # closing an async driver connection awaits; SQLAlchemy's adapter needs a greenlet
            await greenlet_spawn(lease.proxy.invalidate if lease.broken else lease.proxy.close)
        finally:
            self._count -= 1
            self._wake()

    def status(self) -> PoolStatus:
        return self._status(self._engine.pool)

    async def close(self) -> None:
        while self._idle:
            await greenlet_spawn(self._idle.pop().proxy.close)
            self._count -= 1
        await self._engine.dispose()
