"""Revert and restore: a confirmation page, then a POST checked for role, CSRF and ETag.

The confirmation carries the record's version as the page saw it (its ETag). If the record
changed since, the POST writes nothing and answers 409 with a "changed since you looked" page.
The page's version also goes to the write as ``expected_version``, so a change landing
between the check and the write is refused by the write itself (and shown the same way).
"""

# No ``from __future__ import annotations``: FastAPI reads these endpoints' annotations.

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from storied import ConflictError
from storied.api import AuthDependency, Principal, ProblemError
from storied.api.problems import FORBIDDEN

from . import values
from .context import ModelPage, Ui
from .errors import error_page, guarded
from .pages import page_of
from .record import version as read_version

Action = Literal["revert", "restore"]


def _role(ui: Ui, action: str) -> str:
    return ui.revert_role if action == "revert" else ui.restore_role


def _check_action(page: ModelPage, action: str) -> None:
    if action == "revert" and not page.versioned:
        raise ProblemError(FORBIDDEN, f"{page.name} keeps no versions to revert to")


def add_actions(router: APIRouter, ui: Ui, auth: AuthDependency) -> None:
    Caller = Annotated[Principal, Depends(auth)]

    @router.get("/{model}/{id}/confirm", name="ui.confirm", include_in_schema=False)
    @guarded(ui)
    async def confirm(
        request: Request,
        caller: Caller,
        model: str,
        id: str,
        action: Action,
        version: str = "",
    ) -> Response:
        page = page_of(ui, model)
        repo = ui.repo(caller, page)
        current = await ui.call(repo.get, id, include_deleted=True)
        caller.require(_role(ui, action))
        _check_action(page, action)
        target = None
        if action == "revert":
            number = values.version_number("version", version)
            target = await read_version(ui, repo, page, current.id, number)
        rows = [
            (name, getattr(current, name), getattr(target.model, name) if target else None)
            for name in page.fields
        ]
        return ui.render(
            request,
            caller,
            "confirm.html",
            page=page,
            item=current,
            action=action,
            target=target,
            rows=rows,
        )

    async def act(
        request: Request, caller: Principal, model: str, id: str, action: str
    ) -> Response:
        page = page_of(ui, model)
        form = await values.form(request)
        if not ui.csrf.valid(caller, form.get("csrf")):
            return error_page(
                ui,
                request,
                caller,
                403,
                "Forbidden",
                "This form has expired or did not come from this site: reload the page and "
                "try again.",
            )
        repo = ui.repo(caller, page)
        current = await ui.call(repo.get, id, include_deleted=True)
        caller.require(_role(ui, action))
        _check_action(page, action)
        seen = values.version_number("etag", form.get("etag"))

        def stale(item: Any) -> Response:
            return ui.render(request, caller, "stale.html", 409, page=page, item=item, seen=seen)

        if current.version != seen:
            return stale(current)
        try:
            if action == "revert":
                number = values.version_number("version", form.get("version"))
                await ui.call(repo.revert, current.id, to_version=number, expected_version=seen)
            else:
                await ui.call(repo.restore, current.id, expected_version=seen)
        except ConflictError:
            # moved on between the check and the write; any other conflict is the error it is
            now = await ui.call(repo.get, id, include_deleted=True)
            if now.version == seen:
                raise
            return stale(now)
        done = request.url_for("ui.record", model=model, id=str(current.id))
        return RedirectResponse(str(done.include_query_params(done=action)), status_code=303)

    @router.post("/{model}/{id}/revert", name="ui.revert", include_in_schema=False)
    @guarded(ui)
    async def revert(request: Request, caller: Caller, model: str, id: str) -> Response:
        return await act(request, caller, model, id, "revert")

    @router.post("/{model}/{id}/restore", name="ui.restore", include_in_schema=False)
    @guarded(ui)
    async def restore(request: Request, caller: Caller, model: str, id: str) -> Response:
        return await act(request, caller, model, id, "restore")
