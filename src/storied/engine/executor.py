"""The sync executor: it drives the sans-I/O operations on a driver connection.

Statements are compiled by SQLAlchemy once per shape (``StatementCache``) and then run on the
driver's own connection. Connections run in autocommit mode: a single-statement operation costs
one round trip; an operation that yields ``Begin`` gets BEGIN … COMMIT around it, unless a
transaction is already open in this context, which it then joins.

A connection found lost outside a transaction is replaced, and the failed statement runs again
on the new one only when that cannot apply it twice (it reads, or the driver sent nothing);
otherwise the caller gets ``OutcomeUnknownError``. Driver exceptions are translated into
storied's errors and raised outside the ``except`` block, so that neither ``__cause__`` nor
``__context__`` carries the driver's message (which can quote bound values).
"""

from __future__ import annotations

from time import monotonic
from typing import TypeVar

from ..dialects import Backend
from ..errors import OperationalError, StoriedError
from ..ops.requests import NOTHING, Begin, Exec, Operation, Result
from .ambient import AMBIENT, Ambient, ambient_for
from .async_executor import AsyncExecutor
from .compiled import StatementCache
from .executor_base import ExecutorBase, columns_of
from .pool import Lease, SyncPool
from .timeouts import install
from .translate import ErrorContext

__all__ = ["AMBIENT", "Ambient", "AsyncExecutor", "SyncExecutor", "ambient_for"]

T = TypeVar("T")


class SyncExecutor(ExecutorBase):
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

    def run(self, op: Operation[T], errors: ErrorContext | None = None) -> T:
        tx = ambient_for(self)
        lease = tx.lease if tx is not None else self.acquire()
        held = tx is None  # this call hands the lease back
        began = False
        try:
            request = next(op)
            while True:
                failure: Exception | None = None
                result = NOTHING
                if isinstance(request, Exec):
                    try:
                        result = self.execute(lease, request, errors)
                    except OperationalError as exc:
                        if tx is not None or began or not lease.broken:
                            failure = exc
                        else:  # nothing of the operation ran: once more on a new connection
                            safe = self._rerun_safe(lease, request)
                            held = False
                            self.pool.release(lease)
                            self.pool.suspect_idle()
                            if not safe:
                                raise self._outcome_unknown(errors) from None
                            lease = self.acquire(fresh=True)
                            held = True
                            try:
                                result = self.execute(lease, request, errors)
                            except StoriedError as again:
                                failure = again
                    except StoriedError as exc:
                        failure = exc
                elif isinstance(request, Begin):
                    if tx is None and not began:
                        try:
                            self.text(lease, self.begin_sql(request))
                        except OperationalError:
                            if not lease.broken:
                                raise
                            # nothing of the operation ran yet: begin on a new connection
                            held = False
                            self.pool.release(lease)
                            lease = self.acquire(fresh=True)
                            held = True
                            self.text(lease, self.begin_sql(request))
                        began = True
                else:
                    try:
                        request.fn(*request.args)
                    except Exception as exc:
                        failure = exc
                # a failure is thrown into the operation at its yield (outside the except
                # block, so no driver exception rides along as __context__)
                request = op.send(result) if failure is None else op.throw(failure)
        except StopIteration as stop:
            if began:
                self.commit(lease)
            return stop.value  # type: ignore[no-any-return]
        except BaseException:
            if began and not lease.broken:
                self._rollback(lease)
            raise
        finally:
            op.close()  # an operation left suspended runs its finally now
            if held:
                self.pool.release(lease)

    def open_transaction(self, statements: list[str], timeout: float | None) -> Lease:
        """A lease with a transaction begun on it (and its own statement timeout, if any).

        A connection found lost here is replaced once: nothing of the block has run yet."""
        lease = self.acquire()
        try:
            self._begin_on(lease, statements, timeout)
        except OperationalError:
            self.pool.release(lease)
            if not lease.broken:
                raise
            lease = self.acquire(fresh=True)
            try:
                self._begin_on(lease, statements, timeout)
            except BaseException:
                self.pool.release(lease)
                raise
        except BaseException:
            self.pool.release(lease)
            raise
        return lease

    def _begin_on(self, lease: Lease, statements: list[str], timeout: float | None) -> None:
        if timeout is not None:
            self.set_timeout(lease, timeout)
        for sql in statements:
            self.text(lease, sql)

    def commit(self, lease: Lease) -> None:
        """COMMIT; a connection lost meanwhile leaves the outcome unknown."""
        try:
            self.text(lease, "COMMIT")
        except OperationalError:
            raise self._outcome_unknown(None, "COMMIT") from None

    def _rollback(self, lease: Lease) -> None:
        try:
            self.text(lease, "ROLLBACK")
        except Exception:
            lease.broken = True

    def set_timeout(self, lease: Lease, seconds: float | None) -> None:
        """Give the transaction on ``lease`` its own statement timeout."""
        sql = self._timeout_sql(seconds)
        if sql is not None:
            self.text(lease, sql)
        elif lease.timer is not None:
            lease.timer.limit = seconds
        else:
            install(lease, seconds)

    def restore_timeout(self, lease: Lease) -> None:
        """Back to the Database's statement timeout after a transaction that set its own."""
        try:
            self.set_timeout(lease, self.statement_timeout)
        except Exception:
            lease.broken = True  # a session with the wrong limit is not handed out again

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
