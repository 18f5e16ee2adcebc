"""Statement timeouts: server settings on PostgreSQL and MariaDB, a progress handler on SQLite.

A server ends a statement that runs past its session setting (PostgreSQL ``statement_timeout``,
MariaDB ``max_statement_time``): storied sets it on each new connection, and around a
transaction that asks for another value. SQLite has no such setting; a progress handler, which
SQLite calls every few hundred virtual-machine steps of a running statement, stops the statement
once it has run too long (the same interrupt ``sqlite3.Connection.interrupt`` causes). Either
way the driver reports a timeout, which storied raises as ``DatabaseTimeout``.
"""

from __future__ import annotations

from time import monotonic

from ..errors import ConfigurationError
from .pool import Lease

#: SQLite virtual-machine steps between two looks at the clock (a few µs of work each)
PROGRESS_STEPS = 1000


class StatementTimer:
    """SQLite's progress handler: non-zero (stop) once the running statement is over its limit.

    The executor stamps ``start`` before each statement on a lease that has a timer."""

    __slots__ = ("limit", "start")

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.start = monotonic()

    def __call__(self) -> int:
        limit = self.limit
        return 1 if limit is not None and monotonic() - self.start > limit else 0


def checked(seconds: float | None) -> float | None:
    """``seconds`` as a statement timeout: None (no limit) or a positive number."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ConfigurationError("statement_timeout must be a positive number of seconds or None")
    return float(seconds)


def install(lease: Lease, limit: float | None) -> StatementTimer:
    """Give a sqlite3 connection a timer (its limit can change later)."""
    timer = lease.timer = StatementTimer(limit)
    lease.driver.set_progress_handler(timer, PROGRESS_STEPS)
    return timer


async def install_async(lease: Lease, limit: float | None) -> StatementTimer:
    """The same for an aiosqlite connection (the handler runs in its worker thread)."""
    timer = lease.timer = StatementTimer(limit)
    await lease.driver.set_progress_handler(timer, PROGRESS_STEPS)
    return timer
