"""PostgreSQL: psycopg 3 (sync) and asyncpg (async)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import Capabilities, ErrorInfo, ErrorKind

CAPABILITIES = Capabilities()

_BY_SQLSTATE: dict[str, ErrorKind] = {
    "23505": "unique",
    "23503": "foreign_key",
    "23502": "not_null",
    "23514": "check",
    "22001": "data",  # string too long
    "22003": "data",  # numeric out of range
    "40001": "serialization",
    "40P01": "deadlock",
    "55P03": "timeout",  # lock_not_available
    "57014": "timeout",  # statement timeout / cancelled
}


def classify(exc: BaseException) -> ErrorInfo | None:
    sqlstate = getattr(exc, "sqlstate", None)
    module = type(exc).__module__
    if not (module.startswith("psycopg") or module.startswith("asyncpg")):
        return None
    if sqlstate is None:
        name = type(exc).__name__
        if "Connection" in name or name in ("OperationalError", "InterfaceError"):
            return ErrorInfo("operational")
        return None
    if sqlstate.startswith("08") or sqlstate.startswith("57P"):
        return ErrorInfo("operational")
    kind = _BY_SQLSTATE.get(sqlstate)
    if kind is None:
        # syntax errors, undefined tables and the like are programming errors
        return None if sqlstate.startswith("42") else ErrorInfo("other")
    diag = getattr(exc, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or getattr(exc, "constraint_name", None)
    column = getattr(diag, "column_name", None) or getattr(exc, "column_name", None)
    return ErrorInfo(kind, constraint=constraint, columns=(column,) if column else ())


class AsyncpgDriver:
    async def execute(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any], fetch: bool
    ) -> tuple[list[Sequence[Any]], int, Any]:
        if fetch:
            rows = await conn.fetch(sql, *params)
            return rows, len(rows), None
        status: str = await conn.execute(sql, *params)
        tail = status.rsplit(" ", 1)[-1]
        return [], int(tail) if tail.isdigit() else -1, None

    async def executemany(
        self, conn: Any, sql: str, params: Sequence[Sequence[Any] | dict[str, Any]]
    ) -> int:
        await conn.executemany(sql, params)
        return len(params)
