"""storied's pytest plugin: databases, clock, tenant, actor and factories for your tests.

Installed with storied (the ``storied`` pytest11 entry point); every fixture starts with
``storied_`` so none collides with yours. Choose backends with ``--storied-backend
sqlite,postgresql,mysql`` (or ``STORIED_TEST_BACKENDS``; default ``sqlite``), server URLs with
``--storied-postgresql-url`` / ``--storied-mysql-url`` (or ``STORIED_TEST_POSTGRESQL_URL`` /
``STORIED_TEST_MYSQL_URL``). Each session gets a scratch database per server, dropped at the
end; tables stay for the session and their rows are deleted after each test.

Fixtures: ``storied_backend`` (parametrizes the test over the backends), ``storied_url``,
``storied_db`` (a connected Database), ``storied_adb`` (an AsyncDatabase, with
pytest-asyncio), ``storied_repository(Model)``, ``storied_factory(Model)``,
``storied_clock`` (a FrozenClock), ``storied_tenant``, ``storied_actor``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from .. import Database, FrozenClock, Model
from .isolation import empty_tables
from .scratch import ASYNC_DRIVERS, DEFAULT_SERVERS, ScratchDatabases, server_urls

if TYPE_CHECKING:
    from .factories import Factory  # the testing extra; imported when a factory is asked for

BACKENDS = ("sqlite", *DEFAULT_SERVERS)
#: backend → why it was not tested, for the end-of-session summary
UNREACHABLE: dict[str, str] = {}


def missing_backend(backend: str, reason: str) -> None:
    """Skip the test (fail it under ``CI=true``) because ``backend``'s server is unreachable."""
    UNREACHABLE[backend] = reason
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("storied", "storied test databases")
    group.addoption(
        "--storied-backend",
        default=None,
        help="comma-separated backends for storied_db: sqlite, postgresql, mysql "
        "(env STORIED_TEST_BACKENDS; default: sqlite)",
    )
    for backend in DEFAULT_SERVERS:
        group.addoption(
            f"--storied-{backend}-url",
            default=None,
            help=f"admin URL of the {backend} server (env STORIED_TEST_{backend.upper()}_URL; "
            f"default: {DEFAULT_SERVERS[backend]})",
        )
    group.addoption(
        "--storied-seed",
        type=int,
        default=None,
        help="base seed of storied_factory and storied_tenant (env STORIED_TEST_SEED; default 0)",
    )


def pytest_configure(config: pytest.Config) -> None:
    _backends(config)  # a bad --storied-backend stops the run before collection
    for backend in BACKENDS:
        config.addinivalue_line("markers", f"storied_{backend}: runs storied_db on {backend}")


def _backends(config: pytest.Config) -> list[str]:
    raw = config.getoption("--storied-backend") or os.environ.get("STORIED_TEST_BACKENDS")
    chosen = [b.strip() for b in (raw or "sqlite").split(",") if b.strip()]
    unknown = [b for b in chosen if b not in BACKENDS]
    if unknown or not chosen:
        raise pytest.UsageError(
            f"--storied-backend: unknown backend(s) {unknown}; choose from {', '.join(BACKENDS)}"
        )
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "storied_backend" in metafunc.fixturenames:
        params = [
            pytest.param(b, marks=getattr(pytest.mark, f"storied_{b}"), id=b)
            for b in _backends(metafunc.config)
        ]
        metafunc.parametrize("storied_backend", params, indirect=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if UNREACHABLE:
        terminalreporter.section("BACKENDS NOT TESTED", sep="!", red=True, bold=True)
        for reason in UNREACHABLE.values():
            terminalreporter.line(reason, red=True)


class StoriedSession:
    """The session's scratch databases and one connected Database per backend."""

    def __init__(self, config: pytest.Config, sqlite_dir: Path) -> None:
        options = {b: config.getoption(f"--storied-{b}-url") for b in DEFAULT_SERVERS}
        self.scratch = ScratchDatabases(server_urls(options), on_missing=missing_backend)
        self.sqlite_dir = sqlite_dir
        self.databases: dict[str, Database] = {}
        self.created: dict[str, set[type[Model]]] = {}
        seed = config.getoption("--storied-seed")
        self.seed = seed if seed is not None else int(os.environ.get("STORIED_TEST_SEED", "0"))

    def url(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.sqlite_dir}/storied.db"
        return self.scratch.url(backend).render_as_string(hide_password=False)

    def database(self, backend: str) -> Database:
        if backend not in self.databases:
            self.databases[backend] = Database(self.url(backend)).connect()
            self.created[backend] = set()
        return self.databases[backend]

    def ensure_tables(self, backend: str, model: type[Model]) -> None:
        if model not in self.created[backend]:
            self.databases[backend].create_all([model])
            self.created[backend].add(model)

    def empty(self, backend: str) -> None:
        database = self.databases.get(backend)
        if database is not None and database.registry.metadata.tables:
            with database.engine.begin() as conn:
                empty_tables(conn, database.registry.metadata.tables.values())

    def close(self) -> None:
        try:
            for database in self.databases.values():
                database.close()
        finally:
            self.scratch.drop()

    def rng(self, *parts: object) -> Random:
        """A Random seeded from the session seed and ``parts`` (the same on every run)."""
        key = ":".join(str(p) for p in (self.seed, *parts))
        return Random(zlib.crc32(key.encode()))


@pytest.fixture(scope="session")
def storied_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoriedSession]:
    """The session's scratch databases (created on first use, dropped at the end)."""
    session = StoriedSession(request.config, tmp_path_factory.mktemp("storied"))
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def storied_backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: one of ``--storied-backend`` (the test runs once per backend)."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def storied_url(storied_backend: str, storied_session: StoriedSession) -> str:
    """The sync URL of the session's scratch database on this backend."""
    return storied_session.url(storied_backend)


