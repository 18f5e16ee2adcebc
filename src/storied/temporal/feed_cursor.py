"""The change feed's cursor: per model, the position of the last change handed out.

A cursor is an opaque string to the consumer, ``v1.`` and the URL-safe base64 of a JSON object
mapping each model's table to a position (an audit row id for ``copy_on_change``, a version's
row id for ``scd2``). A model missing from it starts from its beginning; a string that does not
decode to that shape is :class:`~storied.errors.InvalidCursorError`, never a guess.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping

from ..errors import InvalidCursorError

_PREFIX = "v1."


def encode_cursor(positions: Mapping[str, int]) -> str:
    data = json.dumps(dict(sorted(positions.items())), separators=(",", ":")).encode()
    return _PREFIX + base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, int]:
    """The positions of ``cursor`` (None or "": none yet, the feed's beginning)."""
    if cursor is None or cursor == "":
        return {}
    if not isinstance(cursor, str) or not cursor.startswith(_PREFIX):
        raise _invalid()
    body = cursor[len(_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError):
        raise _invalid() from None
    if not isinstance(data, dict):
        raise _invalid()
    for key, value in data.items():
        if not isinstance(key, str) or type(value) is not int or value < 0:
            raise _invalid()
    return data


def _invalid() -> InvalidCursorError:
    return InvalidCursorError(
        "not a change-feed cursor: pass None (from the beginning) or a cursor that "
        "db.changes.read returned",
        [{"loc": ("after",), "msg": "invalid cursor"}],
    )
