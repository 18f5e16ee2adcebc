"""``Database`` and ``AsyncDatabase``: connection, schema creation, repositories, transactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ..dialects import (
    Backend,
    backend_for,
    check_ddl,
    engine_options,
    is_memory,
    missing_driver,
    on_connect,
    on_timeout,
    resolve_url,
)
from ..errors import ConfigurationError, NotConnectedError
from ..mapping.registry import Registry
from ..models.ids import uuid7
from ..repository.asyncio import AsyncRepository
from ..repository.hooks import Hook, Hooks
from ..repository.sync import Repository
from ..schema.apply import apply_plan, sync
from ..schema.plan import make_plan
from ..schema.target import target_for
from ..temporal.base import Returning
from ..temporal.clock import Clock, SystemClock
from ..tenancy.scope import make_scope
from .compiled import StatementCache
from .executor import AMBIENT, AsyncExecutor, SyncExecutor
from .pool import AsyncPool, PoolLimits, PoolStatus, SyncPool
from .raw import AsyncRawSQL, RawSQL
from .timeouts import checked
from .transaction import (
    OnCommitError,
    async_transaction,
    register_on_commit,
    run_atomic,
    run_atomic_async,
    run_callbacks,
    run_callbacks_async,
    sync_transaction,
)
from .translate import connect_error

if TYPE_CHECKING:
    from ..models.base import Model
    from ..schema import ApplyResult, Plan

M = TypeVar("M", bound="Model")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class _Core:
    """Configuration shared by the sync and the async Database; no I/O here."""

    _is_async = False

    def __init__(
        self,
        url: str | URL,
        *,
        registry: Registry | None = None,
        clock: Clock | None = None,
        id_factory: Callable[[], Any] | None = None,
        pool_size: int = 10,
        max_overflow: int = 10,
        pool_timeout: float = 30.0,
        pool_pre_ping_after: float = 1.0,
        statement_timeout: float | None = None,
        echo: bool = False,
        on_commit_error: OnCommitError | None = None,
    ) -> None:
        """See ``docs/connections.md``.

        Args:
            url: a SQLAlchemy URL; ``postgresql://`` etc. pick storied's default driver.
            pool_size: connections kept open for reuse.
            max_overflow: connections opened beyond ``pool_size`` under load (closed when
                handed back); at most ``pool_size + max_overflow`` exist at once.
            pool_timeout: seconds a caller waits for a free connection before
                ``DatabaseTimeout``.
            pool_pre_ping_after: a connection idle for longer than this many seconds is
                checked (one ``SELECT 1``) before use, and replaced if the server dropped it.
            statement_timeout: seconds a statement may run before the database stops it
                (``DatabaseTimeout``); None for no limit. ``transaction()`` can override it.
        """
        self.url = resolve_url(url, is_async=self._is_async)
        self.registry = registry if registry is not None else Registry()
        self.clock: Clock = clock or SystemClock()
        self.new_id: Callable[[], Any] = id_factory or uuid7
        self.limits = _limits(pool_size, max_overflow, pool_timeout, pool_pre_ping_after)
        self.pool_size = pool_size
        self.statement_timeout = checked(statement_timeout)
        self._echo = echo
        self.hooks = Hooks()
        #: called as ``on_commit_error(exc, callback)`` for each on_commit callback that raised
        #: (after it is logged on the "storied" logger); settable at any time
        self.on_commit_error: OnCommitError | None = on_commit_error
        self._backend_info: Backend | None = None
        self._returning = Returning(False, False, False)

    def __repr__(self) -> str:
        state = "connected" if self._backend_info else "not connected"
        return f"<{type(self).__name__} {self.url.render_as_string(hide_password=True)} {state}>"

    @property
    def dialect_name(self) -> str:
        return self.url.get_backend_name()

    def _backend(self) -> Backend:
        if self._backend_info is None:
            raise NotConnectedError(f"{self!r}: call connect() (or use it as a context manager)")
        return self._backend_info

    def _setup(self, dialect: sa.Dialect) -> StatementCache:
        self._backend_info = backend_for(dialect, memory=is_memory(self.url))
        self._returning = Returning(
            bool(dialect.insert_returning),
            bool(dialect.update_returning),
            bool(dialect.delete_returning),
        )
        return StatementCache(dialect)

    def _engine_options(self) -> dict[str, Any]:
        limits = self.limits
        options = engine_options(self.url, limits.size, limits.overflow, limits.timeout)
        return {**options, "echo": self._echo}

    def _listen(self, engine: Engine) -> None:
        """Session set-up on each new connection: the dialect's, then the statement timeout."""
        dialect = engine.dialect
        for hook in (on_connect(dialect), on_timeout(dialect, self.statement_timeout)):
            if hook is not None:
                event.listen(engine, "connect", hook)

    def _now(self) -> dt.datetime:
        for tx in AMBIENT.get():
            if tx.owner is self._executor_ref():
                return tx.now
        return self.clock.now()

    def _executor_ref(self) -> object:
        raise NotImplementedError

    def hook(self, name: Hook, model: type[Model]) -> Callable[[F], F]:
        """Register a lifecycle hook for ``model`` (see :mod:`storied.repository.hooks`)."""
        return self.hooks.decorator(name, model)

    def _scope_args(self, model: type[Model], kwargs: dict[str, Any]) -> Any:
        mapped = self.registry.mapped(model)
        return mapped, make_scope(mapped.spec, **kwargs)


