"""Concurrent writes to one row serialize: a complete, ordered history and no lost update.

20 threads (sync) or 20 asyncio tasks (async) update one row at once, each on its own pooled
connection, on every backend (SQLite as a file). The free-running races read a ticking clock
(scd2's fast path), the expected_version races a frozen one (its locked slow path). A worker
retries only when the database says so (ConflictError, DatabaseTimeout); nothing here depends
on timing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any
from uuid import uuid4

import sqlalchemy as sa

from storied import AsyncDatabase, ConflictError, Database, DatabaseTimeout, FrozenClock, Model
from tests.integration.temporal_support import (
    audit_rows,
    check_chain,
    select_rows,
    version_rows,
    versions_table,
)
from tests.models import Account, Price

WORKERS = 20
ROUNDS = 2
RETRYABLE = (ConflictError, DatabaseTimeout)


class TickingClock(FrozenClock):
    """Moves one millisecond each time it is read: every write starts after the previous one,
    so scd2 updates take their fast path (close with RETURNING) whenever nobody interferes."""

    def now(self) -> dt.datetime:
        return self.advance(milliseconds=1)


def _changes(worker: int, round: int) -> dict[str, Any]:
    """Values no other write uses, so every update really changes the row."""
    return {"counter": worker * 100 + round, "meta": {"by": worker, "round": round}}


def _seed(model: type[Model]) -> dict[str, Any]:
    if model is Account:
        return {"code": "C1", "owner": "Ada", "balance": Decimal("1.00")}
    return {"sku": "S1", "amount": Decimal("1.00")}


def _run_threads(work: Callable[[int], Any]) -> list[Any]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(work, range(WORKERS)))


def _retry_sync(write: Callable[[], Any]) -> Any:
    for _ in range(200):
        try:
            return write()
        except RETRYABLE:
            continue
    raise AssertionError("a write kept failing")


async def _retry_async(write: Callable[[], Awaitable[Any]]) -> Any:
    for _ in range(200):
        try:
            return await write()
        except RETRYABLE:
            await asyncio.sleep(0)
    raise AssertionError("a write kept failing")


# --- checks shared by sync and async ---------------------------------------------------------
async def _check_audit(db: Database | AsyncDatabase, created: Any, results: list[Any]) -> None:
    """Every update has its change set, in the order the row really went through them."""
    repo = db.repository(Account, tenant_id=created.tenant_id)
    updates = [m for batch in results for m in batch]
    assert sorted(m.version for m in updates) == list(range(2, 2 + WORKERS * ROUNDS))
    history = repo.history(created.id)
    if isinstance(db, AsyncDatabase):
        history = await history
    assert [cs.operation for cs in history] == ["create"] + ["update"] * len(updates)
    state = {f: new for f, (_, new) in history[0].changes.items()}
    for cs in history[1:]:
        for name, (old, new) in cs.changes.items():
            assert state[name] == old  # each change starts where the previous one ended
            state[name] = new
    final = repo.get(created.id)
    if isinstance(db, AsyncDatabase):
        final = await final
    assert {f: getattr(final, f) for f in state} == state
    assert final.version == 1 + len(updates)
    rows = await audit_rows(db, Account, created.id)
    sets = [r["change_set"] for r in rows]
    runs = [s for i, s in enumerate(sets) if i == 0 or sets[i - 1] != s]
    assert len(runs) == len(set(sets)) == 1 + len(updates)  # no interleaving of change sets


async def _check_versions(db: Database | AsyncDatabase, created: Any, results: list[Any]) -> None:
    """One contiguous chain 1..N, one current version, and each update is its own version."""
    updates = [m for batch in results for m in batch]
    rows = await version_rows(db, Price, created.id)
    assert len(rows) == 1 + len(updates)
    check_chain(rows)
    table = versions_table(db, Price)
    current = await select_rows(
        db, sa.select(sa.func.count()).where(table.c.id == created.id, table.c.valid_to.is_(None))
    )
    assert list(current[0].values()) == [1]
    by_version = {r["version"]: r for r in rows}
    assert sorted(m.version for m in updates) == list(range(2, 2 + len(updates)))
    for m in updates:
        stored = by_version[m.version]
        assert (stored["counter"], stored["meta"]) == (m.counter, m.meta)
        assert stored["valid_from"] == m.updated_at
    assert rows[-1]["counter"] == max(updates, key=lambda m: m.version).counter


# --- sync: threads ---------------------------------------------------------------------------
def _sync_race(db: Database, model: type[Model]) -> tuple[Any, list[Any]]:
    db.clock = TickingClock()
    db.create_all([model])
    tenant = uuid4()
    created = db.repository(model, tenant_id=tenant, actor="seed").create(_seed(model))
    barrier = threading.Barrier(WORKERS, timeout=60)

    def work(n: int) -> list[Any]:
        repo = db.repository(model, tenant_id=tenant, actor=f"w{n}")
        barrier.wait()
        return [
            _retry_sync(lambda r=r: repo.update(created.id, **_changes(n, r)))
            for r in range(ROUNDS)
        ]

    return created, _run_threads(work)


async def test_threads_updating_an_audited_row_leave_a_complete_history(db: Database) -> None:
    created, results = _sync_race(db, Account)
    await _check_audit(db, created, results)


async def test_threads_updating_a_versioned_row_build_one_chain(db: Database) -> None:
    created, results = _sync_race(db, Price)
    await _check_versions(db, created, results)


def _increment_sync(repo: Any, id: Any) -> int:
    """One read-modify-write with expected_version, retried until it wins."""
    for _ in range(500):
        current = repo.get(id)
        try:
            repo.update(id, counter=current.counter + 1, expected_version=current.version)
        except RETRYABLE:
            continue
        return 1
    raise AssertionError("an increment never won")


async def test_threads_incrementing_a_versioned_row_lose_no_update(db: Database) -> None:
    """scd2 here; copy_on_change in the async twin below (the racing test covers both)."""
    db.create_all([Price])
    repo = db.repository(Price, tenant_id=uuid4())
    created = repo.create(_seed(Price))
    wins = _run_threads(lambda _: _increment_sync(repo, created.id))
    final = repo.get(created.id)
    assert final.counter == sum(wins) == WORKERS
    assert final.version == 1 + WORKERS
    counts = [c.new for c in repo.field_history(created.id, "counter")]
    assert counts == list(range(WORKERS + 1))
    check_chain(await version_rows(db, Price, created.id))


def test_threads_racing_on_one_version_let_exactly_one_win(db: Database) -> None:
    for model in (Account, Price):
        db.create_all([model])
        repo = db.repository(model, tenant_id=uuid4())
        created = repo.create(_seed(model))
        barrier = threading.Barrier(WORKERS, timeout=60)

        def attempt(
            n: int, repo: Any = repo, created: Any = created, barrier: Any = barrier
        ) -> Any:
            current = repo.get(created.id)
            barrier.wait()
            try:
                repo.update(created.id, counter=n + 1, expected_version=current.version)
            except ConflictError as exc:
                return exc
            return True

        results = _run_threads(attempt)
        assert results.count(True) == 1
        assert all(isinstance(r, ConflictError) for r in results if r is not True)
        final = repo.get(created.id)
        assert final.version == 2
        assert len(repo.history(created.id)) == 2


# --- async: tasks ----------------------------------------------------------------------------
async def _async_race(adb: AsyncDatabase, model: type[Model]) -> tuple[Any, list[Any]]:
    adb.clock = TickingClock()
    await adb.create_all([model])
    tenant = uuid4()
    created = await adb.repository(model, tenant_id=tenant, actor="seed").create(_seed(model))
    start = asyncio.Event()

    async def work(n: int) -> list[Any]:
        repo = adb.repository(model, tenant_id=tenant, actor=f"w{n}")
        await start.wait()
        out = []
        for r in range(ROUNDS):
            out.append(await _retry_async(lambda r=r: repo.update(created.id, **_changes(n, r))))
        return out

    tasks = [asyncio.create_task(work(n)) for n in range(WORKERS)]
    await asyncio.sleep(0)
    start.set()
    return created, list(await asyncio.gather(*tasks))


async def test_tasks_updating_an_audited_row_leave_a_complete_history(adb: AsyncDatabase) -> None:
    created, results = await _async_race(adb, Account)
    await _check_audit(adb, created, results)


async def test_tasks_updating_a_versioned_row_build_one_chain(adb: AsyncDatabase) -> None:
    created, results = await _async_race(adb, Price)
    await _check_versions(adb, created, results)


async def test_tasks_incrementing_an_audited_row_lose_no_update(adb: AsyncDatabase) -> None:
    await adb.create_all([Account])
    repo = adb.repository(Account, tenant_id=uuid4())
    created = await repo.create(_seed(Account))

    async def increment() -> int:
        for _ in range(500):
            current = await repo.get(created.id)
            try:
                await repo.update(
                    created.id, counter=current.counter + 1, expected_version=current.version
                )
            except RETRYABLE:
                continue
            return 1
        raise AssertionError("an increment never won")

    wins = await asyncio.gather(*(increment() for _ in range(WORKERS)))
    final = await repo.get(created.id)
    assert final.counter == sum(wins) == WORKERS
    assert final.version == 1 + WORKERS
    counts = [c.new for c in await repo.field_history(created.id, "counter")]
    assert counts == list(range(WORKERS + 1))
