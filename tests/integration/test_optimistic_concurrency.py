"""expected_version: concurrent read-modify-write never loses an update.

Sync runs 20 threads, async 20 tasks, each on its own pooled connection. A barrier between the
read and the write makes every worker hold the same stale version, so exactly one may win.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import uuid4

import pytest

from storied import AsyncDatabase, ConflictError, Database
from tests.models import Counter

WORKERS = 20


def _outcomes(results: list[Any]) -> tuple[int, list[BaseException]]:
    wins = sum(1 for r in results if r is True)
    errors = [r for r in results if isinstance(r, BaseException)]
    return wins, errors


# --- sync: threads ---------------------------------------------------------------------------
@pytest.fixture
def counter_repo(db: Database) -> Any:
    db.create_all([Counter])
    return db.repository(Counter, tenant_id=uuid4())


def test_threads_racing_on_one_version_let_exactly_one_win(counter_repo: Any) -> None:
    counter = counter_repo.create(Counter(name="hits"))
    barrier = threading.Barrier(WORKERS, timeout=60)

    def attempt() -> bool | BaseException:
        current = counter_repo.get(counter.id)
        barrier.wait()
        try:
            counter_repo.update(
                counter.id, value=current.value + 1, expected_version=current.version
            )
        except Exception as exc:
            return exc
        return True

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda _: attempt(), range(WORKERS)))
    wins, errors = _outcomes(results)
    assert wins == 1
    assert len(errors) == WORKERS - 1
    assert all(isinstance(e, ConflictError) for e in errors), errors
    final = counter_repo.get(counter.id)
    assert final.value == wins
    assert final.version == 1 + wins


def test_threads_without_a_barrier_never_lose_an_update(counter_repo: Any) -> None:
    counter = counter_repo.create(Counter(name="hits"))

    def attempt() -> bool | BaseException:
        current = counter_repo.get(counter.id)
        try:
            counter_repo.update(
                counter.id, value=current.value + 1, expected_version=current.version
            )
        except Exception as exc:
            return exc
        return True

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda _: attempt(), range(WORKERS)))
    wins, errors = _outcomes(results)
    assert wins + len(errors) == WORKERS
    assert all(isinstance(e, ConflictError) for e in errors), errors
    final = counter_repo.get(counter.id)
    assert final.value == wins >= 1
    assert final.version == 1 + wins


def test_threads_that_retry_on_conflict_all_succeed(counter_repo: Any) -> None:
    counter = counter_repo.create(Counter(name="hits"))
    barrier = threading.Barrier(WORKERS, timeout=60)

    def increment() -> None:
        barrier.wait()
        while True:
            current = counter_repo.get(counter.id)
            try:
                counter_repo.update(
                    counter.id, value=current.value + 1, expected_version=current.version
                )
                return
            except ConflictError:
                continue

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(increment) for _ in range(WORKERS)]:
            future.result()
    final = counter_repo.get(counter.id)
    assert final.value == WORKERS
    assert final.version == 1 + WORKERS


# --- async: tasks ----------------------------------------------------------------------------
@pytest.fixture
async def async_counter_repo(adb: AsyncDatabase) -> Any:
    await adb.create_all([Counter])
    return adb.repository(Counter, tenant_id=uuid4())


async def test_tasks_racing_on_one_version_let_exactly_one_win(async_counter_repo: Any) -> None:
    repo = async_counter_repo
    counter = await repo.create(Counter(name="hits"))
    barrier = asyncio.Barrier(WORKERS)

    async def attempt() -> bool:
        current = await repo.get(counter.id)
        await barrier.wait()
        await repo.update(counter.id, value=current.value + 1, expected_version=current.version)
        return True

    async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
        results = await asyncio.gather(*(attempt() for _ in range(WORKERS)), return_exceptions=True)
    wins, errors = _outcomes(results)
    assert wins == 1
    assert len(errors) == WORKERS - 1
    assert all(isinstance(e, ConflictError) for e in errors), errors
    final = await repo.get(counter.id)
    assert final.value == wins
    assert final.version == 1 + wins


async def test_tasks_without_a_barrier_never_lose_an_update(async_counter_repo: Any) -> None:
    repo = async_counter_repo
    counter = await repo.create(Counter(name="hits"))

    async def attempt() -> bool:
        current = await repo.get(counter.id)
        await repo.update(counter.id, value=current.value + 1, expected_version=current.version)
        return True

    async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
        results = await asyncio.gather(*(attempt() for _ in range(WORKERS)), return_exceptions=True)
    wins, errors = _outcomes(results)
    assert wins + len(errors) == WORKERS
    assert all(isinstance(e, ConflictError) for e in errors), errors
    final = await repo.get(counter.id)
    assert final.value == wins >= 1
    assert final.version == 1 + wins


async def test_tasks_that_retry_on_conflict_all_succeed(async_counter_repo: Any) -> None:
    repo = async_counter_repo
    counter = await repo.create(Counter(name="hits"))
    barrier = asyncio.Barrier(WORKERS)

    async def increment() -> None:
        await barrier.wait()
        while True:
            current = await repo.get(counter.id)
            try:
                await repo.update(
                    counter.id, value=current.value + 1, expected_version=current.version
                )
                return
            except ConflictError:
                await asyncio.sleep(0)

    async with asyncio.timeout(60):
        await asyncio.gather(*(increment() for _ in range(WORKERS)))
    final = await repo.get(counter.id)
    assert final.value == WORKERS
    assert final.version == 1 + WORKERS
