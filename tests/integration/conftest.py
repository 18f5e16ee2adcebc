"""``store``: one test body, run against the sync ``Database`` and the ``AsyncDatabase``.

The facade awaits whatever the repository returns, so a test written once exercises both APIs
with the same assertions (the backend comes from the ``backend`` parametrization as usual)::

    async def test_x(store: Store) -> None:
        await store.create_all(Product)
        repo = store.repository(Product, tenant_id=uuid4())
        p = await repo.create(...)
        assert await settle(repo.query().count()) == 1

Connecting and DDL are slow on the servers (a MariaDB connection costs ~50 ms here), so stores
live in scratch databases of their own, apart from the ones ``db`` uses: tables are created on
first use, stay for the session and are emptied after each test (so a table name means one
shape). The sync Database is connected once per backend and takes each test's ``clock``; an
AsyncDatabase is bound to its test's event loop, so each async test connects its own.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock, Model
from tests.conftest import ASYNC_DRIVERS, _Servers


async def settle(value: Any) -> Any:
    """The value itself, or what it resolves to when it is awaitable (async repositories)."""
    return await value if inspect.isawaitable(value) else value


class Repo:
    """A sync or async repository behind awaitable methods; ``query()`` is handed through."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def query(self) -> Any:
        return self.inner.query()

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self.inner, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await settle(method(*args, **kwargs))

        return call


@dataclass
class Store:
    """A connected Database or AsyncDatabase, driven through one awaitable API."""

    db: Database | AsyncDatabase
    clock: FrozenClock
    #: a sync URL of the same database, for tools that look under storied
    url: str

    @property
    def is_async(self) -> bool:
        return isinstance(self.db, AsyncDatabase)

    async def create_all(self, *models: type[Model]) -> None:
        await settle(self.db.create_all(models))

    def repository(self, model: type[Model], **scope: Any) -> Repo:
        return Repo(self.db.repository(model, **scope))

    async def run_sync(self, work: Callable[[sa.Connection], Any]) -> Any:
        """Run ``work(connection)`` in a transaction on SQLAlchemy's own engine."""
        if isinstance(self.db, AsyncDatabase):
            async with self.db.engine.begin() as conn:
                return await conn.run_sync(work)
        with self.db.engine.begin() as conn:
            return work(conn)

    async def scalar(self, sql: str) -> Any:
        """One value read with raw SQL through SQLAlchemy (to look under storied)."""
        return await self.run_sync(lambda conn: conn.exec_driver_sql(sql).scalar())

    async def empty(self) -> None:
        """Delete every row of this registry's tables that exist (children first)."""
        tables = list(reversed(self.db.registry.metadata.sorted_tables))

        def delete(conn: sa.Connection) -> None:
            existing = set(sa.inspect(conn).get_table_names())
            for table in tables:
                if table.name in existing:
                    # rows pointing at rows of their own table (MySQL checks each row at once)
                    own_id = table.c.get("id")  # audit tables have none
                    cut = {
                        c.name: None for c in table.c if own_id is not None and c.references(own_id)
                    }
                    if cut:
                        conn.execute(table.update().values(cut))
                    conn.execute(table.delete())

        await self.run_sync(delete)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if isinstance(self.db, AsyncDatabase):
            async with self.db.transaction():
                yield
        else:
            with self.db.transaction():
                yield


class _Stores:
    """The session's store databases (made on first use) and its connected sync Databases."""

    def __init__(self, sqlite_dir: Path) -> None:
        self.servers = _Servers()  # scratch databases apart from the ones ``db`` uses
        self.sqlite_dir = sqlite_dir
        self.sync: dict[str, Database] = {}

    def url(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.sqlite_dir}/store.db"
        return self.servers.url(backend).render_as_string(hide_password=False)

    def database(self, backend: str) -> Database:
        if backend not in self.sync:
            self.sync[backend] = Database(self.url(backend)).connect()
        return self.sync[backend]

    def close(self) -> None:
        for database in self.sync.values():
            database.close()
        self.servers.drop()


@pytest.fixture(scope="session")
def _stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Stores]:
    stores = _Stores(tmp_path_factory.mktemp("store"))
    try:
        yield stores
    finally:
        stores.close()


@pytest.fixture(params=["sync", "async"])
async def store(
    request: pytest.FixtureRequest, backend: str, _stores: _Stores, clock: FrozenClock
) -> AsyncIterator[Store]:
    """A connected store on ``clock``, whose tables are empty when the test starts."""
    url = _stores.url(backend)
    database: Database | AsyncDatabase
    if request.param == "sync":
        database = _stores.database(backend)
        database.clock = clock
    else:
        async_url = sa.make_url(url).set(drivername=ASYNC_DRIVERS[backend])
        database = await AsyncDatabase(async_url, clock=clock).connect()
    current = Store(database, clock, url)
    try:
        yield current
    finally:
        try:
            await current.empty()
        finally:
            if isinstance(database, AsyncDatabase):
                await database.close()


@pytest.fixture
def tenant() -> UUID:
    return uuid4()
