"""The raw drivers' ``executemany`` writing the rows ``create_many`` writes, per strategy.

Per batch, one transaction: ``none`` inserts the rows; ``copy_on_change`` also inserts one
audit row per field of each row (a create's change set); ``scd2`` inserts one identity row and
one version per row. Each INSERT runs as one ``executemany`` of the whole batch, the driver's
own bulk call (psycopg pipelines it, pymysql/asyncmy rewrite it to multi-row VALUES, asyncpg
pipelines a prepared statement). The raw side stamps ids, tenant and times itself, as storied
does inside ``create_many``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .history_sql import AUDIT_COLUMNS, DIALECTS, VERSION_COLUMNS, numeric
from .models import FIELDS
from .raw import COLUMNS, MYSQL, POSTGRESQL, SQLITE, Encoding, connect_sync
from .raw_async import connect_async
from .targets import Target
from .workloads import ACTOR, AsyncSide, SyncSide

#: a row as the user gives it: sku, name, price, stock
Item = tuple[str, str, Decimal, int]
ENCODINGS = {"sqlite": SQLITE, "postgresql": POSTGRESQL, "mysql": MYSQL}
#: the key of the raw side's COPY load of strategy none's rows (PostgreSQL only)
COPY = "copy"
TABLES = {"none": "stock_none", "copy_on_change": "stock_audited", "scd2": "stock_versioned"}


def _insert(table: str, columns: Sequence[str], placeholder: Callable[[int], str]) -> str:
    values = ", ".join(placeholder(i) for i in range(1, len(columns) + 1))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"


class Statements:
    """The INSERTs of one backend's paramstyle."""

    def __init__(self, backend: str, dollar: bool) -> None:
        placeholder = numeric if dollar else DIALECTS[backend].placeholder
        self.main = {s: _insert(t, COLUMNS, placeholder) for s, t in TABLES.items()}
        self.audit = _insert("stock_audited_audit", AUDIT_COLUMNS, placeholder)
        self.identity = _insert(
            "stock_versioned_identity", ("id", "tenant_id", "created_at"), placeholder
        )
        self.version = _insert("stock_versioned", VERSION_COLUMNS, placeholder)

    def for_strategy(self, strategy: str) -> list[str]:
        if strategy == "copy_on_change":
            return [self.main[strategy], self.audit]
        if strategy == "scd2":
            return [self.identity, self.version]
        return [self.main[strategy]]


class Rows:
    """Turns the user's items into the rows of each table, encoded for the driver."""

    def __init__(self, enc: Encoding, tenant: uuid.UUID, exact_decimal: bool) -> None:
        self.enc, self.tenant = enc, enc.uuid(tenant)
        self.price: Callable[[Decimal], Any] = (
            (lambda d: d) if exact_decimal else (lambda d: int(d.scaleb(2)))
        )

    def main(self, items: Sequence[Item], now: Any) -> list[tuple[Any, ...]]:
        new_id, tenant, price = self.enc.uuid, self.tenant, self.price
        stamps = (1, now, ACTOR, now, ACTOR, None, None)  # version, created/updated, deleted
        return [
            (new_id(uuid.uuid4()), tenant, sku, name, price(p), stock, *stamps)
            for sku, name, p, stock in items
        ]

    def audit(self, rows: Sequence[tuple[Any, ...]], items: Sequence[Item], now: Any) -> list[Any]:
        """One audit row per field of each created row: (None → value), one change set."""
        new_id, tenant, dumps = self.enc.uuid, self.tenant, json.dumps
        out: list[tuple[Any, ...]] = []
        for row, (sku, name, p, stock) in zip(rows, items, strict=True):
            change_set = new_id(uuid.uuid4())
            values = (dumps(sku), dumps(name), dumps(str(p)), dumps(stock))
            out += [
                (row[0], tenant, change_set, "create", field, None, value, ACTOR, now)
                for field, value in zip(FIELDS, values, strict=True)
            ]
        return out


