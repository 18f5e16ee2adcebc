"""The async executor: the same operations and rules as ``engine/executor.py``.

Generated from ``executor.py`` by ``scripts/unasync.py``: edit that file (or what really
differs, ``primitives.py``), then run the script.
"""

from __future__ import annotations

from time import perf_counter_ns
from typing import TypeVar

from ..errors import OperationalError, StoriedError
from ..ops.requests import NOTHING, Begin, Exec, Operation, Result
from .ambient import ambient_for
from .pool import Lease
from .primitives import AsyncPrimitives
from .session import CONTEXT_SCOPE, SessionScope, set_request
from .translate import ErrorContext

__all__ = ["AsyncExecutor"]

T = TypeVar("T")


class AsyncExecutor(AsyncPrimitives):
    async def run(
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
        lease = tx.lease if tx is not None else await self._lease()
        held = tx is None  # this call hands the lease back
        began = False
        # listeners: one attribute test each when nobody listens (``engine/events.py``)
        started = 0 if self.events.operation is None else self.operation_started(label, errors)
        failed: BaseException | None = None
        try:
            if self.row_security:
                try:
                    await self._scope_session(lease, session, errors, label)
                except OperationalError:
                    if tx is not None or not lease.broken:
                        raise
                    held = False  # nothing of the operation ran: set it on a new connection
                    await self.pool.release(lease)
                    lease = await self.acquire(fresh=True)
                    held = True
                    await self._scope_session(lease, session, errors, label)
            request = next(op)
            while True:
                failure: Exception | None = None
                result = NOTHING
                if isinstance(request, Exec):
                    try:
                        if self.events.statement is None:
                            result = await self.execute(lease, request, errors)
                        else:
                            result = await self._watched(lease, request, errors, label)
                    except OperationalError as exc:
                        if tx is not None or began or not lease.broken:
                            failure = exc
                        else:  # nothing of the operation ran: once more on a new connection
                            safe = self._rerun_safe(lease, request)
                            held = False
                            await self.pool.release(lease)
                            self.pool.suspect_idle()
                            if not safe:
                                raise self._outcome_unknown(errors) from None
                            lease = await self.acquire(fresh=True)
                            held = True
                            try:
                                if self.row_security:  # a new session holds no scope yet
                                    await self._scope_session(lease, session, errors, label)
                                result = await self._watched(lease, request, errors, label)
                            except StoriedError as again:
                                failure = again
                    except StoriedError as exc:
                        failure = exc
                elif isinstance(request, Begin):
                    if tx is None and not began:
                        sql = self.begin_sql(request)
                        try:
                            await self.send(lease, sql, errors, label)
                        except OperationalError:
                            if not lease.broken:
                                raise
                            # nothing of the operation ran yet: begin on a new connection
                            held = False
                            await self.pool.release(lease)
                            lease = await self.acquire(fresh=True)
                            held = True
                            if self.row_security:
                                await self._scope_session(lease, session, errors, label)
                            await self.send(lease, sql, errors, label)
                        began = True
                else:
                    try:
                        await self.call_hook(request)
                    except Exception as exc:
                        failure = exc
                # a failure is thrown into the operation at its yield (outside the except
                # block, so no driver exception rides along as __context__)
                request = op.send(result) if failure is None else op.throw(failure)
        except StopIteration as stop:
            if began:
                try:
                    await self.commit(lease, errors, label)
                except BaseException as exc:
                    failed = exc
                    raise
            return stop.value  # type: ignore[no-any-return]
        except BaseException as exc:
            failed = exc
            if began and not lease.broken:
                await self._rollback(lease, errors, label)
            raise
        finally:
            op.close()  # an operation left suspended runs its finally now
            if held:
                await self._hand_back(lease)
            if started:
                self.operation_ended(started, label, errors, failed)
                failed = None

    async def _scope_session(
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
            await self.execute(lease, request, errors)
        else:
            await self._watched(lease, request, errors, op)
        lease.session = wanted

    async def _watched(
        self, lease: Lease, request: Exec, errors: ErrorContext | None, op: object
    ) -> Result:
        """``execute``, timed and told to the statement listeners."""
        start = perf_counter_ns()
        try:
            result = await self.execute(lease, request, errors)
        except StoriedError as exc:
            self.statement_done(request, None, start, None, errors, op, exc)
            raise
        self.statement_done(request, None, start, result, errors, op, None)
        return result

    async def send(
        self, lease: Lease, sql: str, errors: ErrorContext | None = None, op: object = None
    ) -> None:
        """Run a statement without parameters (BEGIN, COMMIT …), told to the listeners."""
        if self.events.statement is None:
            await self.text(lease, sql)
            return
        start = perf_counter_ns()
        try:
            await self.text(lease, sql)
        except StoriedError as exc:
            self.statement_done(None, sql, start, None, errors, op, exc)
            raise
        self.statement_done(None, sql, start, NOTHING, errors, op, None)

    async def open_transaction(self, statements: list[str], timeout: float | None) -> Lease:
        """A lease with a transaction begun on it (and its own statement timeout, if any).

        A connection found lost here is replaced once: nothing of the block has run yet."""
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
            await self.send(lease, sql)

    async def commit(
        self, lease: Lease, errors: ErrorContext | None = None, op: object = None
    ) -> None:
        """COMMIT; a connection lost meanwhile leaves the outcome unknown."""
        try:
            await self.send(lease, "COMMIT", errors, op)
        except OperationalError:
            lease.session = None
            raise self._outcome_unknown(None, "COMMIT") from None
        except BaseException:
            lease.session = None  # a COMMIT that failed rolled back (set_config too)
            raise

    async def _rollback(
        self, lease: Lease, errors: ErrorContext | None = None, op: object = None
    ) -> None:
        try:
            await self.send(lease, "ROLLBACK", errors, op)
        except Exception:  # the block's own error is the one to report
            lease.broken = True

    async def set_timeout(self, lease: Lease, seconds: float | None) -> None:
        """Give the transaction on ``lease`` its own statement timeout."""
        sql = self._timeout_sql(seconds)
        if sql is not None:
            await self.send(lease, sql)
        elif lease.timer is not None:
            lease.timer.limit = seconds
        else:
            await self._install(lease, seconds)

    async def restore_timeout(self, lease: Lease) -> None:
        """Back to the Database's statement timeout after a transaction that set its own."""
        try:
            await self.set_timeout(lease, self.statement_timeout)
        except Exception:
            lease.broken = True  # a session with the wrong limit is not handed out again
