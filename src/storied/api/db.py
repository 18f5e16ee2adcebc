"""The operations router: ``/db/health``, ``/db/audit``, ``/db/diagram.*`` and the file
endpoints of :mod:`.db_files` (export, import, backup, restore), over ``storied.admin``.

Every endpoint needs a caller from the app's auth dependency; export, import, backup and
restore need the ``admin`` role (:meth:`Principal.require`). Audit reads are the caller's
tenant's, an admin's are every tenant's. Errors are problem+json (:mod:`.problems`).
"""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

import asyncio
import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from storied import AsyncDatabase, Model
from storied.admin import Health, ahealth, build_graph, health, to_mermaid, to_svg

from . import values
from .context import route_ids
from .db_audit import AuditPage, Filters, audited, model_changes, page, scoped
from .db_files import add_file_routes
from .history import Moment, Operation
from .principal import AnyDatabase, AuthDependency, Principal
from .problems import problem_responses


class DbContext:
    """What the endpoints share: the database, the models, how a sync call is made."""

    def __init__(self, db: AnyDatabase, models: Sequence[type[Model]]) -> None:
        self.db = db
        self.models = list(models)

    async def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Await an async repository's method; run a sync one in the thread pool."""
        if isinstance(self.db, AsyncDatabase):
            return await fn(*args, **kwargs)
        return await run_in_threadpool(fn, *args, **kwargs)

    async def health(self) -> Health:
        if isinstance(self.db, AsyncDatabase):
            return await ahealth(self.db, self.models)
        return await run_in_threadpool(health, self.db, self.models)


def db_router(
    db: AnyDatabase,
    *,
    models: Sequence[type[Model]],
    auth: AuthDependency,
    prefix: str = "/db",
) -> APIRouter:
    """The operations endpoints for ``models`` under ``prefix`` (see the module docstring)."""
    ctx = DbContext(db, models)
    Caller = Annotated[Principal, Depends(auth)]
    names = tuple(m.__name__ for m in audited(ctx.models))
    Component = Literal[names] if names else str
    router = APIRouter(prefix=prefix, tags=["database"])

    @router.get(
        "/health",
        **route_ids("db", "health"),
        summary="Database health: healthy, degraded or unhealthy, with each check",
        responses={
            200: {"description": "healthy or degraded"},
            **problem_responses(401, 403),
            503: {"description": "unhealthy (the same body)"},
        },
    )
    async def db_health(caller: Caller) -> Response:
        found = await ctx.health()
        status = 503 if found.status == "unhealthy" else 200
        body = json.dumps(found.to_dict())
        return Response(body, status_code=status, media_type="application/json")

    @router.get(
        "/audit",
        **route_ids("db", "audit"),
        summary="The change feed across models, oldest first",
        response_model=AuditPage,
        responses=problem_responses(401, 403, 422, 503),
    )
    async def db_audit(
        caller: Caller,
        component: Component | None = None,  # type: ignore[valid-type]
        record: Annotated[str | None, Query(max_length=64)] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        operation: Operation | None = None,
        since: Moment = None,
        until: Moment = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> Response:
        f = Filters(
            component,
            record,
            actor,
            operation,
            values.moment("since", since),
            values.moment("until", until),
            limit,
            offset,
        )
        chosen = [m for m in audited(ctx.models) if component in (None, m.__name__)]
        found = {}
        for model in chosen:
            repo = scoped(ctx.db, caller, model)
            found[model.__name__] = await model_changes(ctx.call, repo, f)
        body = page(found, f).model_dump_json()
        return Response(body, media_type="application/json")

    @router.get(
        "/diagram.mmd",
        **route_ids("db", "diagram_mermaid"),
        summary="The ER diagram as Mermaid erDiagram text",
        responses={200: {"content": {"text/plain": {}}}, **problem_responses(401, 403, 422)},
    )
    async def db_diagram_mermaid(caller: Caller, history: bool = True) -> Response:
        graph = build_graph(ctx.db.registry, ctx.models, history=history)
        return Response(to_mermaid(graph), media_type="text/plain; charset=utf-8")

    @router.get(
        "/diagram.svg",
        **route_ids("db", "diagram_svg"),
        summary="The ER diagram as SVG (drawn by Graphviz's dot)",
        responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(401, 403, 422)},
    )
    async def db_diagram_svg(caller: Caller, history: bool = True) -> Response:
        graph = build_graph(ctx.db.registry, ctx.models, history=history)
        svg = await asyncio.to_thread(to_svg, graph)
        return Response(svg, media_type="image/svg+xml")

    add_file_routes(router, ctx.db, ctx.models, Caller)
    return router
