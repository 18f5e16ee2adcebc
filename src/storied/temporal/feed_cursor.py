"""The change feed's cursor: where a consumer is, and what the feed still waits for.

To the consumer a cursor is an opaque string: ``v1.`` and the URL-safe base64 of a JSON object
with, per model table, the position of the last change handed out (``p``: an audit row id for
``copy_on_change``, a version's row id for ``scd2``) and the horizon up to which every id is
final (``s``); and the reads whose horizon is not final yet (``w``: each read's highest ids
with the writing transactions open at that moment). A model missing from it starts from its
beginning. A string that does not decode to that shape is
:class:`~storied.errors.InvalidCursorError`, never a guess.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidCursorError

_PREFIX = "v1."
#: reads kept waiting in a cursor; beyond it the oldest two are merged (which only delays)
MAX_WAITING = 16

Ids = dict[str, int]


@dataclass(frozen=True, slots=True)
class Waiting:
    """One read's highest ids, final once every transaction in ``open`` has ended."""

    highest: Ids
    open: frozenset[int]


@dataclass(frozen=True, slots=True)
class FeedState:
    positions: Ids = field(default_factory=dict)
    final: Ids = field(default_factory=dict)
    waiting: tuple[Waiting, ...] = ()


def encode_cursor(state: FeedState) -> str:
    data = {
        "p": dict(sorted(state.positions.items())),
        "s": dict(sorted(state.final.items())),
        "w": [[dict(sorted(w.highest.items())), sorted(w.open)] for w in state.waiting],
    }
    text = json.dumps(data, separators=(",", ":")).encode()
    return _PREFIX + base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> FeedState:
    """The state ``cursor`` carries (None or "": the feed's beginning)."""
    if cursor is None or cursor == "":
        return FeedState()
    if not isinstance(cursor, str) or not cursor.startswith(_PREFIX):
        raise _invalid()
    body = cursor[len(_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if not isinstance(data, dict) or set(data) != {"p", "s", "w"}:
            raise ValueError
        waiting = data["w"]
        if not isinstance(waiting, list) or len(waiting) > MAX_WAITING:
            raise ValueError
        return FeedState(
            _ids(data["p"]),
            _ids(data["s"]),
            tuple(_waiting(w) for w in waiting),
        )
    except (binascii.Error, ValueError, TypeError):
        raise _invalid() from None


def _ids(value: Any) -> Ids:
    if not isinstance(value, dict):
        raise ValueError
    for key, n in value.items():
        if not isinstance(key, str) or type(n) is not int or n < 0:
            raise ValueError
    return value


def _waiting(value: Any) -> Waiting:
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[1], list):
        raise ValueError
    if any(type(x) is not int for x in value[1]):
        raise ValueError
    return Waiting(_ids(value[0]), frozenset(value[1]))


def settle(state: FeedState, highest: Ids, running: frozenset[int]) -> FeedState:
    """The state after a read that saw ``highest`` ids and then the writers in ``running``:
    a waiting read whose writers have all ended makes its ids final, and those before it."""
    waiting = [*state.waiting, Waiting(highest, running)]
    final = dict(state.final)
    done = max((i for i, w in enumerate(waiting) if not (w.open & running)), default=-1)
    for w in waiting[: done + 1]:
        for key, n in w.highest.items():
            final[key] = max(final.get(key, 0), n)
    waiting = waiting[done + 1 :]
    while len(waiting) > MAX_WAITING:  # later, never wrong: wait for both reads' writers
        first, second = waiting[0], waiting[1]
        waiting[:2] = [Waiting(second.highest, first.open | second.open)]
    return FeedState(state.positions, final, tuple(waiting))


def _invalid() -> InvalidCursorError:
    return InvalidCursorError(
        "not a change-feed cursor: pass None (from the beginning) or a cursor that "
        "db.changes.read returned",
        [{"loc": ("after",), "msg": "invalid cursor"}],
    )
