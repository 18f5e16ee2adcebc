"""Every storied error as an RFC 9457 ``application/problem+json`` response, from one table.

``PROBLEMS`` maps each exception class of :mod:`storied.errors` to its HTTP status and a stable
``type``; a test checks that no class is missing. Routers of other parts (the operations
``/db`` router) install the same handlers with :func:`install_problem_handlers` and document
their responses with :func:`problem_responses`.

A problem body never carries SQL, bound values or the request's input: ``detail`` is the storied
message (which names the model, field and id only) and, for validation errors, ``errors`` lists
each invalid field as ``{"loc": [...], "msg": "..."}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from storied import (
    BlockedChangeError,
    CircuitOpenError,
    ConfigurationError,
    ConflictError,
    DatabaseError,
    DatabaseTimeout,
    DataError,
    DestructiveChangeError,
    IntegrityError,
    InvalidCursorError,
    InvalidKeyError,
    MissingTenantScope,
    MissingToolError,
    ModelDefinitionError,
    MultipleResultsError,
    NotConnectedError,
    NotFoundError,
    ObjectExistsError,
    ObjectNotFoundError,
    OperationalError,
    OperationsError,
    OutcomeUnknownError,
    PreconditionFailedError,
    RelationNotLoaded,
    RestoreRefused,
    SchemaApplyError,
    SchemaError,
    StalePlanError,
    StorageAccessDenied,
    StorageError,
    StorageUnavailableError,
    StoriedError,
    TenantViolation,
    TransactionConflict,
    UnknownFieldError,
    UnsupportedOperationError,
    UsageError,
    ValidationError,
)

MEDIA_TYPE = "application/problem+json"
#: prefix of every problem ``type`` (a URN: stable, and names no host)
TYPE_PREFIX = "urn:storied:problem:"
#: seconds a client should wait before retrying a 503 (or a 409 transaction conflict)
RETRY_AFTER = "1"


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One kind of problem: its HTTP status, its ``type`` slug and its ``title``."""

    status: int
    slug: str
    title: str
    retry: bool = False

    @property
    def type(self) -> str:
        return TYPE_PREFIX + self.slug


#: Every storied exception → its problem type. Server-side faults (a wrong program, a schema
#: that cannot be applied) are 500: they are never the client's input.
PROBLEMS: dict[type[StoriedError], ProblemType] = {
    StoriedError: ProblemType(500, "internal", "Internal error"),
    UsageError: ProblemType(500, "internal", "Internal error"),
    ModelDefinitionError: ProblemType(500, "internal", "Internal error"),
    ConfigurationError: ProblemType(500, "internal", "Internal error"),
    MissingTenantScope: ProblemType(403, "tenant-scope-required", "No tenant scope"),
    RelationNotLoaded: ProblemType(500, "internal", "Internal error"),
    NotConnectedError: ProblemType(503, "unavailable", "Service unavailable", retry=True),
    DataError: ProblemType(400, "bad-request", "Bad request"),
    ValidationError: ProblemType(422, "validation-error", "Invalid input"),
    UnknownFieldError: ProblemType(422, "unknown-field", "Unknown field"),
    InvalidCursorError: ProblemType(422, "validation-error", "Invalid input"),
    NotFoundError: ProblemType(404, "not-found", "Not found"),
    MultipleResultsError: ProblemType(500, "internal", "Internal error"),
    TenantViolation: ProblemType(403, "tenant-violation", "Outside the tenant scope"),
    ConflictError: ProblemType(409, "conflict", "Conflict"),
    TransactionConflict: ProblemType(409, "transaction-conflict", "Retry", retry=True),
    IntegrityError: ProblemType(409, "integrity-error", "Constraint refused the write"),
    SchemaError: ProblemType(500, "internal", "Internal error"),
    DestructiveChangeError: ProblemType(500, "internal", "Internal error"),
    BlockedChangeError: ProblemType(500, "internal", "Internal error"),
    StalePlanError: ProblemType(500, "internal", "Internal error"),
    SchemaApplyError: ProblemType(500, "internal", "Internal error"),
    DatabaseError: ProblemType(500, "database-error", "Database error"),
    OperationalError: ProblemType(503, "unavailable", "Database unavailable", retry=True),
    DatabaseTimeout: ProblemType(503, "timeout", "Database timeout", retry=True),
    # nothing was sent; the breaker lets a probe through after its cool-down
    CircuitOpenError: ProblemType(503, "unavailable", "Database unavailable", retry=True),
    MissingToolError: ProblemType(500, "internal", "Internal error"),
    UnsupportedOperationError: ProblemType(500, "internal", "Internal error"),
    OperationsError: ProblemType(500, "operations-error", "Operation failed"),
    RestoreRefused: ProblemType(422, "restore-refused", "Backup file refused"),
    StorageError: ProblemType(500, "storage-error", "Object storage error"),
    ObjectNotFoundError: ProblemType(404, "not-found", "Not found"),
    ObjectExistsError: ProblemType(409, "conflict", "Conflict"),
    PreconditionFailedError: ProblemType(412, "precondition-failed", "Precondition failed"),
    InvalidKeyError: ProblemType(422, "validation-error", "Invalid input"),
    StorageAccessDenied: ProblemType(500, "internal", "Internal error"),
    StorageUnavailableError: ProblemType(
        503, "storage-unavailable", "Object storage unavailable", retry=True
    ),
    # the write may have been applied: a blind retry could apply it twice, so no Retry-After
    OutcomeUnknownError: ProblemType(503, "outcome-unknown", "Outcome unknown"),
}

