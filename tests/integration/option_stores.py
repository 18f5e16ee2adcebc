"""The fixtures of a test directory that reruns integration tests on PostgreSQL with
Database options of its own (``partitioned/``: history partitions, ``tenant_keys/``:
tenant-leading keys): ``backend`` (PostgreSQL only), ``store``, ``db`` and ``adb``, each
database made with the options, in scratch databases of their own (a table name means one
shape per database). A conftest takes them with ``globals().update(fixtures(OPTIONS))``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock
from tests.conftest import ASYNC_DRIVERS, _Servers
from tests.integration.conftest import Store


class _OptionStores:
    """Store databases made with the options (one sync Database, connected once; each async
    test connects its own)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.servers = _Servers()
        self.sync: Database | None = None

    def url(self) -> str:
        return self.servers.url("postgresql").render_as_string(hide_password=False)

    def database(self) -> Database:
        if self.sync is None:
            self.sync = Database(self.url(), **self.options).connect()
        return self.sync

    def close(self) -> None:
        if self.sync is not None:
            self.sync.close()
        self.servers.drop()


def fixtures(options: dict[str, Any], *, adb: bool = True) -> dict[str, Callable[..., Any]]:
    """The fixtures, by name, for databases made with ``options`` (``adb``: the async
    ``adb`` fixture too, else the integration conftest's own)."""

    @pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgresql)])
    def backend(request: pytest.FixtureRequest) -> str:
        return request.param  # type: ignore[no-any-return]

    @pytest.fixture(scope="session")
    def _option_stores() -> Iterator[_OptionStores]:
        stores = _OptionStores(options)
        try:
            yield stores
        finally:
            stores.close()

    @pytest.fixture(params=["sync", "async"])
    async def store(
        request: pytest.FixtureRequest,
        backend: str,
        _option_stores: _OptionStores,
        clock: FrozenClock,
    ) -> AsyncIterator[Store]:
        url = _option_stores.url()
        database: Database | AsyncDatabase
        if request.param == "sync":
            database = _option_stores.database()
            database.clock = clock
        else:
            async_url = sa.make_url(url).set(drivername=ASYNC_DRIVERS[backend])
            database = await AsyncDatabase(async_url, clock=clock, **options).connect()
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
        database = Database(db_url, clock=clock, **options).connect()
        try:
            yield database
        finally:
            try:
                database.drop_all()
            finally:
                database.close()

    @pytest.fixture(name="adb")
    async def adb_(async_url: str, clock: FrozenClock) -> AsyncIterator[AsyncDatabase]:
        database = await AsyncDatabase(async_url, clock=clock, **options).connect()
        try:
            yield database
        finally:
            try:
                await database.drop_all()
            finally:
                await database.close()

    made: dict[str, Callable[..., Any]] = {
        "backend": backend,
        "_option_stores": _option_stores,
        "store": store,
        "db": db,
    }
    if adb:
        made["adb"] = adb_
    return made
