"""What every generated endpoint of one model shares: the database, the shapes, the options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from storied import AsyncDatabase, ConflictError, Model, TransactionConflict
from storied.storage import AsyncFiles, Files

from .principal import AnyDatabase, AnyRepository, Principal
from .problems import IF_MATCH_REQUIRED, STALE, ProblemError
from .schemas import IF_MATCH, Shapes, etag, parse_if_match

#: the ``If-Match`` request header of writes, read by :meth:`Context.expected` (declared by
#: hand: FastAPI would document an optional header as nullable, and send "null" to fuzzers)
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "the ETag read; a stale one answers 412",
    "schema": {"type": "string", "pattern": IF_MATCH},
}


def operation_id(name: str, op: str) -> str:
    """The OpenAPI ``operationId`` (and route name, for ``url_for``) of one model's ``op``:
    ``"products.get"``. Route declarations and the OpenAPI links between them use this one."""
    return f"{name}.{op}"


class RouteIds(TypedDict):
    name: str
    operation_id: str


def route_ids(name: str, op: str) -> RouteIds:
    """``name=`` and ``operation_id=`` of a route declaration, both :func:`operation_id`."""
    oid = operation_id(name, op)
    return {"name": oid, "operation_id": oid}


@dataclass
class Context:
    """One model's router: where its repositories come from and how writes are checked."""

    db: AnyDatabase
    shapes: Shapes
    require_if_match: bool = False
    #: the model's file fields' stores: its repositories then check given FileRefs, upload
    #: file values and bind the refs they return
    files: Files | AsyncFiles | None = None

    def repo(self, principal: Principal) -> AnyRepository:
        repo = principal.repository(self.db, self.shapes.model)
        if self.files is None:
            return repo
        return self.files.repository(repo)  # type: ignore[arg-type, return-value]

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Await an async repository's method; run a sync one in the thread pool."""
        if isinstance(self.db, AsyncDatabase):
            return await fn(*args, **kwargs)
        return await run_in_threadpool(fn, *args, **kwargs)

    def expected(self, request: Request) -> int | None:
        """The ``expected_version`` of a write from its ``If-Match`` header (428 if required)."""
        if_match = request.headers.get("if-match")
        if if_match is None:
            if self.require_if_match:
                raise ProblemError(IF_MATCH_REQUIRED, "send If-Match with the ETag you read")
            return None
        return parse_if_match(if_match)

    async def write(self, expected: int | None, fn: Callable[..., Any], *a: Any, **kw: Any) -> Any:
        """Run a write; a stale ``expected_version`` becomes 412 instead of 409."""
        try:
            return await self.call(fn, *a, **kw)
        except TransactionConflict:
            raise
        except ConflictError as exc:
            if expected is not None and not exc.fields:
                raise ProblemError(STALE, str(exc)) from None
            raise


def item_response(
    item: Model, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A model as JSON, its version as the ETag."""
    return Response(
        item.model_dump_json(),
        status_code=status,
        media_type="application/json",
        headers={"ETag": etag(item.version), **(headers or {})},
    )
