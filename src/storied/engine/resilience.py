"""Opening connections when the server is flaky: retries with backoff, and a circuit breaker.

Both act only where a pool opens a new connection (``engine/pool.py``), never on a statement:
a failed connection attempt provably sent nothing, so trying again cannot apply anything
twice. A statement that fails on a lost connection is handled by the executor as before (run
once more on a fresh connection when it reads or nothing was sent, else
``OutcomeUnknownError``); that fresh connection is opened here, so it gets the retries too.
A unique violation or any other answer of the server is never retried: it is not a failure
to connect.

- :class:`Retries` (``Database(retries=Retries(...))``, off by default): up to ``attempts``
  tries, waiting ``initial * 2**n`` seconds (at most ``maximum``) plus up to ``jitter``
  seconds at random between them, through tenacity.
- :class:`CircuitBreaker` (``Database(circuit_breaker=CircuitBreaker(...))``, off by
  default): after ``failures`` consecutive failed attempts it opens, and every connection
  attempt fails fast with :class:`~storied.errors.CircuitOpenError`, for ``cool_down``
  seconds; then one probe is let through (half-open): its success closes the breaker, its
  failure opens it again for another cool-down. Its state is in ``db.health().breaker``.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import monotonic
from typing import Literal, TypeVar

from sqlalchemy.exc import DBAPIError
from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from ..errors import CircuitOpenError, ConfigurationError

T = TypeVar("T")
State = Literal["closed", "open", "half_open"]


@dataclass(frozen=True, slots=True)
class Retries:
    """How often a new connection is tried before the caller gets the error.

    Attributes:
        attempts: tries in all, the first included (1: no retry).
        initial: seconds before the second try; each later wait doubles.
        maximum: the longest wait between two tries, in seconds.
        jitter: up to this many seconds added at random to each wait (spreads the clients
            of a restarted server).
    """

    attempts: int = 3
    initial: float = 0.1
    maximum: float = 2.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if isinstance(self.attempts, bool) or not isinstance(self.attempts, int):
            raise ConfigurationError("Retries.attempts must be an int of at least 1")
        if self.attempts < 1:
            raise ConfigurationError("Retries.attempts must be an int of at least 1")
        _seconds("Retries", initial=self.initial, maximum=self.maximum, jitter=self.jitter)


@dataclass(frozen=True, slots=True)
class CircuitBreaker:
    """When the breaker opens, and for how long.

    Attributes:
        failures: consecutive failed connection attempts that open it.
        cool_down: seconds it stays open before one probe attempt is let through.
    """

    failures: int = 5
    cool_down: float = 30.0

    def __post_init__(self) -> None:
        if isinstance(self.failures, bool) or not isinstance(self.failures, int):
            raise ConfigurationError("CircuitBreaker.failures must be an int of at least 1")
        if self.failures < 1:
            raise ConfigurationError("CircuitBreaker.failures must be an int of at least 1")
        _seconds("CircuitBreaker", cool_down=self.cool_down)


@dataclass(frozen=True, slots=True)
class BreakerStatus:
    """The breaker's state (``db.health().breaker``)."""

    state: State
    #: consecutive failed connection attempts (0 after a success)
    failures: int
    #: how many times it opened since the Database was made
    opened: int
    #: seconds until a probe may go (None unless open)
    probe_in: float | None


