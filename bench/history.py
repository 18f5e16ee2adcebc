"""``python -m bench history``: updates per temporal strategy against the raw SQL writing the
same rows, the statements each operation sends, and scd2 reads over long histories.

Updates run in interleaved rounds exactly like the crud bench (:func:`bench.runner.measure`):
each side updates its own rows of one table per strategy, one field to a value it never had,
so every update really changes something and writes its history.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storied import AsyncDatabase, Database

from .history_raw import RawHistoryAsync, RawHistorySync, Rows, encoding, raw_history_sync
from .models import MODELS, STRATEGIES
from .runner import Measured, Plan, measure
from .targets import DRIVER_LABELS, DRIVERS, Target
from .workloads import ACTOR, AsyncSide, SyncSide

OPS = tuple(f"update {s}" for s in STRATEGIES)
#: storied's budget per strategy: history writes <= 2x the raw SQL; none as in the crud bench
BUDGETS = {"update none": 1.3, "update copy_on_change": 2.0, "update scd2": 2.0}
#: rows each side updates, in turn, per strategy
ROWS_PER_SIDE = 200


@dataclass
class Data:
    """One tenant; per strategy, the rows storied updates and the rows the raw side updates."""

    tenant: uuid.UUID = field(default_factory=uuid.uuid4)
    storied: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    raw: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    #: stock values, never repeated: every update changes the row
    values: Iterator[int] = field(default_factory=lambda: itertools.count(1000))


def seed(db: Database, data: Data, rows: int = ROWS_PER_SIDE) -> None:
    """Create the tables and, per strategy, ``rows`` rows for each side (not timed)."""
    db.create_all(list(MODELS.values()))
    for strategy, model in MODELS.items():
        repo = db.repository(model, tenant_id=data.tenant, actor=ACTOR)
        items = [
            model(sku=f"{strategy[:2]}{i}", name="Anvil", price=Decimal("9.99"), stock=7)
            for i in range(2 * rows)
        ]
        ids = [m.id for m in repo.create_many(items)]
        data.storied[strategy] = [i for i in ids[:rows] if isinstance(i, uuid.UUID)]
        data.raw[strategy] = [i for i in ids[rows:] if isinstance(i, uuid.UUID)]


class StoriedHistorySync(SyncSide):
    label = "storied"

    def __init__(self, url: str, data: Data) -> None:
        super().__init__()
        self.db = Database(url).connect()
        self.data = data
        self.repos = {
            s: self.db.repository(m, tenant_id=data.tenant, actor=ACTOR) for s, m in MODELS.items()
        }
        self.batches = {
            "update none": self.none,
            "update copy_on_change": self.audited,
            "update scd2": self.versioned,
        }

    def _update(self, strategy: str, n: int) -> None:
        repo, ids, values = self.repos[strategy], self.data.storied[strategy], self.data.values
        for i in range(n):
            repo.update(ids[i % len(ids)], stock=next(values))

    def none(self, n: int) -> None:
        self._update("none", n)

    def audited(self, n: int) -> None:
        self._update("copy_on_change", n)

    def versioned(self, n: int) -> None:
        self._update("scd2", n)

    def close(self) -> None:
        self.db.close()


class StoriedHistoryAsync(AsyncSide):
    label = "storied"

    def __init__(self, loop: asyncio.AbstractEventLoop, url: str, data: Data) -> None:
        super().__init__(loop)
        self.db = loop.run_until_complete(AsyncDatabase(url).connect())
        self.data = data
        self.repos = {
            s: self.db.repository(m, tenant_id=data.tenant, actor=ACTOR) for s, m in MODELS.items()
        }
        self.batches = {
            "update none": self.none,
            "update copy_on_change": self.audited,
            "update scd2": self.versioned,
        }

    async def _update(self, strategy: str, n: int) -> None:
        repo, ids, values = self.repos[strategy], self.data.storied[strategy], self.data.values
        for i in range(n):
            await repo.update(ids[i % len(ids)], stock=next(values))

    async def none(self, n: int) -> None:
        await self._update("none", n)

    async def audited(self, n: int) -> None:
        await self._update("copy_on_change", n)

    async def versioned(self, n: int) -> None:
        await self._update("scd2", n)

    async def aclose(self) -> None:
        await self.db.close()


def _raw_rows(backend: str, data: Data) -> Rows:
    enc = encoding(backend)
    ids = {s: [enc.uuid(i) for i in data.raw[s]] for s in STRATEGIES}
    return Rows(enc, enc.uuid(data.tenant), ids, data.values)


@contextmanager
def _pair(
    target: Target, mode: str, data: Data
) -> Iterator[tuple[SyncSide | AsyncSide, SyncSide | AsyncSide]]:
    loop = asyncio.new_event_loop() if mode == "async" else None
    url = target.storied_url(mode)
    sides: list[Any] = []
    try:
        rows = _raw_rows(target.backend, data)
        if loop is None:
            sides.append(StoriedHistorySync(url, data))
            sides.append(raw_history_sync(target, rows))
        else:
            sides.append(StoriedHistoryAsync(loop, url, data))
            sides.append(RawHistoryAsync(loop, target, rows))
        yield sides[0], sides[1]
    finally:
        for side in reversed(sides):
            side.close()
        if loop is not None:
            loop.close()


@dataclass
class HistoryRun:
    server: str
    results: list[Measured] = field(default_factory=list)
    #: "backend mode" → the raw side's statements per strategy
    statements: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def run_updates(target: Target, modes: Sequence[str], plan: Plan) -> HistoryRun:
    """Seed each strategy's table once, then measure each mode against its raw driver."""
    data = Data()
    admin = Database(target.storied_url("sync")).connect()
    try:
        version = admin.engine.dialect.server_version_info or ()
        run = HistoryRun(".".join(str(v) for v in version))
        seed(admin, data)
        for mode in modes:
            driver = DRIVER_LABELS[DRIVERS[(target.backend, mode)]]
            with _pair(target, mode, data) as (storied, raw):
                label = (target.backend, mode, driver)
                run.results += measure({"storied": storied, "raw": raw}, plan, _nothing, label, OPS)
                if isinstance(raw, RawHistorySync | RawHistoryAsync):
                    run.statements[f"{target.backend} {mode}"] = raw.statements()
        admin.drop_all([*MODELS.values()])
        return run
    finally:
        admin.close()


def _nothing() -> None:
    pass
