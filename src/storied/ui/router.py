"""``ui_router(db, models=[…], auth=…)``: the history browser as a router of its own."""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

from collections.abc import Sequence
from importlib import resources
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from storied import ConfigurationError, Model, NotFoundError
from storied.api import AuthDependency, Principal
from storied.api.principal import AnyDatabase

from . import values
from .actions import add_actions
from .context import Ui
from .csrf import Csrf
from .errors import guarded
from .feed import Filters, recent
from .pages import add_list_pages, page_of
from .record import add_record_pages

#: the files under ``static/`` and their media types: nothing else is served
STATIC = {"storied.css": "text/css", "storied.js": "text/javascript"}
Operation = Literal["", "create", "update", "delete", "restore", "purge"]


def ui_router(
    db: AnyDatabase,
    *,
    models: Sequence[type[Model]],
    auth: AuthDependency,
    prefix: str = "/ui",
    revert_role: str = "editor",
    restore_role: str = "editor",
    secret: bytes | str | None = None,
    page_size: int = 50,
) -> APIRouter:
    """The history browser's pages for ``models``, under ``prefix``.

    Args:
        db: the Database or AsyncDatabase the app opens (``bootstrap`` opens it in the
            lifespan; an app mounting this router alone opens it itself).
        models: the models to browse.
        auth: the app's dependency returning the caller's :class:`~storied.api.Principal`;
            every page reads and writes in its scope, as the API does.
        revert_role: the role a caller needs to revert a record to an old version.
        restore_role: the role a caller needs to restore a deleted record.
        secret: signs the forms' CSRF tokens; give every worker of a deployment the same one
            (default: a random secret per process).
        page_size: records, change sets and versions per page.
    """
    if auth is None:
        raise ConfigurationError("ui_router() needs auth=: a dependency returning a Principal")
    ui = Ui.build(
        db,
        models,
        csrf=Csrf(secret),
        revert_role=revert_role,
        restore_role=restore_role,
        page_size=page_size,
    )
    router = APIRouter(prefix=prefix)
    Caller = Annotated[Principal, Depends(auth)]

    @router.get("/static/{name}", name="ui.static", include_in_schema=False)
    async def static(name: str) -> Response:
        media = STATIC.get(name)
        if media is None:
            return Response("not found", status_code=404, media_type="text/plain")
        body = resources.files("storied.ui").joinpath("static", name).read_bytes()
        headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
        return Response(body, media_type=media, headers=headers)

    @router.get("/changes", name="ui.changes", include_in_schema=False)
    @guarded(ui)
    async def changes(
        request: Request,
        caller: Caller,
        model: str = "",
        actor: Annotated[str, Query(max_length=200)] = "",
        operation: Operation = "",
        since: str = "",
        until: str = "",
        cursor: str = "",
    ) -> Response:
        audited = [p for p in ui.models.values() if p.audited]
        pages = [page_of(ui, model)] if model else audited
        if not all(p.audited for p in pages):
            raise NotFoundError("feed", model)
        filters = Filters(
            since=values.moment("since", since),
            until=values.moment("until", until),
            actor=actor or None,
            operation=operation or None,
        )
        entries, token = await recent(ui, caller, pages, filters, ui.page_size, cursor or None)
        form = {
            "model": model,
            "actor": actor,
            "operation": operation,
            "since": since,
            "until": until,
        }
        return ui.render(
            request,
            caller,
            "changes.html",
            entries=entries,
            next_cursor=token,
            form=form,
            audited=audited,
        )

    add_list_pages(router, ui, auth)
    add_record_pages(router, ui, auth)
    add_actions(router, ui, auth)
    return router
