"""Backend knowledge, looked up by SQLAlchemy dialect; the only place names are compared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.engine import URL, Dialect, make_url

from ..errors import ConfigurationError
from . import mssql, mysql, postgresql, sqlite
from .base import (
    AsyncDriver,
    Capabilities,
    Classifier,
    Copier,
    CopyTarget,
    ErrorInfo,
    ErrorKind,
    SchemaSession,
)
from .results import ColumnWise

__all__ = [
    "AsyncDriver",
    "Backend",
    "Capabilities",
    "Classifier",
    "ColumnWise",
    "Copier",
    "CopyTarget",
    "ErrorInfo",
    "ErrorKind",
    "SchemaSession",
    "backend_for",
    "capabilities",
    "check_ddl",
    "database_file",
    "engine_options",
    "is_memory",
    "missing_driver",
    "on_connect",
    "on_timeout",
    "resolve_url",
    "resync_autoincrement",
    "schema_session",
    "text_collation",
    "uuid_result",
]


@dataclass(frozen=True, slots=True)
class Backend:
    capabilities: Capabilities
    classify: Classifier
    async_driver: AsyncDriver | None
    #: the driver's bulk-load path (PostgreSQL's COPY), if it has one
    copier: Copier | None = None
    #: the statement setting a session's statement timeout (seconds, None: none); None where
    #: the server has no such setting and storied times statements itself (SQLite)
    timeout_sql: Callable[[float | None], str] | None = None


_ASYNC_DRIVERS: dict[str, AsyncDriver] = {
    "asyncpg": postgresql.AsyncpgDriver(),
    "aiosqlite": sqlite.AioSqliteDriver(),
    "asyncmy": mysql.AsyncmyDriver(),
}
_COPIERS: dict[str, Copier] = {
    "psycopg": postgresql.PSYCOPG_COPY,
    "asyncpg": postgresql.ASYNCPG_COPY,
}
_MODULES = {
    "sqlite": sqlite,
    "postgresql": postgresql,
    "mysql": mysql,
    "mariadb": mysql,
    "mssql": mssql,
}


def backend_for(dialect: Dialect, *, memory: bool = False) -> Backend:
    module = _MODULES.get(dialect.name)
    if module is None:
        raise ConfigurationError(
            f"storied does not support the {dialect.name!r} backend; "
            "use sqlite, postgresql, mysql/mariadb or mssql"
        )
    caps = sqlite.MEMORY_CAPABILITIES if memory and module is sqlite else module.CAPABILITIES
    driver = _ASYNC_DRIVERS.get(dialect.driver) if dialect.is_async else None
    if dialect.is_async and driver is None:
        raise ConfigurationError(f"storied has no async executor for driver {dialect.driver!r}")
    copier = _COPIERS.get(dialect.driver)
    make_sql = getattr(module, "timeout_sql", None)
    return Backend(
        capabilities=caps,
        classify=module.classify,
        async_driver=driver,
        copier=copier,
        timeout_sql=partial(make_sql, dialect) if make_sql is not None else None,
    )


def backend_capabilities(backend_name: str) -> Capabilities | None:
    """Capabilities of a backend by its URL's backend name (None: one storied lacks)."""
    module = _MODULES.get(backend_name)
    return None if module is None else module.CAPABILITIES


def capabilities(dialect: Dialect) -> Capabilities:
    """Capabilities for type processors, which see only the dialect."""
    module = _MODULES.get(dialect.name, postgresql)
    caps: Capabilities = module.CAPABILITIES
    return caps


def uuid_result(dialect: Dialect) -> ColumnWise | None:
    """The converter of a uuid column's results where the driver's values are not exactly
    ``uuid.UUID`` and SQLAlchemy leaves them so (asyncpg decodes into its own subclass)."""
    return postgresql.EXACT_UUID if dialect.driver == "asyncpg" else None


def url_capabilities(url: URL) -> Capabilities | None:
    """The capabilities of the backend a URL names (None: not one storied knows)."""
    module = _MODULES.get(url.get_backend_name())
    return None if module is None else module.CAPABILITIES


def schema_session(dialect: Dialect, timeout: float) -> SchemaSession:
    """The lock and transaction statements that bracket a schema plan-and-apply."""
    module = _MODULES.get(dialect.name)
    if module is None:
        raise ConfigurationError(f"storied cannot sync schemas on {dialect.name!r}")
    session: SchemaSession = module.schema_session(timeout)
    return session


