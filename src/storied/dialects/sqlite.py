"""SQLite: the embedded default (sqlite3 and aiosqlite)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..sql.unindexed import Unindexed
from .base import Capabilities, ErrorInfo, SchemaSession

CAPABILITIES = Capabilities(
    begin_write="BEGIN IMMEDIATE",
    begin_read="BEGIN DEFERRED",
    row_locks=False,
    exact_decimal=False,
    widest_decimal=(18, 6),  # scaled 64-bit integers: 18 digits, 6 of them decimals by default
    aware_datetime=False,
    datetime_text=True,
    alter_in_place=False,
    isolation_syntax="none",
    networked=False,
    # WAL: a deferred transaction reads one snapshot from its first read on
    begin_snapshot=("BEGIN DEFERRED",),
    native_backup="sqlite",
    feed_horizon="serial",
)
MEMORY_CAPABILITIES = replace(CAPABILITIES, single_connection=True)
BUSY_TIMEOUT_MS = 10000

_BY_NAME = {
    "SQLITE_CONSTRAINT_UNIQUE": "unique",
    "SQLITE_CONSTRAINT_PRIMARYKEY": "unique",
    "SQLITE_CONSTRAINT_FOREIGNKEY": "foreign_key",
    "SQLITE_CONSTRAINT_NOTNULL": "not_null",
    "SQLITE_CONSTRAINT_CHECK": "check",
    "SQLITE_BUSY": "timeout",
    "SQLITE_LOCKED": "timeout",
    "SQLITE_INTERRUPT": "timeout",  # the statement timeout's progress handler stopped it
    "SQLITE_TOOBIG": "data",
    "SQLITE_CANTOPEN": "operational",
    "SQLITE_IOERR": "operational",
}

#: SQLite reports syntax errors and unknown tables or columns as SQLITE_ERROR (through
#: sqlite3.OperationalError), API misuse as SQLITE_MISUSE, a bad bind index as SQLITE_RANGE
_PROGRAMMING = frozenset({"SQLITE_ERROR", "SQLITE_MISUSE", "SQLITE_RANGE"})


_NO_TABLE = "no such table: "
#: what sqlite3 and aiosqlite say of a connection closed under them
_CLOSED = "Cannot operate on a closed database."
_AIOSQLITE_CLOSED = frozenset({"Connection closed", "no active connection"})


def classify(exc: BaseException) -> ErrorInfo | None:
    if isinstance(exc, ValueError) and str(exc) in _AIOSQLITE_CLOSED:
        return ErrorInfo("operational", unsent=True)
    if not isinstance(exc, sqlite3.Error):
        return None
    if isinstance(exc, sqlite3.ProgrammingError) and str(exc) == _CLOSED:
        return ErrorInfo("operational", unsent=True)  # refused before anything ran
    name = getattr(exc, "sqlite_errorname", "") or ""
    message = str(exc)
    kind = _BY_NAME.get(name)
    if kind is None and name.startswith("SQLITE_CONSTRAINT") and "FOREIGN KEY" in message:
        kind = "foreign_key"  # ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER
    if kind is None and name == "SQLITE_ERROR" and message.startswith(_NO_TABLE):
        table = message[len(_NO_TABLE) :].strip().rsplit(".", 1)[-1]
        return ErrorInfo("missing_table", code=name, table=table)
    if kind is None:
        if name in _PROGRAMMING or isinstance(
            exc, sqlite3.ProgrammingError | sqlite3.InterfaceError
        ):
            return None  # a bug in the SQL or its use, not a database condition
        return ErrorInfo("other", code=name or None)
    columns: tuple[str, ...] = ()
    if kind in ("unique", "not_null") and ":" in message:
        # "UNIQUE constraint failed: products.tenant_id, products.sku" names columns, no values
        columns = tuple(
            part.strip().rsplit(".", 1)[-1] for part in message.split(":", 1)[1].split(",")
        )
    return ErrorInfo(kind, columns=columns, code=name)  # type: ignore[arg-type]


class AioSqliteDriver:
    async def execute(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any], fetch: bool
    ) -> tuple[list[Sequence[Any]], int, Any]:
        # one trip to aiosqlite's thread per statement: rows come back with the execution (the
        # cursor is dropped there); a statement without rows keeps no SQLite statement open,
        # so its cursor needs no close
        if fetch:
            rows = await conn.execute_fetchall(sql, params)
            return list(rows), len(rows), None
        cursor = await conn.execute(sql, params)
        return [], cursor.rowcount, cursor.lastrowid

    async def executemany(
        self, conn: Any, sql: str, params: Sequence[Sequence[Any] | dict[str, Any]]
    ) -> int:
        cursor = await conn.executemany(sql, params)
        count: int = cursor.rowcount
        await cursor.close()
        return count

    async def described(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any]
    ) -> tuple[list[Sequence[Any]], int, tuple[str, ...]]:
        cursor = await conn.execute(sql, params)
        try:
            description = cursor.description
            rows = list(await cursor.fetchall()) if description else []
            return rows, cursor.rowcount, tuple(d[0] for d in description or ())
        finally:
            await cursor.close()


def on_connect(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA case_sensitive_like=ON")  # LIKE matches case, as on PostgreSQL
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # ignored (stays "memory") for in-memory databases
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable with WAL; commits need no fsync
    cursor.close()


def schema_session(timeout: float) -> SchemaSession:
    """The write lock is the database: BEGIN IMMEDIATE makes a second applier wait.

    Foreign keys are off while tables are rebuilt (dropping the old copy of a parent table
    would otherwise cascade to its children); ``foreign_key_check`` runs before the commit.
    """
    restore = ("PRAGMA foreign_keys=ON", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return SchemaSession(
        enter=(
            "PRAGMA foreign_keys=OFF",
            f"PRAGMA busy_timeout={int(timeout * 1000)}",
            "BEGIN IMMEDIATE",
        ),
        verify="PRAGMA foreign_key_check",
        commit=("COMMIT", *restore),
        rollback=("ROLLBACK", *restore),
    )


@compiles(Unindexed, "sqlite")
def _unary_plus(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    # unary + is a no-op on any value and disqualifies the term from index selection
    return "+" + compiler.process(element.column, **kw)
