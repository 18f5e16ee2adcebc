"""Interleaved rounds: each round times storied and the raw driver back to back, per operation.

Absolute times drift on a shared machine; a round's two batches run seconds apart at most, so
their ratio is what the bench reports (the median over rounds), beside the median rates.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import validated
from .clock import Timed, micros
from .raw import COLUMNS, RawSync, raw_sync
from .raw_async import RawAsync, raw_async
from .targets import DRIVER_LABELS, DRIVERS, Target
from .workloads import (
    OPS,
    BenchItem,
    Data,
    Side,
    StoriedAsync,
    StoriedSync,
    clear_writes,
    seed,
)

MODES = ("sync", "async")
StoriedSide = StoriedSync | StoriedAsync
RawSide = RawSync | RawAsync
#: a list batch reads ``rows`` rows per call: it runs this many times fewer calls than the others
LIST_DIVISOR = 20
#: the operations that read ``rows`` rows per call (``rows``: the same list as plain rows)
LISTS = ("list", "rows")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plan:
    rounds: int
    ops: int
    rows: int
    warmup: int = 1

    def batch(self, op: str) -> int:
        return max(1, self.ops // LIST_DIVISOR) if op in LISTS else self.ops


@dataclass
class Measured:
    """Per system ("storied", "raw", a peer): seconds per operation, wall and CPU, per round."""

    backend: str
    mode: str
    driver: str
    op: str
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def add(self, system: str, timed: Timed) -> None:
        self.wall.setdefault(system, []).append(timed.wall)
        self.cpu.setdefault(system, []).append(timed.cpu)

    @property
    def systems(self) -> list[str]:
        return list(self.wall)

    def rate(self, system: str) -> float:
        return 1 / statistics.median(self.wall[system])

    def cpu_us(self, system: str) -> float:
        """Median CPU µs per operation of ``system``'s process."""
        return micros(self.cpu[system])

    def ratio_of(self, system: str, base: str = "raw") -> float:
        """Median over rounds of ``system``'s wall time over ``base``'s in the same round."""
        pairs = zip(self.wall[system], self.wall[base], strict=True)
        return statistics.median(s / b for s, b in pairs)

    @property
    def storied(self) -> list[float]:
        return self.wall["storied"]

    @property
    def raw(self) -> list[float]:
        return self.wall["raw"]

    @property
    def storied_rate(self) -> float:
        return self.rate("storied")

    @property
    def raw_rate(self) -> float:
        return self.rate("raw")

    @property
    def ratio(self) -> float:
        """Median over rounds of storied's time over raw's time in the same round."""
        return self.ratio_of("storied")


def rotation(sides: Sequence[T], round_no: int) -> list[T]:
    """The order of one round: rotated by one each round, so each side goes first in turn."""
    k = round_no % len(sides)
    return [*sides[k:], *sides[:k]]


def measure(
    sides: Mapping[str, Side],
    plan: Plan,
    after_create: Callable[[], None],
    label: tuple[str, str, str],
    ops: Sequence[str] = OPS,
) -> list[Measured]:
    """Warm every side up, then run ``plan.rounds`` rounds, rotating which side goes first.

    ``sides`` maps a system's name to its side; ``after_create`` empties what a create batch
    wrote (not timed).
    """
    results = {op: Measured(*label, op) for op in ops}
    named = list(sides.items())
    for _ in range(plan.warmup):
        for op in ops:
            for _, side in named:
                if op not in side.batches:  # a peer without plain rows
                    continue
                side.time(op, plan.batch(op))
                if op == "create":
                    after_create()
    gc.collect()
    gc.freeze()  # what exists now is never garbage: each round's gc.collect() skips it
    for round_no in range(plan.rounds):
        for op in ops:
            n = plan.batch(op)
            for system, side in rotation(named, round_no):
                if op not in side.batches:
                    continue
                gc.collect()
                timed = side.time(op, n)
                if op == "create":
                    after_create()
                results[op].add(system, timed.per(n))
    gc.unfreeze()
    return list(results.values())


