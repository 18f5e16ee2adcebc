"""Reading the browser's inputs: moments, history cursors, version numbers, form bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from storied import ValidationError

from .context import ModelPage

#: a form post is a few short fields; anything larger is refused unread
MAX_FORM_BYTES = 4096


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", [{"loc": ("query", name), "msg": message}])


def moment(name: str, raw: str | None) -> dt.datetime | None:
    """A date-time from an input (``2026-01-02T10:30`` is UTC; an offset may be given)."""
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip().replace(" ", "T", 1))
    except ValueError:
        raise _invalid(name, "not a date-time (YYYY-MM-DDTHH:MM[:SS], UTC)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def moment_input(value: dt.datetime | None) -> str:
    """A moment as the value of a ``datetime-local`` input (UTC, to the second)."""
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def history_cursor(page: ModelPage, raw: str | None) -> Any:
    """The ``before`` of a timeline page: a change set's id (scd2: a version number)."""
    if not raw:
        return None
    try:
        return int(raw) if page.versioned else uuid.UUID(raw)
    except ValueError:
        raise _invalid("before", "not a cursor this page issued") from None


def version_number(name: str, raw: str | None) -> int:
    try:
        number = int(raw or "")
    except ValueError:
        raise _invalid(name, "a version number is a whole number") from None
    if not 1 <= number <= 2**31:
        raise _invalid(name, "a version number is at least 1")
    return number


async def form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (the browser's forms), small only."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise ValidationError("the form is too large")
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
