"""Health: real checks of a database, graded healthy / degraded / unhealthy; the worst wins.

- ``round_trip``: a real query on a real connection, with its latency (an unreachable server is
  unhealthy, and the check gives up after ``Thresholds.timeout``);
- ``pool``: connections in use vs the pool's size (idle connections kept for reuse are not in
  use: an idle pool is at 0%);
- ``replicas`` (with read replicas): degraded while one is skipped (lag, failure), from the
  routing's own state (``db.health()``);
- ``circuit_breaker`` (with ``Database(circuit_breaker=…)``): unhealthy while open, degraded
  while half-open (``db.health().breaker``);
- ``schema``: drift — the schema plan for the models is not empty;
- ``disk``: free space where an SQLite file lives.

``health(db)`` works on a connected Database; on one that is not connected it probes the URL
with a connection of its own (closed afterwards) and leaves ``db`` as it was.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ..dialects import database_file
from ..engine.async_database import AsyncDatabase
from ..engine.database import Database
from ..engine.pool import PoolStatus
from ..engine.replicas import Routing
from ..errors import NotConnectedError, StoriedError

if TYPE_CHECKING:
    from ..models.base import Model
    from ..schema import Plan

Status = Literal["healthy", "degraded", "unhealthy"]
_RANK: dict[Status, int] = {"healthy": 0, "degraded": 1, "unhealthy": 2}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where each check turns degraded or unhealthy (seconds, fractions)."""

    #: give up on the round trip (unhealthy) after this many seconds
    timeout: float = 5.0
    latency_degraded: float = 0.25
    latency_unhealthy: float = 2.0
    #: pool usage (in use / size) at or above which the pool check degrades / fails
    pool_degraded: float = 0.8
    pool_unhealthy: float = 1.0
    #: free fraction of the disk holding an SQLite file below which it degrades / fails
    disk_free_degraded: float = 0.10
    disk_free_unhealthy: float = 0.02
    #: the status of a pending schema plan (drift)
    drift: Status = "degraded"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str
    #: the measured figure: seconds, a usage or free fraction, a count of pending steps
    value: float | None = None


@dataclass(frozen=True, slots=True)
class Health:
    status: Status
    checks: tuple[Check, ...]

    @property
    def exit_code(self) -> int:
        """0 healthy, 1 degraded, 2 unhealthy (what ``storied health`` exits with)."""
        return _RANK[self.status]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "checks": [asdict(c) for c in self.checks]}


def _worst(checks: Iterable[Check]) -> Health:
    found = tuple(checks)
    status: Status = max((c.status for c in found), key=_RANK.__getitem__, default="healthy")
    return Health(status, found)


def _grade(value: float, degraded: float, unhealthy: float) -> Status:
    if value >= unhealthy:
        return "unhealthy"
    return "degraded" if value >= degraded else "healthy"


def _latency_check(seconds: float, t: Thresholds) -> Check:
    status = _grade(seconds, t.latency_degraded, t.latency_unhealthy)
    return Check("round_trip", status, f"SELECT 1 answered in {seconds * 1000:.1f} ms", seconds)


def _unreachable(reason: str) -> Check:
    return Check("round_trip", "unhealthy", f"database unreachable: {reason}")


def _reason(exc: BaseException) -> str:
    # the driver's first line (connection refused, auth failed); no statement, no values
    inner = getattr(exc, "orig", None) or exc.__cause__ or exc
    first = str(inner).strip().splitlines()
    return f"{type(inner).__name__}: {first[0]}" if first else type(inner).__name__


def _pool_check(status: PoolStatus, t: Thresholds) -> Check:
    grade = _grade(status.usage, t.pool_degraded, t.pool_unhealthy)
    detail = f"{status.in_use} of {status.size} connections in use ({status.idle} idle)"
    return Check("pool", grade, detail, status.usage)


def _replica_checks(routing: Routing) -> list[Check]:
    """Degraded while a read replica is skipped (its reads go elsewhere); none without
    replicas. A replica not checked yet (no read has needed it) counts as healthy."""
    if not routing.replicas:
        return []
    skipped = [r for r in routing.replicas if not r.healthy and r.checked_ago is not None]
    total = len(routing.replicas)
    if not skipped:
        return [Check("replicas", "healthy", f"{total} of {total} replicas in use", total)]
    reasons = "; ".join(f"{r.url}: {r.reason}" for r in skipped)
    detail = f"{total - len(skipped)} of {total} replicas in use; skipped: {reasons}"
    return [Check("replicas", "degraded", detail, total - len(skipped))]


def _breaker_checks(routing: Routing) -> list[Check]:
    """The circuit breaker (with ``Database(circuit_breaker=…)``): unhealthy while open (new
    connections fail fast), degraded while its probe runs; its value is the consecutive
    connection failures."""
    breaker = routing.breaker
    if breaker is None:
        return []
    if breaker.state == "closed":
        return [Check("circuit_breaker", "healthy", "closed", breaker.failures)]
    if breaker.state == "half_open":
        detail = "half-open: a probe connection is being tried"
        return [Check("circuit_breaker", "degraded", detail, breaker.failures)]
    detail = (
        f"open after {breaker.failures} failed connection attempts; new connections fail fast "
        f"for {breaker.probe_in or 0:.1f} s more"
    )
    return [Check("circuit_breaker", "unhealthy", detail, breaker.failures)]


