"""The two executors: each drives the same sans-I/O operations on a driver connection.

Statements are compiled by SQLAlchemy once per shape (``StatementCache``) and then run on the
driver's own connection. Connections run in autocommit mode: a single-statement operation costs
one round trip; an operation that yields ``Begin`` gets BEGIN … COMMIT around it, unless a
transaction is already open in this context, which it then joins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy.exc import DBAPIError

from ..dialects import Backend, Copier, CopyTarget
from .compiled import StatementCache
from .pool import AsyncPool, Lease, SyncPool
from .requests import Begin, Exec, Operation, Result
from .translate import ErrorContext, connect_error, translate

T = TypeVar("T")


@dataclass(slots=True)
class Ambient:
    """The transaction open in this context for one executor."""

    owner: object
    lease: Lease
    #: one "now" for every row the transaction writes
    now: dt.datetime
    depth: int = 0
    on_commit: list[Any] = field(default_factory=list)


#: one open transaction per (context, executor); nested use makes savepoints
AMBIENT: ContextVar[tuple[Ambient, ...]] = ContextVar("storied_ambient", default=())


def ambient_for(owner: object) -> Ambient | None:
    open_ = AMBIENT.get()
    if not open_:
        return None
    for tx in open_:
        if tx.owner is owner:
            return tx
    return None


class _Base:
    def __init__(self, backend: Backend, cache: StatementCache) -> None:
        self.backend = backend
        self.cache = cache

    def _fail(self, exc: Exception, lease: Lease, errors: ErrorContext | None) -> Exception:
        """The storied error for a driver exception, or the exception itself if it is a bug."""
        info = self.backend.classify(exc)
        if info is None:
            return exc
        if info.kind == "operational":
            lease.broken = True
        return translate(info, errors)

    def _connect_failed(self, exc: Exception) -> Exception:
        """storied's error for a failed new connection; anything else (a bug) unchanged."""
        if isinstance(exc, DBAPIError | OSError) or self.backend.classify(exc) is not None:
            return connect_error(exc, self.backend.classify)
        return exc

    def _copier(self, request: Exec) -> Copier | None:
        """The backend's bulk path, when this request may take it (see ``Exec.load``)."""
        copier = self.backend.copier
        if copier is None or request.load is None or len(request.params) < copier.min_rows:
            return None
        return copier

    def _copy_rows(self, request: Exec, copier: Copier) -> tuple[CopyTarget, list[Any]]:
        assert request.load is not None
        compiled, target = self.cache.copy(request.key, request.build, request.load, copier)
        rows = cast(Sequence[Mapping[str, Any]], request.params)
        return target, compiled.params_many(rows)

    def _prepare(self, request: Exec) -> tuple[str, Any, Any, bool]:
        """SQL, driver parameters, the compiled shape, and whether to run it as executemany
        (a batch of one row runs as a plain execute: one statement, no batch machinery)."""
        compiled = self.cache.get(request.key, request.build)
        if not request.many:
            params = compiled.params(cast(Mapping[str, Any], request.params))
            return compiled.sql, params, compiled, False
        rows = cast(Sequence[Mapping[str, Any]], request.params)
        if len(rows) == 1:
            return compiled.sql, compiled.params(rows[0]), compiled, False
        return compiled.sql, compiled.params_many(rows), compiled, True


