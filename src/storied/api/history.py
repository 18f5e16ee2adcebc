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
from .context import IF_MATCH_PARAMETER, Context, item_response, route_ids
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
        chain: list[Version[Any]] = await ctx.call(ctx.repo(caller).versions, item_id)
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
        to_version = body.version  # type: ignore[attr-defined]
        item = await ctx.write(
            expected, repo.revert, item_id, to_version=to_version, expected_version=expected
        )
        return item_response(item)

    reads = problem_responses(401, 403, 404, 422, 503)
    router.add_api_route(
        one + "/history",
        history,
        methods=["GET"],
        **route_ids(name, "history"),
        summary=f"The change sets of a {shapes.name}, oldest first",
        responses={200: {"model": History}, **reads},
    )
    if not shapes.versioned:
        return
    router.add_api_route(
        one + "/versions",
        versions,
        methods=["GET"],
        **route_ids(name, "versions"),
        summary=f"Every version of a {shapes.name}, oldest first",
        responses={200: {"model": Versions}, **reads},
    )
    router.add_api_route(
        one + "/versions/{a}/compare/{b}",
        compare,
        methods=["GET"],
        **route_ids(name, "compare"),
        summary="The fields that differ between two versions",
        responses={200: {"model": Compared}, **reads},
    )
    router.add_api_route(
        one + "/revert",
        revert,
        methods=["POST"],
        **route_ids(name, "revert"),
        summary="Write a new version equal to an old one",
        responses={
            200: {"model": model, "headers": {"ETag": {"schema": {"type": "string"}}}},
            **problem_responses(400, 401, 403, 404, 409, 412, 422, 428, 503),
        },
        openapi_extra={**request_body(RevertBody), "parameters": [IF_MATCH_PARAMETER]},
    )


def encode_cursor(at: dt.datetime, seen: int) -> str:
    """The feed's cursor: the moment of a page's last change set and how many change sets of
    that moment the pages so far have held (base64url JSON; clients treat it as opaque)."""
    raw = json.dumps({"at": at.isoformat(), "seen": seen}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[dt.datetime, int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        at, seen = data["at"], data["seen"]
        if not isinstance(seen, int) or isinstance(seen, bool) or not 0 < seen <= 2**31:
            raise ValueError(seen)
        return aware(dt.datetime.fromisoformat(at)), seen
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise ValidationError(
            "cursor is not one this API issued",
            [{"loc": ("query", "cursor"), "msg": "invalid cursor"}],
        ) from None


def add_feed(router: APIRouter, ctx: Context, name: str, Caller: Any) -> None:
    """``GET /changes``: the scope's change sets, oldest first, cursor-paged (copy_on_change
    and scd2 alike).

    The core's feed is in time order, so a page resumes at its cursor's moment and skips the
    change sets of that moment it already served. For copy_on_change the core's ``limit``
    counts audit rows (one per changed field): a page asks for enough rows to hold the change
    sets it needs and drops a last one that may be cut.
    """
    shapes = ctx.shapes
    per_set = max(1, len(shapes.spec.fields)) if shapes.audited else 1

    def rows(cs: ChangeSet) -> int:
        return max(1, len(cs.changes)) if shapes.audited else 1

    async def read(repo: Any, need: int, **filters: Any) -> list[ChangeSet]:
        """The first ``need`` change sets (fewer at the feed's end), none of them cut."""
        budget = need * per_set
        while True:
            sets: list[ChangeSet] = await ctx.call(repo.changes, limit=budget, **filters)
            if sum(rows(cs) for cs in sets) < budget:
                return sets  # the feed's end: every change set is whole
            if len(sets) > need:
                return sets[:need]  # the last one may be cut, and is not needed
            budget *= 2

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
        start = values.moment("since", since)
        end = values.moment("until", until)
        skip = 0
        if cursor is not None:
            at, seen = decode_cursor(cursor)
            if start is None or at >= start:
                start, skip = at, seen
        filters = {"since": start, "until": end, "actor": actor, "operation": operation}
        sets = await read(ctx.repo(caller), skip + limit + 1, **filters)
        page = sets[skip : skip + limit]
        link = None
        if len(sets) > skip + limit:
            last = page[-1].at
            seen_at = sum(1 for cs in sets[: skip + limit] if cs.at == last)
            token = encode_cursor(last, seen_at)
            link = str(request.url.remove_query_params("cursor").include_query_params(cursor=token))
        return _json(ChangesPage(items=[change_set_out(cs) for cs in page], next=link))

    router.add_api_route(
        "/changes",
        changes,
        methods=["GET"],
        **route_ids(name, "changes"),
        summary=f"Change sets of every {shapes.name} in scope, oldest first",
        responses={200: {"model": ChangesPage}, **problem_responses(401, 403, 422, 503)},
    )
