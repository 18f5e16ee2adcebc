"""scd2 reads over long histories: ``get(id)`` and ``get(id, as_of=t)`` on a table whose ids
have 1 version each against one whose ids have 1,000 versions each (DESIGN: at most 2x slower).

Both tables have the same model and the same number of ids. The long histories are written by
storied itself, ``update_many`` over all ids once per version (each call one transaction that
closes every current version and inserts the next). ``as_of`` asks, on the long table, for the
moment half-way through the history (every id then has ~500 versions before and after it); on
the short table for a moment after the only version began.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storied import AsyncDatabase, Database

from .clock import Stopwatch, Timed
from .models import Stock, StockArchive, StockVersioned
from .runner import Plan
from .targets import DRIVER_LABELS, DRIVERS, Target
from .workloads import ACTOR

READS = ("get", "as_of")
#: issue 16: 1,000 versions per id at most 1.1x the reads of 1 version per id
BUDGET = 1.1


@dataclass
class History:
    """One table's ids and the moment its ``as_of`` reads ask for."""

    model: type[Stock]
    versions: int
    ids: list[Any] = field(default_factory=list)
    moment: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass
class Reads:
    """Seconds per read of the long and the short history, one value per round."""

    backend: str
    mode: str
    driver: str
    read: str
    versions: int
    long: list[float] = field(default_factory=list)
    short: list[float] = field(default_factory=list)
    #: CPU seconds per read of this process, per round
    long_cpu: list[float] = field(default_factory=list)
    short_cpu: list[float] = field(default_factory=list)

    def add(self, long: bool, timed: Timed) -> None:
        (self.long if long else self.short).append(timed.wall)
        (self.long_cpu if long else self.short_cpu).append(timed.cpu)

    @property
    def long_rate(self) -> float:
        return 1 / statistics.median(self.long)

    @property
    def short_rate(self) -> float:
        return 1 / statistics.median(self.short)

    @property
    def ratio(self) -> float:
        """Median over rounds of the long history's time over the short one's, same round."""
        return statistics.median(a / b for a, b in zip(self.long, self.short, strict=True))


def build(db: Database, tenant: uuid.UUID, ids: int, versions: int) -> tuple[History, History]:
    """Create both tables: ``ids`` rows each; the long table's get ``versions`` versions."""
    db.create_all([StockVersioned, StockArchive])
    short, long = History(StockVersioned, 1), History(StockArchive, versions)
    for history in (short, long):
        repo = db.repository(history.model, tenant_id=tenant, actor=ACTOR)
        rows = [
            history.model(sku=f"A{i}", name="Anvil", price=Decimal("9.99"), stock=0)
            for i in range(ids)
        ]
        history.ids = [m.id for m in repo.create_many(rows)]
        history.moment = dt.datetime.now(dt.UTC)
        for version in range(2, history.versions + 1):
            repo.update_many({id: {"stock": version} for id in history.ids})
            if version == history.versions // 2:
                history.moment = dt.datetime.now(dt.UTC)
    return short, long


Batch = Callable[[History, int], Timed]


def _sync_reads(db: Database, tenant: uuid.UUID) -> dict[str, Batch]:
    def get(h: History, n: int) -> Timed:
        repo, ids = db.repository(h.model, tenant_id=tenant), h.ids
        watch = Stopwatch()
        for i in range(n):
            repo.get(ids[i % len(ids)])
        return watch.stop()

    def as_of(h: History, n: int) -> Timed:
        repo, ids, moment = db.repository(h.model, tenant_id=tenant), h.ids, h.moment
        watch = Stopwatch()
        for i in range(n):
            repo.get(ids[i % len(ids)], as_of=moment)
        return watch.stop()

    return {"get": get, "as_of": as_of}


def _async_reads(
    loop: asyncio.AbstractEventLoop, db: AsyncDatabase, tenant: uuid.UUID
) -> dict[str, Batch]:
    async def get(h: History, n: int) -> Timed:
        repo, ids = db.repository(h.model, tenant_id=tenant), h.ids
        watch = Stopwatch()
        for i in range(n):
            await repo.get(ids[i % len(ids)])
        return watch.stop()

    async def as_of(h: History, n: int) -> Timed:
        repo, ids, moment = db.repository(h.model, tenant_id=tenant), h.ids, h.moment
        watch = Stopwatch()
        for i in range(n):
            await repo.get(ids[i % len(ids)], as_of=moment)
        return watch.stop()

    return {
        "get": lambda h, n: loop.run_until_complete(get(h, n)),
        "as_of": lambda h, n: loop.run_until_complete(as_of(h, n)),
    }


def interleave(
    batches: dict[str, Batch], short: History, long: History, plan: Plan, label: Sequence[str]
) -> list[Reads]:
    """Warm up, then per round time each read on both tables, alternating which goes first."""
    backend, mode, driver = label
    out = {r: Reads(backend, mode, driver, r, long.versions) for r in READS}
    for read in READS:
        for history in (short, long):
            batches[read](history, plan.ops)
    for round_no in range(plan.rounds):
        for read in READS:
            order = (short, long) if round_no % 2 == 0 else (long, short)
            for history in order:
                gc.collect()
                timed = batches[read](history, plan.ops).per(plan.ops)
                out[read].add(history is long, timed)
    return list(out.values())


def run_reads(
    target: Target, modes: Sequence[str], plan: Plan, ids: int, versions: int
) -> tuple[list[Reads], float]:
    """Build both histories once (returns how long that took), then time each mode's reads."""
    tenant = uuid.uuid4()
    admin = Database(target.storied_url("sync")).connect()
    results: list[Reads] = []
    try:
        started = time.perf_counter()
        short, long = build(admin, tenant, ids, versions)
        built = time.perf_counter() - started
        for mode in modes:
            label = (target.backend, mode, DRIVER_LABELS[DRIVERS[(target.backend, mode)]])
            if mode == "sync":
                db = Database(target.storied_url("sync")).connect()
                try:
                    results += interleave(_sync_reads(db, tenant), short, long, plan, label)
                finally:
                    db.close()
                continue
            loop = asyncio.new_event_loop()
            adb = loop.run_until_complete(AsyncDatabase(target.storied_url("async")).connect())
            try:
                batches = _async_reads(loop, adb, tenant)
                results += interleave(batches, short, long, plan, label)
            finally:
                loop.run_until_complete(adb.close())
                loop.close()
        admin.drop_all([StockVersioned, StockArchive])
        return results, built
    finally:
        admin.close()
