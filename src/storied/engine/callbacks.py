"""``on_commit`` callbacks: queued on the open transaction, run once it has committed.

A callback is dropped with the savepoint or transaction it was registered in when that rolls
back. Once the transaction has committed every callback runs: one that raises is logged (logger
"storied") and handed to the database's ``on_commit_error`` hook, never raised out of the
committed write.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, Protocol

from .ambient import ambient_for

logger = logging.getLogger("storied")

#: ``on_commit_error(exc, callback)``: told of each on_commit callback that raised after commit
OnCommitError = Callable[[Exception, Callable[[], Any]], None]


class Reports(Protocol):
    """What callbacks need of their database: where to report a failure."""

    on_commit_error: OnCommitError | None


def register_on_commit(executor: object, callback: Callable[[], Any]) -> bool:
    """Queue ``callback`` for after the ambient transaction commits; False if none is open."""
    tx = ambient_for(executor)
    if tx is None:
        return False
    tx.on_commit.append(callback)
    return True


def _callback_name(callback: Callable[[], Any]) -> str:
    # the qualified name only: a repr (of a partial, say) could show bound values
    return getattr(callback, "__qualname__", type(callback).__qualname__)


def _report(db: Reports, exc: Exception, callback: Callable[[], Any]) -> None:
    logger.error(
        "on_commit callback %s raised after the transaction committed",
        _callback_name(callback),
        exc_info=exc,
    )
    hook = db.on_commit_error
    if hook is None:
        return
    try:
        hook(exc, callback)
    except Exception:  # the hook's own failure must not undo the committed write either
        logger.exception("on_commit_error hook raised")


def run_callbacks(db: Reports, callbacks: list[Callable[[], Any]]) -> None:
    """Call every callback of a committed transaction; failures are reported, not raised."""
    for callback in callbacks:
        try:
            callback()
        except Exception as exc:
            _report(db, exc, callback)


async def run_callbacks_async(db: Reports, callbacks: list[Callable[[], Any]]) -> None:
    """:func:`run_callbacks`, awaiting the callbacks that return awaitables."""
    for callback in callbacks:
        try:
            result = callback()
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            _report(db, exc, callback)
