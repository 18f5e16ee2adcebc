"""What Database and AsyncDatabase share, written once: configuration, the connection's set-up,
the backend, the clock, hooks, and what each facade method does; the twins only run it.

The schema methods are *jobs* (:mod:`.schema_jobs`), ``repository`` is ``_repository`` here,
typed per twin by :mod:`.facade`, and a transaction block is one flow
(:mod:`.transaction`). So each signature, docstring and rule exists once, and the twins hold
only the lines that do I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine

from ..dialects import (
    Backend,
    backend_for,
    engine_options,
    is_memory,
    missing_driver,
    on_connect,
    on_timeout,
    resolve_url,
)
from ..errors import ConfigurationError, NotConnectedError
from ..mapping.partitions import HistoryPartitions
from ..mapping.registry import MappedModel, Registry
from ..models.ids import uuid7
from ..ops.changes import ChangeListeners, Listener, ListenerHandle, is_coroutine_listener
from ..repository.hooks import Hook, Hooks
from ..temporal.base import Returning
from ..temporal.clock import Clock, SystemClock
from ..tenancy.scope import Scope, make_scope
from .async_executor import AsyncExecutor
from .callbacks import OnCommitError
from .compiled import StatementCache
from .echo import log_statement
from .events import Events
from .executor import AMBIENT, SyncExecutor, ambient_for
from .pool import PoolLimits, PoolStatus
from .registry_for import registry_for
from .replicas import Routing, replicas_for
from .resilience import Breaker, CircuitBreaker, Connector, Retries, transient
from .schema_jobs import Job as Job  # facade.py's name for it
from .schema_jobs import SchemaJobs
from .session import checked_option, opened
from .timeouts import checked
from .transaction import Steps, transaction_flow

if TYPE_CHECKING:
    from ..models.base import Model

M = TypeVar("M", bound="Model")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
EngineT = TypeVar("EngineT", Engine, AsyncEngine)
ExecutorT = TypeVar("ExecutorT", SyncExecutor, AsyncExecutor)


class Scoped(NamedTuple, Generic[M]):
    """A repository's arguments past its database: the model's tables, scope and actor (``M``
    is the model class, so that the twins' ``repository`` is typed by it)."""

    mapped: MappedModel
    scope: Scope
    actor: str | None


class DatabaseCore(SchemaJobs, Generic[EngineT, ExecutorT]):
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
        events_include_params: bool = False,
        on_commit_error: OnCommitError | None = None,
        replicas: Iterable[str | URL] = (),
        read_your_writes: float = 2.0,
        max_replica_lag: float = 5.0,
        replica_check_interval: float = 1.0,
        row_level_security: bool = False,
        history_partitions: str | HistoryPartitions | None = None,
        retries: Retries | None = None,
        circuit_breaker: CircuitBreaker | None = None,
        tenant_leading_keys: bool | None = None,
        analyze_after_bulk: int | None = 1000,
    ) -> None:
        """Parse the configuration; nothing connects until ``connect()``.

        See ``docs/connections.md``. Every keyword is optional.

        Args:
            url: a SQLAlchemy URL; ``postgresql://`` etc. pick storied's default driver. A
                string that is not a URL, or names a backend storied does not support, is a
                ``ConfigurationError``.
            registry: the Registry whose models this database maps (default: a new one).
            clock: where "now" comes from for every timestamp storied writes (default: the
                system clock in UTC; ``storied.FrozenClock`` in tests).
            id_factory: makes the id of each new row of a model with UUID ids (default:
                UUIDv7, time-ordered).
            pool_size: connections kept open for reuse.
            max_overflow: connections opened beyond ``pool_size`` under load (closed when
                handed back); at most ``pool_size + max_overflow`` exist at once.
            pool_timeout: seconds a caller waits for a free connection before
                ``DatabaseTimeout``.
            pool_pre_ping_after: a connection idle for longer than this many seconds is
                checked (one ``SELECT 1``) before use, and replaced if the server dropped it.
            statement_timeout: seconds a statement may run before the database stops it
                (``DatabaseTimeout``); None for no limit. ``transaction()`` can override it.
            echo: log every statement: storied's own on the "storied.sql" logger (INFO),
                and those SQLAlchemy's engine runs (schema sync, ``create_all``), as
                SQLAlchemy's ``echo`` does.
            events_include_params: give statement listeners (``db.events``) the bound
                values too (off: values can be personal data or secrets).
            on_commit_error: called as ``on_commit_error(exc, callback)`` for each
                ``on_commit`` callback that raised after its transaction committed.
            replicas: read replicas' URLs (PostgreSQL; see ``docs/scaling.md``): reads outside
                a transaction go there, round robin among the healthy ones.
            read_your_writes: seconds a context (thread, task) that wrote or committed keeps
                its reads on the primary.
            max_replica_lag: seconds of replay lag beyond which a replica is skipped.
            replica_check_interval: seconds between two lag checks of one replica.
            row_level_security: PostgreSQL Row-Level Security as a second line of defence
                (see ``docs/scaling.md``): schema sync puts a policy on every tenant-scoped
                table, and each operation's connection carries its tenant scope, so that
                even raw SQL sees only the scope's rows. Other backends refuse it.
            history_partitions: ``"month"`` (or a ``HistoryPartitions``) partitions every
                audit and versions table by month (PostgreSQL; see ``docs/scaling.md``).
                Given with ``registry``, it must be that registry's own setting.
            retries: ``Retries(attempts=…, initial=…, maximum=…, jitter=…)``: try opening a
                connection again, with exponential backoff and jitter, when the attempt
                failed to reach the server (nothing was sent); off (None) by default.
            circuit_breaker: ``CircuitBreaker(failures=…, cool_down=…)``: after that many
                consecutive failed connection attempts, fail fast with
                ``CircuitOpenError`` until a probe after the cool-down succeeds; off (None)
                by default. Its state is in ``health().breaker``.
            tenant_leading_keys: every tenant-scoped table's primary key, unique and plain
                indexes and foreign keys lead with the tenant column, as Citus needs
                (PostgreSQL; see ``docs/scaling.md``). Given with ``registry``, it must be
                that registry's own setting. Other backends refuse it.
            analyze_after_bulk: once bulk writes (``create_many``, ``update_many``,
                ``upsert_many``) have written this many rows to a table PostgreSQL has never
                analyzed, storied runs ``ANALYZE`` on it, so reads right after a bulk load
                are planned with statistics (see ``docs/temporal.md``); None: never.
        """
        try:
            self.url = resolve_url(url, is_async=self._is_async)
        except ArgumentError:
            raise ConfigurationError(
                f"{url!r} is not a database URL: write it as dialect://user@host/database, "
                "e.g. sqlite:///app.db or postgresql://app@localhost/app"
            ) from None
        self.registry = registry_for(self.url, registry, history_partitions, tenant_leading_keys)
        threshold = analyze_after_bulk
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1
        ):
            raise ConfigurationError("analyze_after_bulk must be a positive integer or None")
        self.analyze_after_bulk = analyze_after_bulk
        #: rows bulk writes wrote per table not yet known to have statistics (-1: known)
        self.bulk_rows: dict[str, int] = {}
        self.clock: Clock = clock or SystemClock()
        self.new_id: Callable[[], Any] = id_factory or uuid7
        self.limits = _limits(pool_size, max_overflow, pool_timeout, pool_pre_ping_after)
        self.pool_size = pool_size
        self.statement_timeout = checked(statement_timeout)
        self._echo = echo
        #: statement and operation listeners (``docs/observability.md``)
        self.events = Events(include_params=events_include_params)
        if echo:
            self.events.on_statement(log_statement)
        self.hooks = Hooks()
        #: the ``on_change`` listeners (``ops/changes.py``)
        self.change_listeners = ChangeListeners()
        #: called as ``on_commit_error(exc, callback)`` for each on_commit callback that raised
        #: (after it is logged on the "storied" logger); settable at any time
        self.on_commit_error: OnCommitError | None = on_commit_error
        self._backend_info: Backend | None = None
        self._returning = Returning(False, False, False)
        self.replicas = replicas_for(
            replicas,
            self.url,
            partial(resolve_url, is_async=self._is_async),
            read_your_writes=read_your_writes,
            max_lag=max_replica_lag,
            check_interval=replica_check_interval,
        )
        self.row_level_security = checked_option(row_level_security, self.url)
        for name, given, kind in (
            ("retries", retries, Retries),
            ("circuit_breaker", circuit_breaker, CircuitBreaker),
        ):
            if given is not None and not isinstance(given, kind):
                raise ConfigurationError(f"{name} must be a storied.{kind.__name__} or None")
        self.retries = retries
        #: the circuit breaker's state, when one is configured (kept across reconnects)
        self.breaker = Breaker(circuit_breaker) if circuit_breaker is not None else None
        self._engine: EngineT | None = None
        self._executor: ExecutorT | None = None

    def __repr__(self) -> str:
        state = "connected" if self._backend_info else "not connected"
        return f"<{type(self).__name__} {self.url.render_as_string(hide_password=True)} {state}>"

    @property
    def dialect_name(self) -> str:
        return self.url.get_backend_name()

    @property
    def connected(self) -> bool:
        """Whether ``connect()`` has run (and ``close()`` has not since)."""
        return self._executor is not None

    @property
    def engine(self) -> EngineT:
        """The SQLAlchemy engine (for DDL, reflection and tools such as Alembic)."""
        if self._engine is None:
            raise NotConnectedError(f"{self!r}: {self._connect_hint}")
        return self._engine

    def pool_status(self) -> PoolStatus:
        """Connections in use vs the pool's size (an idle pool is at 0%)."""
        return self._running().pool.status()

    def use_executor(
        self, dialect: sa.Dialect, make: Callable[[Backend, StatementCache], ExecutorT]
    ) -> ExecutorT:
        """Set up for ``dialect`` and run every operation on the executor ``make`` returns.

        ``connect()`` calls it with storied's own executors; ``testing.DryDatabase`` with one
        that records statements instead of running them. Internal: the executor API is not
        covered by storied's compatibility promise."""
        self._backend_info = backend = backend_for(dialect, memory=is_memory(self.url))
        self._returning = Returning(
            bool(dialect.insert_returning),
            bool(dialect.update_returning),
            bool(dialect.delete_returning),
        )
        self._executor = executor = make(backend, StatementCache(dialect))
        executor.events = self.events
        executor.backend_name = self.dialect_name
        executor.row_security = self.row_level_security
        for replica in self.replicas.replicas:
            if replica.executor is not None:
                replica.executor.row_security = self.row_level_security
        return executor

    def _forget(self) -> None:
        """After ``close()``: not connected any more."""
        self._executor = None
        self._engine = None
        self._backend_info = None

    @property
    def _connect_hint(self) -> str:
        if self._is_async:
            return "await connect() first (or use async with)"
        return "call connect() first (or use it as a context manager)"

    def _running(self) -> ExecutorT:
        if self._executor is None:
            raise NotConnectedError(f"{self!r}: {self._connect_hint}")
        return self._executor

    def _in_transaction(self) -> bool:
        """Whether this context has a transaction open on this database."""
        return self._executor is not None and ambient_for(self._executor) is not None

    def _backend(self) -> Backend:
        if self._backend_info is None:
            raise NotConnectedError(f"{self!r}: {self._connect_hint}")
        return self._backend_info

    def _new_engine(self, create: Callable[..., EngineT], url: URL | None = None) -> EngineT:
        """The engine (of ``url``: a replica's; default the Database's), with storied's options
        and session set-up; no connection yet."""
        limits = self.limits
        url = self.url if url is None else url
        options = engine_options(url, limits.size, limits.overflow, limits.timeout)
        try:
            engine = create(url, **options, echo=self._echo)
        except ImportError as exc:
            raise missing_driver(self.url, exc) from None
        sync_engine = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
        dialect = sync_engine.dialect
        # session set-up on each new connection: the dialect's, then the statement timeout
        for hook in (on_connect(dialect), on_timeout(dialect, self.statement_timeout)):
            if hook is not None:
                event.listen(sync_engine, "connect", hook)
        return engine

    def _now(self) -> dt.datetime:
        for tx in AMBIENT.get():
            if tx.owner is self._executor:
                return tx.now
        return self.clock.now()

    def health(self) -> Routing:
        """Where reads go: each replica's health and lag, and reads counted by server (no
        I/O; see ``docs/scaling.md``), and the circuit breaker's state (``breaker``)."""
        routing = self.replicas.routing()
        if self.breaker is None:
            return routing
        return replace(routing, breaker=self.breaker.status())

    def _connector(self, backend: Backend) -> Connector | None:
        """How the primary's pool opens connections: None without retries or breaker."""
        if self.retries is None and self.breaker is None:
            return None
        return Connector(self.retries, self.breaker, transient(backend.classify))

    def hook(self, name: Hook, model: type[Model]) -> Callable[[F], F]:
        """Register a lifecycle hook for ``model`` (see :mod:`storied.repository.hooks`)."""
        return self.hooks.decorator(name, model)

    def on_change(self, model: type[Model] | None, fn: Listener) -> ListenerHandle:
        """Call ``fn(event)`` for each committed change of ``model`` (None: of every model),
        in commit order, after the transaction commits; ``handle.remove()`` stops it. A
        listener that raises is logged ("storied") and the others still run. See
        ``docs/changes.md``.

        On a sync ``Database`` a coroutine function is refused (nothing would await it); on
        ``AsyncDatabase`` it is awaited."""
        if not self._is_async and is_coroutine_listener(fn):
            name = getattr(fn, "__qualname__", type(fn).__qualname__)
            raise ConfigurationError(
                f"on_change({name}): a coroutine listener is never awaited by a sync "
                "Database; pass a plain function, or use AsyncDatabase"
            )
        return self.change_listeners.add(model, fn)

    # What each facade method does; database.py and async_database.py run it.

    def _repository(
        self,
        model: type[M],
        *,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
        actor: str | None = None,
    ) -> Scoped[M]:
        """A repository for ``model`` in one tenant scope, writing as ``actor``.

        Args:
            model: the model class (mapped in this database's registry on first use).
            tenant_id: the tenant every read and write is scoped to (strict scope).
            tenant_ids: several tenants whose rows are read; writes are refused.
            unscoped: True for an explicit admin scope across all tenants.
            actor: who writes: stamped on rows and recorded in history.
        """
        mapped = self.registry.mapped(model)
        scope = make_scope(
            mapped.spec, tenant_id=tenant_id, tenant_ids=tenant_ids, unscoped=unscoped
        )
        return Scoped(mapped, scope, actor)

    def tenant_scope(
        self,
        *,
        tenant_id: Any = None,
        tenant_ids: Iterable[Any] | None = None,
        unscoped: bool = False,
    ) -> AbstractContextManager[None]:
        """A block whose raw SQL runs in this tenant scope under Row-Level Security (one of
        ``tenant_id``, ``tenant_ids``, ``unscoped=True``; no I/O: a plain ``with`` in async
        code too). Outside one, raw SQL sees no row of a protected table; repositories always
        run in their own scope. See ``docs/scaling.md``."""
        return opened(tenant_id, tenant_ids, unscoped)

    def _transaction(self, isolation: str | None, statement_timeout: float | None) -> Steps:
        return transaction_flow(self, isolation, checked(statement_timeout))


def _limits(size: int, overflow: int, timeout: float, ping_after: float) -> PoolLimits:
    for name, value, low in (("pool_size", size, 1), ("max_overflow", overflow, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigurationError(f"{name} must be an int of at least {low}")
    for name, seconds in (("pool_timeout", timeout), ("pool_pre_ping_after", ping_after)):
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ConfigurationError(f"{name} must be a number of seconds, at least 0")
    return PoolLimits(size, overflow, float(timeout), float(ping_after))