def _drift_check(plan: Plan, t: Thresholds) -> Check:
    if not plan:
        return Check("schema", "healthy", "the tables match the models", 0)
    return Check(
        "schema", t.drift, f"{len(plan)} pending schema step(s); run `storied plan`", len(plan)
    )


def _disk_check(url: sa.URL, t: Thresholds) -> Check | None:
    path = database_file(url)
    if path is None:
        return None
    folder = Path(path).resolve().parent
    usage = shutil.disk_usage(folder)
    free = usage.free / usage.total if usage.total else 0.0
    # low free space is bad: grade the used fraction against 1 - thresholds
    status = _grade(1 - free, 1 - t.disk_free_degraded, 1 - t.disk_free_unhealthy)
    detail = f"{usage.free / 2**30:.1f} GiB free ({free:.0%}) on {folder}"
    return Check("disk", status, detail, free)


def _round_trip(engine: sa.Engine) -> float:
    with engine.connect() as conn:
        start = time.perf_counter()
        conn.execute(sa.select(sa.literal(1))).scalar_one()
        return time.perf_counter() - start


def health(
    db: Database,
    models: Iterable[type[Model]] | None = None,
    *,
    thresholds: Thresholds | None = None,
) -> Health:
    """Check ``db`` for real; the worst check gives the status. See the module docstring.

    Args:
        models: the models whose schema to compare (default: every model the registry maps).
        thresholds: where checks degrade or fail.
    """
    t = thresholds or Thresholds()
    try:
        db.pool_status()
    except NotConnectedError:
        probe = Database(db.url, registry=db.registry)
        try:
            trip = _timed(lambda: probe.connect(), t)
            if trip is not None:
                return _worst([trip])
            return _worst(c for c in _connected(probe, models, t, pool=False))
        finally:
            probe.close()
    return _worst(_connected(db, models, t, pool=True))


def _timed(fn: Any, t: Thresholds) -> Check | None:
    """Run ``fn`` in a thread; an unhealthy check if it fails or outlasts the timeout."""
    runner = ThreadPoolExecutor(1, thread_name_prefix="storied-health")
    try:
        runner.submit(fn).result(timeout=t.timeout)
    except FutureTimeout:
        return _unreachable(f"no answer within {t.timeout:g} s")
    except (StoriedError, sa.exc.SQLAlchemyError, OSError) as exc:
        return _unreachable(_reason(exc))
    finally:
        runner.shutdown(wait=False, cancel_futures=True)
    return None


def _connected(
    db: Database, models: Iterable[type[Model]] | None, t: Thresholds, *, pool: bool
) -> list[Check]:
    checks: list[Check] = []
    if pool:
        checks.append(_pool_check(db.pool_status(), t))  # before our own round trip takes one
        checks += _replica_checks(db.health()) + _breaker_checks(db.health())
    seconds: list[float] = []
    failed = _timed(lambda: seconds.append(_round_trip(db.engine)), t)
    if failed is not None:
        return [failed, *checks]
    checks.insert(0, _latency_check(seconds[0], t))
    chosen = list(models) if models is not None else list(db.registry)
    if chosen:
        checks.append(_drift_check(db.plan(chosen), t))
    disk = _disk_check(db.url, t)
    return checks + ([disk] if disk else [])


async def ahealth(
    db: AsyncDatabase,
    models: Iterable[type[Model]] | None = None,
    *,
    thresholds: Thresholds | None = None,
) -> Health:
    """The async :func:`health`."""
    t = thresholds or Thresholds()
    try:
        db.pool_status()
    except NotConnectedError:
        probe = AsyncDatabase(db.url, registry=db.registry)
        try:
            failed = await _atimed(probe.connect(), t)
            if failed is not None:
                return _worst([failed])
            return _worst(await _aconnected(probe, models, t, pool=False))
        finally:
            await probe.close()
    return _worst(await _aconnected(db, models, t, pool=True))


async def _atimed(work: Any, t: Thresholds) -> Check | None:
    try:
        await asyncio.wait_for(work, t.timeout)
    except TimeoutError:
        return _unreachable(f"no answer within {t.timeout:g} s")
    except (StoriedError, sa.exc.SQLAlchemyError, OSError) as exc:
        return _unreachable(_reason(exc))
    return None


async def _aconnected(
    db: AsyncDatabase, models: Iterable[type[Model]] | None, t: Thresholds, *, pool: bool
) -> list[Check]:
    checks: list[Check] = []
    if pool:
        checks.append(_pool_check(db.pool_status(), t))
        checks += _replica_checks(db.health()) + _breaker_checks(db.health())
    seconds: list[float] = []

    async def trip() -> None:
        async with db.engine.connect() as conn:
            start = time.perf_counter()
            await conn.execute(sa.select(sa.literal(1)))
            seconds.append(time.perf_counter() - start)

    failed = await _atimed(trip(), t)
    if failed is not None:
        return [failed, *checks]
    checks.insert(0, _latency_check(seconds[0], t))
    chosen = list(models) if models is not None else list(db.registry)
    if chosen:
        checks.append(_drift_check(await db.plan(chosen), t))
    disk = _disk_check(db.url, t)
    return checks + ([disk] if disk else [])
