"""Helpers for the connection tests: a Database of the test's own, and ending its connections.

Fault tests act only on connections the test made: the server ends the session storied holds
idle (PostgreSQL ``pg_terminate_backend`` of its own pid, MariaDB ``KILL`` of its own id); on
SQLite, which has no server, the idle driver connection is closed under storied.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock, Model
from tests.integration.conftest import Store, settle

#: the session id of the connection a statement runs on
SESSION_ID = {
    "postgresql": "SELECT pg_backend_pid()",
    "mysql": "SELECT CONNECTION_ID()",
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@asynccontextmanager
async def connected(
    mode: str, db_url: str, async_url: str, *models: type[Model], **options: Any
) -> AsyncIterator[Store]:
    """A connected Database (``mode`` sync) or AsyncDatabase with ``options``; the models'
    tables exist for the block and are dropped after."""
    clock = FrozenClock()
    db: Database | AsyncDatabase
    if mode == "sync":
        db = Database(db_url, clock=clock, **options).connect()
    else:
        db = await AsyncDatabase(async_url, clock=clock, **options).connect()
    store = Store(db, clock, db_url)
    try:
        await settle(db.drop_all(models))
        await settle(db.create_all(models))
        yield store
    finally:
        try:
            await settle(db.drop_all(models))
        finally:
            await settle(db.close())


async def idle_session(store: Store) -> Any:
    """The server's id of the connection storied holds idle (the one the next call takes)."""
    dialect = store.db.dialect_name
    if dialect == "sqlite":
        return None
    return await settle(store.db.fetch_value(SESSION_ID[dialect]))


def idle_leases(store: Store) -> list[Any]:
    db: Any = store.db
    executor = db._async_executor() if store.is_async else db._sync_executor()
    return executor.pool._idle  # type: ignore[no-any-return]


async def drop_idle_connection(store: Store) -> None:
    """End the connection storied holds idle, as a restart or an idle timeout would."""
    dialect = store.db.dialect_name
    if dialect == "sqlite":
        lease = idle_leases(store)[-1]
        await settle(lease.driver.close())
        return
    ident = await idle_session(store)
    admin = sa.create_engine(store.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            if dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": ident})
                alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = :p"
            else:
                conn.exec_driver_sql(f"KILL {int(ident)}")
                alive = "SELECT count(*) FROM information_schema.processlist WHERE id = :p"
            deadline = time.monotonic() + 10
            while conn.execute(sa.text(alive), {"p": ident}).scalar():
                assert time.monotonic() < deadline, "the server did not end the session"
                time.sleep(0.02)
    finally:
        admin.dispose()
    time.sleep(0.05)  # let the client side see the close (asyncio drivers notice it at once)
