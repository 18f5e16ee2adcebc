"""SQL Server: DDL and SQL are compiled and snapshot-tested; no server runs here."""

from __future__ import annotations

from .base import Capabilities, ErrorInfo, SchemaSession

# SQL Server's unique indexes count NULLs as equal: types.live_unique_kwargs filters the marker
CAPABILITIES = Capabilities(
    widest_decimal=(38, 10),
    begin_snapshot=("SET TRANSACTION ISOLATION LEVEL SNAPSHOT", "BEGIN TRANSACTION"),
)

_BY_NUMBER = {2601: "unique", 2627: "unique", 547: "foreign_key", 515: "not_null", 1205: "deadlock"}


def classify(exc: BaseException) -> ErrorInfo | None:
    if not type(exc).__module__.startswith("pyodbc"):
        return None
    message = str(exc)
    for number, kind in _BY_NUMBER.items():
        if f"({number})" in message:
            return ErrorInfo(kind)  # type: ignore[arg-type]
    return ErrorInfo("other")


def schema_session(timeout: float) -> SchemaSession:
    """sp_getapplock in a transaction (compiled only: no server runs here)."""
    return SchemaSession(
        enter=("BEGIN TRANSACTION",),
        lock=(
            "DECLARE @r int; EXEC @r = sp_getapplock @Resource = 'storied.schema', "
            f"@LockMode = 'Exclusive', @LockTimeout = {int(timeout * 1000)}; "
            "SELECT CASE WHEN @r >= 0 THEN 1 ELSE 0 END"
        ),
        commit=("COMMIT",),
        rollback=("ROLLBACK",),
    )
