"""MySQL and MariaDB: pymysql (sync) and asyncmy (async)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..sql.like import ESCAPE, CaseSensitiveLike
from ..sql.writers import OpenWriters
from .base import Capabilities, ErrorInfo, ErrorKind, SchemaSession

CAPABILITIES = Capabilities(
    transactional_ddl=False,
    aware_datetime=False,
    isolation_syntax="set",
    foreign_key_index=True,
    partial_indexes=False,
    widest_decimal=(65, 30),
    begin_snapshot=(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
    ),
    native_backup="mariadb-dump",
    feed_horizon="listed",
    # page reads in the listing transaction must each see what is committed by then
    feed_listing_setup=("SET TRANSACTION ISOLATION LEVEL READ COMMITTED",),
    # INNODB_TRX is refilled only when its last read is more than 0.1 s old
    feed_listing_pause="DO SLEEP(0.12)",
)

#: the collation storied's tables declare (MariaDB's name): binary and NO PAD, so text compares
#: byte for byte, trailing spaces included, as on PostgreSQL and SQLite
EXACT_TEXT = "utf8mb4_nopad_bin"
#: MySQL 8's binary NO PAD collation (MySQL 5.7 has none: its utf8mb4_bin ignores trailing spaces)
_MYSQL8_EXACT_TEXT = "utf8mb4_0900_bin"

_BY_ERRNO: dict[int, ErrorKind] = {
    1062: "unique",
    1586: "unique",
    1451: "foreign_key",
    1452: "foreign_key",
    1216: "foreign_key",
    1217: "foreign_key",
    1048: "not_null",
    1364: "not_null",
    4025: "check",  # MariaDB
    3819: "check",  # MySQL
    1406: "data",
    1264: "data",
    1366: "data",
    1205: "timeout",
    3024: "timeout",
    1969: "timeout",
    1213: "deadlock",
    2002: "operational",
    2003: "operational",
    2006: "operational",
    2013: "operational",
    2055: "operational",
}
_KEY = re.compile(r"for key '(?:[^'.]*\.)?([^']+)'")
_FK = re.compile(r"CONSTRAINT `([^`]+)`")
_COLUMN = re.compile(r"Column '([^']+)'")


_TABLE = re.compile(r"Table '(?:[^'.]*\.)?([^']+)' doesn't exist")
#: CR_SERVER_GONE_ERROR: the drivers raise it when writing to the socket failed, so the server
#: never received the statement (2013, lost *during* the query, may have run it)
_UNSENT = frozenset({2006})


def classify(exc: BaseException) -> ErrorInfo | None:
    module = type(exc).__module__
    if not (module.startswith("pymysql") or module.startswith("asyncmy")):
        return None
    errno = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    if errno == 1146:  # ER_NO_SUCH_TABLE: the schema was not synced
        match = _TABLE.search(str(exc.args[1]) if len(exc.args) > 1 else "")
        return ErrorInfo("missing_table", code=errno, table=match.group(1) if match else None)
    kind = _BY_ERRNO.get(errno) if errno is not None else None
    if kind is None:
        # client-side errors: 2000+ (CR_*), and the drivers' InterfaceError(0, …) once the
        # connection is closed (nothing was sent then)
        if type(exc).__name__ in ("OperationalError", "InterfaceError") and (
            not errno or errno >= 2000
        ):
            return ErrorInfo("operational", code=errno, unsent=not errno)
        # syntax errors, unknown tables or columns (SQLSTATE class 42, and 21S01: a column
        # count that does not match) are programming errors; the drivers file some (1054
        # unknown column) under OperationalError
        sqlstate = getattr(exc, "sqlstate", None) or ""
        if type(exc).__name__ == "ProgrammingError" or sqlstate.startswith(("42", "21S01")):
            return None
        return ErrorInfo("other", code=errno)
    message = str(exc.args[1]) if len(exc.args) > 1 else ""
    constraint = None
    for pattern in (_KEY, _FK):
        match = pattern.search(message)
        if match:
            constraint = match.group(1)
            break
    column = _COLUMN.search(message)
    return ErrorInfo(
        kind,
        constraint=constraint,
        columns=(column.group(1),) if column else (),
        code=errno,
        unsent=errno in _UNSENT,
    )


class AsyncmyDriver:
    async def execute(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any], fetch: bool
    ) -> tuple[list[Sequence[Any]], int, Any]:
        async with conn.cursor() as cursor:
            await cursor.execute(sql, params)
            rows = list(await cursor.fetchall()) if fetch else []
            return rows, cursor.rowcount, cursor.lastrowid

    async def executemany(
        self, conn: Any, sql: str, params: Sequence[Sequence[Any] | dict[str, Any]]
    ) -> int:
        async with conn.cursor() as cursor:
            await cursor.executemany(sql, params)
            count: int = cursor.rowcount
            return count

    async def described(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any]
    ) -> tuple[list[Sequence[Any]], int, tuple[str, ...]]:
        async with conn.cursor() as cursor:
            await cursor.execute(sql, params)
            description = cursor.description
            rows = list(await cursor.fetchall()) if description else []
            return rows, cursor.rowcount, tuple(d[0] for d in description or ())


#: MariaDB's bound on a recursive CTE's steps (see ``on_connect``)
RECURSION_LIMIT = 1_000_000


def on_connect(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # strict mode: an oversized or invalid value is an error, never silently truncated.
    # MariaDB ends a recursive CTE after max_recursive_iterations (1000) steps with only a
    # warning, so a deep tree's walk would come back cut short: raise it (a walk cannot loop,
    # its id path ends cycles and fails loudly when it outgrows its column long before).
    # /*M! … */ is run by MariaDB alone; MySQL fails a walk beyond its limit with an error.
    cursor.execute(
        "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY', "
        f"time_zone='+00:00' /*M!100200 , max_recursive_iterations = {RECURSION_LIMIT} */"
    )
    cursor.close()


def timeout_sql(dialect: Any, seconds: float | None, mariadb: bool | None = None) -> str:
    """The session's statement timeout (0: none): MariaDB's max_statement_time (seconds,
    every statement); MySQL's max_execution_time (milliseconds, SELECTs only)."""
    if mariadb if mariadb is not None else getattr(dialect, "is_mariadb", False):
        return f"SET SESSION max_statement_time = {seconds or 0:.6f}"
    return f"SET SESSION max_execution_time = {round(seconds * 1000) if seconds else 0}"


