"""``python -m bench bulk``: ``create_many`` against the raw driver's ``executemany``.

Per strategy, each side loads the same rows (default 100,000) in batches (default 5,000, one
transaction each), into empty tables: storied with ``create_many(batch)`` from model instances
built beforehand, as a user holding them would call it; the raw side with one ``executemany``
per table and batch (:mod:`bench.bulk_raw`). Tables are emptied before every load (not timed);
the side that goes first alternates by round; the figure is the median of the rounds.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storied import AsyncDatabase, Database

from .bulk_raw import COPY, Item, RawBulkAsync, RawBulkSync, Statements
from .models import MODELS, STRATEGIES, Stock
from .targets import DRIVER_LABELS, DRIVERS, Target
from .workloads import ACTOR, AsyncSide, SyncSide

#: storied's share of the raw executemany rate, at least, per strategy (issue 16, DESIGN
#: "Performance budget": none >= 90%, history >= 60% of the raw statements writing its rows)
BUDGETS = {"none": 0.9, "copy_on_change": 0.6, "scd2": 0.6}
#: strategy none's share of raw COPY's rate on PostgreSQL, at least (issue 16)
COPY_BUDGET = 0.6
#: history strategies' rate over raw none's, at least ("within 2x of that", issue 5)
VS_NONE = 0.25
#: table rows one created row adds, per strategy (copy_on_change: one audit row per field)
WRITTEN = {"none": "1", "copy_on_change": "1 + 4 audit", "scd2": "1 + 1 identity"}


@dataclass(frozen=True, slots=True)
class BulkPlan:
    rows: int = 100_000
    batch: int = 5_000
    rounds: int = 2

    def items(self) -> list[list[Item]]:
        price = Decimal("9.99")
        rows = [(f"B{i}", "Anvil", price, 7) for i in range(self.rows)]
        return [rows[i : i + self.batch] for i in range(0, self.rows, self.batch)]


@dataclass
class Loaded:
    """Seconds each side took to load all rows, one value per round."""

    backend: str
    mode: str
    driver: str
    strategy: str
    rows: int
    storied: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    #: CPU seconds of this process per load, per round
    storied_cpu: list[float] = field(default_factory=list)
    raw_cpu: list[float] = field(default_factory=list)
    #: the raw side's COPY of the same rows (strategy none on PostgreSQL; else empty)
    copy: list[float] = field(default_factory=list)
    copy_cpu: list[float] = field(default_factory=list)

    @property
    def storied_rate(self) -> float:
        return self.rows / statistics.median(self.storied)

    @property
    def raw_rate(self) -> float:
        return self.rows / statistics.median(self.raw)

    @property
    def share(self) -> float:
        """storied's rate as a share of raw's: median over rounds of raw time / storied time."""
        return statistics.median(r / s for s, r in zip(self.storied, self.raw, strict=True))

    @property
    def copy_share(self) -> float | None:
        """storied's rate as a share of raw COPY's (None: no COPY measured)."""
        if not self.copy:
            return None
        return statistics.median(c / s for s, c in zip(self.storied, self.copy, strict=True))


class StoriedBulkSync(SyncSide):
    label = "storied"

    def __init__(self, url: str, tenant: uuid.UUID) -> None:
        super().__init__()
        self.db = Database(url).connect()
        self.repos = {
            s: self.db.repository(m, tenant_id=tenant, actor=ACTOR) for s, m in MODELS.items()
        }
        self.models: list[list[Stock]] = []
        self.batches = {s: self._loader(s) for s in STRATEGIES}

    def _loader(self, strategy: str) -> Any:
        def load(n: int) -> None:
            create_many = self.repos[strategy].create_many
            for batch in self.models:
                create_many(batch)

        return load

    def statements(self) -> list[str]:
        return [c.sql for c in self.db._sync_executor().cache._entries.values()]

    def close(self) -> None:
        self.db.close()


class StoriedBulkAsync(AsyncSide):
    label = "storied"

    def __init__(self, loop: asyncio.AbstractEventLoop, url: str, tenant: uuid.UUID) -> None:
        super().__init__(loop)
        self.db = loop.run_until_complete(AsyncDatabase(url).connect())
        self.repos = {
            s: self.db.repository(m, tenant_id=tenant, actor=ACTOR) for s, m in MODELS.items()
        }
        self.models: list[list[Stock]] = []
        self.batches = {s: self._loader(s) for s in STRATEGIES}

    def _loader(self, strategy: str) -> Any:
        async def load(n: int) -> None:
            create_many = self.repos[strategy].create_many
            for batch in self.models:
                await create_many(batch)

        return load

    def statements(self) -> list[str]:
        return [c.sql for c in self.db._async_executor().cache._entries.values()]

    async def aclose(self) -> None:
        await self.db.close()


def empty(db: Database) -> None:
    """Remove every row of the bench's tables (not timed)."""
    tables = db.registry.tables(list(MODELS.values()))
    with db.engine.begin() as conn:
        if db.dialect_name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names}")
            return
        for table in reversed(tables):
            conn.execute(table.delete())


