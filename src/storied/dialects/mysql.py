"""MySQL and MariaDB: pymysql (sync) and asyncmy (async)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..query.like import ESCAPE, CaseSensitiveLike
from .base import Capabilities, ErrorInfo, ErrorKind, SchemaSession

CAPABILITIES = Capabilities(
    transactional_ddl=False,
    aware_datetime=False,
    isolation_syntax="set",
    begin_snapshot=(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
    ),
)

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


def classify(exc: BaseException) -> ErrorInfo | None:
    module = type(exc).__module__
    if not (module.startswith("pymysql") or module.startswith("asyncmy")):
        return None
    errno = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    kind = _BY_ERRNO.get(errno) if errno is not None else None
    if kind is None:
        # client-side errors: 2000+ (CR_*), and pymysql's InterfaceError(0, "") once the
        # connection is closed
        if type(exc).__name__ in ("OperationalError", "InterfaceError") and (
            not errno or errno >= 2000
        ):
            return ErrorInfo("operational")
        # syntax errors, unknown tables or columns (SQLSTATE class 42, and 21S01: a column
        # count that does not match) are programming errors; the drivers file some (1054
        # unknown column) under OperationalError
        sqlstate = getattr(exc, "sqlstate", None) or ""
        if type(exc).__name__ == "ProgrammingError" or sqlstate.startswith(("42", "21S01")):
            return None
        return ErrorInfo("other")
    message = str(exc.args[1]) if len(exc.args) > 1 else ""
    constraint = None
    for pattern in (_KEY, _FK):
        match = pattern.search(message)
        if match:
            constraint = match.group(1)
            break
    column = _COLUMN.search(message)
    return ErrorInfo(kind, constraint=constraint, columns=(column.group(1),) if column else ())


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


def on_connect(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # strict mode: an oversized or invalid value is an error, never silently truncated
    cursor.execute(
        "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY', "
        "time_zone='+00:00'"
    )
    cursor.close()


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