class SyncExecutor(_Base):
    def __init__(self, backend: Backend, cache: StatementCache, pool: SyncPool) -> None:
        super().__init__(backend, cache)
        self.pool = pool

    def _acquire(self) -> Lease:
        try:
            return self.pool.acquire()
        except Exception as exc:  # a new connection failed (server down, file unreachable …)
            raise self._connect_failed(exc) from exc

    def run(self, op: Operation[T], errors: ErrorContext | None = None) -> T:
        tx = ambient_for(self)
        lease = tx.lease if tx is not None else self._acquire()
        began = False
        try:
            request = next(op)
            while True:
                if isinstance(request, Begin):
                    if tx is None and not began:
                        self.text(lease, self._begin_sql(request))
                        began = True
                    request = op.send(None)
                else:
                    request = op.send(self.execute(lease, request, errors))
        except StopIteration as stop:
            if began:
                self.text(lease, "COMMIT")
            return stop.value  # type: ignore[no-any-return]
        except BaseException:
            if began and not lease.broken:
                self._rollback(lease)
            raise
        finally:
            if tx is None:
                self.pool.release(lease)

    def _begin_sql(self, request: Begin) -> str:
        caps = self.backend.capabilities
        return caps.begin_write if request.write else caps.begin_read

    def _rollback(self, lease: Lease) -> None:
        try:
            self.text(lease, "ROLLBACK")
        except Exception:
            lease.broken = True

    def execute(self, lease: Lease, request: Exec, errors: ErrorContext | None) -> Result:
        copier = self._copier(request)
        if copier is not None:
            target, rows = self._copy_rows(request, copier)
            try:
                return Result([], copier.copy(lease.driver, target, rows))
            except Exception as exc:
                raise self._fail(exc, lease, errors) from exc
        sql, params, compiled, many = self._prepare(request)
        shortcut = lease.execute
        if shortcut is not None and not many:
            # the driver's own connection.execute (sqlite3, psycopg): no cursor to make and close
            try:
                cursor = shortcut(sql, params)
                rows = cursor.fetchall() if request.fetch else []
            except Exception as exc:
                raise self._fail(exc, lease, errors) from exc
            return Result(compiled.rows(rows), cursor.rowcount, getattr(cursor, "lastrowid", None))
        cursor = lease.driver.cursor()
        try:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall() if request.fetch else []
            return Result(
                compiled.rows(rows),
                cursor.rowcount,
                getattr(cursor, "lastrowid", None),
            )
        except Exception as exc:
            raise self._fail(exc, lease, errors) from exc
        finally:
            cursor.close()

    def text(self, lease: Lease, sql: str) -> None:
        if lease.execute is not None:
            try:
                lease.execute(sql)
            except Exception as exc:
                raise self._fail(exc, lease, None) from exc
            return
        cursor = lease.driver.cursor()
        try:
            cursor.execute(sql)
        except Exception as exc:
            raise self._fail(exc, lease, None) from exc
        finally:
            cursor.close()


class AsyncExecutor(_Base):
    def __init__(self, backend: Backend, cache: StatementCache, pool: AsyncPool) -> None:
        super().__init__(backend, cache)
        self.pool = pool
        assert backend.async_driver is not None
        self.driver = backend.async_driver

    async def _acquire(self) -> Lease:
        try:
            return await self.pool.acquire()
        except Exception as exc:
            raise self._connect_failed(exc) from exc

    async def run(self, op: Operation[T], errors: ErrorContext | None = None) -> T:
        tx = ambient_for(self)
        lease = tx.lease if tx is not None else self.pool.take() or await self._acquire()
        began = False
        try:
            request = next(op)
            while True:
                if isinstance(request, Begin):
                    if tx is None and not began:
                        caps = self.backend.capabilities
                        await self.text(
                            lease, caps.begin_write if request.write else caps.begin_read
                        )
                        began = True
                    request = op.send(None)
                else:
                    request = op.send(await self.execute(lease, request, errors))
        except StopIteration as stop:
            if began:
                await self.text(lease, "COMMIT")
            return stop.value  # type: ignore[no-any-return]
        except BaseException:
            if began and not lease.broken:
                try:
                    await self.text(lease, "ROLLBACK")
                except Exception:
                    lease.broken = True
            raise
        finally:
            if tx is None and not self.pool.put_back(lease):
                await self.pool.release(lease)

    async def execute(self, lease: Lease, request: Exec, errors: ErrorContext | None) -> Result:
        copier = self._copier(request)
        if copier is not None:
            target, rows = self._copy_rows(request, copier)
            try:
                return Result([], await copier.copy(lease.driver, target, rows))
            except Exception as exc:
                raise self._fail(exc, lease, errors) from exc
        sql, params, compiled, many = self._prepare(request)
        try:
            if many:
                count = await self.driver.executemany(lease.driver, sql, params)
                return Result([], count)
            rows, count, lastrowid = await self.driver.execute(
                lease.driver, sql, params, request.fetch
            )
        except Exception as exc:
            raise self._fail(exc, lease, errors) from exc
        return Result(compiled.rows(rows), count, lastrowid)

    async def text(self, lease: Lease, sql: str) -> None:
        try:
            await self.driver.execute(lease.driver, sql, (), False)
        except Exception as exc:
            raise self._fail(exc, lease, None) from exc
