"""The repository tests again, on PostgreSQL with tenant-leading keys (Citus-ready).

Each module here imports the tests of one integration module; the fixtures below replace
``backend`` (PostgreSQL only), ``store`` and ``db`` with databases made with
``tenant_leading_keys=True`` (every tenant-scoped key led by ``tenant_id``), in scratch
databases of their own (a table name means one shape per database). So CRUD, restore,
queries, relationships, history, audit, as_of, bulk writes and the scd2 chain rules (enforced
by the database) are checked on the new keys too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock
from tests.conftest import ASYNC_DRIVERS, _Servers
from tests.integration.conftest import Store

#: the Database options of every database here
OPTIONS: dict[str, Any] = {"tenant_leading_keys": True}


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


class _LeadingStores:
    """Store databases with tenant-leading keys (one sync Database, connected
    once; each async test connects its own)."""

    def __init__(self) -> None:
        self.servers = _Servers()
        self.sync: Database | None = None

    def url(self) -> str:
        return self.servers.url("postgresql").render_as_string(hide_password=False)

    def database(self) -> Database:
        if self.sync is None:
            self.sync = Database(self.url(), **OPTIONS).connect()
        return self.sync

    def close(self) -> None:
        if self.sync is not None:
            self.sync.close()
        self.servers.drop()


@pytest.fixture(scope="session")
def _leading_stores() -> Iterator[_LeadingStores]:
    stores = _LeadingStores()
    try:
        yield stores
    finally:
        stores.close()


@pytest.fixture(params=["sync", "async"])
async def store(
    request: pytest.FixtureRequest,
    backend: str,
    _leading_stores: _LeadingStores,
    clock: FrozenClock,
) -> AsyncIterator[Store]:
    url = _leading_stores.url()
    database: Database | AsyncDatabase
    if request.param == "sync":
        database = _leading_stores.database()
        database.clock = clock
    else:
        async_url = sa.make_url(url).set(drivername=ASYNC_DRIVERS[backend])
        database = await AsyncDatabase(async_url, clock=clock, **OPTIONS).connect()
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
def db(db_url: str, clock: FrozenClock) -> Iterator[Database]:
    database = Database(db_url, clock=clock, **OPTIONS).connect()
    try:
        yield database
    finally:
        try:
            database.drop_all()
        finally:
            database.close()


@pytest.fixture
async def adb(async_url: str, clock: FrozenClock) -> AsyncIterator[AsyncDatabase]:
    database = await AsyncDatabase(async_url, clock=clock, **OPTIONS).connect()
    try:
        yield database
    finally:
        try:
            await database.drop_all()
        finally:
            await database.close()
