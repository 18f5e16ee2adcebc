"""The raw async drivers: aiosqlite, asyncpg and asyncmy, each called the way its docs show.

Same statements, values and connection settings as :mod:`bench.raw`; rows stay as the driver
returns them (tuples, asyncpg records).
"""

from __future__ import annotations

import asyncio
from typing import Any

from .raw import (
    MYSQL,
    MYSQL_FOUND_ROWS,
    POSTGRESQL,
    SQL,
    SQLITE,
    _format,
    _numeric,
    _qmark,
    _Rows,
    session_setup,
)
from .targets import Target
from .workloads import ACTOR, AsyncSide, Data


class RawAsync(AsyncSide):
    label = "raw"

    def __init__(self, loop: asyncio.AbstractEventLoop, conn: Any, sql: SQL, rows: _Rows) -> None:
        super().__init__(loop)
        self.conn, self.sql, self.rows = conn, sql, rows
        self.batches = {"create": self.create, "get": self.get, "update": self.update}
        self.batches["list"] = self.list_rows
        self.batches["rows"] = self.list_rows  # plain rows: the same statement, the same rows

    async def create(self, n: int) -> None:
        raise NotImplementedError

    async def get(self, n: int) -> None:
        raise NotImplementedError

    async def update(self, n: int) -> None:
        raise NotImplementedError

    async def list_rows(self, n: int) -> None:
        raise NotImplementedError

    async def fetch_list(self) -> list[Any]:
        """One list's rows, as the driver returns them (for bench.validated)."""
        raise NotImplementedError

    def statements(self) -> list[str]:
        return self.sql.statements()

    async def aclose(self) -> None:
        await self.conn.close()


class RawAiosqlite(RawAsync):
    """Writes with ``execute``; reads with ``execute_fetchall`` (one trip to its thread)."""

    async def create(self, n: int) -> None:
        execute, sql, rows = self.conn.execute, self.sql.insert, self.rows
        for _ in range(n):
            await execute(sql, rows.insert())

    async def get(self, n: int) -> None:
        fetch, sql, ids, tenant = (
            self.conn.execute_fetchall,
            self.sql.get,
            self.rows.ids,
            self.rows.read,
        )
        for i in range(n):
            await fetch(sql, (ids[i % len(ids)], tenant))

    async def update(self, n: int) -> None:
        fetch, sql, ids, tenant = (
            self.conn.execute_fetchall,
            self.sql.update,
            self.rows.ids,
            self.rows.read,
        )
        now = self.rows.enc.now
        for i in range(n):
            await fetch(sql, (i, now(), ACTOR, ids[i % len(ids)], tenant))

    async def list_rows(self, n: int) -> None:
        fetch, sql, params = self.conn.execute_fetchall, self.sql.select, self.rows.list_params
        for _ in range(n):
            await fetch(sql, params)

    async def fetch_list(self) -> list[Any]:
        return list(await self.conn.execute_fetchall(self.sql.select, self.rows.list_params))


class RawAsyncpg(RawAsync):
    """``execute`` / ``fetchrow`` / ``fetch`` with positional arguments (statement cache on)."""

    async def create(self, n: int) -> None:
        execute, sql, rows = self.conn.execute, self.sql.insert, self.rows
        for _ in range(n):
            await execute(sql, *rows.insert())

    async def get(self, n: int) -> None:
        fetchrow, sql, ids, tenant = self.conn.fetchrow, self.sql.get, self.rows.ids, self.rows.read
        for i in range(n):
            await fetchrow(sql, ids[i % len(ids)], tenant)

    async def update(self, n: int) -> None:
        fetchrow, sql, ids, tenant = (
            self.conn.fetchrow,
            self.sql.update,
            self.rows.ids,
            self.rows.read,
        )
        now = self.rows.enc.now
        for i in range(n):
            await fetchrow(sql, i, now(), ACTOR, ids[i % len(ids)], tenant)

    async def list_rows(self, n: int) -> None:
        fetch, sql, (tenant, limit) = self.conn.fetch, self.sql.select, self.rows.list_params
        for _ in range(n):
            await fetch(sql, tenant, limit)

    async def fetch_list(self) -> list[Any]:
        return list(await self.conn.fetch(self.sql.select, *self.rows.list_params))


class RawAsyncmy(RawAsync):
    """One cursor kept for the connection; MariaDB updates as storied does them."""

    def __init__(self, loop: asyncio.AbstractEventLoop, conn: Any, sql: SQL, rows: _Rows) -> None:
        super().__init__(loop, conn, sql, rows)
        self.cursor = conn.cursor()

    async def create(self, n: int) -> None:
        execute, sql, rows = self.cursor.execute, self.sql.insert, self.rows
        for _ in range(n):
            await execute(sql, rows.insert())

    async def get(self, n: int) -> None:
        cursor, sql, ids, tenant = self.cursor, self.sql.get, self.rows.ids, self.rows.read
        for i in range(n):
            await cursor.execute(sql, (ids[i % len(ids)], tenant))
            await cursor.fetchone()

    async def update(self, n: int) -> None:
        cursor, sql, ids, tenant = self.cursor, self.sql, self.rows.ids, self.rows.read
        now = self.rows.enc.now
        for i in range(n):
            id = ids[i % len(ids)]
            await cursor.execute("BEGIN")
            await cursor.execute(sql.update, (i, now(), ACTOR, id, tenant))
            await cursor.execute(sql.get, (id, tenant))
            await cursor.fetchone()
            await cursor.execute("COMMIT")

    async def list_rows(self, n: int) -> None:
        cursor, sql, params = self.cursor, self.sql.select, self.rows.list_params
        for _ in range(n):
            await cursor.execute(sql, params)
            await cursor.fetchall()

    async def fetch_list(self) -> list[Any]:
        await self.cursor.execute(self.sql.select, self.rows.list_params)
        return list(await self.cursor.fetchall())

    async def aclose(self) -> None:
        await self.cursor.close()
        await self.conn.ensure_closed()


async def connect_async(target: Target) -> Any:
    """An autocommit connection of the async raw driver, with storied's session settings."""
    conn, _ = await _connect(target)
    return conn


async def _connect(target: Target) -> tuple[Any, str]:
    if target.backend == "sqlite":
        import aiosqlite

        conn: Any = await aiosqlite.connect(target.path, isolation_level=None)
        for statement in session_setup("sqlite"):
            await conn.execute(statement)
        return conn, "sqlite"
    if target.backend == "postgresql":
        import asyncpg

        conn = await asyncpg.connect(
            host=target.host,
            port=target.port or 5432,
            user=target.user,
            password=target.password or None,
            database=target.database,
        )
        return conn, "postgresql"
    import asyncmy

    conn = await asyncmy.connect(
        host=target.host,
        port=target.port or 3306,
        user=target.user,
        password=target.password,
        database=target.database,
        autocommit=True,
        charset="utf8mb4",
        client_flag=MYSQL_FOUND_ROWS,
    )
    async with conn.cursor() as cursor:
        for statement in session_setup("mysql"):
            await cursor.execute(statement)
    return conn, "mysql"


def raw_async(loop: asyncio.AbstractEventLoop, target: Target, data: Data) -> RawAsync:
    conn, backend = loop.run_until_complete(_connect(target))
    if backend == "sqlite":
        return RawAiosqlite(loop, conn, SQL.build(_qmark, True), _Rows(data, SQLITE))
    if backend == "postgresql":
        return RawAsyncpg(loop, conn, SQL.build(_numeric, True), _Rows(data, POSTGRESQL))
    return RawAsyncmy(loop, conn, SQL.build(_format, False), _Rows(data, MYSQL))
