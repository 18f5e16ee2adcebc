"""The transaction open in this context, per executor (a context variable)."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from .pool import Lease


@dataclass(slots=True)
class Ambient:
    """The transaction open in this context for one executor."""

    owner: object
    lease: Lease
    #: one "now" for every row the transaction writes
    now: dt.datetime
    depth: int = 0
    on_commit: list[Any] = field(default_factory=list)


#: one open transaction per (context, executor); nested use makes savepoints
AMBIENT: ContextVar[tuple[Ambient, ...]] = ContextVar("storied_ambient", default=())


def ambient_for(owner: object) -> Ambient | None:
    open_ = AMBIENT.get()
    if not open_:
        return None
    for tx in open_:
        if tx.owner is owner:
            return tx
    return None
