"""One database fixture, parametrized over the backends, each with its marker.

``pytest -m sqlite`` runs anywhere. PostgreSQL and MariaDB are reached on loopback (override
with STORIED_TEST_POSTGRESQL_URL / STORIED_TEST_MYSQL_URL). Each test session works in a
database of its own, created here and dropped at the end, so parallel sessions do not meet.
Locally an unreachable server skips its backend (and says so loudly at the end); under
``CI=true`` it is a failure. The scratch-database machinery is storied's pytest plugin's
(``storied.testing``), which this suite also exercises through its ``storied_*`` fixtures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock
from storied.testing.plugin import missing_backend
from storied.testing.scratch import ASYNC_DRIVERS, ScratchDatabases, server_urls

SERVERS = server_urls()
BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.sqlite),
    pytest.param("postgresql", marks=pytest.mark.postgresql),
    pytest.param("mysql", marks=pytest.mark.mysql),
]


class _Servers(ScratchDatabases):
    """The plugin's scratch databases on this suite's servers; an unreachable one skips its
    tests (fails them under CI=true) and is listed at the end by the plugin."""

    def __init__(self) -> None:
        super().__init__(SERVERS, on_missing=missing_backend)


@pytest.fixture(scope="session")
def servers() -> Iterator[_Servers]:
    holder = _Servers()
    yield holder
    holder.drop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def db_url(backend: str, servers: _Servers, tmp_path: object) -> str:
    """A sync URL for the backend under test (SQLite: a file in the test's tmp dir)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/test.db"
    return servers.url(backend).render_as_string(hide_password=False)


@pytest.fixture
def async_url(db_url: str, backend: str) -> str:
    url = sa.make_url(db_url)
    return url.set(drivername=ASYNC_DRIVERS[backend]).render_as_string(hide_password=False)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db(db_url: str, clock: FrozenClock) -> Iterator[Database]:
    """A connected Database; tables its registry created are dropped afterwards."""
    database = Database(db_url, clock=clock).connect()
    try:
        yield database
    finally:
        try:
            database.drop_all()
        finally:
            database.close()


@pytest.fixture
async def adb(async_url: str, clock: FrozenClock) -> AsyncIterator[AsyncDatabase]:
    database = await AsyncDatabase(async_url, clock=clock).connect()
    try:
        yield database
    finally:
        try:
            await database.drop_all()
        finally:
            await database.close()
