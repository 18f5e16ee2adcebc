"""The async executor: the same operations, the same rules as :mod:`storied.engine.executor`."""

from __future__ import annotations

import inspect
from time import monotonic
from typing import TypeVar

from ..dialects import Backend
from ..errors import OperationalError, StoriedError
from ..ops.requests import NOTHING, Begin, Exec, Operation, Result
from .ambient import ambient_for
from .compiled import StatementCache
from .executor_base import ExecutorBase
from .pool import AsyncPool, Lease
from .timeouts import install_async
from .translate import ErrorContext

T = TypeVar("T")


class AsyncExecutor(ExecutorBase):
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

    async def run(self, op: Operation[T], errors: ErrorContext | None = None) -> T:
        """See :meth:`SyncExecutor.run`; a hook that returns an awaitable is awaited."""
        tx = ambient_for(self)
        lease = tx.lease if tx is not None else self.pool.take() or await self.acquire()
        held = tx is None
        began = False
        try:
            request = next(op)
            while True:
                failure: Exception | None = None
                result = NOTHING
                if isinstance(request, Exec):
                    try:
                        result = await self.execute(lease, request, errors)
                    except OperationalError as exc:
                        if tx is not None or began or not lease.broken:
                            failure = exc
                        else:
                            safe = self._rerun_safe(lease, request)
                            held = False
                            await self.pool.release(lease)
                            self.pool.suspect_idle()
                            if not safe:
                                raise self._outcome_unknown(errors) from None
                            lease = await self.acquire(fresh=True)
                            held = True
                            try:
                                result = await self.execute(lease, request, errors)
                            except StoriedError as again:
                                failure = again
                    except StoriedError as exc:
                        failure = exc
                elif isinstance(request, Begin):
                    if tx is None and not began:
                        sql = self.begin_sql(request)
                        try:
                            await self.text(lease, sql)
                        except OperationalError:
                            if not lease.broken:
                                raise
                            held = False
                            await self.pool.release(lease)
                            lease = await self.acquire(fresh=True)
                            held = True
                            await self.text(lease, sql)
                        began = True
                else:
                    try:
                        called = request.fn(*request.args)
                        if inspect.isawaitable(called):
                            await called
                    except Exception as exc:
                        failure = exc
                request = op.send(result) if failure is None else op.throw(failure)
        except StopIteration as stop:
            if began:
                await self.commit(lease)
            return stop.value  # type: ignore[no-any-return]
        except BaseException:
            if began and not lease.broken:
                await self.rollback(lease)
            raise
        finally:
            op.close()
            if held and not self.pool.put_back(lease):
                await self.pool.release(lease)

    async def open_transaction(self, statements: list[str], timeout: float | None) -> Lease:
        """See :meth:`SyncExecutor.open_transaction`."""
        lease = await self.acquire()
        try:
            await self._begin_on(lease, statements, timeout)
        except OperationalError:
            await self.pool.release(lease)
            if not lease.broken:
                raise
            lease = await self.acquire(fresh=True)
            try:
                await self._begin_on(lease, statements, timeout)
            except BaseException:
                await self.pool.release(lease)
                raise
        except BaseException:
            await self.pool.release(lease)
            raise
        return lease

    async def _begin_on(self, lease: Lease, statements: list[str], timeout: float | None) -> None:
        if timeout is not None:
            await self.set_timeout(lease, timeout)
        for sql in statements:
            await self.text(lease, sql)

    async def commit(self, lease: Lease) -> None:
        """COMMIT; a connection lost meanwhile leaves the outcome unknown."""
        try:
            await self.text(lease, "COMMIT")
        except OperationalError:
            raise self._outcome_unknown(None, "COMMIT") from None

    async def rollback(self, lease: Lease) -> None:
        try:
            await self.text(lease, "ROLLBACK")
        except Exception:  # the block's own error is the one to report
            lease.broken = True

    async def set_timeout(self, lease: Lease, seconds: float | None) -> None:
        """See :meth:`SyncExecutor.set_timeout`."""
        sql = self._timeout_sql(seconds)
        if sql is not None:
            await self.text(lease, sql)
        elif lease.timer is not None:
            lease.timer.limit = seconds
        else:
            await install_async(lease, seconds)

    async def restore_timeout(self, lease: Lease) -> None:
        try:
            await self.set_timeout(lease, self.statement_timeout)
        except Exception:
            lease.broken = True

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
