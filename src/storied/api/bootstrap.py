"""``bootstrap(app, db, models=[…], auth=…)``: one call from models to a served API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

from storied import AsyncDatabase, ConfigurationError, Model
from storied.storage import AsyncFiles, Files
from storied.storage.fileref import file_fields

from .crud import crud_router
from .db import db_router as make_db_router
from .files import MAX_UPLOAD_SIZE, files_router
from .principal import AnyDatabase, AuthDependency
from .problems import install_problem_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def bootstrap(
    app: FastAPI,
    db: AnyDatabase,
    *,
    models: Sequence[type[Model]],
    auth: AuthDependency,
    prefix: str = "",
    sync_schema: bool = False,
    routers: Iterable[APIRouter] = (),
    db_router: bool = False,
    ui: bool = False,
    files: Files | AsyncFiles | None = None,
    max_upload_size: int | None = MAX_UPLOAD_SIZE,
    **options: Any,
) -> FastAPI:
    """Mount a :func:`crud_router` per model and open/close ``db`` in the app's lifespan.

    Args:
        app: the FastAPI app (its own lifespan, if any, still runs, inside the database's).
        db: a Database or an AsyncDatabase, not yet connected.
        models: the models to serve.
        auth: the app's dependency returning the caller's :class:`Principal`. Required:
            storied never takes identity from the request on its own.
        prefix: a path before every collection (e.g. ``"/api"``).
        sync_schema: apply the safe schema changes at start-up (development, tests).
        routers: more routers to mount under ``prefix``.
        db_router: also mount the operations router at ``/db`` (:func:`storied.api.db_router`:
            health, audit, diagrams, export/import, backup/restore).
        ui: also mount the history browser (:func:`storied.ui.ui_router`, extra ``ui``) at
            ``{prefix}/ui``.
        files: the stores of the models' ``FileRef`` fields (``AsyncFiles`` for an
            AsyncDatabase): each model with one also gets :func:`storied.api.files_router`'s
            upload and download routes.
        max_upload_size: the most bytes of request body one file upload may send (default
            100 MiB; None: no limit); a larger upload is 413 and stores nothing.
        **options: passed to every :func:`crud_router` (``require_if_match``,
            ``max_page_size``…).
    """
    if auth is None:
        raise ConfigurationError("bootstrap() needs auth=: a dependency returning a Principal")
    install_problem_handlers(app)
    for model in models:
        kept = files if files is not None and file_fields(model) else None
        app.include_router(
            crud_router(model, db=db, auth=auth, files=kept, **options), prefix=prefix
        )
        if kept is not None:
            strict = bool(options.get("require_if_match", False))
            app.include_router(
                files_router(
                    model,
                    db=db,
                    files=kept,
                    auth=auth,
                    require_if_match=strict,
                    max_upload_size=max_upload_size,
                ),
                prefix=prefix,
            )
    for router in routers:
        app.include_router(router, prefix=prefix)
    if db_router:
        app.include_router(make_db_router(db, models=models, auth=auth), prefix=prefix)
    if ui:
        from storied.ui import ui_router  # the extra ``ui`` (Jinja2), only when asked for

        app.include_router(ui_router(db, models=models, auth=auth), prefix=prefix)
    inner: Lifespan | None = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        await _connect(db, list(models), sync_schema)
        try:
            if inner is None:
                yield None
            else:
                async with inner(application) as state:
                    yield state
        finally:
            await _close(db)

    app.router.lifespan_context = lifespan
    return app


async def _connect(db: AnyDatabase, models: list[type[Model]], sync_schema: bool) -> None:
    if isinstance(db, AsyncDatabase):
        await db.connect()
        if sync_schema:
            await db.sync_schema(models)
        return
    await run_in_threadpool(db.connect)
    if sync_schema:
        await run_in_threadpool(db.sync_schema, models)


async def _close(db: AnyDatabase) -> None:
    if isinstance(db, AsyncDatabase):
        await db.close()
    else:
        await run_in_threadpool(db.close)