class RawBulkSync(SyncSide):
    """sqlite3, psycopg or pymysql: BEGIN, one ``executemany`` per table, COMMIT."""

    label = "raw"

    def __init__(self, target: Target, tenant: uuid.UUID, batches: list[list[Item]]) -> None:
        super().__init__()
        self.conn = connect_sync(target)
        self.cursor = self.conn.cursor()
        self.sql = Statements(target.backend, dollar=False)
        self.rows = Rows(ENCODINGS[target.backend], tenant, target.backend != "sqlite")
        self.items = batches
        self.batches = {s: self._writer(s) for s in TABLES}
        if target.backend == "postgresql":
            self.batches[COPY] = self._copier()

    def _copier(self) -> Callable[[int], None]:
        """Strategy none's rows through ``COPY … FROM STDIN``, one per batch (psycopg)."""
        sql = f"COPY {TABLES['none']} ({', '.join(COLUMNS)}) FROM STDIN"

        def write(n: int) -> None:
            cur, rows, now = self.cursor, self.rows, self.rows.enc.now
            for items in self.items:
                main = rows.main(items, now())
                cur.execute("BEGIN")
                with cur.copy(sql) as copy:
                    for row in main:
                        copy.write_row(row)
                cur.execute("COMMIT")

        return write

    def _writer(self, strategy: str) -> Callable[[int], None]:
        def write(n: int) -> None:
            cur, sql, rows, now = self.cursor, self.sql, self.rows, self.rows.enc.now
            for items in self.items:
                at = now()
                main = rows.main(items, at)
                cur.execute("BEGIN")
                if strategy == "scd2":
                    cur.executemany(sql.identity, [(r[0], r[1], at) for r in main])
                    cur.executemany(sql.version, [(*r, at, None) for r in main])
                else:
                    cur.executemany(sql.main[strategy], main)
                if strategy == "copy_on_change":
                    cur.executemany(sql.audit, rows.audit(main, items, at))
                cur.execute("COMMIT")

        return write

    def close(self) -> None:
        self.cursor.close()
        self.conn.close()


class RawBulkAsync(AsyncSide):
    """aiosqlite, asyncpg or asyncmy: the same transactions, awaited."""

    label = "raw"

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        target: Target,
        tenant: uuid.UUID,
        batches: list[list[Item]],
    ) -> None:
        super().__init__(loop)
        self.backend = target.backend
        self.conn = loop.run_until_complete(connect_async(target))
        self.cursor = self.conn.cursor() if self.backend == "mysql" else None
        self.sql = Statements(target.backend, dollar=self.backend == "postgresql")
        self.rows = Rows(ENCODINGS[target.backend], tenant, target.backend != "sqlite")
        self.items = batches
        self.batches = {s: self._writer(s) for s in TABLES}
        if self.backend == "postgresql":
            self.batches[COPY] = self._copier()

    def _copier(self) -> Callable[[int], Any]:
        """Strategy none's rows through asyncpg's ``copy_records_to_table``, one per batch."""

        async def write(n: int) -> None:
            conn, rows, now = self.conn, self.rows, self.rows.enc.now
            for items in self.items:
                main = rows.main(items, now())
                async with conn.transaction():
                    await conn.copy_records_to_table(
                        TABLES["none"], records=main, columns=list(COLUMNS)
                    )

        return write

    async def _run(self, sql: str) -> None:
        await (self.cursor or self.conn).execute(sql)

    async def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await (self.cursor or self.conn).executemany(sql, rows)

    def _writer(self, strategy: str) -> Callable[[int], Any]:
        async def write(n: int) -> None:
            sql, rows, now, run, many = (
                self.sql,
                self.rows,
                self.rows.enc.now,
                self._run,
                self._many,
            )
            for items in self.items:
                at = now()
                main = rows.main(items, at)
                await run("BEGIN")
                if strategy == "scd2":
                    await many(sql.identity, [(r[0], r[1], at) for r in main])
                    await many(sql.version, [(*r, at, None) for r in main])
                else:
                    await many(sql.main[strategy], main)
                if strategy == "copy_on_change":
                    await many(sql.audit, rows.audit(main, items, at))
                await run("COMMIT")

        return write

    async def aclose(self) -> None:
        if self.cursor is not None:
            await self.cursor.close()
            await self.conn.ensure_closed()
        else:
            await self.conn.close()
