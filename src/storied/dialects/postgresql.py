"""PostgreSQL: psycopg 3 (sync) and asyncpg (async)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..sql.inlist import ManyIn
from ..sql.nulls import DefaultNullsFirst, constant
from ..sql.writers import OpenWriters
from .base import Capabilities, Copier, CopyTarget, ErrorInfo, ErrorKind, SchemaSession
from .results import UUIDS, ColumnWise, one_value

#: a replica that has replayed all it received is not behind, however old its last replayed
#: transaction is (an idle primary sends nothing); else the lag is the age of that transaction
REPLICA_LAG = (
    "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() "
    "OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0.0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8, 0.0) END"
)
CAPABILITIES = Capabilities(
    native_interval=True,
    index_methods=True,
    native_backup="pg_dump",
    replica_lag=REPLICA_LAG,
    row_security=True,
    partitioned_history=True,
    composite_autoincrement=True,
    # reltuples is -1 until the first VACUUM or ANALYZE (PostgreSQL 14 and later; 0 before)
    never_analyzed="SELECT COALESCE((SELECT reltuples < 0 FROM pg_class "
    "WHERE oid = to_regclass(:name)), false)",
    analyze="ANALYZE {table}",
)
#: advisory lock key of schema sync ("storied" in ASCII)
SCHEMA_LOCK_KEY = 0x73746F72696564

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


_RELATION = re.compile(r'relation "([^"]+)" does not exist')


def classify(exc: BaseException) -> ErrorInfo | None:
    module = type(exc).__module__
    if not module.startswith(("psycopg", "asyncpg")):
        # asyncpg lets the socket's own error through when the server goes away mid-read
        return ErrorInfo("operational") if isinstance(exc, ConnectionError) else None
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate is None:
        return _client_side(exc)
    if sqlstate.startswith("08") or sqlstate.startswith("57P"):
        return ErrorInfo("operational", sqlstate=sqlstate, code=sqlstate)
    if sqlstate == "42P01":  # undefined_table: the schema was not synced
        match = _RELATION.search(str(exc))
        table = match.group(1) if match else None
        return ErrorInfo("missing_table", sqlstate=sqlstate, code=sqlstate, table=table)
    if sqlstate == "42501" and "row-level security" in str(exc):
        # insufficient_privilege from a policy: the row is outside the session's tenant scope
        return ErrorInfo("row_security", sqlstate=sqlstate, code=sqlstate)
    kind = _BY_SQLSTATE.get(sqlstate)
    if kind is None:
        # syntax errors, undefined columns and the like are programming errors
        if sqlstate.startswith("42"):
            return None
        return ErrorInfo("other", sqlstate=sqlstate, code=sqlstate)
    diag = getattr(exc, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or getattr(exc, "constraint_name", None)
    column = getattr(diag, "column_name", None) or getattr(exc, "column_name", None)
    return ErrorInfo(
        kind,
        constraint=constraint,
        columns=(column,) if column else (),
        sqlstate=sqlstate,
        code=sqlstate,
    )


def _client_side(exc: BaseException) -> ErrorInfo | None:
    """A driver error with no SQLSTATE: raised by the client library, not the server.

    Only a connection the driver knows is closed is a connection failure, and then nothing was
    sent; a request the client refuses (too many parameters) is not one, and the connection
    stays usable.
    """
    message = str(exc)
    if "closed" in message or "ConnectionDoesNotExist" in type(exc).__name__:
        return ErrorInfo("operational", unsent="is closed" in message)
    name = type(exc).__name__
    if name in ("OperationalError", "InterfaceError") or "Connection" in name:
        if "number of" in message or "cannot exceed" in message:
            return ErrorInfo("other")  # psycopg's and asyncpg's bound-parameter limits
        return ErrorInfo("operational")
    return None


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

    async def described(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any]
    ) -> tuple[list[Sequence[Any]], int, tuple[str, ...]]:
        statement = await conn.prepare(sql)
        rows = await statement.fetch(*params)
        attributes = statement.get_attributes()
        if attributes:
            names = tuple(a.name for a in attributes)
            return _exact_columns(rows, [a.type.oid for a in attributes]), len(rows), names
        tail = statement.get_statusmsg().rsplit(" ", 1)[-1]
        return [], int(tail) if tail.isdigit() else -1, ()


def copy_target(dialect: Any, table: Any, columns: Sequence[str]) -> CopyTarget:
    """``COPY "schema"."table" ("a", "b") FROM STDIN`` with the dialect's quoting."""
    quote = dialect.identifier_preparer
    names = ", ".join(quote.quote(c) for c in columns)
    sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    return CopyTarget(table.schema, table.name, tuple(columns), sql)


def psycopg_copy(conn: Any, target: CopyTarget, rows: Sequence[Sequence[Any]]) -> int:
    """psycopg's COPY … FROM STDIN, fed row by row (its text format, its own adapters)."""
    with conn.cursor() as cursor, cursor.copy(target.sql) as copy:
        write = copy.write_row
        for row in rows:
            write(row)
    return len(rows)


async def asyncpg_copy(conn: Any, target: CopyTarget, rows: Sequence[Sequence[Any]]) -> int:
    """asyncpg's binary COPY (it reads the columns' types from the table first)."""
    await conn.copy_records_to_table(
        target.table, records=rows, columns=list(target.columns), schema_name=target.schema
    )
    return len(rows)


