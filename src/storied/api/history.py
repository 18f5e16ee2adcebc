"""History endpoints: a record's change sets, its versions (scd2), compare, revert, the feed."""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, create_model
from pydantic_core import to_jsonable_python
from starlette.responses import Response

from storied import ChangeSet, ValidationError, Version

from . import values
from .context import IF_MATCH_PARAMETER, Context, item_response
from .problems import problem_responses
from .schemas import aware, request_body, whole_int

Operation = Literal["create", "import", "update", "delete", "restore", "purge"]
#: an RFC 3339 date-time, parsed strictly (FastAPI's datetime also takes numbers)
Moment = Annotated[str | None, Query(json_schema_extra={"format": "date-time"})]
FEED_PAGE_SIZE = 100


class FieldDiff(BaseModel):
    """A field's value before and after (or in version ``a`` and ``b``)."""

    old: Any = None
    new: Any = None


class ChangeSetOut(BaseModel):
    """One write: who, when, which operation, each field old → new."""

    id: UUID | int
    record_id: UUID | int
    operation: str
    actor: str | None
    at: dt.datetime
    changes: dict[str, FieldDiff]


class ChangesPage(BaseModel):
    items: list[ChangeSetOut]
    next: str | None = None


class Compared(BaseModel):
    """The fields that differ between versions ``a`` and ``b``: ``old`` is a's, ``new`` b's."""

    a: int
    b: int
    changes: dict[str, FieldDiff]


class RevertBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    version: whole_int(1)  # type: ignore[valid-type]


def _value(value: Any) -> Any:
    return to_jsonable_python(value, bytes_mode="base64")


def change_set_out(cs: ChangeSet) -> ChangeSetOut:
    diffs = {f: FieldDiff(old=_value(o), new=_value(n)) for f, (o, n) in cs.changes.items()}
    return ChangeSetOut(
        id=cs.id,
        record_id=cs.record_id,
        operation=cs.operation,
        actor=cs.actor,
        at=cs.at,
        changes=diffs,
    )


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


def add_item_routes(
    router: APIRouter, ctx: Context, name: str, Caller: Any, Id: Any, one: str
) -> None:
    """``/{id}/history`` for every model with history; versions, compare, revert for scd2."""
    shapes = ctx.shapes
    model = shapes.model
    VersionOut = create_model(
        f"{shapes.name}Version",
        version=(int, ...),
        valid_from=(dt.datetime, ...),
        valid_to=(dt.datetime | None, ...),
        item=(model, ...),
    )
    History = create_model(f"{shapes.name}History", items=(list[ChangeSetOut], ...))
    Versions = create_model(f"{shapes.name}Versions", items=(list[VersionOut], ...))

    async def history(item_id: Id, caller: Caller) -> Response:
        sets = await ctx.call(ctx.repo(caller).history, item_id)
        if not sets:  # missing, or another tenant's: the same answer
            await ctx.call(ctx.repo(caller).get, item_id, include_deleted=True)
        return _json(History(items=[change_set_out(cs) for cs in sets]))

    async def versions(item_id: Id, caller: Caller) -> Response:
        chain: list[Version] = await ctx.call(ctx.repo(caller).versions, item_id)
        items = [
            VersionOut(version=v.number, valid_from=v.valid_from, valid_to=v.valid_to, item=v.model)
            for v in chain
        ]
        return _json(Versions(items=items))

    async def compare(
        item_id: Id,
        a: Annotated[int, Path(ge=1, le=2**31)],
        b: Annotated[int, Path(ge=1, le=2**31)],
        caller: Caller,
    ) -> Response:
        diff = await ctx.call(ctx.repo(caller).compare_versions, item_id, a, b)
        changes = {f: FieldDiff(old=_value(x), new=_value(y)) for f, (x, y) in diff.items()}
        return _json(Compared(a=a, b=b, changes=changes))

    async def revert(request: Request, item_id: Id, caller: Caller) -> Response:
        expected = ctx.expected(request)
        body = shapes.parse(RevertBody, await request.body())
        repo = ctx.repo(caller)
        await ctx.check_version(repo, item_id, expected)
        item = await ctx.call(repo.revert, item_id, to_version=body.version)  # type: ignore[attr-defined]
        return item_response(item)

    reads = problem_responses(401, 403, 404, 422, 503)
    router.add_api_route(
        one + "/history",
        history,
        methods=["GET"],
        name=f"{name}.history",
        operation_id=f"{name}.history",
        summary=f"The change sets of a {shapes.name}, oldest first",
        responses={200: {"model": History}, **reads},
    )
    if not shapes.versioned:
        return
    router.add_api_route(
        one + "/versions",
        versions,
        methods=["GET"],
        name=f"{name}.versions",
        operation_id=f"{name}.versions",
        summary=f"Every version of a {shapes.name}, oldest first",
        responses={200: {"model": Versions}, **reads},
    )
    router.add_api_route(
        one + "/versions/{a}/compare/{b}",
        compare,
        methods=["GET"],
        name=f"{name}.compare",
        operation_id=f"{name}.compare",
        summary="The fields that differ between two versions",
        responses={200: {"model": Compared}, **reads},
    )
    router.add_api_route(
        one + "/revert",
        revert,
        methods=["POST"],
        name=f"{name}.revert",
        operation_id=f"{name}.revert",
        summary="Write a new version equal to an old one",
        responses={
            200: {"model": model, "headers": {"ETag": {"schema": {"type": "string"}}}},
            **problem_responses(400, 401, 403, 404, 409, 412, 422, 428, 503),
        },
        openapi_extra={**request_body(RevertBody), "parameters": [IF_MATCH_PARAMETER]},
    )


