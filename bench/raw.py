"""The raw driver doing what storied does: the same table, statements and connection settings.

Each raw side sends, per operation, the statements storied sends for it (``SQL`` below;
``python -m bench --show-sql`` prints both sides'): one INSERT of every column; a SELECT by id,
tenant and ``deleted_at IS NULL``; an UPDATE of the field plus version and audit stamps, with
``RETURNING`` where storied uses it, else BEGIN, UPDATE, SELECT, COMMIT as storied does on
MariaDB; a SELECT of the tenant's live rows. Connections are autocommit, SQLite runs WAL with
synchronous=NORMAL, MariaDB gets storied's session settings. Rows stay as the driver returns
them (tuples or records): the raw side does no conversion and builds no objects.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .targets import DRIVERS, Target
from .workloads import ACTOR, NAME, PRICE, STOCK, Data, SyncSide

COLUMNS = (
    "id",
    "tenant_id",
    "sku",
    "name",
    "price",
    "stock",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "deleted_by",
)
UTC = dt.UTC

MYSQL_FOUND_ROWS = 2  # CLIENT.FOUND_ROWS, which SQLAlchemy sets: rowcount counts matched rows


def session_setup(backend: str) -> list[str]:
    """The statements storied runs on every new connection (its dialect's ``on_connect``).

    Recorded from storied's own hook, so the raw connections get exactly the same settings
    (SQLite: foreign keys, busy timeout, WAL, synchronous=NORMAL, …; MariaDB: strict mode, UTC).
    """
    from storied import dialects

    seen: list[str] = []

    class Recorder:
        """Stands in for the DB-API connection, its cursor and SQLAlchemy's pool record."""

        @property
        def driver_connection(self) -> Recorder:
            return self

        def cursor(self) -> Recorder:
            return self

        def execute(self, sql: str, *args: Any) -> None:
            seen.append(sql)

        def close(self) -> None:
            pass

    dialect = sa.make_url(f"{DRIVERS[(backend, 'sync')]}://").get_dialect()()
    hook = dialects.on_connect(dialect)
    if hook is not None:
        recorder = Recorder()
        hook(recorder, recorder)
    return seen


@dataclass(frozen=True, slots=True)
class SQL:
    """The statements of one paramstyle; ``update_returning`` False means UPDATE then SELECT."""

    insert: str
    get: str
    update: str
    select: str
    update_returning: bool

    @classmethod
    def build(
        cls, placeholder: Callable[[int], str], update_returning: bool, table: str = "bench_items"
    ) -> SQL:
        p = placeholder
        cols = ", ".join(COLUMNS)
        values = ", ".join(p(i) for i in range(1, len(COLUMNS) + 1))
        live = "deleted_at IS NULL"
        update = (
            f"UPDATE {table} SET stock = {p(1)}, version = version + 1, "
            f"updated_at = {p(2)}, updated_by = {p(3)} "
            f"WHERE id = {p(4)} AND tenant_id = {p(5)} AND {live}"
        )
        return cls(
            insert=f"INSERT INTO {table} ({cols}) VALUES ({values})",
            get=f"SELECT {cols} FROM {table} WHERE id = {p(1)} AND tenant_id = {p(2)} AND {live}",
            update=f"{update} RETURNING {cols}" if update_returning else update,
            select=f"SELECT {cols} FROM {table} WHERE tenant_id = {p(1)} AND {live} LIMIT {p(2)}",
            update_returning=update_returning,
        )

    def statements(self) -> list[str]:
        if self.update_returning:
            return [self.insert, self.get, self.update, self.select]
        return [self.insert, self.get, f"BEGIN; {self.update}; {self.get}; COMMIT", self.select]


def _qmark(i: int) -> str:
    return "?"


def _format(i: int) -> str:
    return "%s"


def _numeric(i: int) -> str:
    return f"${i}"


def _sqlite_now() -> str:
    return dt.datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _naive_now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(tzinfo=None)


def _aware_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Encoding:
    """How values reach the driver: what storied's column types bind, done by hand."""

    uuid: Callable[[uuid.UUID], Any]
    now: Callable[[], Any]
    price: Any


SQLITE = Encoding(_hex, _sqlite_now, int(PRICE.scaleb(2)))  # Decimal as a scaled integer
POSTGRESQL = Encoding(_same, _aware_now, PRICE)
MYSQL = Encoding(_same, _naive_now, PRICE)  # DATETIME(6) holds naive UTC


class _Rows:
    """The values of each statement, encoded as a raw-driver user would encode them."""

    def __init__(self, data: Data, enc: Encoding) -> None:
        self.data, self.enc = data, enc
        self.read = enc.uuid(data.read_tenant)
        self.write = enc.uuid(data.write_tenant)
        self.ids = [enc.uuid(i) for i in data.ids]
        self.list_params = (self.read, data.rows)

    def insert(self) -> tuple[Any, ...]:
        """A new row: fresh id, the write tenant, a fresh sku, one "now" for both stamps."""
        enc = self.enc
        now = enc.now()
        sku = self.data.next_sku()
        # fmt: off
        return (
            enc.uuid(uuid.uuid4()), self.write, sku, NAME, enc.price, STOCK, 1,
            now, ACTOR, now, ACTOR, None, None,
        )
        # fmt: on


class RawSync(SyncSide):
    """sqlite3 or psycopg: ``conn.execute(sql, params)`` returns the cursor to fetch from."""

    label = "raw"

    def __init__(self, conn: Any, sql: SQL, rows: _Rows) -> None:
        super().__init__()
        self.conn, self.sql, self.rows = conn, sql, rows
        self.batches = {"create": self.create, "get": self.get, "update": self.update}
        self.batches["list"] = self.list_rows
        self.batches["rows"] = self.list_rows  # plain rows: the same statement, the same rows

    def create(self, n: int) -> None:
        execute, sql, rows = self.conn.execute, self.sql.insert, self.rows
        for _ in range(n):
            execute(sql, rows.insert())

    def get(self, n: int) -> None:
        execute, sql, ids, tenant = self.conn.execute, self.sql.get, self.rows.ids, self.rows.read
        for i in range(n):
            execute(sql, (ids[i % len(ids)], tenant)).fetchone()

    def update(self, n: int) -> None:
        execute, sql, ids, tenant = (
            self.conn.execute,
            self.sql.update,
            self.rows.ids,
            self.rows.read,
        )
        now = self.rows.enc.now
        for i in range(n):
            execute(sql, (i, now(), ACTOR, ids[i % len(ids)], tenant)).fetchone()

    def list_rows(self, n: int) -> None:
        execute, sql, params = self.conn.execute, self.sql.select, self.rows.list_params
        for _ in range(n):
            execute(sql, params).fetchall()

    def fetch_list(self) -> list[Any]:
        """One list's rows, as the driver returns them (for bench.validated)."""
        return self.conn.execute(self.sql.select, self.rows.list_params).fetchall()  # type: ignore[no-any-return]

    def statements(self) -> list[str]:
        return self.sql.statements()

    def close(self) -> None:
        self.conn.close()


class RawPyMySQL(RawSync):
    """pymysql: one cursor kept for the connection; MariaDB updates as storied does them."""

    def __init__(self, conn: Any, sql: SQL, rows: _Rows) -> None:
        super().__init__(conn, sql, rows)
        self.cursor = conn.cursor()

    def create(self, n: int) -> None:
        execute, sql, rows = self.cursor.execute, self.sql.insert, self.rows
        for _ in range(n):
            execute(sql, rows.insert())

    def get(self, n: int) -> None:
        cursor, sql, ids, tenant = self.cursor, self.sql.get, self.rows.ids, self.rows.read
        for i in range(n):
            cursor.execute(sql, (ids[i % len(ids)], tenant))
            cursor.fetchone()

    def update(self, n: int) -> None:
        cursor, sql, ids, tenant = self.cursor, self.sql, self.rows.ids, self.rows.read
        now = self.rows.enc.now
        for i in range(n):
            id = ids[i % len(ids)]
            cursor.execute("BEGIN")
            cursor.execute(sql.update, (i, now(), ACTOR, id, tenant))
            cursor.execute(sql.get, (id, tenant))
            cursor.fetchone()
            cursor.execute("COMMIT")

    def list_rows(self, n: int) -> None:
        cursor, sql, params = self.cursor, self.sql.select, self.rows.list_params
        for _ in range(n):
            cursor.execute(sql, params)
            cursor.fetchall()

    def fetch_list(self) -> list[Any]:
        self.cursor.execute(self.sql.select, self.rows.list_params)
        return list(self.cursor.fetchall())


def connect_sync(target: Target) -> Any:
    """An autocommit connection of the sync raw driver, with storied's session settings."""
    if target.backend == "sqlite":
        conn: Any = sqlite3.connect(target.path, isolation_level=None)  # autocommit
        for statement in session_setup("sqlite"):
            conn.execute(statement)
        return conn
    if target.backend == "postgresql":
        import psycopg

        return psycopg.connect(
            host=target.host,
            port=target.port or 5432,
            user=target.user,
            password=target.password or None,
            dbname=target.database,
            autocommit=True,
        )
    import pymysql

    conn = pymysql.connect(
        host=target.host,
        port=target.port or 3306,
        user=target.user,
        password=target.password,
        database=target.database,
        autocommit=True,
        charset="utf8mb4",
        client_flag=MYSQL_FOUND_ROWS,
    )
    with conn.cursor() as cursor:
        for statement in session_setup("mysql"):
            cursor.execute(statement)
    return conn


def raw_sync(target: Target, data: Data) -> RawSync:
    conn = connect_sync(target)
    if target.backend == "sqlite":
        return RawSync(conn, SQL.build(_qmark, True), _Rows(data, SQLITE))
    if target.backend == "postgresql":
        return RawSync(conn, SQL.build(_format, True), _Rows(data, POSTGRESQL))
    return RawPyMySQL(conn, SQL.build(_format, False), _Rows(data, MYSQL))
