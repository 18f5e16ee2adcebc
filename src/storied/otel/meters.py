"""The metrics of an instrumented Database.

Recorded as they happen (by listeners on ``db.events``, so only while instrumented):

- ``db.client.operation.duration`` (histogram, s): each repository operation;
- ``storied.operation.errors`` (counter): failed operations, by ``error.type``;
- ``db.client.connection.wait_time`` (histogram, s): each acquisition that found no idle
  connection and waited for one (handed back, or newly opened); taking an idle connection
  at once is not recorded (that path does no clock read for it).

Read when the meter's reader collects (observable instruments: nothing on the hot path):

- ``db.client.connection.count`` (by ``db.client.connection.state``: ``used`` / ``idle``)
  and ``db.client.connection.max`` (``pool_size + max_overflow``), from ``db.pool_status()``;
- ``storied.replica.lag`` (s), ``storied.replica.healthy`` (1 or 0), by ``server.address``
  and ``server.port``; ``storied.reads`` (reads outside a transaction, by ``storied.server``:
  ``primary`` or the replica's ``host:port``) and ``storied.replica.failovers``, from
  ``db.health()``, for a Database with replicas;
- ``storied.circuit_breaker.state`` (1 for the current state, 0 for the others, by
  ``storied.circuit_breaker.state``: ``closed`` / ``open`` / ``half_open``) and
  ``storied.circuit_breaker.opened``, for a Database with a circuit breaker.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from sqlalchemy.engine import make_url

from .. import AsyncDatabase, Database, NotConnectedError, OperationEvent

Attributes = dict[str, Any]
_STATES = ("closed", "open", "half_open")


class Meters:
    """The instruments of one instrumented Database."""

    def __init__(self, db: Database | AsyncDatabase, meter: metrics.Meter, base: Attributes):
        self.db = db
        self.active = True
        self.system = base["db.system.name"]
        self.pool_name = _pool_name(base)
        self.duration = meter.create_histogram(
            "db.client.operation.duration",
            unit="s",
            description="Duration of storied's repository operations",
        )
        self.errors = meter.create_counter(
            "storied.operation.errors",
            unit="{error}",
            description="Repository operations that failed, by error.type",
        )
        self.wait_time = meter.create_histogram(
            "db.client.connection.wait_time",
            unit="s",
            description="Time an operation waited for a connection when none was idle",
        )
        meter.create_observable_up_down_counter(
            "db.client.connection.count",
            [self._connections],
            unit="{connection}",
            description="Connections of the pool, by state (used, idle)",
        )
        meter.create_observable_up_down_counter(
            "db.client.connection.max",
            [self._limit],
            unit="{connection}",
            description="The most connections the pool opens at once",
        )
        meter.create_observable_gauge(
            "storied.replica.lag", [self._lag], unit="s", description="Replay lag of a replica"
        )
        meter.create_observable_gauge(
            "storied.replica.healthy",
            [self._healthy],
            description="1 while reads may go to the replica, else 0",
        )
        meter.create_observable_counter(
            "storied.reads",
            [self._reads],
            unit="{read}",
            description="Reads outside a transaction, by the server that answered",
        )
        meter.create_observable_counter(
            "storied.replica.failovers",
            [self._failovers],
            unit="{failover}",
            description="Reads a failing replica handed to another server",
        )
        meter.create_observable_gauge(
            "storied.circuit_breaker.state",
            [self._breaker],
            description="1 for the circuit breaker's current state, 0 for the others",
        )
        meter.create_observable_counter(
            "storied.circuit_breaker.opened",
            [self._opened],
            unit="{time}",
            description="How many times the circuit breaker opened",
        )

    def stop(self) -> None:
        """After ``uninstrument()``: the observable instruments report nothing more."""
        self.active = False

    def operation_ended(self, event: OperationEvent) -> None:
        attributes: Attributes = {
            "db.system.name": self.system,
            "db.operation.name": event.operation,
        }
        if event.table:
            attributes["db.collection.name"] = event.table
        if event.error is not None:
            attributes["error.type"] = event.error
            self.errors.add(1, attributes)
        self.duration.record(event.duration_ns / 1e9, attributes)

    def waited(self, seconds: float) -> None:
        self.wait_time.record(seconds, self._pool())

    def _pool(self) -> Attributes:
        return {"db.system.name": self.system, "db.client.connection.pool.name": self.pool_name}

    # The observable instruments' callbacks: each reads the Database's public state.

    def _connections(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._status()
        if status is None:
            return []
        return [
            Observation(status.in_use, {**self._pool(), "db.client.connection.state": "used"}),
            Observation(status.idle, {**self._pool(), "db.client.connection.state": "idle"}),
        ]

    def _limit(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._status()
        return [] if status is None else [Observation(status.limit, self._pool())]

    def _status(self) -> Any:
        if not self.active:
            return None
        try:
            return self.db.pool_status()
        except NotConnectedError:
            return None

    def _replicas(self) -> list[tuple[Attributes, Any]]:
        if not self.active:
            return []
        out = []
        for replica in self.db.health().replicas:
            url = make_url(replica.url)
            attributes: Attributes = {"db.system.name": self.system}
            if url.host:
                attributes["server.address"] = url.host
            if url.port:
                attributes["server.port"] = url.port
            out.append((attributes, replica))
        return out

    def _lag(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(r.lag, a) for a, r in self._replicas() if r.lag is not None]

    def _healthy(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(int(r.healthy), a) for a, r in self._replicas()]

    def _reads(self, options: CallbackOptions) -> Iterable[Observation]:
        replicas = self._replicas()
        if not replicas:
            return []
        server = "storied.server"
        out = [Observation(self.db.health().primary_reads, {server: "primary"})]
        for attributes, replica in replicas:
            where = f"{attributes.get('server.address', '')}:{attributes.get('server.port', '')}"
            out.append(Observation(replica.reads, {server: where}))
        return out

    def _failovers(self, options: CallbackOptions) -> Iterable[Observation]:
        if not self.active or not self.db.health().replicas:
            return []
        return [Observation(self.db.health().failovers, {"db.system.name": self.system})]

    def _breaker(self, options: CallbackOptions) -> Iterable[Observation]:
        breaker = self.db.health().breaker if self.active else None
        if breaker is None:
            return []
        key = "storied.circuit_breaker.state"
        return [Observation(int(breaker.state == s), {key: s}) for s in _STATES]

    def _opened(self, options: CallbackOptions) -> Iterable[Observation]:
        breaker = self.db.health().breaker if self.active else None
        return [] if breaker is None else [Observation(breaker.opened)]


def _pool_name(base: Attributes) -> str:
    """``db.client.connection.pool.name``: the server and database (no user, no password)."""
    where = str(base.get("server.address", ""))
    if "server.port" in base:
        where += f":{base['server.port']}"
    return f"{where}/{base.get('db.namespace', '')}" if where else str(base.get("db.namespace"))
