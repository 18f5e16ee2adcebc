"""Where the bench runs: a scratch database per backend, reached by storied and the raw driver.

SQLite gets a file in a temporary directory. PostgreSQL and MariaDB get a database of their own,
created for the run and dropped after it, so a bench never meets tests or another bench.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

BACKENDS = ("sqlite", "postgresql", "mysql")
#: where the crud bench also runs the ORM peers (bench.peers; issue 16: SQLite and PostgreSQL)
PEER_BACKENDS = ("sqlite", "postgresql")

#: server URLs the scratch databases are created through (the database named is only the
#: one storied connects to for CREATE DATABASE; the bench works in its own)
SERVERS = {
    "postgresql": os.environ.get(
        "STORIED_BENCH_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("STORIED_BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}

#: drivers per backend and mode, as SQLAlchemy names them: storied and the raw side use the same
DRIVERS = {
    ("sqlite", "sync"): "sqlite+pysqlite",
    ("sqlite", "async"): "sqlite+aiosqlite",
    ("postgresql", "sync"): "postgresql+psycopg",
    ("postgresql", "async"): "postgresql+asyncpg",
    ("mysql", "sync"): "mysql+pymysql",
    ("mysql", "async"): "mysql+asyncmy",
}
DRIVER_LABELS = {
    "sqlite+pysqlite": "sqlite3",
    "sqlite+aiosqlite": "aiosqlite",
    "postgresql+psycopg": "psycopg",
    "postgresql+asyncpg": "asyncpg",
    "mysql+pymysql": "pymysql",
    "mysql+asyncmy": "asyncmy",
}


class Unreachable(Exception):
    """The backend's server did not answer; the bench skips it and says so."""


@dataclass(frozen=True, slots=True)
class Target:
    """One backend's scratch database."""

    backend: str
    #: the scratch database, without a driver (SQLite: the file)
    url: sa.URL

    def storied_url(self, mode: str) -> str:
        driver = DRIVERS[(self.backend, mode)]
        return self.url.set(drivername=driver).render_as_string(hide_password=False)

    @property
    def path(self) -> str:
        """The SQLite file."""
        return self.url.database or ""

    @property
    def host(self) -> str:
        return self.url.host or "127.0.0.1"

    @property
    def port(self) -> int | None:
        return self.url.port

    @property
    def user(self) -> str:
        return self.url.username or ""

    @property
    def password(self) -> str:
        return self.url.password or ""

    @property
    def database(self) -> str:
        return self.url.database or ""


@contextmanager
def scratch(backend: str, server: str | None = None) -> Iterator[Target]:
    """A fresh database for ``backend``, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="storied-bench-") as tmp:
            yield Target("sqlite", sa.make_url(f"sqlite:///{Path(tmp) / 'bench.db'}"))
        return
    admin_url = sa.make_url(server or SERVERS[backend])
    admin_url = admin_url.set(drivername=DRIVERS[(backend, "sync")])
    name = f"storied_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        raise Unreachable(str(exc.orig).strip().splitlines()[0]) from exc
    try:
        yield Target(backend, admin_url.set(drivername=backend, database=name))
    finally:
        with admin.connect() as conn:
            force = " WITH (FORCE)" if backend == "postgresql" else ""
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        admin.dispose()
