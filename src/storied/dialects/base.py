"""What storied needs to know about a backend, as capability flags and small hooks.

Core code asks these objects; it never compares dialect names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

ErrorKind = Literal[
    "unique",
    "foreign_key",
    "not_null",
    "check",
    "data",
    "timeout",
    "deadlock",
    "serialization",
    "operational",
    "missing_table",
    "row_security",
    "other",
]


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """A driver exception, classified. ``constraint`` or ``columns`` locate it when known.

    ``sqlstate`` and ``code`` are the driver's codes (kept on storied's error); ``table`` is
    the table a ``missing_table`` error names; ``unsent`` is True only when the driver
    failed before it sent anything (the connection was already known closed), so that running
    the statement again on another connection cannot apply it twice.
    """

    kind: ErrorKind
    constraint: str | None = None
    columns: tuple[str, ...] = ()
    sqlstate: str | None = None
    code: int | str | None = None
    table: str | None = None
    unsent: bool = False


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Facts about one backend that change which SQL storied sends."""

    #: statement opening a transaction that will write (SQLite takes the write lock up front)
    begin_write: str = "BEGIN"
    begin_read: str = "BEGIN"
    #: ``SELECT … FOR UPDATE`` locks rows (otherwise the write transaction is the lock)
    row_locks: bool = True
    #: DDL runs inside transactions
    transactional_ddl: bool = True
    #: decimals are stored exactly as DECIMAL; else as scaled integers
    exact_decimal: bool = True
    #: (precision, scale) of the widest exact decimal column, for a Decimal field that declares
    #: neither; None: the backend has an unbounded exact type (PostgreSQL's NUMERIC)
    widest_decimal: tuple[int, int] | None = None
    #: a native interval type holds ``timedelta`` (else: BIGINT microseconds)
    native_interval: bool = False
    #: indexes take a method and operator classes (PostgreSQL's ``USING gin``, ``gin_trgm_ops``)
    index_methods: bool = False
    #: the server keeps timezone-aware timestamps (timestamptz); else naive UTC is stored
    aware_datetime: bool = True
    #: timestamps are stored as text, ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC (SQLite, whose
    #: SQLAlchemy DATETIME writes that format): storied formats and parses them in one step
    datetime_text: bool = False
    #: how a transaction gets an isolation level: ``BEGIN ISOLATION LEVEL x`` ("begin"),
    #: ``SET TRANSACTION ISOLATION LEVEL x`` before BEGIN ("set"), or not at all ("none":
    #: SQLite's transactions are serializable)
    isolation_syntax: Literal["begin", "set", "none"] = "begin"
    #: a single connection is shared by the whole process (SQLite in memory)
    single_connection: bool = False
    #: ALTER TABLE can change a column's type, nullability or default and add or drop
    #: constraints in place; else schema sync rebuilds the table (Alembic batch mode)
    alter_in_place: bool = True
    #: each foreign key gets an index of its own, named after it, that dropping the foreign
    #: key leaves behind (MySQL/MariaDB): schema sync drops it with the foreign key
    foreign_key_index: bool = False
    #: indexes can be partial (``CREATE INDEX … WHERE``); else a unique ``index_where`` is refused
    partial_indexes: bool = True
    #: a connection can be lost under storied (a server); else (SQLite) none is ever pinged
    networked: bool = True
    #: statements opening a read-only transaction in which every read sees one snapshot
    #: (consistent backups and exports while others write); COMMIT ends it
    begin_snapshot: tuple[str, ...] = ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",)
    #: the backend's own consistent backup (``storied.admin``'s native formats): SQLite's online
    #: backup API ("sqlite"), "pg_dump" or "mariadb-dump"; None: only the portable backup
    native_backup: Literal["sqlite", "pg_dump", "mariadb-dump"] | None = None
    #: on a read replica, a query whose one row is (in recovery, seconds of replay lag); None:
    #: the backend has no read replicas storied can route to
    replica_lag: str | None = None
    #: Row-Level Security policies can hold tenant-scoped tables to the session's tenant scope
    #: (``dialects/row_security.py``; ``Database(row_level_security=True)``)
    row_security: bool = False
    #: declarative range partitions with a DEFAULT partition, a partition key in unique
    #: indexes and ``NULLS NOT DISTINCT`` (PostgreSQL 15): partitioned history tables
    partitioned_history: bool = False
    #: an auto-increment column inside a composite primary key (``(tenant_id, id)``), as
    #: ``Database(tenant_leading_keys=True)`` needs: SQLite's AUTOINCREMENT wants the key alone
    composite_autoincrement: bool = False
    #: how the change feed (``temporal/feed.py``) knows which history row ids are final:
    #: "serial" (writers hold one write lock until they commit, so ids are handed out in
    #: commit order: SQLite); "snapshot" (the open writing transactions are listed as of the
    #: statement: PostgreSQL); "listed" (listed from a cache that may be older than the
    #: statement, so the listing must show the reader's own transaction, begun after
    #: the highest ids were read: MariaDB/MySQL's INNODB_TRX). See ``sql/writers.py``.
    feed_horizon: Literal["serial", "snapshot", "listed"] = "snapshot"
    #: "listed": statements run before the listing transaction begins, and the pause before
    #: the listing is asked again when it did not show the reader's transaction yet
    feed_listing_setup: tuple[str, ...] = ()
    feed_listing_pause: str | None = None
    #: a query whose one row says whether the table named by ``:name`` (schema-qualified where
    #: it has a schema) has never been analyzed; None: the backend keeps its statistics itself
    #: or storied's statements do not depend on them (see ``repository/statistics.py``)
    never_analyzed: str | None = None
    #: the statement gathering a table's statistics, ``{table}`` its quoted name
    analyze: str | None = None