def connect_timeout_sql(cursor: Any, dialect: Any, seconds: float | None) -> str:
    """``timeout_sql`` for a new connection, before the dialect knows the server's flavour."""
    cursor.execute("SELECT VERSION()")
    (version,) = cursor.fetchone()
    return timeout_sql(dialect, seconds, mariadb="mariadb" in str(version).lower())


def schema_session(timeout: float) -> SchemaSession:
    """A named server lock (DDL commits at once here, so there is no transaction to hold)."""
    return SchemaSession(
        lock=f"SELECT GET_LOCK('storied.schema', {int(timeout)})",
        commit=("SELECT RELEASE_LOCK('storied.schema')",),
        rollback=("SELECT RELEASE_LOCK('storied.schema')",),
    )


@compiles(CaseSensitiveLike, "mysql", "mariadb")
def _binary_like(element: CaseSensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    # LIKE follows the column's (case-insensitive) collation; BINARY compares exactly
    return "BINARY " + compiler.process(element.column.like(element.pattern, escape=ESCAPE), **kw)


def text_collation(dialect: Dialect) -> str:
    """The binary NO PAD collation of this server: MariaDB's or MySQL 8's (they differ in name)."""
    if getattr(dialect, "is_mariadb", False):
        return EXACT_TEXT
    version = dialect.server_version_info or ()
    return "utf8mb4_bin" if version and version < (8,) else _MYSQL8_EXACT_TEXT


@compiles(OpenWriters, "mysql", "mariadb")
def _innodb_writers(element: OpenWriters, compiler: SQLCompiler, **kw: Any) -> str:
    # "1:" when the (cached) listing shows this connection's own transaction; a transaction
    # has an id of its own once it writes, and read-only ones modify no rows
    return (
        "(SELECT CONCAT(COALESCE(MAX(trx_mysql_thread_id = CONNECTION_ID()), 0), ':',"
        " COALESCE(GROUP_CONCAT(IF(trx_rows_modified > 0, trx_id, NULL)), ''))"
        " FROM information_schema.INNODB_TRX)"
    )
