"""Wall and CPU time of one timed batch.

Wall time is what a caller waits; on a shared machine it moves with everyone else's load.
CPU time is this process's own (user + system, every thread: aiosqlite's worker thread
included), read from ``time.process_time``: other processes' load disturbs it far less. It
leaves out what a server process spends, so on PostgreSQL and MariaDB it is the client's share.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from typing import NamedTuple


class Timed(NamedTuple):
    """Seconds of one batch: wall clock and this process's CPU."""

    wall: float
    cpu: float

    def per(self, n: int) -> Timed:
        return Timed(self.wall / n, self.cpu / n)


class Stopwatch:
    """Started on creation; :meth:`stop` gives the wall and CPU seconds since."""

    __slots__ = ("_cpu", "_wall")

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def stop(self) -> Timed:
        return Timed(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def micros(seconds: Sequence[float]) -> float:
    """The median of per-operation seconds, in µs."""
    return statistics.median(seconds) * 1e6


def spread(values: Sequence[float]) -> tuple[float, float]:
    """The interquartile range (25th and 75th percentile) of ``values``."""
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def load() -> str:
    """The machine's load average (1, 5, 15 minutes), as ``uptime`` prints it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"