def _models(strategy: str, items: list[list[Item]]) -> list[list[Stock]]:
    model = MODELS[strategy]
    return [[model(sku=s, name=n, price=p, stock=k) for s, n, p, k in b] for b in items]


StoriedBulk = StoriedBulkSync | StoriedBulkAsync
RawBulk = RawBulkSync | RawBulkAsync


def measure(
    admin: Database, storied: StoriedBulk, raw: RawBulk, plan: BulkPlan, label: Sequence[str]
) -> list[Loaded]:
    backend, mode, driver = label
    out: list[Loaded] = []
    items = plan.items()
    for strategy in STRATEGIES:
        result = Loaded(backend, mode, driver, strategy, plan.rows)
        storied.models = _models(strategy, items[:1])
        raw.items = items[:1]
        for warm in (storied, raw):  # warm-up: one batch each
            empty(admin)
            warm.time(strategy, 0)
        storied.models = _models(strategy, items)
        raw.items = items
        loads: list[tuple[SyncSide | AsyncSide, str, list[float], list[float]]] = [
            (storied, strategy, result.storied, result.storied_cpu),
            (raw, strategy, result.raw, result.raw_cpu),
        ]
        if strategy == "none" and COPY in raw.batches:
            loads.append((raw, COPY, result.copy, result.copy_cpu))
            empty(admin)
            raw.time(COPY, 0)  # its warm-up
        for round_no in range(plan.rounds):
            for side, key, walls, cpus in loads if round_no % 2 == 0 else loads[::-1]:
                empty(admin)
                gc.collect()
                timed = side.time(key, 0)
                walls.append(timed.wall)
                cpus.append(timed.cpu)
        storied.models = []
        out.append(result)
    return out


@contextmanager
def _pair(target: Target, mode: str, tenant: uuid.UUID) -> Iterator[tuple[StoriedBulk, RawBulk]]:
    loop = asyncio.new_event_loop() if mode == "async" else None
    url = target.storied_url(mode)
    sides: list[Any] = []
    try:
        if loop is None:
            sides.append(StoriedBulkSync(url, tenant))
            sides.append(RawBulkSync(target, tenant, []))
        else:
            sides.append(StoriedBulkAsync(loop, url, tenant))
            sides.append(RawBulkAsync(loop, target, tenant, []))
        yield sides[0], sides[1]
    finally:
        for side in reversed(sides):
            side.close()
        if loop is not None:
            loop.close()


@dataclass
class BulkRun:
    server: str
    results: list[Loaded] = field(default_factory=list)
    #: "backend mode" → (storied's compiled SQL, the raw side's SQL)
    statements: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def run_bulk(target: Target, modes: Sequence[str], plan: BulkPlan) -> BulkRun:
    tenant = uuid.uuid4()
    admin = Database(target.storied_url("sync")).connect()
    try:
        version = admin.engine.dialect.server_version_info or ()
        run = BulkRun(".".join(str(v) for v in version))
        admin.create_all(list(MODELS.values()))
        for mode in modes:
            label = (target.backend, mode, DRIVER_LABELS[DRIVERS[(target.backend, mode)]])
            with _pair(target, mode, tenant) as (storied, raw):
                run.results += measure(admin, storied, raw, plan, label)
                sql = Statements(target.backend, dollar=label[2] == "asyncpg")
                theirs = [s for strategy in STRATEGIES for s in sql.for_strategy(strategy)]
                run.statements[f"{target.backend} {mode}"] = (storied.statements(), theirs)
        admin.drop_all(list(MODELS.values()))
        return run
    finally:
        admin.close()