#: below this many rows executemany is as fast (measured: even at ~20 rows, psycopg and asyncpg)
COPY_MIN_ROWS = 32
PSYCOPG_COPY = Copier(COPY_MIN_ROWS, copy_target, psycopg_copy)
ASYNCPG_COPY = Copier(COPY_MIN_ROWS, copy_target, asyncpg_copy)


#: asyncpg's uuid values (its own subclass) parsed from their hex by pydantic-core into
#: ``uuid.UUID`` itself; a column of 1,000 costs about 0.2 ms here, where a Python type codec
#: inside asyncpg's protocol cost about 4 ms
_UUID: TypeAdapter[uuid.UUID] = TypeAdapter(uuid.UUID)


_hex = attrgetter("hex")


def exact_uuid(value: Any) -> uuid.UUID:
    """One uuid from asyncpg (its C decoder makes a subclass) as exactly ``uuid.UUID``, which
    orjson, msgspec and ``type(x) is UUID`` accept."""
    if type(value) is uuid.UUID:
        return value
    return _UUID.validate_python(value.hex)


def exact_uuids(values: Sequence[Any]) -> Sequence[Any]:
    """A column of asyncpg's uuids (None among them) as ``uuid.UUID`` values, in one
    pydantic-core call; a column of one value (a tenant's rows' tenant) is converted once."""
    first = values[0]
    if first is not None and one_value(values):
        return [exact_uuid(first)] * len(values)
    try:
        texts = list(map(_hex, values))
    except AttributeError:  # None among them
        texts = [None if v is None else v.hex for v in values]
    return UUIDS.validate_python(texts)


#: the uuid result converter of asyncpg connections (psycopg returns ``uuid.UUID`` itself)
EXACT_UUID = ColumnWise(exact_uuid, exact_uuids)


def _exact_array(value: Any) -> Any:
    """A ``uuid[]`` value (nested lists for more dimensions, None among the elements)."""
    if isinstance(value, list):
        return [_exact_array(v) for v in value]
    return None if value is None else exact_uuid(value)


#: PostgreSQL's type oids of ``uuid`` and ``uuid[]`` (pg_type, fixed since 8.3)
UUID_OID, UUID_ARRAY_OID = 2950, 2951


def _exact_columns(rows: list[Any], oids: Sequence[int]) -> list[Any]:
    """Raw SQL's rows with their ``uuid`` and ``uuid[]`` columns (by the columns' type oids)
    converted to ``uuid.UUID``; raw SQL has no column types of storied's to say so."""
    scalar = [i for i, oid in enumerate(oids) if oid == UUID_OID]
    arrays = [i for i, oid in enumerate(oids) if oid == UUID_ARRAY_OID]
    if not rows or not (scalar or arrays):
        return rows
    columns: list[Any] = list(zip(*rows, strict=True))
    for i in scalar:
        columns[i] = exact_uuids(columns[i])
    for i in arrays:
        columns[i] = [_exact_array(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


def on_connect(dbapi_connection: Any, record: Any) -> None:
    """psycopg gives timestamps the session's zone: the session is set to UTC, so they arrive
    with ``datetime.UTC`` itself and need no conversion (the server's default, often
    ``Etc/UTC``, would cost an ``astimezone`` per value). asyncpg always decodes to UTC."""
    driver = record.driver_connection
    if not type(driver).__module__.startswith("asyncpg"):
        cursor = dbapi_connection.cursor()
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.close()


def timeout_sql(dialect: Any, seconds: float | None) -> str:
    """The session's statement timeout (0: none)."""
    return f"SET statement_timeout = {round(seconds * 1000) if seconds else 0}"


def schema_session(timeout: float) -> SchemaSession:
    """One transaction holding a transaction-scoped advisory lock; DDL is transactional."""
    return SchemaSession(
        enter=("BEGIN", f"SET LOCAL lock_timeout = '{int(timeout * 1000)}ms'"),
        lock=f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})",
        commit=("COMMIT",),
        rollback=("ROLLBACK",),
    )


@compiles(DefaultNullsFirst, "postgresql")
def _nulls_high(element: DefaultNullsFirst, compiler: SQLCompiler, **kw: Any) -> str:
    # NULL sorts above every value: last ascending, first descending
    return constant(element.descending)


@compiles(ManyIn, "postgresql")
def _one_array_parameter(element: ManyIn, compiler: SQLCompiler, **kw: Any) -> str:
    # the protocol takes at most 65,535 parameters: a long IN list is one array instead
    column = element.column
    if element.negate:
        return compiler.process(column != sa.all_(element.array), **kw)
    return compiler.process(column == sa.any_(element.array), **kw)


def resync_autoincrement(connection: Any, table: Any) -> None:
    """After rows were inserted with explicit serial ids (a restore), move the sequence past
    them; other backends' auto-increment follows explicit ids by itself."""
    import sqlalchemy as sa

    column = table.autoincrement_column
    if column is None:
        return
    name = connection.dialect.identifier_preparer.format_table(table)
    sequence = sa.func.pg_get_serial_sequence(name, column.name)
    after = sa.select(sa.func.coalesce(sa.func.max(column), 0) + 1).scalar_subquery()
    connection.execute(sa.select(sa.func.setval(sequence, after, False)))


@compiles(OpenWriters, "postgresql")
def _snapshot_writers(element: OpenWriters, compiler: SQLCompiler, **kw: Any) -> str:
    # in progress at this statement's snapshot; only a transaction that writes gets an id
    return (
        "(SELECT '1:' || COALESCE(string_agg(x::text, ','), '')"
        " FROM pg_snapshot_xip(pg_current_snapshot()) AS x)"
    )
