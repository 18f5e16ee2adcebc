"""The routing rules for one operation, without I/O: where each leg of a read runs.

:class:`Route` follows one operation (the request still unanswered, whether it wrote or began
a transaction); :func:`replica_legs` is the decision (lag checks, round robin, failover, the
hand-over to the primary), written once and driven by both routing executors
(:mod:`storied.engine.routing`), as the transaction flow is.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from time import monotonic
from typing import Any, Literal

from ..errors import (
    OperationalError,
    OutcomeUnknownError,
    SchemaError,
    StoriedError,
    TransactionConflict,
)
from ..ops.requests import Begin, CallHook, Operation, Request, Result
from .compiled import StatementCache
from .replicas import Replica, Replicas

#: what a replica's run returns when the operation asked to write: go on on the primary
REROUTE: Any = object()


class Route:
    """One operation on its way: the request still unanswered, and what it did so far."""

    def __init__(self, first: Request, op: Operation[Any], cache: StatementCache) -> None:
        self.pending: Request = first
        self.op = op
        self.cache = cache
        self.began = False
        self.writes = self.is_write(first)

    def is_write(self, request: Request) -> bool:
        if isinstance(request, Begin):
            return request.write
        if isinstance(request, CallHook):
            return False  # a hook runs here, in Python, wherever the statements go
        return not self.cache.get(request.statement).reads

    def resume(self, on_replica: bool) -> Generator[Request, Result, Any]:
        """The operation from its pending request on (on a replica: up to its first write)."""
        if not on_replica and self.began:
            # a read transaction began on a replica that then asked to write: begin again here
            yield Begin()
        request = self.pending
        while True:
            self.pending = request  # unanswered until the executor sends its result
            if self.is_write(request):
                self.writes = True
                if on_replica:
                    return REROUTE
            try:
                result = yield request
            except StoriedError as exc:
                if on_replica and self.failover(exc) is not None:
                    raise  # the operation waits at its request for the next server
                # any other failure is the operation's own to handle, as on one server
                try:
                    request = self.op.throw(exc)
                except StopIteration as stop:
                    return stop.value
                continue
            self.began = self.began or isinstance(request, Begin)
            try:
                request = self.op.send(result)
            except StopIteration as stop:
                return stop.value

    def failover(self, exc: BaseException) -> Literal["down", "behind"] | None:
        """What a replica's failure means, when the operation can leave it behind (it had no
        transaction open there, whose snapshot another server cannot go on): "down" (its
        connection failed: skip it until a check finds it healthy) or "behind" (a table it has
        not replayed yet, a read cancelled by a conflict with its recovery: read the primary).
        None: the caller gets the error."""
        if self.began:
            return None
        if isinstance(exc, OperationalError) and not isinstance(exc, OutcomeUnknownError):
            return "down"
        if isinstance(exc, SchemaError | TransactionConflict):
            return "behind"
        return None


def first_request(op: Operation[Any]) -> tuple[Request | None, Any]:
    try:
        return next(op), None
    except StopIteration as stop:
        return None, stop.value


@dataclass(frozen=True, slots=True)
class Leg:
    """Run on ``replica``: its lag check (``check``), or the operation up to its first write."""

    replica: Replica
    check: bool


#: what the replica legs return when the primary is to run the (rest of the) operation
PRIMARY: Any = object()


def replica_legs(route: Route, replicas: Replicas) -> Generator[Leg, Any, Any]:
    """The routing rules, written once for both executors: the legs a read tries on replicas.

    Each :class:`Leg` is answered with what its run returned, or has the run's storied error
    thrown in. Returns the operation's result, or ``PRIMARY`` when the primary must run it
    (a write, a pinned context, no healthy replica, a replica behind or asking to write).
    """
    if route.writes:
        return PRIMARY
    for replica in () if replicas.pinned() else replicas.order():
        if replica.due(monotonic(), replicas.check_interval):
            replica.checking = True
            try:
                replica.checked((yield Leg(replica, check=True)), replicas.max_lag)
            except StoriedError as exc:
                replica.failed(exc)
            finally:
                replica.checking = False
        if not replica.healthy:
            continue
        try:
            out = yield Leg(replica, check=False)
        except StoriedError as exc:
            why = route.failover(exc)
            if why is None:
                raise
            replicas.failovers += 1
            if why == "behind":
                break
            replica.failed(exc)
            continue
        if out is not REROUTE:
            replica.reads += 1
            return out
        break
    if not route.writes:  # a read (a replica that asked to write made it a write)
        replicas.primary_reads += 1
    return PRIMARY
