"""``crud_router(Model, …)``: list, get, create, replace, patch, delete, restore and purge."""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations, which
# name types built in the factory below.

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from storied import Model
from storied.storage import AsyncFiles, Files

from . import bulk as bulk_routes
from . import history as history_routes
from .context import IF_MATCH_PARAMETER, Context, item_response, operation_id, route_ids
from .listing import Cursor, conditions, sort_orders, visibility
from .params import SORT, as_of_parameter, filter_parameters, moment_param, sort_pattern
from .principal import AnyDatabase, AuthDependency, Principal
from .problems import problem_responses
from .schemas import Shapes, request_body
from .values import INT64

DEFAULT_PAGE_SIZE = 50
#: the most items one list request returns (vention's ``max_records``)
MAX_PAGE_SIZE = 500
READ = (401, 403, 404, 422, 503)
WRITE = (400, 401, 403, 404, 409, 412, 422, 428, 503)
ETAG_HEADER = {"ETag": {"description": "the row's version", "schema": {"type": "string"}}}


def crud_router(
    model: type[Model],
    *,
    db: AnyDatabase,
    auth: AuthDependency,
    prefix: str | None = None,
    tags: list[str] | None = None,
    default_page_size: int = DEFAULT_PAGE_SIZE,
    max_page_size: int = MAX_PAGE_SIZE,
    require_if_match: bool = False,
    history: bool = True,
    bulk: bool = True,
    files: Files | AsyncFiles | None = None,
) -> APIRouter:
    """A router with the CRUD endpoints of ``model`` under ``prefix`` (default ``/{table}``).

    Args:
        db: the Database or AsyncDatabase (connected before the first request, e.g. by
            :func:`storied.api.bootstrap`'s lifespan).
        auth: the app's dependency returning the caller's :class:`Principal`.
        default_page_size: items per list page when ``limit`` is not given.
        max_page_size: the largest ``limit`` accepted (larger is 422).
        require_if_match: writes without ``If-Match`` are refused with 428.
        history: mount the history endpoints (models with history only).
        bulk: mount the bulk endpoints.
        files: the stores of the model's file fields: writes then check a given ``FileRef``
            (the tenant's own, existing object) and reads bind refs (see
            :func:`storied.api.files_router` for the upload and download routes).
    """
    shapes = Shapes(model)
    ctx = Context(db, shapes, require_if_match, files)
    path = prefix if prefix is not None else "/" + shapes.spec.options.table
    name = path.strip("/").replace("/", ".") or shapes.name
    router = APIRouter(prefix=path, tags=list(tags) if tags else [shapes.name])
    Caller = Annotated[Principal, Depends(auth)]
    bounds = {"ge": 0, "le": INT64[1]} if shapes.id_type is int else {}
    Id = Annotated[shapes.id_type, Path(description=f"the {shapes.name} id", **bounds)]  # type: ignore[name-defined]
    Deleted = Literal["exclude", "include", "only"]

    async def list_items(
        request: Request,
        caller: Caller,
        limit: Annotated[int, Query(ge=1, le=max_page_size)] = default_page_size,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Annotated[str | None, Query(pattern=sort_pattern(model), description=SORT)] = None,
        cursor: Annotated[str | None, Query(description="the `next` of a page")] = None,
        deleted: Deleted = "exclude",
    ) -> Response:
        as_of = moment_param(request, shapes)
        repo = ctx.repo(caller)
        orders = sort_orders(model, sort)
        filters = conditions(model, request.query_params.multi_items())
        query = visibility(repo.query().filter(*filters), deleted)
        if as_of is not None:
            query = query.as_of(as_of)
        query = query.order_by(*orders)
        total = await ctx.call(query.count)
        page = query.limit(limit)
        if cursor is not None:  # an offset then skips rows after the cursor
            page = page.after(Cursor.decode(cursor, orders).values)
        page = page.offset(offset or None)
        items = await ctx.call(page.all)
        link = None
        more = len(items) == limit and (cursor is not None or offset + limit < total)
        if more:
            token = Cursor.after(items[-1], orders).encode()
            url = request.url.remove_query_params(["offset", "cursor"])
            link = str(url.include_query_params(cursor=token))
        body = shapes.page(items=items, total=total, limit=limit, offset=offset, next=link)
        return Response(body.model_dump_json(), media_type="application/json")

    async def get_item(
        request: Request,
        item_id: Id,
        caller: Caller,
        deleted: Literal["exclude", "include"] = "exclude",
    ) -> Response:
        repo = ctx.repo(caller)
        moment = moment_param(request, shapes)
        item = await ctx.call(repo.get, item_id, as_of=moment, include_deleted=deleted == "include")
        return item_response(item)

    async def create_item(request: Request, caller: Caller) -> Response:
        body = shapes.parse(shapes.create_body, await request.body())
        repo = ctx.repo(caller)
        item = await ctx.call(repo.create, body.model_dump(exclude_unset=True))
        location = str(request.url_for(operation_id(name, "get"), item_id=str(item.id)))
        return item_response(item, 201, {"Location": location})

    async def replace_item(request: Request, item_id: Id, caller: Caller) -> Response:
        expected = ctx.expected(request)
        body = shapes.parse(shapes.replace_body, await request.body())
        repo = ctx.repo(caller)
        changes = body.model_dump()
        item = await ctx.write(expected, repo.update, item_id, expected_version=expected, **changes)
        return item_response(item)

    async def patch_item(request: Request, item_id: Id, caller: Caller) -> Response:
        expected = ctx.expected(request)
        body = shapes.parse(shapes.patch_body, await request.body())
        repo = ctx.repo(caller)
        changes = body.model_dump(exclude_unset=True)
        item = await ctx.write(expected, repo.update, item_id, expected_version=expected, **changes)
        return item_response(item)

    async def delete_item(
        request: Request,
        item_id: Id,
        caller: Caller,
        purge: Annotated[bool, Query(description="hard delete (admin only)")] = False,
    ) -> Response:
        expected = ctx.expected(request)
        repo = ctx.repo(caller)
        if purge:
            caller.require("admin")
        write = repo.purge if purge else repo.delete
        await ctx.write(expected, write, item_id, expected_version=expected)
        return Response(status_code=204)

    async def restore_item(request: Request, item_id: Id, caller: Caller) -> Response:
        expected = ctx.expected(request)
        repo = ctx.repo(caller)
        item = await ctx.write(expected, repo.restore, item_id, expected_version=expected)
        return item_response(item)

    item: dict[int | str, dict[str, Any]] = {200: {"model": model, "headers": ETAG_HEADER}}
    links = item_links(name, shapes)
    if_match = {"parameters": [IF_MATCH_PARAMETER]}
    one = "/{item_id:" + ("int" if shapes.id_type is int else "uuid") + "}"
    router.add_api_route(
        "",
        list_items,
        methods=["GET"],
        **route_ids(name, "list"),
        summary=f"List {shapes.name} rows",
        responses={200: {"model": shapes.page}, **problem_responses(*READ)},
        openapi_extra={"parameters": [*filter_parameters(model), *as_of_parameter(shapes)]},
    )
    router.add_api_route(
        "",
        create_item,
        methods=["POST"],
        **route_ids(name, "create"),
        summary=f"Create a {shapes.name}",
        status_code=201,
        responses={
            201: {
                "model": model,
                "headers": {**ETAG_HEADER, "Location": {"schema": {"type": "string"}}},
                "links": links,
            },
            **problem_responses(400, 401, 403, 409, 422, 503),
        },
        openapi_extra=request_body(shapes.create_body),
    )
    if history and (shapes.audited or shapes.versioned):
        history_routes.add_feed(router, ctx, name, Caller)
    if bulk:
        bulk_routes.add_routes(router, ctx, name, Caller)
    router.add_api_route(
        one,
        get_item,
        methods=["GET"],
        **route_ids(name, "get"),
        summary=f"Get a {shapes.name}",
        responses={**item, **problem_responses(*READ)},
        openapi_extra={"parameters": as_of_parameter(shapes)},
    )
    router.add_api_route(
        one,
        replace_item,
        methods=["PUT"],
        **route_ids(name, "replace"),
        summary=f"Replace a {shapes.name}'s fields",
        responses={**item, **problem_responses(*WRITE)},
        openapi_extra={**request_body(shapes.replace_body), **if_match},
    )
    router.add_api_route(
        one,
        patch_item,
        methods=["PATCH"],
        **route_ids(name, "patch"),
        summary=f"Change some of a {shapes.name}'s fields",
        responses={**item, **problem_responses(*WRITE)},
        openapi_extra={**request_body(shapes.patch_body), **if_match},
    )
    router.add_api_route(
        one,
        delete_item,
        methods=["DELETE"],
        **route_ids(name, "delete"),
        summary=f"Delete a {shapes.name} (soft; purge=true: hard, admin only)",
        status_code=204,
        response_class=Response,
        responses=problem_responses(*WRITE),
        openapi_extra=if_match,
    )
    if shapes.soft_delete:
        router.add_api_route(
            one + "/restore",
            restore_item,
            methods=["POST"],
            **route_ids(name, "restore"),
            summary=f"Restore a deleted {shapes.name}",
            responses={**item, **problem_responses(*WRITE)},
            openapi_extra=if_match,
        )
    if history and (shapes.audited or shapes.versioned):
        history_routes.add_item_routes(router, ctx, name, Caller, Id, one)
    return router


def item_links(name: str, shapes: Shapes) -> dict[str, Any]:
    """OpenAPI links from a created row to the operations on it (stateful testing follows
    them; so can a client generator)."""
    ops = ["get", "patch", "replace", "delete"]
    if shapes.soft_delete:
        ops.append("restore")
    if shapes.audited or shapes.versioned:
        ops.append("history")
    if shapes.versioned:
        ops += ["versions", "revert"]
    return {
        op: {"operationId": operation_id(name, op), "parameters": {"item_id": "$response.body#/id"}}
        for op in ops
    }
