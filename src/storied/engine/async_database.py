"""``AsyncDatabase``: the awaited twin of ``Database`` over the same core and operations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Self, TypeVar

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ..dialects import (
    backend_for,
    check_ddl,
    missing_driver,
)
from ..errors import NotConnectedError
from ..repository.asyncio import AsyncRepository
from ..schema.apply import apply_plan, sync
from ..schema.planner import make_plan
from ..schema.target import target_for, target_of
from .core import DatabaseCore
from .executor import AsyncExecutor
from .pool import AsyncPool, PoolStatus
from .raw import AsyncRawSQL
from .timeouts import checked
from .transaction import (
    async_transaction,
    register_on_commit,
    run_atomic_async,
    run_callbacks_async,
)
from .translate import connect_error

if TYPE_CHECKING:
    from ..models.base import Model
    from ..schema import ApplyResult, Plan

M = TypeVar("M", bound="Model")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class AsyncDatabase(AsyncRawSQL, DatabaseCore):
    """The async Database: ``AsyncDatabase("postgresql://…")``; ``await db.connect()``."""

    _is_async = True

    def __init__(self, url: str | URL, **options: Any) -> None:
        super().__init__(url, **options)
        self._engine: AsyncEngine | None = None
        self._executor: AsyncExecutor | None = None

    async def connect(self) -> Self:
        if self._executor is not None:
            return self
        try:
            engine = create_async_engine(self.url, **self._engine_options())
        except ImportError as exc:
            raise missing_driver(self.url, exc) from None
        self._listen(engine.sync_engine)
        try:
            async with engine.connect():
                pass
        except (DBAPIError, OSError) as exc:
            await engine.dispose()
            raise connect_error(exc, backend_for(engine.dialect).classify, self.url) from exc
        cache = self._setup(engine.dialect)
        self._engine = engine
        backend = self._backend()
        assert backend.async_driver is not None
        driver = backend.async_driver
        caps = backend.capabilities
        pool = AsyncPool(
            engine,
            self.limits,
            lambda conn: driver.execute(conn, "SELECT 1", (), True),
            single=caps.single_connection,
            networked=caps.networked,
        )
        self._executor = AsyncExecutor(backend, cache, pool, self.statement_timeout)
        return self

    async def close(self) -> None:
        if self._executor is not None:
            await self._executor.pool.close()
        self._executor = None
        self._engine = None
        self._backend_info = None

    async def __aenter__(self) -> Self:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _async_executor(self) -> AsyncExecutor:
        if self._executor is None:
            raise NotConnectedError(f"{self!r}: await connect() (or use async with)")
        return self._executor

    def _executor_ref(self) -> object:
        return self._executor

    def pool_status(self) -> PoolStatus:
        """See :meth:`Database.pool_status`."""
        return self._async_executor().pool.status()

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise NotConnectedError(f"{self!r}: await connect() first")
        return self._engine

    async def create_all(self, models: Iterable[type[Model]] | None = None) -> None:
        tables = self.registry.tables(models)
        check_ddl(tables, self.engine.dialect)
        async with self.engine.begin() as conn:
            await conn.run_sync(self.registry.metadata.create_all, tables=tables)

    async def drop_all(self, models: Iterable[type[Model]] | None = None) -> None:
        tables = self.registry.tables(models)
        async with self.engine.begin() as conn:
            await conn.run_sync(self.registry.metadata.drop_all, tables=tables)

    async def plan(
        self, models: Iterable[type[Model]] | None = None, *, prune: bool = False
    ) -> Plan:
        """See :meth:`Database.plan`."""

        target = target_for(self.registry, models, prune=prune)
        async with self.engine.connect() as conn:
            return await conn.run_sync(make_plan, target)

    async def apply(
        self, plan: Plan, *, allow_destructive: bool = False, lock_timeout: float = 60.0
    ) -> ApplyResult:
        """See :meth:`Database.apply`."""

        target = target_of(self.registry, plan)
        async with self.engine.connect() as conn:
            return await conn.run_sync(
                apply_plan, plan, target, allow_destructive=allow_destructive, timeout=lock_timeout
            )

    async def sync_schema(
        self,
        models: Iterable[type[Model]] | None = None,
        *,
        allow_destructive: bool = False,
        prune: bool = False,
        lock_timeout: float = 60.0,
    ) -> ApplyResult:
        """See :meth:`Database.sync_schema`."""

        target = target_for(self.registry, models, prune=prune)
        async with self.engine.connect() as conn:
            return await conn.run_sync(
                sync, target, allow_destructive=allow_destructive, timeout=lock_timeout
            )

    def repository(
        self,
        model: type[M],
        *,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
        actor: str | None = None,
    ) -> AsyncRepository[M]:

        mapped, scope = self._scope_args(
            model, {"tenant_id": tenant_id, "tenant_ids": tenant_ids, "unscoped": unscoped}
        )
        return AsyncRepository(self, mapped, scope, actor)

    def transaction(
        self, *, isolation: str | None = None, statement_timeout: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """``async with db.transaction():`` — see :meth:`Database.transaction`."""
        return async_transaction(self, isolation, checked(statement_timeout))

    async def atomic(
        self,
        fn: Callable[[], Awaitable[T]],
        *,
        isolation: str | None = None,
        attempts: int = 3,
    ) -> T:
        """``await fn()`` in a transaction, retried on serialization failures and deadlocks."""
        return await run_atomic_async(self, fn, isolation, attempts)

    async def on_commit(self, callback: Callable[[], Any]) -> None:
        """Call (and await) ``callback`` after the current transaction commits.

        See :meth:`Database.on_commit`: failures are logged and reported, never raised."""
        if not register_on_commit(self._async_executor(), callback):
            await run_callbacks_async(self, [callback])
