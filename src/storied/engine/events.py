"""Statement and operation listeners: ``db.events.on_statement(fn)``, ``on_operation(fn)``.

The executors tell :class:`Events` about each statement they send and each operation they
drive, and only when someone listens: each tuple of listeners is ``None`` while it is empty,
so the hot path pays one attribute test. Events are frozen values; a statement's bound
values are in it only when the Database was made with ``events_include_params=True``.

A listener that raises is logged on the "storied" logger and never fails the statement or
the operation it was told about (nor stops the other listeners).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Events", "Handle", "OperationEvent", "StatementEvent"]

_log = logging.getLogger("storied")


@dataclass(frozen=True, slots=True)
class StatementEvent:
    """One statement storied sent (after it ran or failed).

    Attributes:
        sql: the SQL text as sent, with placeholders (never values).
        duration_ns: how long the driver took (``time.perf_counter_ns`` difference).
        rowcount: the driver's row count (None if the statement failed).
        backend: the dialect's name ("sqlite", "postgresql", "mysql" …).
        model: the model of the operation that sent it (None: a transaction's own BEGIN or
            COMMIT, raw SQL).
        table: that model's table (schema-qualified if it has a schema), else None.
        operation: the operation that sent it (``"create"``, ``"get"``, ``"update"`` …).
        error: the storied error's type name if it failed, else None.
        params: the bound values, only with ``events_include_params=True`` (else None).
        fetched: how many rows it returned (0 when it failed or returns none).
        batch: for an executemany, how many parameter rows it carried (else 1).
    """

    sql: str
    duration_ns: int
    rowcount: int | None
    backend: str
    model: str | None
    table: str | None
    operation: str | None
    error: str | None = None
    params: Any = None
    fetched: int = 0
    batch: int = 1


@dataclass(frozen=True, slots=True)
class OperationEvent:
    """One repository operation: told at its start (``phase="start"``, ``duration_ns`` 0)
    and at its end (``phase="end"``, with its duration and error, if any). ``tenants`` and
    ``actor`` are for listeners in the process; ``storied.otel`` puts them on spans only
    when asked (``tenant_attributes=True``)."""

    phase: Literal["start", "end"]
    model: str | None
    table: str | None
    operation: str
    backend: str
    duration_ns: int = 0
    error: str | None = None
    exception: BaseException | None = None
    #: the repository's tenant scope: its tenant ids as text (empty: not tenant-scoped or
    #: an admin scope)
    tenants: tuple[str, ...] = ()
    #: the repository's actor (None: none given)
    actor: str | None = None


StatementListener = Callable[[StatementEvent], object]
OperationListener = Callable[[OperationEvent], object]
WaitListener = Callable[[float], object]


@dataclass(frozen=True, slots=True)
class Handle:
    """What ``on_statement``/``on_operation`` return: ``handle.remove()`` unregisters."""

    events: Events
    fn: Callable[..., object]

    def remove(self) -> None:
        self.events.off(self.fn)


class Events:
    """The listeners of one Database (``db.events``)."""

    __slots__ = ("include_params", "operation", "statement", "wait")

    def __init__(self, *, include_params: bool = False) -> None:
        #: whether statement events carry the bound values (off by default: values can be
        #: personal data or secrets)
        self.include_params = include_params
        #: the statement listeners, None when there are none (the executors test this)
        self.statement: tuple[StatementListener, ...] | None = None
        #: the operation listeners, None when there are none
        self.operation: tuple[OperationListener, ...] | None = None
        #: the connection-wait listeners (told only when no idle connection was at hand)
        self.wait: tuple[WaitListener, ...] | None = None

    def on_statement(self, fn: StatementListener) -> Handle:
        """Call ``fn(StatementEvent)`` after each statement storied sends."""
        self.statement = (*(self.statement or ()), fn)
        return Handle(self, fn)

    def on_operation(self, fn: OperationListener) -> Handle:
        """Call ``fn(OperationEvent)`` at the start and the end of each operation."""
        self.operation = (*(self.operation or ()), fn)
        return Handle(self, fn)

    def on_connection_wait(self, fn: WaitListener) -> Handle:
        """Call ``fn(seconds)`` each time an operation found no idle connection and waited
        for one (a connection handed back, or a new one opened) that long. An operation that
        takes an idle connection at once is not told (that path stays free)."""
        self.wait = (*(self.wait or ()), fn)
        return Handle(self, fn)

    def off(self, fn: Callable[..., object]) -> None:
        """Unregister ``fn`` (as a statement, operation and wait listener); no error if it is
        not registered."""
        statement = tuple(f for f in self.statement or () if f is not fn)
        operation = tuple(f for f in self.operation or () if f is not fn)
        wait = tuple(f for f in self.wait or () if f is not fn)
        self.statement = statement or None
        self.operation = operation or None
        self.wait = wait or None

    def connection_waited(self, seconds: float) -> None:
        for fn in self.wait or ():
            _call(fn, seconds)

    def statement_done(self, event: StatementEvent) -> None:
        for fn in self.statement or ():
            _call(fn, event)

    def operation_event(self, event: OperationEvent) -> None:
        for fn in self.operation or ():
            _call(fn, event)


def _call(fn: Callable[[Any], object], event: object) -> None:
    try:
        fn(event)
    except Exception:
        _log.exception("storied: event listener %r raised; ignored", fn)