@dataclass(frozen=True, slots=True)
class SchemaSession:
    """How schema sync brackets a plan-and-apply so that concurrent appliers take turns.

    ``enter`` runs first, then ``lock`` (a query whose first column is 0 when the lock was not
    granted in time), then the plan is re-checked and applied; ``verify`` (a query that returns
    rows when the change broke referential integrity) runs before ``commit``; ``rollback`` runs
    instead when anything failed.
    """

    enter: tuple[str, ...] = ()
    lock: str | None = None
    verify: str | None = None
    commit: tuple[str, ...] = ()
    rollback: tuple[str, ...] = ()


class Classifier(Protocol):
    def __call__(self, exc: BaseException) -> ErrorInfo | None: ...


class AsyncDriver(Protocol):
    """Runs SQLAlchemy-compiled SQL on an async driver's own connection."""

    async def execute(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any], fetch: bool
    ) -> tuple[list[Sequence[Any]], int, Any]: ...

    async def executemany(
        self, conn: Any, sql: str, params: Sequence[Sequence[Any] | dict[str, Any]]
    ) -> int: ...

    async def described(
        self, conn: Any, sql: str, params: Sequence[Any] | dict[str, Any]
    ) -> tuple[list[Sequence[Any]], int, tuple[str, ...]]:
        """Rows, row count and the column names (raw SQL)."""
        ...


@dataclass(frozen=True, slots=True)
class CopyTarget:
    """A table and columns that rows are copied into, with its COPY statement."""

    schema: str | None
    table: str
    columns: tuple[str, ...]
    sql: str


@dataclass(frozen=True, slots=True)
class Copier:
    """A driver's bulk path: a batch of at least ``min_rows`` rows that nothing reads back is
    loaded with ``copy(connection, target, rows)`` (awaitable for async drivers) instead of
    executemany. Rows arrive as sequences in ``target.columns`` order, converted by the
    columns' bind processors exactly as for the INSERT they replace."""

    min_rows: int
    target: Callable[[Any, Any, Sequence[str]], CopyTarget]  # (dialect, table, columns)
    copy: Callable[[Any, CopyTarget, Sequence[Sequence[Any]]], Any]
