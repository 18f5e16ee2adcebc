"""The sync executor: it drives the sans-I/O operations on a driver connection.

Statements are compiled by SQLAlchemy once per shape (``StatementCache``) and then run on the
driver's own connection. Connections run in autocommit mode: a single-statement operation costs
one round trip; an operation that yields ``Begin`` gets BEGIN … COMMIT around it, unless a
transaction is already open in this context, which it then joins.

A connection found lost outside a transaction is replaced, and the failed statement runs again
on the new one only when that cannot apply it twice (it reads, or the driver sent nothing);
otherwise the caller gets ``OutcomeUnknownError``. Driver exceptions are translated into
storied's errors and thrown into the operation outside the ``except`` block, so that neither
``__cause__`` nor ``__context__`` carries the driver's message (which can quote bound values).

This file is the source of ``async_executor.py`` too (``scripts/unasync.py`` writes it): what
differs between the two is in ``primitives.py``.
"""

from __future__ import annotations

from time import perf_counter_ns
from typing import TypeVar

from ..errors import OperationalError, StoriedError
from ..ops.requests import NOTHING, Begin, Exec, Operation, Result
from .ambient import AMBIENT, Ambient, ambient_for
from .async_executor import AsyncExecutor
from .pool import Lease
from .primitives import SyncPrimitives
from .session import CONTEXT_SCOPE, SessionScope, set_request
from .translate import ErrorContext

__all__ = ["AMBIENT", "Ambient", "AsyncExecutor", "SyncExecutor", "ambient_for"]

T = TypeVar("T")


class SyncExecutor(SyncPrimitives):
    def run(
        self,
        op: Operation[T],
        errors: ErrorContext | None = None,
        name: str | None = None,
        session: SessionScope | None = None,
    ) -> T:
        """Drive ``op`` to its end; ``name`` (default: the operation's own) is what the event
        listeners are told (the repository method, e.g. "create"); ``session``: the tenant
        scope its connection's session must carry under Row-Level Security (default: the
        context's, see ``session.py``)."""
        label = op if name is None else name
        tx = ambient_for(self)
        lease = tx.lease if tx is not None else self._lease()
        held = tx is None  # this call hands the lease back
        began = False
        # listeners: one attribute test each when nobody listens (``engine/events.py``)
        started = 0 if self.events.operation is None else self.operation_started(label, errors)
        failed: BaseException | None = None
        try:
            if self.row_security:
                try:
                    self._scope_session(lease, session, errors, label)
                except OperationalError:
                    if tx is not None or not lease.broken:
                        raise
                    held = False  # nothing of the operation ran: set it on a new connection
                    self.pool.release(lease)
                    lease = self.acquire(fresh=True)
                    held = True
                    self._scope_session(lease, session, errors, label)
            request = next(op)
            while True:
                failure: Exception | None = None
                result = NOTHING
                if isinstance(request, Exec):
                    try:
                        if self.events.statement is None:
                            result = self.execute(lease, request, errors)
                        else:
                            result = self._watched(lease, request, errors, label)
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
                                if self.row_security:  # a new session holds no scope yet
                                    self._scope_session(lease, session, errors, label)
                                result = self._watched(lease, request, errors, label)
                            except StoriedError as again:
                                failure = again
                    except StoriedError as exc:
                        failure = exc
                elif isinstance(request, Begin):
                    if tx is None and not began:
                        sql = self.begin_sql(request)
                        try:
                            self.send(lease, sql, errors, label)
                        except OperationalError:
                            if not lease.broken:
                                raise
                            # nothing of the operation ran yet: begin on a new connection
                            held = False
                            self.pool.release(lease)
                            lease = self.acquire(fresh=True)
                            held = True
                            if self.row_security:
                                self._scope_session(lease, session, errors, label)
                            self.send(lease, sql, errors, label)
                        began = True
                else:
                    try:
                        self.call_hook(request)
                    except Exception as exc:
                        failure = exc
                # a failure is thrown into the operation at its yield (outside the except
                # block, so no driver exception rides along as __context__)
                request = op.send(result) if failure is None else op.throw(failure)
        except StopIteration as stop:
            if began:
                try:
                    self.commit(lease, errors, label)
                except BaseException as exc:
                    failed = exc
                    raise
            return stop.value  # type: ignore[no-any-return]
        except BaseException as exc:
            failed = exc
            if began and not lease.broken:
                self._rollback(lease, errors, label)
            raise
        finally:
            op.close()  # an operation left suspended runs its finally now
            if held:
                self._hand_back(lease)
            if started:
                self.operation_ended(started, label, errors, failed)
                failed = None

    def _scope_session(
        self, lease: Lease, wanted: SessionScope | None, errors: ErrorContext | None, op: object
    ) -> None:
        """Give the lease's session the tenant scope ``wanted`` (default: the context's),
        unless it holds it already: one ``set_config`` statement, only on a change."""
        if wanted is None:
            wanted = CONTEXT_SCOPE.get()
        if lease.session == wanted:
            return
        lease.session = None  # unknown until the server has it
        request = set_request(wanted)
        if self.events.statement is None:
            self.execute(lease, request, errors)
        else:
            self._watched(lease, request, errors, op)
        lease.session = wanted

    def _watched(
        self, lease: Lease, request: Exec, errors: ErrorContext | None, op: object
    ) -> Result:
        """``execute``, timed and told to the statement listeners."""
        start = perf_counter_ns()
        try:
            result = self.execute(lease, request, errors)
        except StoriedError as exc:
            self.statement_done(request, None, start, None, errors, op, exc)
            raise
        self.statement_done(request, None, start, result, errors, op, None)
        return result

    def send(
        self, lease: Lease, sql: str, errors: ErrorContext | None = None, op: object = None
    ) -> None:
        """Run a statement without parameters (BEGIN, COMMIT …), told to the listeners."""
        if self.events.statement is None:
            self.text(lease, sql)
            return
        start = perf_counter_ns()
        try:
            self.text(lease, sql)
        except StoriedError as exc:
            self.statement_done(None, sql, start, None, errors, op, exc)
            raise
        self.statement_done(None, sql, start, NOTHING, errors, op, None)

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
            self.send(lease, sql)

    def commit(self, lease: Lease, errors: ErrorContext | None = None, op: object = None) -> None:
        """COMMIT; a connection lost meanwhile leaves the outcome unknown."""
        try:
            self.send(lease, "COMMIT", errors, op)
        except OperationalError:
            lease.session = None
            raise self._outcome_unknown(None, "COMMIT") from None
        except BaseException:
            lease.session = None  # a COMMIT that failed rolled back (set_config too)
            raise

    def _rollback(
        self, lease: Lease, errors: ErrorContext | None = None, op: object = None
    ) -> None:
        try:
            self.send(lease, "ROLLBACK", errors, op)
        except Exception:  # the block's own error is the one to report
            lease.broken = True

    def set_timeout(self, lease: Lease, seconds: float | None) -> None:
        """Give the transaction on ``lease`` its own statement timeout."""
        sql = self._timeout_sql(seconds)
        if sql is not None:
            self.send(lease, sql)
        elif lease.timer is not None:
            lease.timer.limit = seconds
        else:
            self._install(lease, seconds)

    def restore_timeout(self, lease: Lease) -> None:
        """Back to the Database's statement timeout after a transaction that set its own."""
        try:
            self.set_timeout(lease, self.statement_timeout)
        except Exception:
            lease.broken = True  # a session with the wrong limit is not handed out again
