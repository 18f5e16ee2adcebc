"""Concurrent writers of one key: the object is one writer's bytes with that writer's metadata."""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor

from storied import ObjectExistsError
from tests.storage.conftest import Objects

WRITERS = 8


def _payload(n: int) -> bytes:
    return bytes([n]) * (256 * 1024 + n)


async def _all(objects: Objects, work: list) -> list:
    """Run the calls at once: threads for the sync store, gather for the async one."""
    if objects.is_async:
        return await asyncio.gather(*(fn() for fn in work), return_exceptions=True)

    def call(fn):  # type: ignore[no-untyped-def]
        try:
            return asyncio.run(fn())
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(call, work))


async def test_writers_of_one_key_never_tear_it(objects: Objects) -> None:
    def writer(n: int):  # type: ignore[no-untyped-def]
        return lambda: objects.put("hot", _payload(n), metadata={"writer": str(n)})

    for _ in range(3):
        results = await _all(objects, [writer(n) for n in range(WRITERS)])
        assert not [r for r in results if isinstance(r, BaseException)]
        data = await objects.get("hot")
        info = await objects.head("hot")
        n = int(info.metadata["writer"])
        assert data == _payload(n)  # whole, and the one its metadata names
        assert info.sha256 == hashlib.sha256(data).hexdigest()


async def test_one_create_only_writer_wins(objects: Objects) -> None:
    def writer(n: int):  # type: ignore[no-untyped-def]
        return lambda: objects.put("once", _payload(n), create_only=True)

    results = await _all(objects, [writer(n) for n in range(WRITERS)])
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(r, ObjectExistsError) for r in results if r not in winners)
    assert (await objects.head("once")).sha256 == winners[0].sha256
