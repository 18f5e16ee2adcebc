"""What Database and AsyncDatabase share: configuration, the backend, the clock, hooks; no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from ..dialects import (
    Backend,
    backend_for,
    engine_options,
    is_memory,
    on_connect,
    on_timeout,
    resolve_url,
)
from ..errors import ConfigurationError, NotConnectedError
from ..mapping.registry import Registry
from ..models.ids import uuid7
from ..repository.hooks import Hook, Hooks
from ..temporal.base import Returning
from ..temporal.clock import Clock, SystemClock
from ..tenancy.scope import make_scope
from .compiled import StatementCache
from .executor import AMBIENT
from .pool import PoolLimits
from .replicas import Routing, replicas_for
from .timeouts import checked
from .transaction import (
    OnCommitError,
)

if TYPE_CHECKING:
    from ..models.base import Model

M = TypeVar("M", bound="Model")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class DatabaseCore:
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
        replicas: Iterable[str | URL] = (),
        read_your_writes: float = 2.0,
        max_replica_lag: float = 5.0,
        replica_check_interval: float = 1.0,
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
            replicas: read replicas' URLs (PostgreSQL; see ``docs/scaling.md``): reads outside
                a transaction go there; ``read_your_writes`` (seconds a context that wrote
                stays on the primary), ``max_replica_lag`` (seconds of replay lag beyond
                which a replica is skipped) and ``replica_check_interval`` (seconds between
                lag checks of a replica) tune the routing.
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
        self.replicas = replicas_for(
            replicas,
            self.url,
            partial(resolve_url, is_async=self._is_async),
            read_your_writes=read_your_writes,
            max_lag=max_replica_lag,
            check_interval=replica_check_interval,
        )

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

    def health(self) -> Routing:
        """Where reads go: each replica's health and lag, and reads counted by server."""
        return self.replicas.routing()

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