@dataclass
class TargetRun:
    """What one backend produced: its server's version, the measurements, the statements."""

    server: str
    results: list[Measured] = field(default_factory=list)
    #: "backend mode" → (storied's compiled SQL, the raw side's SQL)
    statements: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _check_same_sql(storied: StoriedSide, raw: RawSide) -> None:
    """Refuse to compare if storied's table or round trips moved away from the raw side's."""
    names = storied.db.registry.mapped(BenchItem).names
    if tuple(names) != COLUMNS:
        raise RuntimeError(f"storied reads {names}, bench.raw.COLUMNS says {COLUMNS}")
    returning = bool(storied.db.engine.dialect.update_returning)
    if raw.sql.update_returning != returning:
        raise RuntimeError(f"storied's UPDATE … RETURNING is {returning}, the raw side's is not")


def _peers(target: Target, mode: str, data: Data, loop: Any) -> list[tuple[str, Side]]:
    """The ORM peers' sides, where they run (:mod:`bench.peers`)."""
    from . import peers

    url = target.storied_url(mode)
    if loop is None:
        return [(k, peers.PeerSync(p, url, target.backend, data)) for k, p in peers.PEERS.items()]
    return [
        (k, peers.PeerAsync(loop, p, url, target.backend, data)) for k, p in peers.PEERS.items()
    ]


def _validated(raw: RawSide, loop: Any) -> Side:
    """The raw side's list, each row validated into the model (:mod:`bench.validated`)."""
    if isinstance(raw, RawSync):
        return validated.ValidatedSync(raw)
    return validated.ValidatedAsync(loop, raw)


@contextmanager
def _sides(
    target: Target, mode: str, data: Data, with_peers: bool
) -> Iterator[tuple[StoriedSide, RawSide, dict[str, Side]]]:
    """storied's side, the raw side, and every system's side by name (peers included)."""
    loop = asyncio.new_event_loop() if mode == "async" else None
    url = target.storied_url(mode)
    opened: list[tuple[str, Side]] = []
    try:
        if loop is None:
            storied: StoriedSide = StoriedSync(url, data)
            opened.append(("storied", storied))
            raw: RawSide = raw_sync(target, data)
        else:
            storied = StoriedAsync(loop, url, data)
            opened.append(("storied", storied))
            raw = raw_async(loop, target, data)
        opened.append(("raw", raw))
        _check_same_sql(storied, raw)
        opened.append((validated.NAME, _validated(raw, loop)))
        if with_peers:
            opened += _peers(target, mode, data, loop)
        yield storied, raw, dict(opened)
    finally:
        for _, side in reversed(opened):
            side.close()
        if loop is not None:
            loop.close()


def run_target(
    target: Target, modes: Sequence[str], plan: Plan, with_peers: bool = False
) -> TargetRun:
    """Seed the tables once, then measure each mode against its raw driver (and the peers)."""
    from storied import Database

    data = Data(rows=plan.rows)
    admin = Database(target.storied_url("sync")).connect()
    peer_admin: Any = None
    try:
        version = admin.engine.dialect.server_version_info or ()
        run = TargetRun(".".join(str(v) for v in version))
        seed(admin, data)
        if with_peers:
            from . import peers

            peer_admin = peers.seed(target.storied_url("sync"), target.backend, data)

        def after_create() -> None:
            clear_writes(admin, data)
            if peer_admin is not None:
                peers.clear(peer_admin, data)

        for mode in modes:
            driver = DRIVER_LABELS[DRIVERS[(target.backend, mode)]]
            with _sides(target, mode, data, with_peers) as (storied, raw, sides):
                label = (target.backend, mode, driver)
                run.results += measure(sides, plan, after_create, label)
                run.statements[f"{target.backend} {mode}"] = (
                    storied.statements(),
                    raw.statements(),
                )
        return run
    finally:
        if peer_admin is not None:
            peer_admin.dispose()
        admin.close()