#: Problems raised by the HTTP layer itself (no storied exception behind them).
MALFORMED = ProblemType(400, "malformed-request", "Malformed request")
INVALID_REQUEST = ProblemType(422, "validation-error", "Invalid input")
FORBIDDEN = ProblemType(403, "forbidden", "Forbidden")
UNAUTHORIZED = ProblemType(401, "unauthorized", "Not authenticated")
STALE = ProblemType(412, "precondition-failed", "Precondition failed")
IF_MATCH_REQUIRED = ProblemType(428, "precondition-required", "If-Match required")
TOO_LARGE = ProblemType(413, "content-too-large", "Content too large")
HTTP_STATUS = {
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: ProblemType(404, "not-found", "Not found"),
    405: ProblemType(405, "method-not-allowed", "Method not allowed"),
    412: STALE,
    413: TOO_LARGE,
    428: IF_MATCH_REQUIRED,
}


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None
    fields: list[str] | None = None


#: the Problem schema, inlined in each response (no shared component to register)
PROBLEM_SCHEMA: dict[str, Any] = Problem.model_json_schema()


class ProblemError(Exception):
    """Raise from an endpoint to answer with a problem of ``kind``."""

    def __init__(self, kind: ProblemType, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.extra = extra


def problem_type(exc: StoriedError) -> ProblemType:
    """The problem type of ``exc``: its own class's entry, else its nearest ancestor's."""
    for cls in type(exc).__mro__:
        kind = PROBLEMS.get(cls)
        if kind is not None:
            return kind
    return PROBLEMS[StoriedError]


def problem_response(
    kind: ProblemType,
    detail: str | None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = Problem(type=kind.type, title=kind.title, status=kind.status, detail=detail, **extra)
    all_headers = dict(headers or {})
    if kind.retry:
        all_headers.setdefault("Retry-After", RETRY_AFTER)
    return Response(
        body.model_dump_json(exclude_none=True),
        status_code=kind.status,
        headers=all_headers,
        media_type=MEDIA_TYPE,
    )


def problem_body(exc: StoriedError) -> Problem:
    """The problem describing one storied exception (what a bulk result carries per item)."""
    kind = problem_type(exc)
    # a server-side message (a URL, a constraint's internals) is for the log, not the client
    detail = None if kind.status >= 500 else str(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationError) and exc.errors:
        extra["errors"] = _errors(exc.errors)
    if isinstance(exc, ConflictError) and exc.fields:
        extra["fields"] = list(exc.fields)
    return Problem(type=kind.type, title=kind.title, status=kind.status, detail=detail, **extra)


def storied_error_response(exc: StoriedError) -> Response:
    """The problem response for one storied exception."""
    kind = problem_type(exc)
    body = problem_body(exc)
    headers = {"Retry-After": RETRY_AFTER} if kind.retry else {}
    return Response(
        body.model_dump_json(exclude_none=True),
        status_code=kind.status,
        headers=headers,
        media_type=MEDIA_TYPE,
    )


def _errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each error's location and message only: never the input it refused."""
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors
    ]


async def _on_storied(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoriedError)
    return storied_error_response(exc)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.kind, exc.detail, **exc.extra)


async def _on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors: Sequence[Any] = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(MALFORMED, "the request body is not valid JSON")
    return problem_response(INVALID_REQUEST, "the request is invalid", errors=_errors(errors))


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    kind = HTTP_STATUS.get(exc.status_code) or ProblemType(exc.status_code, "http-error", "Error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request))
    return problem_response(kind, detail, headers=headers)


def _allowed(request: Request) -> list[str]:
    """Every method some route of the app serves at this path (routes are one per method)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "\0"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every storied error, request validation error and HTTP error as problem+json."""
    app.add_exception_handler(StoriedError, _on_storied)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)


_DESCRIPTIONS = {
    400: "Malformed request (e.g. a body that is not JSON)",
    401: "Not authenticated",
    403: "Forbidden: a role is missing, or the write names another tenant",
    404: "Not found (missing, deleted, or another tenant's)",
    409: "Conflict: a unique field (named in `fields`) or a constraint",
    412: "If-Match names a version that is not current",
    422: "Invalid input; `errors` names each invalid field",
    428: "If-Match is required for this write",
    503: "Database unavailable or timed out; see Retry-After",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these statuses, each a problem+json ``Problem``."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": _DESCRIPTIONS.get(status, "Error"),
            "content": {MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        if status == 503:
            entry["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        out[status] = entry
    return out
