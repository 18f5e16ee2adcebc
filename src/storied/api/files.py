"""``files_router(Model, db=…, files=…, auth=…)``: upload and download a row's file fields.

``PUT /{table}/{id}/files/{field}`` streams the request body into the field's store (a raw body
with its ``Content-Type``, or a ``multipart/form-data`` part named ``file``) and then updates
the row, honouring ``If-Match`` like every write; ``GET`` on the same path streams the bytes
with the recorded content type, ``Content-Length`` and the sha256 as ETag (``as_of`` reads an
scd2 model's file as it was). Both are scoped like every route: another tenant's row, or a
row whose ref names another tenant's files, is 404. Nothing is held whole in memory: a raw body
goes to an async store as it arrives (a sync one reads it from a spooled temporary file), a
multipart part is spooled by Starlette, and downloads are sent chunk by chunk.

An upload is limited to ``max_upload_size`` bytes of request body (default
:data:`MAX_UPLOAD_SIZE`, 100 MiB; None: no limit; a multipart body counts with its framing):
a ``Content-Length`` above it is refused before anything is read, and the bytes are counted as
they arrive whatever the headers say, so a body that grows past it stops there. Either way the
answer is 413 (problem+json) and nothing is stored: no object, no changed row.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations.

import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse
from starlette.types import Message, Receive

from storied import AsyncDatabase, ConfigurationError, Model, NotFoundError, TenantViolation
from storied.storage import AsyncFiles, FileRef, Files, Upload
from storied.storage.fileref import file_fields, tenant_segment

from .context import IF_MATCH_PARAMETER, Context, item_response, route_ids
from .params import as_of_parameter, moment_param
from .principal import AnyDatabase, AuthDependency, Principal
from .problems import (
    HTTP_STATUS,
    INVALID_REQUEST,
    STALE,
    TOO_LARGE,
    ProblemError,
    problem_responses,
)
from .schemas import Shapes
from .values import INT64

#: bytes per chunk sent; bytes of a raw upload kept in memory before it spools to disk
CHUNK = 256 * 1024
SPOOL = 8 * 1024 * 1024
OCTETS = "application/octet-stream"
#: the default limit of one upload's request body: large enough for documents, scans and
#: photos, small enough that one request cannot fill a disk or hold a worker for long
MAX_UPLOAD_SIZE = 100 * 1024 * 1024


def files_router(
    model: type[Model],
    *,
    db: AnyDatabase,
    files: Files | AsyncFiles,
    auth: AuthDependency,
    prefix: str | None = None,
    tags: list[str] | None = None,
    require_if_match: bool = False,
    max_upload_size: int | None = MAX_UPLOAD_SIZE,
) -> APIRouter:
    """The upload and download routes of ``model``'s file fields (see the module doc).

    ``files`` is a :class:`~storied.storage.Files` for a Database, an
    :class:`~storied.storage.AsyncFiles` for an AsyncDatabase. ``max_upload_size``: the most
    bytes of request body one upload may send (None: no limit); more is 413.
    """
    if max_upload_size is not None and (
        not isinstance(max_upload_size, int) or max_upload_size < 0
    ):
        raise ConfigurationError("max_upload_size is a number of bytes (or None: no limit)")
    fields = file_fields(model)
    if not fields:
        raise ConfigurationError(f"{model.__name__} has no FileRef field")
    if isinstance(db, AsyncDatabase) != isinstance(files, AsyncFiles):
        raise ConfigurationError("an AsyncDatabase takes AsyncFiles, a Database Files")
    files.stores_for(model)  # every store a field names exists (ConfigurationError otherwise)
    ctx = Context(db, Shapes(model), require_if_match, files)
    shapes = ctx.shapes
    path = prefix if prefix is not None else "/" + shapes.spec.options.table
    name = path.strip("/").replace("/", ".") or shapes.name
    router = APIRouter(prefix=path, tags=list(tags) if tags else [shapes.name])
    Caller = Annotated[Principal, Depends(auth)]
    bounds = {"ge": 0, "le": INT64[1]} if shapes.id_type is int else {}
    Id = Annotated[shapes.id_type, Path(description=f"the {shapes.name} id", **bounds)]  # type: ignore[name-defined]
    FieldName = Annotated[Literal[fields], Path(description="the file field")]  # type: ignore[valid-type]

    async def upload_file(
        request: Request, item_id: Id, field: FieldName, caller: Caller
    ) -> Response:
        request = _limited(request, max_upload_size)  # 413 before any work if it says too much
        expected = ctx.expected(request)
        repo = ctx.repo(caller)
        current = await ctx.call(repo.get, item_id)  # 404 and 412 before any byte is stored
        if expected is not None and current.version != expected:
            raise ProblemError(STALE, f"{shapes.name} {item_id} changed since version {expected}")
        upload, done = await _received(request, isinstance(files, AsyncFiles))
        try:
            changes = {field: upload}
            item = await ctx.write(
                expected, repo.update, item_id, expected_version=expected, **changes
            )
        finally:
            await done()
        return item_response(item)

    async def download_file(
        request: Request,
        item_id: Id,
        field: FieldName,
        caller: Caller,
        deleted: Literal["exclude", "include"] = "exclude",
    ) -> Response:
        repo = ctx.repo(caller)
        moment = moment_param(request, shapes)
        item = await ctx.call(repo.get, item_id, as_of=moment, include_deleted=deleted == "include")
        ref = _own(files, item, field, shapes.name)
        tag = f'"{ref.sha256}"'
        headers = {"ETag": tag, "Content-Length": str(ref.size)}
        if tag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": tag})
        body = await _opened(ref, isinstance(files, AsyncFiles))
        return StreamingResponse(body, media_type=ref.content_type, headers=headers)

    one = "/{item_id:" + ("int" if shapes.id_type is int else "uuid") + "}/files/{field}"
    router.add_api_route(
        one,
        upload_file,
        methods=["PUT"],
        **route_ids(name, "upload_file"),
        summary=f"Upload a {shapes.name}'s file (the body, or a multipart part named file)",
        responses={
            200: {"model": model},
            **problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428, 503),
        },
        openapi_extra={"parameters": [IF_MATCH_PARAMETER], "requestBody": _UPLOAD_BODY},
    )
    router.add_api_route(
        one,
        download_file,
        methods=["GET"],
        **route_ids(name, "download_file"),
        summary=f"Download a {shapes.name}'s file",
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
                "headers": {
                    "ETag": {"description": "the file's sha256", "schema": {"type": "string"}}
                },
            },
            304: {"description": "the file is the one If-None-Match names"},
            **problem_responses(401, 403, 404, 422, 503),
        },
        openapi_extra={"parameters": as_of_parameter(shapes)},
    )
    return router


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/octet-stream": _BINARY,
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            },
        },
    },
}


def _limited(request: Request, limit: int | None) -> Request:
    """``request`` whose body reads fail with 413 past ``limit`` bytes (counted as they come;
    a declared ``Content-Length`` above it is refused at once)."""
    if limit is None:
        return request
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    return Request(request.scope, _counted(request.receive, limit))


def _counted(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return counted


def _too_large(limit: int) -> ProblemError:
    return ProblemError(TOO_LARGE, f"an upload here is at most {limit} bytes", max_size=limit)


async def _received(request: Request, is_async: bool) -> tuple[Upload, Any]:
    """The upload in ``request`` and a coroutine function releasing what held it."""
    kind = request.headers.get("content-type", OCTETS)
    if kind.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=0)
        part = form.get("file")
        if not isinstance(part, UploadFile):
            await form.close()
            raise ProblemError(INVALID_REQUEST, "send the file as the multipart part 'file'")
        return Upload(part.file, part.content_type or OCTETS), form.close
    if is_async:
        return Upload(request.stream(), kind), _nothing
    spool = tempfile.SpooledTemporaryFile(SPOOL)  # noqa: SIM115 - closed by the returned callable
    try:
        async for chunk in request.stream():
            await run_in_threadpool(spool.write, chunk)
    except BaseException:  # too large, or the client went away
        spool.close()
        raise
    spool.seek(0)

    async def close() -> None:
        spool.close()

    return Upload(spool, kind), close


async def _nothing() -> None:
    return None


def _own(files: Files | AsyncFiles, item: Model, field: str, model: str) -> FileRef:
    """The row's ref, if it names this row's tenant's files (else 404, like a missing row)."""
    ref = getattr(item, field)
    if ref is None:
        raise ProblemError(HTTP_STATUS[404], f"{model} {item.id} has no file in {field!r}")
    tenant = getattr(item, "tenant_id", None)
    if not ref.key.startswith(f"{files.prefix}{tenant_segment(tenant)}/"):
        raise NotFoundError(model, item.id) from TenantViolation("a foreign FileRef")
    return ref  # type: ignore[no-any-return]


async def _opened(ref: FileRef, is_async: bool) -> Any:
    """The ref's chunks, the first already read (a missing object is an error response, not
    a cut-off body)."""
    if is_async:
        chunks = ref.astream(CHUNK)
        first = await anext(chunks, b"")
        return _then_async(first, chunks)
    stream = ref.stream(CHUNK)
    first = await run_in_threadpool(next, stream, b"")
    return _then(first, stream)


def _then(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


async def _then_async(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    async for chunk in rest:
        yield chunk
