"""Bulk create, update and delete: one request, one result per item.

The whole body is validated first (an invalid item is 422 and nothing is written); then each
item is written on its own, so one item's conflict or missing id does not undo the others.
"""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field, create_model
from starlette.responses import Response

from storied import ConflictError, StoriedError

from .context import Context, route_ids
from .problems import (
    IF_MATCH_REQUIRED,
    STALE,
    Problem,
    ProblemError,
    problem_body,
    problem_responses,
)
from .schemas import request_body, whole_int

MAX_ITEMS = 100
_STRICT = ConfigDict(strict=True, extra="forbid")


def add_routes(router: APIRouter, ctx: Context, name: str, Caller: Any) -> None:
    shapes = ctx.shapes
    model = shapes.model
    Id = shapes.id_annotation
    items = Field(min_length=1, max_length=MAX_ITEMS)
    CreateMany = create_model(
        f"{shapes.name}CreateMany",
        __config__=_STRICT,
        items=(list[shapes.create_body], items),  # type: ignore[name-defined]
    )
    Change = create_model(
        f"{shapes.name}Change",
        __config__=_STRICT,
        id=(Id, ...),
        version=(whole_int(0) | None, None),
        changes=(shapes.patch_body, ...),
    )
    UpdateMany = create_model(
        f"{shapes.name}UpdateMany", __config__=_STRICT, items=(list[Change], items)
    )
    DeleteMany = create_model(
        f"{shapes.name}DeleteMany",
        __config__=_STRICT,
        ids=(list[Id], items),  # type: ignore[valid-type]
    )
    Result = create_model(
        f"{shapes.name}BulkResult",
        index=(int, ...),
        status=(int, ...),
        item=(model | None, None),  # type: ignore[arg-type]
        problem=(Problem | None, None),
    )
    Results = create_model(f"{shapes.name}BulkResults", results=(list[Result], ...))

    async def each(
        jobs: Sequence[Callable[..., Awaitable[Any]]], ok: int, expected: list[int | None]
    ) -> Response:
        results = []
        for index, job in enumerate(jobs):
            try:
                item = await job()
            except StoriedError as exc:
                problem = problem_body(exc)
                stale = isinstance(exc, ConflictError) and not exc.fields
                if stale and expected[index] is not None:
                    problem = Problem(
                        type=STALE.type, title=STALE.title, status=412, detail=str(exc)
                    )
                results.append(Result(index=index, status=problem.status, problem=problem))
            else:
                results.append(Result(index=index, status=ok, item=item))
        body = Results(results=results).model_dump_json()
        return Response(body, media_type="application/json")

    async def create_many(request: Request, caller: Caller) -> Response:
        body: Any = shapes.parse(CreateMany, await request.body())
        repo = ctx.repo(caller)
        jobs = [
            (lambda v=item.model_dump(exclude_unset=True): ctx.call(repo.create, v))
            for item in body.items
        ]
        return await each(jobs, 201, [None] * len(jobs))

    async def update_many(request: Request, caller: Caller) -> Response:
        body: Any = shapes.parse(UpdateMany, await request.body())
        if ctx.require_if_match and any(c.version is None for c in body.items):
            raise ProblemError(IF_MATCH_REQUIRED, "every item needs the version it read")
        repo = ctx.repo(caller)
        jobs = [
            (
                lambda c=c: ctx.call(
                    repo.update,
                    c.id,
                    expected_version=c.version,
                    **c.changes.model_dump(exclude_unset=True),
                )
            )
            for c in body.items
        ]
        return await each(jobs, 200, [c.version for c in body.items])

    async def delete_many(request: Request, caller: Caller) -> Response:
        if ctx.require_if_match:  # the ids carry no versions to check
            raise ProblemError(IF_MATCH_REQUIRED, "this router deletes one row at a time")
        body: Any = shapes.parse(DeleteMany, await request.body())
        repo = ctx.repo(caller)

        async def delete(id: Any) -> None:
            await ctx.call(repo.get, id)  # a missing id is this item's 404
            await ctx.call(repo.delete, id)

        jobs = [(lambda i=i: delete(i)) for i in body.ids]
        return await each(jobs, 204, [None] * len(jobs))

    errors = problem_responses(400, 401, 403, 422, 428, 503)
    for verb, endpoint, shape in (
        ("create", create_many, CreateMany),
        ("update", update_many, UpdateMany),
        ("delete", delete_many, DeleteMany),
    ):
        router.add_api_route(
            f"/bulk/{verb}",
            endpoint,
            methods=["POST"],
            **route_ids(name, f"bulk_{verb}"),
            summary=f"{verb.capitalize()} many {shapes.name} rows, one result per item",
            responses={200: {"model": Results}, **errors},
            openapi_extra=request_body(shape),
        )
