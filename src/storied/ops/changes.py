"""Change events: what a committed write changed, handed to ``db.on_change`` listeners.

An operation records its changes while it runs, on the list its context carries
(``OpContext.events``, None when nobody listens, so a write costs nothing more then); the
repository hands them to the database once the operation has returned: queued on the open
transaction's ``on_commit`` list (dropped with a rolled-back savepoint or transaction), or
delivered at once when the operation committed on its own.

``changes`` maps each changed field to ``(old, new)`` where the history strategy knows the
old value (``copy_on_change``, ``scd2``); with ``history="none"`` it is None and ``fields``
names what was written. A create's old values are None; delete, restore and purge change no
field (``changes`` is empty for the strategies that keep history).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

logger = logging.getLogger("storied")

#: the events of the repository call running in this context (None: nobody listens)
PENDING: ContextVar[list[ChangeEvent] | None] = ContextVar("storied_changes", default=None)


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One committed change of one row."""

    model: type[Any]
    id: Any
    tenant: Any
    #: create, import, update, delete, restore, purge (a revert is an update)
    operation: str
    #: the fields written (all of them for a create)
    fields: tuple[str, ...]
    #: field -> (old, new) where the strategy keeps old values; None for history="none"
    changes: Mapping[str, tuple[Any, Any]] | None
    actor: str | None
    at: dt.datetime


def event(
    ctx: Any,
    operation: str,
    id: Any,
    tenant: Any,
    changes: Mapping[str, tuple[Any, Any]] | None,
    fields: tuple[str, ...] | None = None,
) -> ChangeEvent:
    """The event of one row written by the operation whose context is ``ctx``."""
    frozen = None if changes is None else MappingProxyType(dict(changes))
    names = tuple(changes or ()) if fields is None else fields
    return ChangeEvent(
        ctx.mapped.spec.model, id, tenant, operation, names, frozen, ctx.actor, ctx.now
    )


Listener = Callable[[ChangeEvent], Any]


class ListenerHandle:
    """What ``db.on_change`` returns: ``remove()`` stops the listener."""

    __slots__ = ("_entry", "_listeners")

    def __init__(self, listeners: ChangeListeners, entry: tuple[type[Any] | None, Listener]):
        self._listeners, self._entry = listeners, entry

    def remove(self) -> None:
        entries = self._listeners.entries
        if self._entry in entries:
            entries.remove(self._entry)


class ChangeListeners:
    """A database's change listeners, each for one model or (None) for all."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[tuple[type[Any] | None, Listener]] = []

    def add(self, model: type[Any] | None, fn: Listener) -> ListenerHandle:
        entry = (model, fn)
        self.entries.append(entry)
        return ListenerHandle(self, entry)

    def _calls(self, events: list[ChangeEvent]) -> list[tuple[Listener, ChangeEvent]]:
        entries = list(self.entries)
        return [(fn, e) for e in events for model, fn in entries if model in (None, e.model)]

    def dispatch(self, events: list[ChangeEvent]) -> None:
        """Each event to each listener for it, in order; a failure is logged, not raised."""
        for fn, e in self._calls(events):
            try:
                fn(e)
            except Exception:
                _log(fn, e)

    async def dispatch_async(self, events: list[ChangeEvent]) -> None:
        """:meth:`dispatch`, awaiting listeners that return awaitables (coroutine functions)."""
        for fn, e in self._calls(events):
            try:
                result = fn(e)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                _log(fn, e)


def is_coroutine_listener(fn: Listener) -> bool:
    """A coroutine function, or an object whose ``__call__`` is one."""
    call = getattr(fn, "__call__", None)  # noqa: B004 (a callable object's own method)
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(call)


def _log(fn: Listener, e: ChangeEvent) -> None:
    name = getattr(fn, "__qualname__", type(fn).__qualname__)
    logger.exception(
        "on_change listener %s raised on %s %s of %s", name, e.operation, e.id, e.model.__name__
    )
