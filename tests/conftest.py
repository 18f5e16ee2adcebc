"""One database fixture, parametrized over the backends, each with its marker.

``pytest -m sqlite`` runs anywhere. PostgreSQL and MariaDB are reached on loopback (override
with STORIED_TEST_POSTGRESQL_URL / STORIED_TEST_MYSQL_URL). Each test session works in a
database of its own, created here and dropped at the end, so parallel sessions do not meet.
Locally an unreachable server skips its backend (and says so loudly at the end); under
``CI=true`` it is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, FrozenClock

SERVERS = {
    "postgresql": os.environ.get(
        "STORIED_TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("STORIED_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}
ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "mysql": "mysql+asyncmy",
    "sqlite": "sqlite+aiosqlite",
}
BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.sqlite),
    pytest.param("postgresql", marks=pytest.mark.postgresql),
    pytest.param("mysql", marks=pytest.mark.mysql),
]
_unreachable: dict[str, str] = {}


class _Servers:
    """Creates one scratch database per backend for this session, on first use."""

    def __init__(self) -> None:
        self.urls: dict[str, sa.URL] = {}
        self.name = f"storied_t{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def url(self, backend: str) -> sa.URL:
        if backend in self.urls:
            return self.urls[backend]
        if backend in _unreachable:
            self._missing(backend)
        admin_url = sa.make_url(SERVERS[backend])
        try:
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {self.name}")
            admin.dispose()
        except sa.exc.OperationalError as exc:
            _unreachable[backend] = str(exc).splitlines()[0]
            self._missing(backend)
        self.urls[backend] = admin_url.set(database=self.name)
        return self.urls[backend]

    @staticmethod
    def _missing(backend: str) -> None:
        message = f"{backend} server unreachable: {_unreachable[backend]}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    def drop(self) -> None:
        for backend in self.urls:
            admin = sa.create_engine(sa.make_url(SERVERS[backend]), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                if backend == "postgresql":
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                else:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.name}")
            admin.dispose()


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _unreachable:
        terminalreporter.section("BACKENDS NOT TESTED", sep="!", red=True, bold=True)
        for backend, reason in _unreachable.items():
            terminalreporter.line(f"{backend}: {reason}", red=True)
