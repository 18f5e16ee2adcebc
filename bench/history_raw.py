"""The raw drivers updating one row per temporal strategy, as storied does (see
:mod:`bench.history_sql` for the statements).

The raw side decides what storied decides (does the value change? which version comes next?)
on the values exactly as the driver returns them, and encodes what it writes by hand (JSON text
for audit values, a fresh change-set id, one "now" per transaction). It builds no objects.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .history_sql import STOCK, VERSION, HistorySQL, history_sql
from .raw import COLUMNS, MYSQL, POSTGRESQL, SQLITE, Encoding, connect_sync
from .raw_async import connect_async
from .targets import Target
from .workloads import ACTOR, AsyncSide, SyncSide

UPDATED_AT = COLUMNS.index("updated_at")
UPDATED_BY = COLUMNS.index("updated_by")
WIDTH = len(COLUMNS)
TICK = dt.timedelta(microseconds=1)
ENCODINGS = {"sqlite": SQLITE, "postgresql": POSTGRESQL, "mysql": MYSQL}


@dataclass
class Rows:
    """The raw side's encoded ids per strategy, its tenant and the next stock values."""

    enc: Encoding
    tenant: Any
    ids: dict[str, list[Any]]
    values: Iterator[int]

    def pick(self, strategy: str, i: int) -> Any:
        ids = self.ids[strategy]
        return ids[i % len(ids)]


def next_version(row: Sequence[Any], value: int, at: Any) -> tuple[Any, ...]:
    """The version after ``row`` (model columns as read): the new stock, stamps, validity."""
    new = list(row)[:WIDTH]
    new[STOCK] = value
    new[VERSION] += 1
    new[UPDATED_AT] = at
    new[UPDATED_BY] = ACTOR
    return (*new, at, None)


def audit_row(rows: Rows, id: Any, old: Any, new: Any, now: Any) -> tuple[Any, ...]:
    change_set = rows.enc.uuid(uuid.uuid4())
    old_value, new_value = json.dumps(old), json.dumps(new)
    return (id, rows.tenant, change_set, "update", "stock", old_value, new_value, ACTOR, now)


class RawHistorySync(SyncSide):
    """sqlite3, psycopg or pymysql through one DB-API cursor kept for the connection."""

    label = "raw"

    def __init__(self, target: Target, sql: HistorySQL, rows: Rows) -> None:
        super().__init__()
        self.conn = connect_sync(target)
        self.cursor = self.conn.cursor()
        self.sql, self.rows = sql, rows
        self.locks = target.backend != "sqlite"
        scd2 = self.versioned if sql.returning else self.versioned_locked
        self.batches = {
            "update none": self.none,
            "update copy_on_change": self.audited,
            "update scd2": scd2,
        }

    def none(self, n: int) -> None:
        cur, sql, rows = self.cursor, self.sql.none, self.rows
        for i in range(n):
            id = rows.pick("none", i)
            params = (next(rows.values), rows.enc.now(), ACTOR, id, rows.tenant)
            if sql.update_returning:
                cur.execute(sql.update, params)
                cur.fetchone()
                continue
            cur.execute("BEGIN")
            cur.execute(sql.update, params)
            cur.execute(sql.get, (id, rows.tenant))
            cur.fetchone()
            cur.execute("COMMIT")

    def audited(self, n: int) -> None:
        cur, sql, rows = self.cursor, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("copy_on_change", i), next(rows.values), rows.enc.now()
            cur.execute(sql.begin)
            cur.execute(sql.cc_lock, (id, rows.tenant))
            old = cur.fetchone()[STOCK]
            if old != value:
                cur.execute(sql.cc_update, (value, now, ACTOR, id, rows.tenant))
                cur.execute(sql.cc_audit, audit_row(rows, id, old, value, now))
            cur.execute("COMMIT")

    def versioned(self, n: int) -> None:
        cur, sql, rows = self.cursor, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("scd2", i), next(rows.values), rows.enc.now()
            lock = (id, rows.tenant) if self.locks else ()
            cur.execute(sql.begin)
            cur.execute(sql.close, (now, *lock, id, rows.tenant, now, value))
            old = cur.fetchone()
            if old is None:
                raise RuntimeError(f"raw scd2 close matched nothing for {id}")
            cur.execute(sql.insert_version, next_version(old, value, now))
            cur.execute("COMMIT")

    def versioned_locked(self, n: int) -> None:
        cur, sql, rows = self.cursor, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("scd2", i), next(rows.values), rows.enc.now()
            cur.execute(sql.begin)
            cur.execute(sql.identity_lock, (id, rows.tenant))
            cur.fetchone()
            cur.execute(sql.current_lock, (id, rows.tenant))
            old = cur.fetchone()
            if old[STOCK] != value:
                at = max(now, old[WIDTH + 1] + TICK)
                cur.execute(sql.close_row, (at, old[WIDTH]))
                cur.execute(sql.insert_version, next_version(old, value, at))
            cur.execute("COMMIT")

    def statements(self) -> dict[str, list[str]]:
        return self.sql.statements()

    def close(self) -> None:
        self.cursor.close()
        self.conn.close()


