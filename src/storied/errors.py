"""Every exception storied raises, in one tree.

::

    StoriedError
    ├── UsageError                    the program is wrong; fix the code, not the data
    │   ├── ModelDefinitionError      a model or Field() cannot be mapped (TypeError)
    │   ├── ConfigurationError        bad Database/repository arguments (ValueError)
    │   ├── MissingTenantScope        a tenant-scoped repository built without a scope
    │   ├── RelationNotLoaded         a relation read that no query loaded
    │   ├── NotConnectedError         I/O asked of a Database that is not connected
    │   ├── MissingToolError          an external program (dot, pg_dump) is not installed
    │   └── UnsupportedOperationError the object store has no such operation (presigning)
    └── DataError                     the data or the database refused the request
        ├── ValidationError           bad input, nothing written (ValueError)
        │   ├── UnknownFieldError     a field name the model does not have
        │   └── InvalidCursorError    a change-feed cursor storied did not hand out
        ├── NotFoundError             no visible row with that id (LookupError)
        ├── MultipleResultsError      one() found more than one row (LookupError)
        ├── TenantViolation           a write names another tenant (PermissionError)
        ├── ConflictError             unique violation or a stale expected_version
        │   └── TransactionConflict   serialization failure or deadlock: safe to retry
        ├── IntegrityError            foreign key, not-null or check constraint refused
        ├── SchemaError               schema sync refused a plan or failed applying it
        │   ├── DestructiveChangeError  destructive steps without allow_destructive
        │   ├── BlockedChangeError    a step that cannot be applied safely at all
        │   ├── StalePlanError        the database changed since the plan was made
        │   └── SchemaApplyError      a step failed; says which steps were applied
        ├── DatabaseError             the database failed for another reason
        │   ├── OperationalError      connection lost, server down
        │   │   ├── OutcomeUnknownError  lost while a write may have reached the server
        │   │   └── CircuitOpenError  the circuit breaker is open: failed fast, nothing sent
        │   └── DatabaseTimeout       lock, statement or pool timeout (TimeoutError)
        ├── OperationsError           a backup, restore, export or import failed
        │   └── RestoreRefused        a file failed verification; the live database untouched
        └── StorageError              the object store failed or refused the request
            ├── ObjectNotFoundError   no object under that key (a NotFoundError too)
            ├── ObjectExistsError     a create-only write met an object (a ConflictError too)
            ├── PreconditionFailedError  the object's etag moved on (a ConflictError too)
            ├── InvalidKeyError       a key that escapes the store or is malformed (ValueError)
            ├── StorageAccessDenied   credentials missing or refused (PermissionError)
            └── StorageUnavailableError  the service could not be reached (ConnectionError)

Database errors are translated once, at the executor boundary (``engine/translate.py``);
messages name the model, field and id, never the bound values. A translated error does not
chain the driver's exception (its text can hold bound values); what a developer needs from it is
kept on the :class:`DataError` attributes ``sqlstate``, ``driver_code`` and ``constraint``.
Object-store errors are translated once, in ``storage/_translate.py``; their messages name the
key and operation, never credentials or presigned signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "BlockedChangeError",
    "CircuitOpenError",
    "ConfigurationError",
    "ConflictError",
    "DataError",
    "DatabaseError",
    "DatabaseTimeout",
    "DestructiveChangeError",
    "IntegrityError",
    "InvalidCursorError",
    "InvalidKeyError",
    "MissingTenantScope",
    "MissingToolError",
    "ModelDefinitionError",
    "MultipleResultsError",
    "NotConnectedError",
    "NotFoundError",
    "ObjectExistsError",
    "ObjectNotFoundError",
    "OperationalError",
    "OperationsError",
    "OutcomeUnknownError",
    "PreconditionFailedError",
    "RelationNotLoaded",
    "RestoreRefused",
    "SchemaApplyError",
    "SchemaError",
    "StalePlanError",
    "StorageAccessDenied",
    "StorageError",
    "StorageUnavailableError",
    "StoriedError",
    "TenantViolation",
    "TransactionConflict",
    "UnknownFieldError",
    "UnsupportedOperationError",
    "UsageError",
    "ValidationError",
]


class StoriedError(Exception):
    """Base of every storied exception."""


class UsageError(StoriedError):
    """The calling code is wrong (a bug to fix, not a condition to handle)."""


class ModelDefinitionError(UsageError, TypeError):
    """A model class or one of its fields cannot be mapped to a table."""


class ConfigurationError(UsageError, ValueError):
    """Bad arguments to a Database, a repository or an option."""


class MissingTenantScope(UsageError):
    """A repository for a tenant-scoped model was requested without a scope."""


class RelationNotLoaded(UsageError):
    """A relationship was read on an instance whose query did not ``.load()`` it."""


class NotConnectedError(UsageError):
    """The Database was asked for I/O before ``connect()`` or after ``close()``."""


class DataError(StoriedError):
    """The data or the database refused the request.

    When the error was translated from a driver exception, these say which one (the driver's
    exception itself is not chained: its message can carry bound values):

    Attributes:
        sqlstate: the five-character SQLSTATE (PostgreSQL; MySQL where the driver reports it).
        driver_code: the driver's own code: MySQL/MariaDB error number, SQLite's extended
            result code name (``"SQLITE_CONSTRAINT_UNIQUE"``), PostgreSQL's SQLSTATE.
        constraint: the constraint or index the database named, when it named one.
    """

    sqlstate: str | None = None
    driver_code: int | str | None = None
    constraint: str | None = None


class ValidationError(DataError, ValueError):
    """Input failed validation; nothing was written.

    ``errors`` holds one dict per problem (``loc``, ``msg``), like Pydantic's.
    """

    def __init__(self, message: str, errors: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


class UnknownFieldError(ValidationError):
    """A field name (filter, order, update) that the model does not have."""

    def __init__(self, model: str, name: str, valid: Sequence[str]) -> None:
        super().__init__(
            f"{model} has no field {name!r}; valid fields: {', '.join(sorted(valid))}",
            [{"loc": (name,), "msg": "unknown field"}],
        )
        self.model = model
        self.field = name


class InvalidCursorError(ValidationError):
    """A ``db.changes.read(after=...)`` cursor that is not one ``read`` returned (mangled,
    truncated or of another format)."""


class NotFoundError(DataError, LookupError):
    """No row with that id is visible to this repository (missing, deleted or another tenant's)."""

    def __init__(self, model: str, id: Any) -> None:
        super().__init__(f"{model} {id} not found")
        self.model = model
        self.id = id


class MultipleResultsError(DataError, LookupError):
    """``one()`` expected exactly one row and found more."""


class TenantViolation(DataError, PermissionError):
    """A write names a tenant outside the repository's scope; nothing was written."""


class ConflictError(DataError):
    """A unique value already exists, or the row moved on since ``expected_version``."""

    def __init__(
        self, message: str, *, model: str | None = None, fields: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.model = model
        self.fields = tuple(fields)


class TransactionConflict(ConflictError):
    """The database rolled the transaction back (serialization failure, deadlock).

    Running the whole transaction again is safe; ``db.atomic(fn)`` does so.
    """


class IntegrityError(DataError):
    """A foreign key, NOT NULL or CHECK constraint refused the write."""

    def __init__(self, message: str, *, kind: str, constraint: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.constraint = constraint


class SchemaError(DataError):
    """Schema sync refused a plan or failed while applying it.

    ``steps`` are the plan steps the error is about (see :class:`storied.schema.Step`).
    """

    def __init__(self, message: str, steps: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.steps = tuple(steps)


class DestructiveChangeError(SchemaError):
    """The plan drops or narrows something and ``allow_destructive`` was not given."""


class BlockedChangeError(SchemaError):
    """A step cannot be applied without losing or inventing data (e.g. NOT NULL, no default)."""


class StalePlanError(SchemaError):
    """The database changed between planning and applying; plan again."""


class SchemaApplyError(SchemaError):
    """A step failed. ``applied`` ran and stayed (no transactional DDL); ``failed`` did not."""

    def __init__(self, message: str, *, applied: Sequence[Any] = (), failed: Any = None) -> None:
        super().__init__(message, [*applied, *([failed] if failed is not None else [])])
        self.applied = tuple(applied)
        self.failed = failed


class DatabaseError(DataError):
    """The database failed for a reason not covered by a more specific error."""


class OperationalError(DatabaseError):
    """The connection failed or was lost."""


class OutcomeUnknownError(OperationalError):
    """The connection was lost after a write (or COMMIT) may have reached the server.

    storied never retries such a write: it may or may not have been applied. Read the data
    back to learn which, then decide.
    """


class CircuitOpenError(OperationalError):
    """The Database's circuit breaker is open (``Database(circuit_breaker=...)``): its last
    connection attempts failed, so this one failed fast without trying the server. Nothing
    was sent. A probe is let through once the breaker's cool-down has passed."""


class DatabaseTimeout(DatabaseError, TimeoutError):
    """A lock wait, a statement timeout or the wait for a free pooled connection expired."""


class MissingToolError(UsageError):
    """An external program an operation needs (``dot``, ``pg_dump``) is not installed.

    The message names the package that provides it.
    """


class OperationsError(DataError):
    """A backup, restore, export or import failed (a tool failed, versions do not match)."""


class RestoreRefused(OperationsError):
    """A backup or export file failed verification (corrupt, truncated, another schema).

    Raised before anything is switched: the live database is unchanged.
    """


class UnsupportedOperationError(UsageError, NotImplementedError):
    """The object store's backend has no such operation (e.g. presigned URLs on local disk)."""


class StorageError(DataError):
    """The object store failed or refused the request.

    ``key`` is the object key involved (relative to the store's root), when there is one.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        # not super(): in the subclasses that are also a NotFoundError or ConflictError the
        # next class in the MRO takes other arguments; those set their attributes themselves
        DataError.__init__(self, message)
        self.key = key


class ObjectNotFoundError(StorageError, NotFoundError):
    """No object is stored under that key."""

    def __init__(self, key: str) -> None:
        StorageError.__init__(self, f"object {key!r} not found", key=key)
        self.model = "object"
        self.id = key


class ObjectExistsError(StorageError, ConflictError):
    """A create-only write (or copy) found an object already under that key; nothing written."""

    def __init__(self, key: str) -> None:
        StorageError.__init__(self, f"object {key!r} already exists", key=key)
        self.model = None
        self.fields = ()


class PreconditionFailedError(StorageError, ConflictError):
    """The object under that key is missing or its etag is not the expected one; nothing written."""

    def __init__(self, key: str) -> None:
        StorageError.__init__(
            self, f"object {key!r} does not match the expected etag; read it again", key=key
        )
        self.model = None
        self.fields = ()


class InvalidKeyError(StorageError, ValueError):
    """The key is malformed or escapes the store (``..``, absolute, a symlink leading out)."""


class StorageAccessDenied(StorageError, PermissionError):
    """The object store refused the credentials, or none were found."""


class StorageUnavailableError(StorageError, ConnectionError):
    """The object store could not be reached or timed out."""
