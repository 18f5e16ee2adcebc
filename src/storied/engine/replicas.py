"""Read replicas: which server a read goes to, and what storied knows about each replica.

No I/O here: :mod:`storied.engine.routing` runs the operations and the lag checks. The rules
(see ``docs/scaling.md``):

- every write, and everything inside a transaction, runs on the primary;
- a read outside a transaction runs on a replica, round robin among the healthy ones;
- a context (thread, asyncio task) that wrote stays on the primary for ``read_your_writes``
  seconds after its write or its transaction, so it reads what it wrote;
- a replica is checked at most every ``check_interval`` seconds (one query, its replay lag),
  never per statement; one that lags more than ``max_lag`` seconds, is not in recovery, or
  failed (a check, a connection) is skipped until a later check finds it healthy;
- with no healthy replica, reads run on the primary.

Whether a request reads is the operation's own statement (a Core ``SELECT``, or ``Begin``
of a read-only transaction), never a parse of SQL text: raw SQL text always runs on the
primary.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from time import monotonic
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..errors import ConfigurationError
from ..ops.requests import Exec, Operation, Statement
from .resilience import BreakerStatus

#: per context: the routers whose reads stay on the primary, and until when (monotonic)
_PINNED: ContextVar[tuple[tuple[Replicas, float], ...]] = ContextVar("storied_pinned", default=())


@dataclass(frozen=True, slots=True)
class ReplicaStatus:
    """What storied knows about one replica (``db.health().replicas``)."""

    url: str
    #: reads may go there now
    healthy: bool
    #: replay lag in seconds at the last check (None: not checked yet, or the check failed)
    lag: float | None
    #: seconds since the last check (None: never checked)
    checked_ago: float | None
    #: why it is skipped, when it is
    reason: str | None
    #: reads it served
    reads: int


@dataclass(frozen=True, slots=True)
class Routing:
    """Where reads go (``db.health()``): the replicas and the counts of reads by server; and
    the circuit breaker's state."""

    replicas: tuple[ReplicaStatus, ...]
    #: reads outside a transaction that ran on the primary: no healthy replica, a failover, or
    #: read-your-writes
    primary_reads: int
    #: reads that a failing replica handed to another server, without error to the caller
    failovers: int
    read_your_writes: float
    max_replica_lag: float
    #: the primary's circuit breaker (None: none configured; ``Database(circuit_breaker=…)``)
    breaker: BreakerStatus | None = None

    @property
    def healthy(self) -> int:
        return sum(r.healthy for r in self.replicas)


class Replica:
    """One replica's URL, its executor (set at connect) and its last known health."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.executor: Any = None
        self.healthy = False
        self.lag: float | None = None
        self.checked_at = -math.inf
        self.reason: str | None = "not checked yet"
        self.reads = 0
        self.checking = False

    def due(self, now: float, interval: float) -> bool:
        """A check is due (and no other caller is running one)."""
        return not self.checking and now - self.checked_at >= interval

    def checked(self, row: Sequence[Any], max_lag: float) -> None:
        """Record a lag check's row: (in recovery, lag seconds)."""
        self.checked_at = monotonic()
        recovering, lag = bool(row[0]), float(row[1])
        self.lag = lag
        if not recovering:
            self.healthy, self.reason = False, "not a replica: the server is not in recovery"
        elif lag > max_lag:
            self.healthy, self.reason = False, f"replay lag {lag:.1f} s over {max_lag:g} s"
        else:
            self.healthy, self.reason = True, None

    def failed(self, exc: BaseException) -> None:
        """A check or a read failed on it: skip it until the next check."""
        self.checked_at = monotonic()
        self.healthy, self.lag = False, None
        self.reason = str(exc) or type(exc).__name__

    def status(self, now: float) -> ReplicaStatus:
        ago = None if self.checked_at == -math.inf else now - self.checked_at
        url = self.url.render_as_string(hide_password=True)
        return ReplicaStatus(url, self.healthy, self.lag, ago, self.reason, self.reads)


class Replicas:
    """The replicas of one Database, the routing rules' settings and counters."""

    def __init__(
        self,
        urls: Sequence[URL],
        *,
        read_your_writes: float,
        max_lag: float,
        check_interval: float,
    ) -> None:
        self.replicas = [Replica(url) for url in urls]
        self.read_your_writes = read_your_writes
        self.max_lag = max_lag
        self.check_interval = check_interval
        self.primary_reads = 0
        self.failovers = 0
        self._turn = itertools.count()

    def __bool__(self) -> bool:
        return bool(self.replicas)

    def order(self) -> list[Replica]:
        """The replicas this read may try, in round-robin order: the healthy ones and those
        due for a check (the turn goes round among them, so a skipped one's share is spread
        evenly over the others)."""
        now = monotonic()
        usable = [r for r in self.replicas if r.healthy or r.due(now, self.check_interval)]
        if not usable:
            return usable
        start = next(self._turn) % len(usable)
        return usable[start:] + usable[:start]

    def pinned(self) -> bool:
        """This context wrote lately: its reads stay on the primary."""
        now = monotonic()
        return any(owner is self and until > now for owner, until in _PINNED.get())

    def wrote(self) -> None:
        """This context just wrote (or committed): pin it to the primary for a while."""
        if self.read_your_writes > 0:
            now = monotonic()
            kept = tuple(p for p in _PINNED.get() if p[0] is not self and p[1] > now)
            _PINNED.set((*kept, (self, now + self.read_your_writes)))

    def routing(self) -> Routing:
        now = monotonic()
        return Routing(
            tuple(r.status(now) for r in self.replicas),
            self.primary_reads,
            self.failovers,
            self.read_your_writes,
            self.max_lag,
        )


def replicas_for(
    urls: Iterable[str | URL],
    primary: URL,
    resolve: Any,
    *,
    read_your_writes: float,
    max_lag: float,
    check_interval: float,
) -> Replicas:
    """The replicas configured on a Database, checked (no I/O)."""
    if isinstance(urls, str | URL):
        raise ConfigurationError("replicas must be a list of URLs")
    resolved = [resolve(url) for url in urls]
    for url in resolved:
        if url.get_backend_name() != primary.get_backend_name():
            raise ConfigurationError(
                f"replica {url.render_as_string(hide_password=True)} is not a "
                f"{primary.get_backend_name()} URL like the primary's"
            )
    for name, seconds in (
        ("read_your_writes", read_your_writes),
        ("max_replica_lag", max_lag),
        ("replica_check_interval", check_interval),
    ):
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ConfigurationError(f"{name} must be a number of seconds, at least 0")
    return Replicas(
        resolved,
        read_your_writes=float(read_your_writes),
        max_lag=float(max_lag),
        check_interval=float(check_interval),
    )


def lag_check(sql: str) -> Operation[Sequence[Any]]:
    """The operation reading a replica's (in recovery, lag seconds)."""
    result = yield Exec(Statement(sa.text, (sql,)), fetch=True)
    return result.rows[0]
