"""Statement timeouts: ``Database(statement_timeout=…)``, overridable per transaction.

PostgreSQL ends the statement (``statement_timeout``), MariaDB too (``max_statement_time``),
SQLite's progress handler interrupts it; each is ``DatabaseTimeout``, and the connection works
afterwards.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from storied import DatabaseTimeout
from tests.integration.conftest import Store, settle
from tests.integration.conn_support import connected, mode

__all__ = ["mode"]

#: a statement that runs for seconds on each backend
SLOW = {
    "postgresql": "SELECT pg_sleep(5)",
    "mysql": "SELECT SLEEP(5)",
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT count(*) FROM (SELECT x FROM c LIMIT 500000000)"
    ),
}
#: the session's setting, read back (SQLite: none; its timer lives in storied)
SETTING = {
    "postgresql": "SELECT current_setting('statement_timeout')",
    "mysql": "SELECT @@max_statement_time",
}


async def slow_times_out(store: Store) -> float:
    start = time.monotonic()
    with pytest.raises(DatabaseTimeout) as caught:
        await settle(store.db.fetch_value(SLOW[store.db.dialect_name]))
    assert caught.value.__cause__ is None
    return time.monotonic() - start


async def test_the_databases_statement_timeout_stops_a_slow_query(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(mode, db_url, async_url, statement_timeout=0.5) as store:
        elapsed = await slow_times_out(store)
        assert elapsed < 4
        assert await settle(store.db.fetch_value("SELECT 1")) == 1  # the connection works


async def test_a_transaction_sets_its_own_statement_timeout(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db
        before = await setting(store)

        async def slow_in_transaction() -> None:
            if store.is_async:
                async with db.transaction(statement_timeout=0.5):
                    await db.fetch_value(SLOW[db.dialect_name])
            else:
                with db.transaction(statement_timeout=0.5):
                    db.fetch_value(SLOW[db.dialect_name])

        with pytest.raises(DatabaseTimeout):
            await slow_in_transaction()
        # afterwards the Database's own setting (none) is back, on a working connection
        assert await settle(db.fetch_value("SELECT 1")) == 1
        assert await setting(store) == before
        async with store.transaction():
            assert await settle(db.fetch_value("SELECT 2")) == 2


async def setting(store: Store) -> Any:
    dialect = store.db.dialect_name
    if dialect == "sqlite":
        await settle(store.db.fetch_value("SELECT 1"))  # a connection, idle in the pool
        db: Any = store.db
        executor = db._async_executor() if store.is_async else db._sync_executor()
        timer = executor.pool._idle[-1].timer
        return None if timer is None else timer.limit
    return str(await settle(store.db.fetch_value(SETTING[dialect])))


async def test_a_nested_transaction_cannot_change_the_timeout(
    mode: str, db_url: str, async_url: str
) -> None:
    from storied import ConfigurationError

    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db

        async def nested() -> None:
            async with store.transaction():
                if store.is_async:
                    async with db.transaction(statement_timeout=1):
                        pass
                else:
                    with db.transaction(statement_timeout=1):
                        pass

        with pytest.raises(ConfigurationError, match="statement timeout"):
            await nested()
