"""``Database``: connection, schema creation, repositories, transactions (sync)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError

from ..dialects import (
    backend_for,
    check_ddl,
    missing_driver,
)
from ..errors import NotConnectedError
from ..repository.sync import Repository
from ..schema.apply import apply_plan, sync
from ..schema.planner import make_plan
from ..schema.target import target_for, target_of
from .async_database import AsyncDatabase as AsyncDatabase  # also importable from here
from .core import DatabaseCore
from .executor import SyncExecutor
from .pool import PoolStatus, SyncPool
from .raw import RawSQL
from .timeouts import checked
from .transaction import (
    register_on_commit,
    run_atomic,
    run_callbacks,
    sync_transaction,
)
from .translate import connect_error

if TYPE_CHECKING:
    from ..models.base import Model
    from ..schema import ApplyResult, Plan

M = TypeVar("M", bound="Model")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Database(RawSQL, DatabaseCore):
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
        """Run a plan under the schema lock, after planning again there: a plan made earlier (or
        read back with ``Plan.from_json``) runs only while the database is as it was.
        Destructive steps and removals need ``allow_destructive``."""

        target = target_of(self.registry, plan)
        with self.engine.connect() as conn:
            return apply_plan(
                conn, plan, target, allow_destructive=allow_destructive, timeout=lock_timeout
            )

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
