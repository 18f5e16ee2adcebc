"""A write the database rolled back whole (a deadlock) is run again when it ran in a
transaction of its own, and left to the caller inside theirs.

Two writers cross: each updates one row, then (in an ``after_update`` hook, inside the write's
transaction) the row the other one holds. The database breaks the cycle by rolling one back;
storied runs that write again, once, so both land exactly once. SQLite has one writer at a
time, so writes never cross there; its part is the concurrency test at the end.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import AsyncDatabase, Database, Field, Model, TransactionConflict

SERVERS = [
    pytest.param("postgresql", marks=pytest.mark.postgresql),
    pytest.param("mysql", marks=pytest.mark.mysql),
]


class RtLeft(Model, table="rt_left"):
    count: int = 0


class RtRight(Model, table="rt_right"):
    count: int = 0


class RtVersioned(Model, table="rt_versioned", history="scd2"):
    name: str = Field(max_length=50)
    count: int = 0


INSIDE: contextvars.ContextVar[bool] = contextvars.ContextVar("rt_inside", default=False)


class Crossing:
    """Rows ``left`` and ``right``; a hook on each model updates the other model's row.

    The first run of each hook waits until both writers hold their own row, so the two
    transactions wait on each other: a deadlock, every time. ``runs`` counts hook runs."""

    def __init__(self, db: Database | AsyncDatabase, tenant: UUID) -> None:
        self.db, self.tenant = db, tenant
        self.runs: Counter[str] = Counter()
        self.barrier = threading.Barrier(2, timeout=30)
        self.abarrier = asyncio.Barrier(2)

    def enter(self, name: str) -> bool | None:
        """None inside a hook's own write (no further crossing), else whether it is the
        hook's first run."""
        if INSIDE.get():
            return None
        self.runs[name] += 1
        return self.runs[name] == 1

    def cross(self, name: str, target: type[Model], target_id: Any) -> Any:
        def hook(repo: Any, model: Any) -> None:
            first = self.enter(name)
            if first is None:
                return
            token = INSIDE.set(True)
            try:
                if first:
                    self.barrier.wait()
                self.db.repository(target, tenant_id=self.tenant).update(target_id, count=1)
            finally:
                INSIDE.reset(token)

        return hook

    def across(self, name: str, target: type[Model], target_id: Any) -> Any:
        async def hook(repo: Any, model: Any) -> None:
            first = self.enter(name)
            if first is None:
                return
            token = INSIDE.set(True)
            try:
                if first:
                    await asyncio.wait_for(self.abarrier.wait(), 30)
                other = self.db.repository(target, tenant_id=self.tenant)
                await other.update(target_id, count=1)
            finally:
                INSIDE.reset(token)

        return hook


def _sync_crossing(db: Database, tenant: UUID) -> tuple[Crossing, Any, Any]:
    db.create_all([RtLeft, RtRight])
    left = db.repository(RtLeft, tenant_id=tenant).create(RtLeft())
    right = db.repository(RtRight, tenant_id=tenant).create(RtRight())
    crossing = Crossing(db, tenant)
    db.hook("after_update", RtLeft)(crossing.cross("left", RtRight, right.id))
    db.hook("after_update", RtRight)(crossing.cross("right", RtLeft, left.id))
    return crossing, left, right


def _versions(db: Database, tenant: UUID, left: Any, right: Any) -> tuple[int, int]:
    return (
        db.repository(RtLeft, tenant_id=tenant).get(left.id).version,
        db.repository(RtRight, tenant_id=tenant).get(right.id).version,
    )


@pytest.mark.parametrize("backend", SERVERS)
def test_a_deadlocked_write_outside_a_transaction_is_run_again(db_url: str) -> None:
    tenant = uuid4()
    with Database(db_url) as db:
        crossing, left, right = _sync_crossing(db, tenant)
        lefts, rights = (
            db.repository(RtLeft, tenant_id=tenant),
            db.repository(RtRight, tenant_id=tenant),
        )
        with ThreadPoolExecutor(2) as pool:
            futures = [
                pool.submit(lefts.update, left.id, count=1),
                pool.submit(rights.update, right.id, count=1),
            ]
            for future in futures:
                future.result()  # neither raised
        # each row: its own update and the other writer's, once each (create: version 1)
        assert _versions(db, tenant, left, right) == (3, 3)
        assert sorted(crossing.runs.values()) == [1, 2]  # the rolled-back write ran again


@pytest.mark.parametrize("backend", SERVERS)
def test_inside_a_transaction_the_deadlock_is_the_callers(db_url: str) -> None:
    tenant = uuid4()
    with Database(db_url) as db:
        crossing, left, right = _sync_crossing(db, tenant)
        lefts, rights = (
            db.repository(RtLeft, tenant_id=tenant),
            db.repository(RtRight, tenant_id=tenant),
        )

        def in_transaction(repo: Any, id: Any) -> BaseException | None:
            try:
                with db.transaction():
                    repo.update(id, count=1)
            except TransactionConflict as exc:
                return exc
            return None

        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(in_transaction, [lefts, rights], [left.id, right.id]))
        assert sum(isinstance(o, TransactionConflict) for o in outcomes) == 1
        assert sorted(crossing.runs.values()) == [1, 1]  # not run again
        assert _versions(db, tenant, left, right) == (2, 2)  # the winner's two writes only


@pytest.mark.parametrize("backend", SERVERS)
async def test_an_async_deadlocked_write_is_run_again(async_url: str) -> None:
    tenant = uuid4()
    async with AsyncDatabase(async_url) as db:
        await db.create_all([RtLeft, RtRight])
        left = await db.repository(RtLeft, tenant_id=tenant).create(RtLeft())
        right = await db.repository(RtRight, tenant_id=tenant).create(RtRight())
        crossing = Crossing(db, tenant)
        db.hook("after_update", RtLeft)(crossing.across("left", RtRight, right.id))
        db.hook("after_update", RtRight)(crossing.across("right", RtLeft, left.id))
        lefts = db.repository(RtLeft, tenant_id=tenant)
        rights = db.repository(RtRight, tenant_id=tenant)
        await asyncio.gather(lefts.update(left.id, count=1), rights.update(right.id, count=1))
        got = ((await lefts.get(left.id)).version, (await rights.get(right.id)).version)
        assert got == (3, 3)
        assert sorted(crossing.runs.values()) == [1, 2]


def test_concurrent_scd2_writes_to_different_rows_all_land(db_url: str) -> None:
    """MariaDB's unique index on the current version locks the gap next to a neighbouring
    id's entry, so writers of different rows deadlock now and then (about 1 in 20 here
    before writes were run again): every one must land, once."""
    tenant = uuid4()
    with Database(db_url) as db:
        db.create_all([RtVersioned])
        repo = db.repository(RtVersioned, tenant_id=tenant)

        def work(worker: int) -> list[Any]:
            ids = []
            for i in range(40):
                row = repo.create(RtVersioned(name=f"w{worker}-{i}"))
                repo.update(row.id, count=1)
                ids.append(row.id)
            return ids

        with ThreadPoolExecutor(4) as pool:
            ids = [i for batch in pool.map(work, range(4)) for i in batch]
        rows = repo.get_many(ids)
        assert len(rows) == 160
        assert {(r.version, r.count) for r in rows} == {(2, 1)}
        assert {len(repo.versions(i)) for i in ids[:20]} == {2}
