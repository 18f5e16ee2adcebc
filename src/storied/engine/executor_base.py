"""What the sync and the async executor share: error translation, reruns, statement prep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from time import perf_counter_ns
from typing import Any, cast

from sqlalchemy.exc import DBAPIError

from ..dialects import Backend, Copier, CopyTarget
from ..errors import OutcomeUnknownError, StoriedError
from ..ops.requests import Begin, Exec, Result
from .compiled import StatementCache
from .events import Events, OperationEvent, StatementEvent
from .pool import Lease
from .translate import ErrorContext, connect_error, translate


class ExecutorBase:
    def __init__(
        self, backend: Backend, cache: StatementCache, statement_timeout: float | None = None
    ) -> None:
        self.backend = backend
        self.cache = cache
        #: the Database's statement timeout (a transaction may set another for its span)
        self.statement_timeout = statement_timeout
        #: the listeners told about statements and operations (the Database's own ``events``
        #: once ``use_executor`` installs this executor) and the backend name they are told
        self.events = Events()
        self.backend_name = ""
        #: each operation's connection carries its tenant scope (``session.py``)
        self.row_security = False

    # What the listeners are told (``engine/events.py``); called only when someone listens.
    def statement_done(
        self,
        request: Exec | None,
        sql: str | None,
        start: int,
        result: Result | None,
        errors: ErrorContext | None,
        op: object,
        exc: BaseException | None,
    ) -> None:
        """Tell the statement listeners about ``request`` (or the plain ``sql``)."""
        duration = perf_counter_ns() - start
        params: Any = None
        batch = 1
        if request is not None:
            sql = self.cache.get(request.statement).sql
            if request.many:
                batch = len(request.params)
            if self.events.include_params:
                params = request.params
        self.events.statement_done(
            StatementEvent(
                sql or "",
                duration,
                result.rowcount if result is not None else None,
                self.backend_name,
                errors.model_name if errors is not None else None,
                errors.key if errors is not None else None,
                _name(op),
                type(exc).__name__ if exc is not None else None,
                params,
                len(result.rows) if result is not None else 0,
                batch,
            )
        )

    def operation_started(self, op: object, errors: ErrorContext | None) -> int:
        """Tell the operation listeners an operation starts; its start (perf_counter_ns)."""
        model, table = (errors.model_name, errors.key) if errors is not None else (None, None)
        name = _name(op) or "operation"
        tenants, actor = _who(errors)
        self.events.operation_event(
            OperationEvent(
                "start", model, table, name, self.backend_name, tenants=tenants, actor=actor
            )
        )
        return perf_counter_ns()

    def operation_ended(
        self, start: int, op: object, errors: ErrorContext | None, exc: BaseException | None
    ) -> None:
        duration = perf_counter_ns() - start
        model, table = (errors.model_name, errors.key) if errors is not None else (None, None)
        error = type(exc).__name__ if exc is not None else None
        name = _name(op) or "operation"
        tenants, actor = _who(errors)
        self.events.operation_event(
            OperationEvent(
                "end", model, table, name, self.backend_name, duration, error, exc, tenants, actor
            )
        )

    def _fail(self, exc: Exception, lease: Lease, errors: ErrorContext | None) -> Exception | None:
        """storied's error for a driver exception; None if it is not one of the database's
        (a bug: the caller re-raises it as it is)."""
        info = self.backend.classify(exc)
        if info is None:
            return None
        if info.kind == "operational":
            lease.broken = True
            lease.unsent = info.unsent
        return translate(info, errors)

    def _connect_failed(self, exc: Exception) -> Exception:
        """storied's error for a failed new connection; anything else (a bug) unchanged."""
        if isinstance(exc, StoriedError):
            return exc  # the pool's own DatabaseTimeout
        if isinstance(exc, DBAPIError | OSError) or self.backend.classify(exc) is not None:
            return connect_error(exc, self.backend.classify)
        return exc

    def _rerun_safe(self, lease: Lease, request: Exec) -> bool:
        """Whether a statement that failed on a lost connection may run again on another:
        when nothing was sent, or when it only reads (outside a transaction, as here)."""
        return lease.unsent or self.cache.get(request.statement).reads

    @staticmethod
    def _outcome_unknown(errors: ErrorContext | None, what: str = "the write") -> Exception:
        model = errors.model_name if errors else "database"
        return OutcomeUnknownError(
            f"{model}: the connection was lost after {what} was sent; it may or may not have "
            "been applied (storied does not retry it): read the data back to know"
        )

    def _timeout_sql(self, seconds: float | None) -> str | None:
        """The statement that sets the session's statement timeout (None: SQLite's timer)."""
        make = self.backend.timeout_sql
        return None if make is None else make(seconds)

    # The preparation seam: what a statement sends, without sending it. The executors and
    # testing.DryDatabase (which records instead of running) both build on these.
    def begin_sql(self, request: Begin) -> str:
        """The statement that opens a transaction for ``request``."""
        caps = self.backend.capabilities
        return caps.begin_write if request.write else caps.begin_read

    def bulk_loader(self, request: Exec) -> Copier | None:
        """The backend's bulk path, when this request may take it (see ``Exec.load``)."""
        copier = self.backend.copier
        if copier is None or request.load is None or len(request.params) < copier.min_rows:
            return None
        return copier

    def bulk_rows(self, request: Exec, copier: Copier) -> tuple[CopyTarget, list[Any]]:
        assert request.load is not None
        compiled, target = self.cache.copy(request.statement, request.load, copier)
        rows = cast(Sequence[Mapping[str, Any]], request.params)
        return target, compiled.params_many(rows)

    def prepare(self, request: Exec) -> tuple[str, Any, Any, bool]:
        """SQL, driver parameters, the compiled shape, and whether to run it as executemany
        (a batch of one row runs as a plain execute: one statement, no batch machinery)."""
        compiled = self.cache.get(request.statement)
        if not request.many:
            params = compiled.params(cast(Mapping[str, Any], request.params))
            return compiled.sql, params, compiled, False
        rows = cast(Sequence[Mapping[str, Any]], request.params)
        if len(rows) == 1:
            return compiled.sql, compiled.params(rows[0]), compiled, False
        return compiled.sql, compiled.params_many(rows), compiled, True


def _name(op: object) -> str | None:
    """An operation's name: the one given to ``run``, else its generator function's."""
    return op if isinstance(op, str) else getattr(op, "__name__", None)


def _who(errors: object) -> tuple[tuple[str, ...], str | None]:
    """The tenant ids (as text) and actor of the repository running an operation: its error
    context is the repository itself (``repository/io.py``); anything else knows neither."""
    scope = getattr(errors, "scope", None)
    ids = getattr(scope, "tenant_ids", ())
    return tuple(str(t) for t in ids), getattr(errors, "actor", None)


def columns_of(cursor: Any) -> tuple[str, ...]:
    """The result's column names, from a DB-API cursor's description."""
    description = cursor.description
    return tuple(d[0] for d in description) if description else ()
