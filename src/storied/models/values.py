"""Values every backend stores as given: the checks that run on them before any SQL.

Each check returns what is wrong with a value (a message naming no part of the value), or None.
They hold identically on every backend, so a value one backend refuses is refused on all:

- text may not contain NUL (PostgreSQL cannot store it; SQLite's LIKE stops at it) nor a lone
  surrogate (not Unicode, so no driver can encode it);
- integers fit their column (64-bit unless the column is narrower);
- JSON values serialize, and their strings (keys too) are text as above;
- durations fit 64-bit microseconds, their form on backends without an interval type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticSerializationError

Check = Callable[[Any], str | None]

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
INT64 = (-(2**63), 2**63 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT16 = (-(2**15), 2**15 - 1)
_MICROSECOND = dt.timedelta(microseconds=1)


_NUL = "text cannot contain a NUL character"
_SURROGATE = "text cannot contain a lone surrogate (it is not valid Unicode)"


def text_problem(text: str) -> str | None:
    if text.isascii():  # no surrogate: a NUL is all there is to look for (a memchr)
        return _NUL if "\x00" in text else None
    match = _BAD_TEXT.search(text)
    if match is None:
        return None
    return _NUL if match.group() == "\x00" else _SURROGATE


def check_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value.isascii():  # text_problem's fast path, inlined: this runs on every text value
        return _NUL if "\x00" in value else None
    return text_problem(value)


def text_check(length: int) -> Check:
    """Text as :func:`check_text` wants it, at most ``length`` characters: one call per value
    (this runs on every text field of every write)."""
    too_long = f"text longer than its column ({length} characters)"

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if value.isascii():
            if "\x00" in value:
                return _NUL
        elif (problem := text_problem(value)) is not None:
            return problem
        return too_long if len(value) > length else None

    return check


def int_check(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not low <= value <= high:
            return f"integer out of range for its column ({low} to {high})"
        return None

    return check


def check_duration(value: Any) -> str | None:
    if isinstance(value, dt.timedelta) and not INT64[0] <= value // _MICROSECOND <= INT64[1]:
        return "duration out of range (at most about 292,000 years either way)"
    return None


def json_check(adapter: TypeAdapter[Any]) -> Check:
    def check(value: Any) -> str | None:
        # the value itself: Pydantic's JSON form replaces a lone surrogate in a key silently
        problem = json_problem(value)
        if problem is not None:
            return problem
        try:
            data = adapter.dump_python(value, mode="json")
        except (PydanticSerializationError, UnicodeError, ValueError):
            # bytes that are not UTF-8 have no JSON form (Pydantic writes bytes as text)
            return "value cannot be stored as JSON: bytes in it must be valid UTF-8 text"
        return json_problem(data)  # and what custom serializers made of it

    return check


def json_problem(data: Any) -> str | None:
    """What is wrong with the strings in a JSON-bound value (keys included), if anything."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem is not None:
                return problem
        elif isinstance(item, Mapping):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, BaseModel):
            stack.extend(value for _, value in item)
    return None


def first_problem(checks: tuple[Check, ...]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> str | None:
        for one in checks:
            problem = one(value)
            if problem is not None:
                return problem
        return None

    return check
