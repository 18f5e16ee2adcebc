"""Row-Level Security tests: a scratch database on the PostgreSQL server and a login role
that is neither superuser nor BYPASSRLS (a superuser ignores every policy, and the test
server's ``postgres`` is one), owning the tables it syncs (FORCE makes the owner obey).

``rls``: one test body against a sync ``Database`` (psycopg) and an ``AsyncDatabase``
(asyncpg) connected as that role, with ``row_level_security=True`` and ``pool_size=1``, so
that every operation of a test runs on one pooled connection.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, Database, Model
from tests.conftest import SERVERS, missing_backend
from tests.integration.conftest import Repo, settle

from .models import MODELS

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class Server:
    """The scratch database and the application role's sync URL."""

    url: str
    admin_url: str


def _admin() -> sa.Engine:
    return sa.create_engine(SERVERS["postgresql"], isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def rls_server() -> Iterator[Server]:
    name = f"storied_rls{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
            conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOBYPASSRLS")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        missing_backend("postgresql", str(exc).splitlines()[0])
    base = sa.make_url(SERVERS["postgresql"]).set(database=name)
    owner = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:  # PostgreSQL 15: only the owner may create in public
        conn.exec_driver_sql(f"GRANT ALL ON SCHEMA public TO {name}")
    owner.dispose()
    app = base.set(username=name, password=None).render_as_string(hide_password=False)
    try:
        with Database(app, row_level_security=True) as db:
            db.sync_schema(MODELS)
        yield Server(app, base.render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {name}")
        admin.dispose()


class RlsStore:
    """A sync or async Database behind one awaitable API."""

    def __init__(self, db: Database | AsyncDatabase) -> None:
        self.db = db

    @property
    def is_async(self) -> bool:
        return isinstance(self.db, AsyncDatabase)

    def repository(self, model: type[Model], **scope: Any) -> Repo:
        return Repo(self.db.repository(model, **scope))

    async def fetch_all(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return await settle(self.db.fetch_all(sql, params))

    async def execute(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return await settle(self.db.execute(sql, params))

    async def sessions(self) -> tuple[Any, Any]:
        """What the connection's session holds now (as the next operation finds it)."""
        row = await settle(
            self.db.fetch_one(
                "SELECT current_setting('storied.tenant_ids', true) AS t, "
                "current_setting('storied.unscoped', true) AS u"
            )
        )
        return row["t"], row["u"]


def _async_url(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql+asyncpg").render_as_string(False)


@pytest.fixture(params=["psycopg", "asyncpg"])
async def rls(request: pytest.FixtureRequest, rls_server: Server) -> AsyncIterator[RlsStore]:
    if request.param == "psycopg":
        with Database(rls_server.url, row_level_security=True, pool_size=1) as db:
            yield RlsStore(db)
    else:
        url = _async_url(rls_server.url)
        async with AsyncDatabase(url, row_level_security=True, pool_size=1) as adb:
            yield RlsStore(adb)