def _encode(cs: ChangeSet) -> str:
    raw = json.dumps([cs.at.isoformat(), str(cs.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> tuple[dt.datetime, UUID]:
    try:
        at, id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        return aware(dt.datetime.fromisoformat(at)), UUID(id)
    except (binascii.Error, ValueError, TypeError):
        raise ValidationError(
            "cursor is not one this API issued",
            [{"loc": ("query", "cursor"), "msg": "invalid cursor"}],
        ) from None


def add_feed(router: APIRouter, ctx: Context, name: str, Caller: Any) -> None:
    """``GET /changes``: the tenant's change sets, oldest first, cursor-paged (copy_on_change).

    The core's ``changes(limit=)`` counts audit rows (one per changed field), so a page asks
    for enough rows to hold ``limit + 1`` whole change sets and drops a last one that may be
    cut; change sets written at the cursor's moment are skipped by their (time-ordered) id.
    """
    shapes = ctx.shapes
    if not shapes.audited:
        return
    per_set = max(1, len(shapes.spec.fields))

    async def changes(
        request: Request,
        caller: Caller,
        since: Moment = None,
        until: Moment = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        operation: Operation | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = FEED_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Response:
        repo = ctx.repo(caller)
        start = values.moment("since", since)
        end = values.moment("until", until)
        seen: tuple[dt.datetime, UUID] | None = None
        if cursor is not None:
            seen = _decode(cursor)
            start = seen[0] if start is None else max(start, seen[0])
        budget = (limit + 1) * per_set
        while True:
            sets = await ctx.call(
                repo.changes, since=start, until=end, actor=actor, operation=operation,
                limit=budget,
            )
            complete = sum(max(1, len(cs.changes)) for cs in sets) < budget
            if not complete:
                sets = sets[:-1]
            fresh = [cs for cs in sets if seen is None or (cs.at, cs.id) > seen]
            if complete or len(fresh) > limit:
                break
            budget *= 2
        page = fresh[:limit]
        link = None
        if len(fresh) > limit:
            token = _encode(page[-1])
            link = str(request.url.remove_query_params("cursor").include_query_params(cursor=token))
        return _json(ChangesPage(items=[change_set_out(cs) for cs in page], next=link))

    router.add_api_route(
        "/changes",
        changes,
        methods=["GET"],
        name=f"{name}.changes",
        operation_id=f"{name}.changes",
        summary=f"Change sets of every {shapes.name} in scope, oldest first",
        responses={200: {"model": ChangesPage}, **problem_responses(401, 403, 422, 503)},
    )
