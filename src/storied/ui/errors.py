"""Storied errors as pages: the status and title of the API's problem type, in HTML."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from storied import StoriedError
from storied.api import ProblemError
from storied.api.problems import problem_type

from .context import Ui

Endpoint = Callable[..., Awaitable[Response]]


def error_page(
    ui: Ui, request: Request, caller: Any, status: int, title: str, detail: str
) -> Response:
    return ui.render(request, caller, "error.html", status, title=title, detail=detail)


def guarded(ui: Ui) -> Callable[[Endpoint], Endpoint]:
    """Answer a storied error (or a problem) of an endpoint with an error page of its status.

    Another tenant's record is a 404 page exactly like a missing one; a missing role is 403.
    Server faults show only their title: their messages are for the logs.
    """

    def wrap(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def page(*args: Any, **kwargs: Any) -> Response:
            request, caller = kwargs["request"], kwargs.get("caller")
            try:
                return await endpoint(*args, **kwargs)
            except ProblemError as exc:
                kind, detail = exc.kind, exc.detail
            except StoriedError as exc:
                kind, detail = problem_type(exc), str(exc)
            if kind.status >= 500:
                detail = "Something went wrong on the server; try again later."
            return error_page(ui, request, caller, kind.status, kind.title, detail)

        return page

    return wrap