@pytest.fixture
def storied_clock() -> FrozenClock:
    """A FrozenClock every storied_db write of this test stamps with (move it by hand)."""
    return FrozenClock()


@pytest.fixture
def storied_tenant(request: pytest.FixtureRequest, storied_session: StoriedSession) -> UUID:
    """A tenant id of this test's own (the same on every run of the test)."""
    return UUID(int=storied_session.rng(request.node.nodeid, "tenant").getrandbits(128), version=4)


@pytest.fixture
def storied_actor() -> str:
    """The actor name repositories made by ``storied_repository`` write as."""
    return "storied-test"


@pytest.fixture
def storied_db(
    storied_backend: str, storied_session: StoriedSession, storied_clock: FrozenClock
) -> Iterator[Database]:
    """A connected Database on this backend; rows written in the test are deleted after it."""
    database = storied_session.database(storied_backend)
    database.clock = storied_clock
    try:
        yield database
    finally:
        storied_session.empty(storied_backend)


@pytest.fixture
def storied_repository(
    storied_db: Database,
    storied_backend: str,
    storied_session: StoriedSession,
    storied_tenant: UUID,
    storied_actor: str,
) -> Callable[..., Any]:
    """``storied_repository(Model, **scope)``: its tables made, scoped to ``storied_tenant``
    (for tenant-scoped models, unless a scope is given), writing as ``storied_actor``."""

    def make(model: type[Model], **scope: Any) -> Any:
        storied_session.ensure_tables(storied_backend, model)
        if not scope and model.storied_spec().options.tenant:
            scope = {"tenant_id": storied_tenant}
        scope.setdefault("actor", storied_actor)
        return storied_db.repository(model, **scope)

    return make


@pytest.fixture
def storied_factory(
    request: pytest.FixtureRequest, storied_session: StoriedSession
) -> Callable[..., Factory[Any]]:
    """``storied_factory(Model, **options)``: a Factory seeded from the test's id and the
    session seed (``--storied-seed``), so each test gets its own reproducible values. One
    factory per model and options within a test, so unique values stay unique."""
    made: dict[tuple[Any, ...], Factory[Any]] = {}

    def make(model: type[Model], **options: Any) -> Factory[Any]:
        key = (model, *sorted((k, repr(v)) for k, v in options.items()))
        if key not in made:
            from .factories import Factory

            rng = storied_session.rng(request.node.nodeid, model.__name__)
            options.setdefault("seed", rng.getrandbits(32))
            made[key] = Factory(model, **options)
        return made[key]

    return make


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - async fixtures need pytest-asyncio
    pass
else:
    from .. import AsyncDatabase

    @pytest_asyncio.fixture
    async def storied_adb(
        storied_db: Database, storied_backend: str, storied_clock: FrozenClock
    ) -> AsyncIterator[AsyncDatabase]:
        """A connected AsyncDatabase on this test's loop, sharing storied_db's tables; rows
        are deleted after the test."""
        url = sa.make_url(storied_db.url).set(drivername=ASYNC_DRIVERS[storied_backend])
        database = AsyncDatabase(url, registry=storied_db.registry, clock=storied_clock)
        await database.connect()
        try:
            yield database
        finally:
            await database.close()
