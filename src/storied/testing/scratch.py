"""Scratch databases: one per server per test session, created on first use, dropped after.

Each session works in a database of its own (``storied_t<pid>_<random>``), so parallel
sessions on one server never meet. An unreachable server is recorded once and reported to
``on_missing`` (the pytest plugin skips, or fails under ``CI=true``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping

import sqlalchemy as sa

#: the server backends the kit knows, and how each drops a database still in use
DROP_SQL = {
    "postgresql": "DROP DATABASE IF EXISTS {name} WITH (FORCE)",
    "mysql": "DROP DATABASE IF EXISTS {name}",
}
DEFAULT_SERVERS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test",
}
#: the async driver of each backend, for AsyncDatabase URLs
ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "mysql": "mysql+asyncmy",
    "sqlite": "sqlite+aiosqlite",
}


def server_urls(overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """Admin URLs per server backend: the override, else STORIED_TEST_<BACKEND>_URL, else
    the loopback default."""
    given = overrides or {}
    return {
        backend: given.get(backend)
        or os.environ.get(f"STORIED_TEST_{backend.upper()}_URL")
        or default
        for backend, default in DEFAULT_SERVERS.items()
    }


class ScratchDatabases:
    """The session's scratch database on each server, made on first use."""

    def __init__(
        self,
        servers: Mapping[str, str] | None = None,
        on_missing: Callable[[str, str], None] | None = None,
    ) -> None:
        self.servers = dict(servers or server_urls())
        self.on_missing = on_missing
        self.urls: dict[str, sa.URL] = {}
        self.unreachable: dict[str, str] = {}
        self.name = f"storied_t{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def url(self, backend: str) -> sa.URL:
        """The scratch database's URL on ``backend``'s server (created on first call)."""
        if backend in self.urls:
            return self.urls[backend]
        if backend in self.unreachable:
            self._missing(backend)
        admin_url = sa.make_url(self.servers[backend])
        try:
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"CREATE DATABASE {self.name}")
            finally:
                admin.dispose()
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            self.unreachable[backend] = str(exc).splitlines()[0]
            self._missing(backend)
        self.urls[backend] = admin_url.set(database=self.name)
        return self.urls[backend]

    def _missing(self, backend: str) -> None:
        reason = f"{backend} server unreachable: {self.unreachable[backend]}"
        if self.on_missing is not None:
            self.on_missing(backend, reason)
        raise ConnectionError(reason)

    def drop(self) -> None:
        """Drop every scratch database this session made."""
        for backend in list(self.urls):
            admin_url = sa.make_url(self.servers[backend])
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(DROP_SQL[backend].format(name=self.name))
            finally:
                admin.dispose()
            del self.urls[backend]
