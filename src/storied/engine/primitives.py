"""What really differs between the sync and the async executor: taking and handing back a
connection, running one statement on the driver, calling a hook, installing SQLite's timer.

Everything else an executor does (driving an operation, transactions, timeouts) is written
once, in :mod:`storied.engine.executor` on :class:`SyncPrimitives`, and generated for
:class:`AsyncPrimitives` into :mod:`storied.engine.async_executor` by ``scripts/unasync.py``.
"""

from __future__ import annotations

import inspect
from time import monotonic

from ..dialects import Backend
from ..ops.requests import CallHook, Exec, Result
from .compiled import StatementCache
from .executor_base import ExecutorBase, columns_of
from .pool import AsyncPool, Lease, SyncPool
from .timeouts import install, install_async
from .translate import ErrorContext


class SyncPrimitives(ExecutorBase):
    def __init__(
        self,
        backend: Backend,
        cache: StatementCache,
        pool: SyncPool,
        statement_timeout: float | None = None,
    ) -> None:
        super().__init__(backend, cache, statement_timeout)
        self.pool = pool
        if statement_timeout is not None and self._timeout_sql(None) is None:
            pool.on_open = lambda lease: install(lease, statement_timeout)

    def acquire(self, *, fresh: bool = False) -> Lease:
        """A connection from the pool (``fresh``: a newly opened one), or storied's error."""
        try:
            return self.pool.fresh() if fresh else self.pool.acquire()
        except Exception as exc:  # a new connection failed (server down, file unreachable …)
            failure = self._connect_failed(exc)
            if failure is exc:
                raise
        raise failure

    #: a connection for one operation (the async side may reuse the task's last one)
    _lease = acquire

    def _hand_back(self, lease: Lease) -> None:
        """Return an operation's connection."""
        self.pool.release(lease)

    def _install(self, lease: Lease, seconds: float | None) -> None:
        install(lease, seconds)

    def call_hook(self, request: CallHook) -> None:
        request.fn(*request.args)

    def execute(self, lease: Lease, request: Exec, errors: ErrorContext | None) -> Result:
        copier = self.bulk_loader(request)
        timer = lease.timer
        if timer is not None:
            timer.start = monotonic()
        if copier is not None:
            target, copy_rows = self.bulk_rows(request, copier)
            try:
                return Result([], copier.copy(lease.driver, target, copy_rows))
            except Exception as exc:
                failure = self._fail(exc, lease, errors)
                if failure is None:
                    raise
            raise failure
        sql, params, compiled, many = self.prepare(request)
        shortcut = lease.execute
        cursor = None
        try:
            if shortcut is not None and not many:
                # the driver's own connection.execute (sqlite3, psycopg): no cursor to make
                found = shortcut(sql, params)
                rows = found.fetchall() if request.fetch else []
                return Result(
                    compiled.rows(rows),
                    found.rowcount,
                    getattr(found, "lastrowid", None),
                    columns_of(found) if request.columns else (),
                )
            cursor = lease.driver.cursor()
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall() if request.fetch else []
            return Result(
                compiled.rows(rows),
                cursor.rowcount,
                getattr(cursor, "lastrowid", None),
                columns_of(cursor) if request.columns else (),
            )
        except Exception as exc:
            failure = self._fail(exc, lease, errors)
            if failure is None:
                raise
        finally:
            if cursor is not None:
                cursor.close()
        raise failure

    def text(self, lease: Lease, sql: str) -> None:
        try:
            if lease.execute is not None:
                lease.execute(sql)
                return
            cursor = lease.driver.cursor()
            try:
                cursor.execute(sql)
            finally:
                cursor.close()
            return
        except Exception as exc:
            failure = self._fail(exc, lease, None)
            if failure is None:
                raise
        raise failure


class AsyncPrimitives(ExecutorBase):
    def __init__(
        self,
        backend: Backend,
        cache: StatementCache,
        pool: AsyncPool,
        statement_timeout: float | None = None,
    ) -> None:
        super().__init__(backend, cache, statement_timeout)
        self.pool = pool
        assert backend.async_driver is not None
        self.driver = backend.async_driver
        if statement_timeout is not None and self._timeout_sql(None) is None:
            pool.on_open = lambda lease: install_async(lease, statement_timeout)

    async def acquire(self, *, fresh: bool = False) -> Lease:
        try:
            return await (self.pool.fresh() if fresh else self.pool.acquire())
        except Exception as exc:
            failure = self._connect_failed(exc)
            if failure is exc:
                raise
        raise failure

    async def _lease(self) -> Lease:
        """The connection the last operation of this task handed back, if still idle."""
        return self.pool.take() or await self.acquire()

    async def _hand_back(self, lease: Lease) -> None:
        if not self.pool.put_back(lease):
            await self.pool.release(lease)

    async def _install(self, lease: Lease, seconds: float | None) -> None:
        await install_async(lease, seconds)

    async def call_hook(self, request: CallHook) -> None:
        """Call the hook; a coroutine function's coroutine (any awaitable) is awaited."""
        called = request.fn(*request.args)
        if inspect.isawaitable(called):
            await called

    async def execute(self, lease: Lease, request: Exec, errors: ErrorContext | None) -> Result:
        copier = self.bulk_loader(request)
        timer = lease.timer
        if timer is not None:
            timer.start = monotonic()
        try:
            if copier is not None:
                target, copy_rows = self.bulk_rows(request, copier)
                return Result([], await copier.copy(lease.driver, target, copy_rows))
            sql, params, compiled, many = self.prepare(request)
            if many:
                count = await self.driver.executemany(lease.driver, sql, params)
                return Result([], count)
            if request.columns:
                rows, count, names = await self.driver.described(lease.driver, sql, params)
                return Result(compiled.rows(rows), count, None, names)
            rows, count, lastrowid = await self.driver.execute(
                lease.driver, sql, params, request.fetch
            )
        except Exception as exc:
            failure = self._fail(exc, lease, errors)
            if failure is None:
                raise
            raise_it = failure
        else:
            return Result(compiled.rows(rows), count, lastrowid)
        raise raise_it

    async def text(self, lease: Lease, sql: str) -> None:
        try:
            await self.driver.execute(lease.driver, sql, (), False)
            return
        except Exception as exc:
            failure = self._fail(exc, lease, None)
            if failure is None:
                raise
        raise failure
