"""The temporal tests again, on PostgreSQL with partitioned history tables.

Each module here imports the tests of one temporal module; the fixtures below replace
``backend`` (PostgreSQL only), ``store`` and ``db`` with databases made with
``history_partitions="month"``, in scratch databases of their own (a table name means one
shape per database). So the invariants (history, audit, as_of, compare, revert, restore,
one current version enforced by the database) are checked on partitioned tables too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock
from tests.conftest import ASYNC_DRIVERS, _Servers
from tests.integration.conftest import Store

PARTITIONS = "month"


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


class _PartitionedStores:
    """Store databases whose history tables are partitioned (one sync Database, connected
    once; each async test connects its own)."""

    def __init__(self) -> None:
        self.servers = _Servers()
        self.sync: Database | None = None

    def url(self) -> str:
        return self.servers.url("postgresql").render_as_string(hide_password=False)

    def database(self) -> Database:
        if self.sync is None:
            self.sync = Database(self.url(), history_partitions=PARTITIONS).connect()
        return self.sync

    def close(self) -> None:
        if self.sync is not None:
            self.sync.close()
        self.servers.drop()


@pytest.fixture(scope="session")
def _partitioned_stores() -> Iterator[_PartitionedStores]:
    stores = _PartitionedStores()
    try:
        yield stores
    finally:
        stores.close()


@pytest.fixture(params=["sync", "async"])
async def store(
    request: pytest.FixtureRequest,
    backend: str,
    _partitioned_stores: _PartitionedStores,
    clock: FrozenClock,
) -> AsyncIterator[Store]:
    url = _partitioned_stores.url()
    database: Database | AsyncDatabase
    if request.param == "sync":
        database = _partitioned_stores.database()
        database.clock = clock
    else:
        async_url = sa.make_url(url).set(drivername=ASYNC_DRIVERS[backend])
        database = await AsyncDatabase(
            async_url, clock=clock, history_partitions=PARTITIONS
        ).connect()
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
    database = Database(db_url, clock=clock, history_partitions=PARTITIONS).connect()
    try:
        yield database
    finally:
        try:
            database.drop_all()
        finally:
            database.close()
