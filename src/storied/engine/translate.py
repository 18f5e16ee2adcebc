"""Driver exceptions → storied errors, once, at the executor boundary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy.engine import URL

from ..dialects import Classifier, ErrorInfo, ErrorKind
from ..errors import (
    ConflictError,
    DatabaseError,
    DatabaseTimeout,
    DataError,
    IntegrityError,
    OperationalError,
    SchemaError,
    StoriedError,
    TenantViolation,
    TransactionConflict,
    ValidationError,
)


class ErrorContext(Protocol):
    """What the failing operation knows: its model, its table (``key``, also told to the
    event listeners) and which fields a constraint covers."""

    @property
    def model_name(self) -> str: ...

    @property
    def key(self) -> str: ...

    def fields_for(self, constraint: str | None, columns: tuple[str, ...]) -> tuple[str, ...]: ...


def _conflict(info: ErrorInfo, ctx: ErrorContext | None) -> StoriedError:
    fields = ctx.fields_for(info.constraint, info.columns) if ctx else ()
    model = ctx.model_name if ctx else "row"
    what = ", ".join(fields) if fields else "a unique value"
    return ConflictError(
        f"{model}: another live row already has this {what}", model=model, fields=fields
    )


def _integrity(kind: str, label: str) -> Callable[[ErrorInfo, ErrorContext | None], StoriedError]:
    def make(info: ErrorInfo, ctx: ErrorContext | None) -> StoriedError:
        model = ctx.model_name if ctx else "row"
        where = info.constraint or ", ".join(info.columns) or "a constraint"
        return IntegrityError(f"{model}: {label} ({where})", kind=kind, constraint=info.constraint)

    return make


def _simple(
    cls: type[StoriedError], message: str
) -> Callable[[ErrorInfo, ErrorContext | None], StoriedError]:
    def make(info: ErrorInfo, ctx: ErrorContext | None) -> StoriedError:
        return cls(f"{ctx.model_name if ctx else 'database'}: {message}")

    return make


def _missing_table(info: ErrorInfo, ctx: ErrorContext | None) -> StoriedError:
    model = ctx.model_name if ctx else "database"
    table = f"table {info.table!r}" if info.table else "a table"
    return SchemaError(
        f"{model}: {table} does not exist; create it with db.sync_schema(...) "
        "or `storied apply` (see docs/schema.md)"
    )


#: Every kind a dialect can report has an entry; a test checks this table is exhaustive.
TRANSLATIONS: dict[ErrorKind, Callable[[ErrorInfo, ErrorContext | None], StoriedError]] = {
    "unique": _conflict,
    "foreign_key": _integrity("foreign_key", "a foreign key refused the write"),
    "not_null": _integrity("not_null", "a required value is missing"),
    "check": _integrity("check", "a CHECK constraint refused the value"),
    "data": _simple(ValidationError, "a value does not fit its column"),
    "timeout": _simple(DatabaseTimeout, "timed out waiting for a lock or the statement"),
    "deadlock": _simple(
        TransactionConflict, "deadlock detected; the transaction was rolled back (retry it)"
    ),
    "serialization": _simple(
        TransactionConflict, "concurrent update; the transaction could not be serialized (retry it)"
    ),
    "operational": _simple(OperationalError, "connection to the database failed"),
    "missing_table": _missing_table,
    "row_security": _simple(
        TenantViolation,
        "Row-Level Security refused the row: it is outside the session's tenant scope",
    ),
    "other": _simple(DatabaseError, "the database refused the statement"),
}


def translate(info: ErrorInfo, ctx: ErrorContext | None) -> StoriedError:
    """storied's error for a classified driver exception, carrying the driver's codes.

    The driver's exception is not chained to it (its message can hold bound values)."""
    error = TRANSLATIONS[info.kind](info, ctx)
    if isinstance(error, DataError):
        error.sqlstate = info.sqlstate
        error.driver_code = info.code
        if error.constraint is None:
            error.constraint = info.constraint
    return error


def connect_error(
    exc: BaseException, classify: Classifier | None, url: URL | None = None
) -> StoriedError:
    """A failure to open a connection: SQLAlchemy wraps the driver's error, except asyncpg's
    refused or timed-out connects, which arrive as bare OSErrors.

    With ``url`` the message names where storied tried to connect and the driver's reason (its
    first line; a connect error carries no bound values), never the password."""
    orig = getattr(exc, "orig", None) or exc
    info = classify(orig) if classify is not None else None
    if info is not None and info.kind != "operational":
        return translate(info, None)
    if url is None:
        return OperationalError(f"could not connect: {type(orig).__name__}")
    return OperationalError(f"could not connect to {_where(url)}: {_reason(orig, url)}")


def _where(url: URL) -> str:
    backend = url.get_backend_name()
    if url.host is None:  # SQLite: a file, or memory
        return f"{backend} database {url.database or ':memory:'}"
    port = f":{url.port}" if url.port else ""
    return f"{backend} server {url.host}{port}, database {url.database or '(default)'}"


def _reason(orig: BaseException, url: URL) -> str:
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    reason = lines[0] if lines else type(orig).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return reason if len(reason) <= 300 else reason[:297] + "..."
