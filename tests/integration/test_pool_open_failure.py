"""A connection whose set-up fails (the pool's ``on_open``: statement timeouts, session settings)
is closed and its slot freed: the pool is not left one connection short, sync or async."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from storied.engine.pool import AsyncPool, PoolLimits, SyncPool

pytestmark = pytest.mark.sqlite


class SetupFailed(Exception):
    pass


def _failing(lease: Any) -> None:
    raise SetupFailed


def test_a_failed_setup_frees_its_slot(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/p.db")
    pool = SyncPool(engine, PoolLimits(size=1, overflow=0, timeout=1.0, ping_after=1.0))
    pool.on_open = _failing
    for _ in range(3):  # with the slot leaked, the second attempt would wait and time out
        with pytest.raises(SetupFailed):
            pool.acquire()
    assert pool.status().in_use == 0
    pool.on_open = None
    pool.release(pool.acquire())
    pool.close()
    engine.dispose()


async def test_a_failed_async_setup_frees_its_slot(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/p.db")

    async def ping(driver: Any) -> None:
        return None

    async def failing(lease: Any) -> None:
        raise SetupFailed

    pool = AsyncPool(engine, PoolLimits(size=1, overflow=0, timeout=1.0, ping_after=1.0), ping)
    pool.on_open = failing
    for _ in range(3):
        with pytest.raises(SetupFailed):
            await pool.acquire()
    assert pool.status().in_use == 0
    pool.on_open = None
    await pool.release(await pool.acquire())
    await pool.close()