class _Driver:
    """The two calls the async raw side makes, in each driver's own form."""

    run: Callable[[str, Sequence[Any]], Any]
    one: Callable[[str, Sequence[Any]], Any]


class _Aiosqlite(_Driver):
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def run(self, sql: str, params: Sequence[Any]) -> None:
        await self.conn.execute(sql, params)

    async def one(self, sql: str, params: Sequence[Any]) -> Any:
        rows = await self.conn.execute_fetchall(sql, params)
        return rows[0] if rows else None


class _Asyncpg(_Driver):
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def run(self, sql: str, params: Sequence[Any]) -> None:
        await self.conn.execute(sql, *params)

    async def one(self, sql: str, params: Sequence[Any]) -> Any:
        return await self.conn.fetchrow(sql, *params)


class _Asyncmy(_Driver):
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.cursor = conn.cursor()

    async def run(self, sql: str, params: Sequence[Any]) -> None:
        await self.cursor.execute(sql, params)

    async def one(self, sql: str, params: Sequence[Any]) -> Any:
        await self.cursor.execute(sql, params)
        return await self.cursor.fetchone()


DRIVERS: dict[str, Callable[[Any], _Driver]] = {
    "sqlite": _Aiosqlite,
    "postgresql": _Asyncpg,
    "mysql": _Asyncmy,
}


class RawHistoryAsync(AsyncSide):
    """aiosqlite, asyncpg or asyncmy: the same updates, awaited."""

    label = "raw"

    def __init__(self, loop: asyncio.AbstractEventLoop, target: Target, rows: Rows) -> None:
        super().__init__(loop)
        self.conn = loop.run_until_complete(connect_async(target))
        self.driver = DRIVERS[target.backend](self.conn)
        self.sql = history_sql(target.backend, dollar=target.backend == "postgresql")
        self.rows = rows
        self.locks = target.backend != "sqlite"
        scd2 = self.versioned if self.sql.returning else self.versioned_locked
        self.batches = {
            "update none": self.none,
            "update copy_on_change": self.audited,
            "update scd2": scd2,
        }

    async def none(self, n: int) -> None:
        run, one, sql, rows = self.driver.run, self.driver.one, self.sql.none, self.rows
        for i in range(n):
            id = rows.pick("none", i)
            params = (next(rows.values), rows.enc.now(), ACTOR, id, rows.tenant)
            if sql.update_returning:
                await one(sql.update, params)
                continue
            await run("BEGIN", ())
            await run(sql.update, params)
            await one(sql.get, (id, rows.tenant))
            await run("COMMIT", ())

    async def audited(self, n: int) -> None:
        run, one, sql, rows = self.driver.run, self.driver.one, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("copy_on_change", i), next(rows.values), rows.enc.now()
            await run(sql.begin, ())
            old = (await one(sql.cc_lock, (id, rows.tenant)))[STOCK]
            if old != value:
                await run(sql.cc_update, (value, now, ACTOR, id, rows.tenant))
                await run(sql.cc_audit, audit_row(rows, id, old, value, now))
            await run("COMMIT", ())

    async def versioned(self, n: int) -> None:
        run, one, sql, rows = self.driver.run, self.driver.one, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("scd2", i), next(rows.values), rows.enc.now()
            lock = (id, rows.tenant) if self.locks else ()
            await run(sql.begin, ())
            old = await one(sql.close, (now, *lock, id, rows.tenant, now, value))
            if old is None:
                raise RuntimeError(f"raw scd2 close matched nothing for {id}")
            await run(sql.insert_version, next_version(old, value, now))
            await run("COMMIT", ())

    async def versioned_locked(self, n: int) -> None:
        run, one, sql, rows = self.driver.run, self.driver.one, self.sql, self.rows
        for i in range(n):
            id, value, now = rows.pick("scd2", i), next(rows.values), rows.enc.now()
            await run(sql.begin, ())
            await one(sql.identity_lock, (id, rows.tenant))
            old = await one(sql.current_lock, (id, rows.tenant))
            if old[STOCK] != value:
                at = max(now, old[WIDTH + 1] + TICK)
                await run(sql.close_row, (at, old[WIDTH]))
                await run(sql.insert_version, next_version(old, value, at))
            await run("COMMIT", ())

    def statements(self) -> dict[str, list[str]]:
        return self.sql.statements()

    async def aclose(self) -> None:
        if isinstance(self.driver, _Asyncmy):
            await self.driver.cursor.close()
            await self.conn.ensure_closed()
        else:
            await self.conn.close()


def raw_history_sync(target: Target, rows: Rows) -> RawHistorySync:
    return RawHistorySync(target, history_sql(target.backend), rows)


def encoding(backend: str) -> Encoding:
    return ENCODINGS[backend]
