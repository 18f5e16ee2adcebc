"""What is measured: the model, the shared data, and storied's side of each operation.

Each side (storied or raw, sync or async) runs a batch of ``n`` operations of one kind and
reports how long the batch took. Both sides of a pair work on the same table, the same rows and
the same tenants; the raw side lives in :mod:`bench.raw`.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

from storied import AsyncDatabase, Database, Field, Model

from .clock import Stopwatch, Timed

#: "rows": the list of "list" as plain rows (``query().tuples()``: typed values, no models)
OPS = ("create", "get", "update", "list", "rows")
ACTOR = "bench"
NAME = "Anvil"
PRICE = Decimal("9.99")
STOCK = 7


class BenchItem(Model, table="bench_items"):
    """The product of the design's first example: a unique sku, text, an exact price."""

    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    stock: int = 0


@dataclass
class Data:
    """What both sides share: the tenants, the seeded ids, fresh skus and the list size."""

    rows: int
    #: tenant whose ``rows`` seeded rows are read, listed and updated
    read_tenant: uuid.UUID = field(default_factory=uuid.uuid4)
    #: tenant new rows go to (emptied after every create batch)
    write_tenant: uuid.UUID = field(default_factory=uuid.uuid4)
    ids: list[uuid.UUID] = field(default_factory=list)
    _skus: itertools.count[int] = field(default_factory=itertools.count)

    def next_sku(self) -> str:
        return f"S{next(self._skus)}"


def seed(db: Database, data: Data) -> None:
    """Create the table with storied's create_all and insert the rows every read uses."""
    db.create_all([BenchItem])
    repo = db.repository(BenchItem, tenant_id=data.read_tenant, actor=ACTOR)
    items = [
        BenchItem(sku=data.next_sku(), name=NAME, price=PRICE, stock=STOCK)
        for _ in range(data.rows)
    ]
    created = repo.create_many(items)
    data.ids = [i for i in (item.id for item in created) if isinstance(i, uuid.UUID)]


def clear_writes(db: Database, data: Data) -> None:
    """Remove the rows create batches wrote (not timed), so every batch sees the same table."""
    table = db.registry.mapped(BenchItem).table
    with db.engine.begin() as conn:
        conn.execute(table.delete().where(table.c.tenant_id == data.write_tenant))


SyncBatch = Callable[[int], object]
AsyncBatch = Callable[[int], Awaitable[object]]


class SyncSide:
    """A side whose operations are plain calls; :meth:`time` gives a batch's wall and CPU."""

    label = ""

    def __init__(self) -> None:
        self.batches: dict[str, SyncBatch] = {}

    def time(self, op: str, n: int) -> Timed:
        batch = self.batches[op]
        watch = Stopwatch()
        batch(n)
        return watch.stop()

    def close(self) -> None:
        pass


class AsyncSide:
    """A side whose operations are awaited, on the event loop the pair shares."""

    label = ""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.batches: dict[str, AsyncBatch] = {}

    def time(self, op: str, n: int) -> Timed:
        return self.loop.run_until_complete(self._timed(self.batches[op], n))

    @staticmethod
    async def _timed(batch: AsyncBatch, n: int) -> Timed:
        watch = Stopwatch()
        await batch(n)
        return watch.stop()

    def close(self) -> None:
        self.loop.run_until_complete(self.aclose())

    async def aclose(self) -> None:
        pass


Side = SyncSide | AsyncSide


class StoriedSync(SyncSide):
    label = "storied"

    def __init__(self, url: str, data: Data) -> None:
        super().__init__()
        self.db = Database(url).connect()
        self.data = data
        self.reads = self.db.repository(BenchItem, tenant_id=data.read_tenant, actor=ACTOR)
        self.writes = self.db.repository(BenchItem, tenant_id=data.write_tenant, actor=ACTOR)
        self.batches = {
            "create": self.create,
            "get": self.get,
            "update": self.update,
            "list": self.list_rows,
            "rows": self.plain_rows,
        }

    def create(self, n: int) -> None:
        repo, next_sku = self.writes, self.data.next_sku
        for _ in range(n):
            repo.create(BenchItem(sku=next_sku(), name=NAME, price=PRICE, stock=STOCK))

    def get(self, n: int) -> None:
        repo, ids = self.reads, self.data.ids
        for i in range(n):
            repo.get(ids[i % len(ids)])

    def update(self, n: int) -> None:
        repo, ids = self.reads, self.data.ids
        for i in range(n):
            repo.update(ids[i % len(ids)], stock=i)

    def list_rows(self, n: int) -> None:
        repo, rows = self.reads, self.data.rows
        for _ in range(n):
            repo.list(limit=rows)

    def plain_rows(self, n: int) -> None:
        repo, rows = self.reads, self.data.rows
        for _ in range(n):
            repo.query().limit(rows).tuples().all()

    def statements(self) -> list[str]:
        """The SQL storied compiled for this side's operations."""
        return [c.sql for c in self.db._sync_executor().cache._entries.values()]

    def close(self) -> None:
        self.db.close()


class StoriedAsync(AsyncSide):
    label = "storied"

    def __init__(self, loop: asyncio.AbstractEventLoop, url: str, data: Data) -> None:
        super().__init__(loop)
        self.db = loop.run_until_complete(AsyncDatabase(url).connect())
        self.data = data
        self.reads = self.db.repository(BenchItem, tenant_id=data.read_tenant, actor=ACTOR)
        self.writes = self.db.repository(BenchItem, tenant_id=data.write_tenant, actor=ACTOR)
        self.batches = {
            "create": self.create,
            "get": self.get,
            "update": self.update,
            "list": self.list_rows,
            "rows": self.plain_rows,
        }

    async def create(self, n: int) -> None:
        repo, next_sku = self.writes, self.data.next_sku
        for _ in range(n):
            await repo.create(BenchItem(sku=next_sku(), name=NAME, price=PRICE, stock=STOCK))

    async def get(self, n: int) -> None:
        repo, ids = self.reads, self.data.ids
        for i in range(n):
            await repo.get(ids[i % len(ids)])

    async def update(self, n: int) -> None:
        repo, ids = self.reads, self.data.ids
        for i in range(n):
            await repo.update(ids[i % len(ids)], stock=i)

    async def list_rows(self, n: int) -> None:
        repo, rows = self.reads, self.data.rows
        for _ in range(n):
            await repo.list(limit=rows)

    async def plain_rows(self, n: int) -> None:
        repo, rows = self.reads, self.data.rows
        for _ in range(n):
            await repo.query().limit(rows).tuples().all()

    def statements(self) -> list[str]:
        return [c.sql for c in self.db._async_executor().cache._entries.values()]

    async def aclose(self) -> None:
        await self.db.close()