class Breaker:
    """The breaker's state for one Database (thread-safe: sync pools are shared)."""

    def __init__(self, config: CircuitBreaker) -> None:
        self.config = config
        self.state: State = "closed"
        self.failures = 0
        self.opened = 0
        self._opened_at = 0.0
        self._lock = threading.Lock()

    def admit(self) -> None:
        """Let a connection attempt go, or raise CircuitOpenError (open, or a probe runs)."""
        with self._lock:
            if self.state == "closed":
                return
            left = self._opened_at + self.config.cool_down - monotonic()
            if self.state == "open" and left <= 0:
                self.state = "half_open"  # this attempt is the probe
                return
        wait = f"a probe goes in {left:.1f} s" if left > 0 else "a probe is running"
        raise CircuitOpenError(
            f"database: the circuit breaker is open after {self.failures} failed connection "
            f"attempts; failing fast without trying the server ({wait})"
        )

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            if self.state == "half_open" or (
                self.state == "closed" and self.failures >= self.config.failures
            ):
                self.state = "open"
                self.opened += 1
                self._opened_at = monotonic()

    def abandoned(self) -> None:
        """An attempt ended otherwise (cancelled, a refusal that is not a connection failure):
        a probe it was frees the way for the next one after another cool-down."""
        with self._lock:
            if self.state == "half_open":
                self.state = "open"
                self._opened_at = monotonic()

    def succeeded(self) -> None:
        with self._lock:
            self.state, self.failures = "closed", 0

    def status(self) -> BreakerStatus:
        left = None
        if self.state == "open":
            left = max(0.0, self._opened_at + self.config.cool_down - monotonic())
        return BreakerStatus(self.state, self.failures, self.opened, left)


class Connector:
    """How a pool opens a connection: each try admitted by the breaker (if any), transient
    failures tried again (if ``retries``)."""

    def __init__(
        self,
        retries: Retries | None,
        breaker: Breaker | None,
        transient: Callable[[BaseException], bool],
    ) -> None:
        self.breaker = breaker
        self._transient = transient
        self._tries = retries.attempts if retries is not None else 1
        self._wait = (
            # exponential, capped, plus jitter (wait_exponential_jitter's own parameters
            # changed names across tenacity versions; these two have not)
            wait_exponential(multiplier=retries.initial, max=retries.maximum)
            + wait_random(0, retries.jitter)
            if retries is not None
            else None
        )

    def _options(self) -> dict[str, object]:
        return {
            "stop": stop_after_attempt(self._tries),
            "wait": self._wait,
            "retry": retry_if_exception(self._transient),
            "reraise": True,
        }

    def _once(self, connect: Callable[[], T]) -> T:
        breaker = self.breaker
        if breaker is None:
            return connect()
        breaker.admit()
        try:
            out = connect()
        except BaseException as exc:
            if self._transient(exc):
                breaker.failed()
            else:
                breaker.abandoned()
            raise
        breaker.succeeded()
        return out

    async def _once_async(self, connect: Callable[[], Awaitable[T]]) -> T:
        breaker = self.breaker
        if breaker is None:
            return await connect()
        breaker.admit()
        try:
            out = await connect()
        except BaseException as exc:
            if self._transient(exc):
                breaker.failed()
            else:
                breaker.abandoned()
            raise
        breaker.succeeded()
        return out

    def open(self, connect: Callable[[], T]) -> T:
        if self._tries == 1:
            return self._once(connect)
        retrying = Retrying(**self._options())  # type: ignore[arg-type]
        out: T = retrying(self._once, connect)
        return out

    async def open_async(self, connect: Callable[[], Awaitable[T]]) -> T:
        if self._tries == 1:
            return await self._once_async(connect)
        retrying = AsyncRetrying(**self._options())  # type: ignore[arg-type]
        return await retrying(self._once_async, connect)


def transient(classify: Callable[[BaseException], object]) -> Callable[[BaseException], bool]:
    """Whether a failed connection attempt may succeed if tried again: the server could not be
    reached or dropped the attempt (never a refusal the driver classifies otherwise, nor a bug).
    ``classify`` is the backend's (its ``ErrorInfo`` has ``kind``)."""

    def check(exc: BaseException) -> bool:
        if isinstance(exc, CircuitOpenError) or not isinstance(exc, Exception):
            return False
        # the driver's own exception (most drivers' connects), or SQLAlchemy's wrapper of it
        info = classify(getattr(exc, "orig", None) or exc)
        if info is not None:
            return getattr(info, "kind", None) == "operational"
        # asyncpg's refused or timed-out connects arrive as bare OSErrors
        return isinstance(exc, DBAPIError | OSError)

    return check


def _seconds(owner: str, **values: float) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigurationError(f"{owner}.{name} must be a number of seconds, at least 0")