def text_collation(dialect: Dialect) -> str | None:
    """The collation storied's tables need for exact text, where tables carry one (MySQL)."""
    return mysql.text_collation(dialect) if _MODULES.get(dialect.name) is mysql else None


_SYNC_DRIVERS = {
    "sqlite": "pysqlite",
    "postgresql": "psycopg",
    "mysql": "pymysql",
    "mariadb": "pymysql",
    "mssql": "pyodbc",
}
_ASYNC_DEFAULTS = {
    "sqlite": "aiosqlite",
    "postgresql": "asyncpg",
    "mysql": "asyncmy",
    "mariadb": "asyncmy",
    "mssql": "aioodbc",
}


def resolve_url(url: str | URL, *, is_async: bool) -> URL:
    """Pick storied's default driver when the URL names only the backend."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in _MODULES:
        raise ConfigurationError(
            f"storied does not support {backend!r} URLs; use sqlite, postgresql, mysql, "
            "mariadb or mssql"
        )
    if "+" not in parsed.drivername:
        driver = (_ASYNC_DEFAULTS if is_async else _SYNC_DRIVERS)[backend]
        parsed = parsed.set(drivername=f"{backend}+{driver}")
    return parsed


def is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def database_file(url: URL) -> str | None:
    """The file a file-based database lives in (SQLite), None for servers and in-memory ones."""
    if url.get_backend_name() != "sqlite" or is_memory(url) or url.database is None:
        return None
    # sqlite:///file:name?mode=memory&uri=true is memory too, and names no real file
    if url.database.startswith("file:"):
        return None
    return url.database


def engine_options(url: URL, size: int, overflow: int, timeout: float) -> dict[str, object]:
    """create_engine arguments: autocommit connections that storied hands back clean.

    storied's pool enforces ``size + overflow`` for its own calls; SQLAlchemy's gets ``size``
    more overflow, because the connections storied keeps idle stay checked out of it, and the
    calls that use the engine directly (create_all, plan, apply) must not starve behind them.
    It pings a connection it hands out: that happens only when storied's own idle list has
    none (see ``engine/pool.py``)."""
    from sqlalchemy.pool import StaticPool

    options: dict[str, object] = {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None}
    if is_memory(url):
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        options.update(
            pool_size=size,
            max_overflow=overflow + size,
            pool_timeout=timeout,
            pool_pre_ping=url.get_backend_name() != "sqlite",
        )
    return options


#: the extra that installs each driver storied defaults to
EXTRAS = {
    "psycopg": "postgresql",
    "asyncpg": "postgresql",
    "pymysql": "mysql",
    "asyncmy": "mysql",
    "aiosqlite": "sqlite-async",
    "pyodbc": "mssql",
    "aioodbc": "mssql",
}


def missing_driver(url: URL, exc: ImportError) -> ConfigurationError:
    """The error for a URL whose driver is not installed, naming the extra that brings it."""
    driver = url.get_driver_name()
    extra = EXTRAS.get(driver)
    hint = f'pip install "storied[{extra}]"' if extra else f"install the {driver} package"
    return ConfigurationError(
        f"{url.get_backend_name()}+{driver}: the {driver!r} driver is not installed "
        f"({type(exc).__name__}: {exc.name or exc}); {hint}"
    )


def on_timeout(dialect: Dialect, seconds: float | None) -> Callable[[Any, Any], None] | None:
    """A connect hook setting the session's statement timeout, where the server has one."""
    module = _MODULES.get(dialect.name)
    make_sql = getattr(module, "timeout_sql", None)
    if seconds is None or make_sql is None:
        return None
    first = getattr(module, "connect_timeout_sql", None)

    def set_timeout(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        sql = make_sql(dialect, seconds) if first is None else first(cursor, dialect, seconds)
        cursor.execute(sql)
        cursor.close()

    return set_timeout


def resync_autoincrement(connection: Any, table: Any) -> None:
    """Let the table's auto-increment continue after explicitly inserted ids (restores)."""
    module = _MODULES.get(connection.dialect.name)
    hook = getattr(module, "resync_autoincrement", None)
    if hook is not None:
        hook(connection, table)


def on_connect(dialect: Dialect) -> Callable[[Any, Any], None] | None:
    """Session set-up run on each new connection (SQLite pragmas, MySQL strict mode)."""
    module = _MODULES.get(dialect.name)
    return getattr(module, "on_connect", None)


from .ddl import check_ddl as check_ddl  # noqa: E402  (and registers the DDL hooks)
