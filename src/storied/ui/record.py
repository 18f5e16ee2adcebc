"""A record's page (current values, timeline, versions, as-of) and the compare view."""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from storied import NotFoundError, Version
from storied.api import AuthDependency, Principal

from . import values
from .context import ModelPage, Ui
from .errors import guarded
from .pages import page_of


async def version(ui: Ui, repo: Any, page: ModelPage, id: Any, number: int) -> Version[Any]:
    """One version by its number: a one-row window, never the whole chain."""
    found: list[Version[Any]] = await ui.call(repo.versions, id, limit=1, before=number + 1)
    if not found or found[0].number != number:
        raise NotFoundError(page.name, f"{id} version {number}")
    return found[0]


def _newest_first(items: list[Any], size: int) -> tuple[list[Any], Any]:
    """A page read with ``limit=size + 1``: the items to show newest first, and the cursor of
    the next (older) page, or None when this is the oldest."""
    more = len(items) > size
    shown = items[-size:]
    return shown[::-1], (shown[0] if more else None)


def add_record_pages(router: APIRouter, ui: Ui, auth: AuthDependency) -> None:
    Caller = Annotated[Principal, Depends(auth)]

    @router.get("/{model}/{id}", name="ui.record", include_in_schema=False)
    @guarded(ui)
    async def record(
        request: Request,
        caller: Caller,
        model: str,
        id: str,
        as_of: str = "",
        before: str = "",
        vbefore: str = "",
    ) -> Response:
        page = page_of(ui, model)
        repo = ui.repo(caller, page)
        current = await ui.call(repo.get, id, include_deleted=True)  # another tenant's: 404
        moment = values.moment("as_of", as_of) if page.versioned else None
        then, missing_then = None, False
        if moment is not None:
            try:
                then = await ui.call(repo.get, current.id, as_of=moment, include_deleted=True)
            except NotFoundError:
                missing_then = True
        timeline: list[Any] = []
        older = None
        if page.audited:
            cursor = values.history_cursor(page, before)
            sets = await ui.call(repo.history, current.id, limit=ui.page_size + 1, before=cursor)
            timeline, last = _newest_first(sets, ui.page_size)
            older = None if last is None else last.id
        chain: list[Any] = []
        older_versions = None
        if page.versioned:
            vcursor = values.version_number("vbefore", vbefore) if vbefore else None
            found = await ui.call(repo.versions, current.id, limit=ui.page_size + 1, before=vcursor)
            chain, last_version = _newest_first(found, ui.page_size)
            older_versions = None if last_version is None else last_version.number
        return ui.render(
            request,
            caller,
            "record.html",
            page=page,
            item=current,
            then=then,
            moment=moment,
            moment_value=values.moment_input(moment),
            missing_then=missing_then,
            timeline=timeline,
            older=older,
            versions=chain,
            older_versions=older_versions,
            can_revert=caller.has_role(ui.revert_role),
            can_restore=caller.has_role(ui.restore_role),
            done=request.query_params.get("done", ""),
        )

    @router.get("/{model}/{id}/compare", name="ui.compare", include_in_schema=False)
    @guarded(ui)
    async def compare(
        request: Request, caller: Caller, model: str, id: str, a: str = "", b: str = ""
    ) -> Response:
        page = page_of(ui, model)
        repo = ui.repo(caller, page)
        current = await ui.call(repo.get, id, include_deleted=True)
        if not page.versioned:
            raise NotFoundError(page.name, f"{id} versions")
        left = await version(ui, repo, page, current.id, values.version_number("a", a))
        right = await version(ui, repo, page, current.id, values.version_number("b", b))
        rows = [
            (name, getattr(left.model, name), getattr(right.model, name)) for name in page.fields
        ]
        return ui.render(
            request,
            caller,
            "compare.html",
            page=page,
            item=current,
            left=left,
            right=right,
            rows=rows,
            can_revert=caller.has_role(ui.revert_role),
        )