def _limits(size: int, overflow: int, timeout: float, ping_after: float) -> PoolLimits:
    for name, value, low in (("pool_size", size, 1), ("max_overflow", overflow, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigurationError(f"{name} must be an int of at least {low}")
    for name, seconds in (("pool_timeout", timeout), ("pool_pre_ping_after", ping_after)):
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ConfigurationError(f"{name} must be a number of seconds, at least 0")
    return PoolLimits(size, overflow, float(timeout), float(ping_after))


class Database(RawSQL, _Core):
    """A synchronous database: ``Database("sqlite:///app.db")``. Connect before use."""

    def __init__(self, url: str | URL, **options: Any) -> None:
        super().__init__(url, **options)
        self._engine: Engine | None = None
        self._executor: SyncExecutor | None = None

    def connect(self) -> Self:
        if self._executor is not None:
            return self
        try:
            engine = sa.create_engine(self.url, **self._engine_options())
        except ImportError as exc:
            raise missing_driver(self.url, exc) from None
        self._listen(engine)
        try:
            with engine.connect():
                pass  # first connection: the dialect learns the server version
        except (DBAPIError, OSError) as exc:
            engine.dispose()
            raise connect_error(exc, backend_for(engine.dialect).classify, self.url) from exc
        cache = self._setup(engine.dialect)
        self._engine = engine
        caps = self._backend().capabilities
        pool = SyncPool(
            engine, self.limits, single=caps.single_connection, networked=caps.networked
        )
        self._executor = SyncExecutor(self._backend(), cache, pool, self.statement_timeout)
        return self

    def close(self) -> None:
        if self._executor is not None:
            self._executor.pool.close()
        self._executor = None
        self._engine = None
        self._backend_info = None

    def __enter__(self) -> Self:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sync_executor(self) -> SyncExecutor:
        if self._executor is None:
            raise NotConnectedError(f"{self!r}: call connect() (or use it as a context manager)")
        return self._executor

    def _executor_ref(self) -> object:
        return self._executor

    def pool_status(self) -> PoolStatus:
        """Connections in use vs the pool's size (an idle pool is at 0%)."""
        return self._sync_executor().pool.status()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for DDL, reflection and tools such as Alembic)."""
        if self._engine is None:
            raise NotConnectedError(f"{self!r}: call connect() first")
        return self._engine

    def create_all(self, models: Iterable[type[Model]] | None = None) -> None:
        """Create the models' tables (and history tables) that do not exist yet."""
        tables = self.registry.tables(models)
        check_ddl(tables, self.engine.dialect)
        with self.engine.begin() as conn:
            self.registry.metadata.create_all(conn, tables=tables)

    def drop_all(self, models: Iterable[type[Model]] | None = None) -> None:
        tables = self.registry.tables(models)
        with self.engine.begin() as conn:
            self.registry.metadata.drop_all(conn, tables=tables)

    def plan(self, models: Iterable[type[Model]] | None = None, *, prune: bool = False) -> Plan:
        """Compare the models' tables (default: every mapped model) with the database.

        ``prune=True`` also plans dropping tables that no model maps. See ``docs/schema.md``.
        """

        target = target_for(self.registry, models, prune=prune)
        with self.engine.connect() as conn:
            return make_plan(conn, target)

    def apply(
        self, plan: Plan, *, allow_destructive: bool = False, lock_timeout: float = 60.0
    ) -> ApplyResult:
        """Run a plan under the schema lock; destructive steps need ``allow_destructive``."""

        with self.engine.connect() as conn:
            return apply_plan(conn, plan, allow_destructive=allow_destructive, timeout=lock_timeout)

    def sync_schema(
        self,
        models: Iterable[type[Model]] | None = None,
        *,
        allow_destructive: bool = False,
        prune: bool = False,
        lock_timeout: float = 60.0,
    ) -> ApplyResult:
        """Plan and apply the safe steps (all, with ``allow_destructive``): for start-up."""

        target = target_for(self.registry, models, prune=prune)
        with self.engine.connect() as conn:
            return sync(conn, target, allow_destructive=allow_destructive, timeout=lock_timeout)

    def repository(
        self,
        model: type[M],
        *,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
        actor: str | None = None,
    ) -> Repository[M]:
        """A repository for ``model`` in one tenant scope, writing as ``actor``."""

        mapped, scope = self._scope_args(
            model, {"tenant_id": tenant_id, "tenant_ids": tenant_ids, "unscoped": unscoped}
        )
        return Repository(self, mapped, scope, actor)

    def transaction(
        self, *, isolation: str | None = None, statement_timeout: float | None = None
    ) -> AbstractContextManager[None]:
        """Run the block in one transaction; repositories used inside join it.

        Nested blocks become savepoints. An exception rolls the block back and propagates.
        ``isolation``: "READ COMMITTED", "REPEATABLE READ" or "SERIALIZABLE".
        ``statement_timeout``: seconds each statement of this transaction may run (instead
        of the Database's).
        """
        return sync_transaction(self, isolation, checked(statement_timeout))

    def atomic(self, fn: Callable[[], T], *, isolation: str | None = None, attempts: int = 3) -> T:
        """``fn()`` in a transaction, run again (up to ``attempts`` times, with jittered backoff)
        only when the database rolled it back as a serialization failure or deadlock."""
        return run_atomic(self, fn, isolation, attempts)

    def on_commit(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` after the current transaction commits (at once outside one).

        Dropped if the transaction, or the savepoint it was registered in, rolls back. A
        callback that raises never turns the committed write into an error: the exception is
        logged on the "storied" logger and passed to ``on_commit_error``, and the remaining
        callbacks still run."""
        if not register_on_commit(self._sync_executor(), callback):
            run_callbacks(self, [callback])


class AsyncDatabase(AsyncRawSQL, _Core):
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

        async with self.engine.connect() as conn:
            return await conn.run_sync(
                apply_plan, plan, allow_destructive=allow_destructive, timeout=lock_timeout
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
