"""The peers a user would pick instead: SQLAlchemy ORM (2.x ``Session``) and SQLModel.

Each peer maps a table of its own with storied's columns (``bench_items_orm``,
``bench_items_sqlmodel``: the same names, a unique ``(tenant_id, id)`` and a unique sku per tenant
among live rows), in the same database, seeded with the same ids and values as storied's, and
does the crud bench's four operations its idiomatic fast way, one session per operation (what a
request handler does; a session kept across operations would answer gets from its identity map),
statements built once with bound parameters:

- create: ``session.add(item)``, ``commit()`` (``expire_on_commit=False``: no reload after);
- get: ``select(Item)`` by id, tenant and ``deleted_at IS NULL``, ``.one()``;
- update: an ORM-enabled ``UPDATE … RETURNING Item`` (the same single statement storied sends,
  rather than load, change, flush: two round trips);
- list: ``select(Item)`` of the tenant's live rows, ``LIMIT``, ``.all()``.

SQLModel's table models, like the ORM's, skip Pydantic validation when loaded from the database,
so its rows arrive unvalidated; storied validates every one. Types are each peer's own defaults
(``Uuid``, ``Numeric(12, 2)``, ``DateTime(timezone=True)``), so on SQLite prices are not stored
as exact scaled integers as storied stores them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlmodel
from sqlalchemy import orm
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession as SQLModelAsyncSession

from .raw import session_setup
from .workloads import ACTOR, NAME, PRICE, STOCK, AsyncSide, Data, SyncSide

UTC = dt.UTC


def _table_args(table: str) -> tuple[Any, ...]:
    live = sa.text("deleted_at IS NULL")
    return (
        sa.UniqueConstraint("tenant_id", "id", name=f"ux_{table}_tenant_key"),
        sa.Index(
            f"uq_{table}_sku", "tenant_id", "sku", unique=True,
            sqlite_where=live, postgresql_where=live,
        ),
    )  # fmt: skip


class Base(orm.DeclarativeBase):
    pass


class OrmItem(Base):
    __tablename__ = "bench_items_orm"
    __table_args__ = _table_args(__tablename__)

    id: orm.Mapped[uuid.UUID] = orm.mapped_column(primary_key=True)
    tenant_id: orm.Mapped[uuid.UUID]
    sku: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(200))
    price: orm.Mapped[Decimal] = orm.mapped_column(sa.Numeric(12, 2))
    stock: orm.Mapped[int]
    version: orm.Mapped[int]
    created_at: orm.Mapped[dt.datetime] = orm.mapped_column(sa.DateTime(timezone=True))
    created_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    updated_at: orm.Mapped[dt.datetime] = orm.mapped_column(sa.DateTime(timezone=True))
    updated_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    deleted_at: orm.Mapped[dt.datetime | None] = orm.mapped_column(sa.DateTime(timezone=True))
    deleted_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


def _stamp() -> Any:
    return sqlmodel.Field(sa_type=sa.DateTime(timezone=True))


class SQLModelItem(sqlmodel.SQLModel, table=True):
    __tablename__ = "bench_items_sqlmodel"
    __table_args__ = _table_args(__tablename__)

    id: uuid.UUID = sqlmodel.Field(primary_key=True)
    tenant_id: uuid.UUID
    sku: str = sqlmodel.Field(max_length=64)
    name: str = sqlmodel.Field(max_length=200)
    price: Decimal = sqlmodel.Field(max_digits=12, decimal_places=2)
    stock: int
    version: int
    created_at: dt.datetime = _stamp()
    created_by: str | None = sqlmodel.Field(default=None, max_length=255)
    updated_at: dt.datetime = _stamp()
    updated_by: str | None = sqlmodel.Field(default=None, max_length=255)
    deleted_at: dt.datetime | None = sqlmodel.Field(
        default=None, sa_type=sa.DateTime(timezone=True)
    )
    deleted_by: str | None = sqlmodel.Field(default=None, max_length=255)


@dataclass(frozen=True, slots=True)
class Peer:
    """One peer: its mapped class, its sessions, and how it fetches rows and update results."""

    name: str
    model: Any
    session: type[orm.Session]
    async_session: type[AsyncSession]
    select: Callable[[Any], Any]
    #: the ORM's ``session.scalars(stmt, params)`` or SQLModel's ``session.exec(stmt, params=…)``
    rows: Callable[[Any, Any, dict[str, Any]], Any]
    #: the models an ORM-enabled UPDATE … RETURNING gave
    updated: Callable[[Any], Any]


PEERS = {
    "sqlalchemy": Peer(
        "SQLAlchemy ORM", OrmItem, orm.Session, AsyncSession, sa.select,
        lambda s, stmt, params: s.scalars(stmt, params), lambda result: result,
    ),
    "sqlmodel": Peer(
        "SQLModel", SQLModelItem, sqlmodel.Session, SQLModelAsyncSession, sqlmodel.select,
        lambda s, stmt, params: s.exec(stmt, params=params), lambda result: result.scalars(),
    ),
}  # fmt: skip


def _sqlite_settings(engine: sa.Engine, backend: str) -> None:
    """storied's SQLite connection settings (WAL, synchronous=NORMAL, …) on every connection."""
    if backend != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def settings(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for statement in session_setup("sqlite"):
            cursor.execute(statement)
        cursor.close()


def seed(url: str, backend: str, data: Data) -> sa.Engine:
    """Create both peers' tables, insert storied's seeded rows; the engine clears writes."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    _sqlite_settings(engine, backend)
    now = dt.datetime.now(UTC)
    rows = [
        {
            "id": id, "tenant_id": data.read_tenant, "sku": f"S{i}", "name": NAME,
            "price": PRICE, "stock": STOCK, "version": 1, "created_at": now,
            "created_by": ACTOR, "updated_at": now, "updated_by": ACTOR,
        }
        for i, id in enumerate(data.ids)
    ]  # fmt: skip
    for peer in PEERS.values():
        table = peer.model.__table__
        table.create(engine, checkfirst=True)
        with engine.begin() as conn:
            conn.execute(sa.insert(table), rows)
    return engine


def clear(engine: sa.Engine, data: Data) -> None:
    """Remove the rows the peers' create batches wrote (not timed)."""
    with engine.begin() as conn:
        for peer in PEERS.values():
            table = peer.model.__table__
            conn.execute(table.delete().where(table.c.tenant_id == data.write_tenant))


def _now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _new(peer: Peer, data: Data) -> Any:
    now = _now()
    return peer.model(
        id=uuid.uuid4(), tenant_id=data.write_tenant, sku=data.next_sku(), name=NAME,
        price=PRICE, stock=STOCK, version=1, created_at=now, created_by=ACTOR,
        updated_at=now, updated_by=ACTOR,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Statements:
    """A peer's statements, built once with bound parameters (SQLAlchemy's advice for hot
    paths: it skips building the expression per call; the compiled form is cached either way).
    """

    get: Any
    update: Any
    list: Any

    @classmethod
    def build(cls, peer: Peer) -> Statements:
        m = peer.model
        by_id = (m.id == sa.bindparam("key"), m.tenant_id == sa.bindparam("tenant"))
        live = m.deleted_at.is_(None)
        return cls(
            get=peer.select(m).where(*by_id, live),
            update=sa.update(m)
            .where(*by_id, live)
            .values(
                stock=sa.bindparam("new_stock"), version=m.version + 1,
                updated_at=sa.bindparam("now"), updated_by=ACTOR,
            )
            .returning(m),
            list=peer.select(m)
            .where(m.tenant_id == sa.bindparam("tenant"), live)
            .limit(sa.bindparam("limit")),
        )  # fmt: skip


class PeerSync(SyncSide):
    def __init__(self, peer: Peer, url: str, backend: str, data: Data) -> None:
        super().__init__()
        self.peer, self.data, self.label = peer, data, peer.name
        self.sql = Statements.build(peer)
        self.list_params = {"tenant": data.read_tenant, "limit": data.rows}
        self.engine = sa.create_engine(url)
        _sqlite_settings(self.engine, backend)
        self.sessions = orm.sessionmaker(self.engine, class_=peer.session, expire_on_commit=False)
        self.batches = {
            "create": self.create, "get": self.get, "update": self.update, "list": self.list_rows,
        }  # fmt: skip

    def create(self, n: int) -> None:
        for _ in range(n):
            with self.sessions() as session:
                session.add(_new(self.peer, self.data))
                session.commit()

    def get(self, n: int) -> None:
        rows, sql, ids, tenant = self.peer.rows, self.sql.get, self.data.ids, self.data.read_tenant
        for i in range(n):
            with self.sessions() as session:
                rows(session, sql, {"key": ids[i % len(ids)], "tenant": tenant}).one()

    def update(self, n: int) -> None:
        peer, sql, ids, tenant = self.peer, self.sql.update, self.data.ids, self.data.read_tenant
        for i in range(n):
            params = {"key": ids[i % len(ids)], "tenant": tenant, "new_stock": i, "now": _now()}
            with self.sessions() as session:
                peer.updated(peer.rows(session, sql, params)).one()
                session.commit()

    def list_rows(self, n: int) -> None:
        rows, sql, params = self.peer.rows, self.sql.list, self.list_params
        for _ in range(n):
            with self.sessions() as session:
                rows(session, sql, params).all()

    def close(self) -> None:
        self.engine.dispose()


class PeerAsync(AsyncSide):
    def __init__(
        self, loop: asyncio.AbstractEventLoop, peer: Peer, url: str, backend: str, data: Data
    ) -> None:
        super().__init__(loop)
        self.peer, self.data, self.label = peer, data, peer.name
        self.sql = Statements.build(peer)
        self.list_params = {"tenant": data.read_tenant, "limit": data.rows}
        self.engine = create_async_engine(url)
        _sqlite_settings(self.engine.sync_engine, backend)
        self.sessions = async_sessionmaker(
            self.engine, class_=peer.async_session, expire_on_commit=False
        )
        self.batches = {
            "create": self.create, "get": self.get, "update": self.update, "list": self.list_rows,
        }  # fmt: skip

    async def create(self, n: int) -> None:
        for _ in range(n):
            async with self.sessions() as session:
                session.add(_new(self.peer, self.data))
                await session.commit()

    async def get(self, n: int) -> None:
        rows, sql, ids, tenant = self.peer.rows, self.sql.get, self.data.ids, self.data.read_tenant
        for i in range(n):
            async with self.sessions() as session:
                (await rows(session, sql, {"key": ids[i % len(ids)], "tenant": tenant})).one()

    async def update(self, n: int) -> None:
        peer, sql, ids, tenant = self.peer, self.sql.update, self.data.ids, self.data.read_tenant
        for i in range(n):
            params = {"key": ids[i % len(ids)], "tenant": tenant, "new_stock": i, "now": _now()}
            async with self.sessions() as session:
                peer.updated(await peer.rows(session, sql, params)).one()
                await session.commit()

    async def list_rows(self, n: int) -> None:
        rows, sql, params = self.peer.rows, self.sql.list, self.list_params
        for _ in range(n):
            async with self.sessions() as session:
                (await rows(session, sql, params)).all()

    async def aclose(self) -> None:
        await self.engine.dispose()
