"""Column types whose best form differs by backend, declared as SQLAlchemy variants."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mssql, mysql, postgresql
from sqlalchemy.types import TypeEngine

from .mysql import EXACT_TEXT

_MYSQL = ("mysql", "mariadb")


def timestamp() -> TypeEngine[Any]:
    """timestamptz on PostgreSQL, DATETIME(6) on MySQL, text elsewhere (see UTCDateTime)."""
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), *_MYSQL)


def time_of_day() -> TypeEngine[Any]:
    return sa.Time().with_variant(mysql.TIME(fsp=6), *_MYSQL)


def json() -> TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def big_integer() -> TypeEngine[int]:
    """BIGINT, but INTEGER on SQLite so an integer primary key is the rowid."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def binary() -> TypeEngine[bytes]:
    return sa.LargeBinary().with_variant(mysql.LONGBLOB(), *_MYSQL)


def live_unique_kwargs(marker: sa.ColumnElement[Any]) -> dict[str, Any]:
    """SQL Server's unique indexes count NULLs as equal: filter the marker there."""
    return {"mssql_where": marker.is_not(None)}


def partial_index_kwargs(predicate: sa.TextClause) -> dict[str, Any]:
    """A partial index where the backend has one; MySQL gets the plain index (a unique one is
    refused there: see ``Capabilities.partial_indexes``)."""
    return {"postgresql_where": predicate, "sqlite_where": predicate, "mssql_where": predicate}


def index_method_kwargs(
    column: sa.Column[Any], using: str | None, ops: str | None
) -> dict[str, Any]:
    """PostgreSQL's index method and operator class (other backends refuse them when the index
    is created: see :mod:`storied.mapping.ddl`)."""
    out: dict[str, Any] = {}
    if using is not None:
        out["postgresql_using"] = using
    if ops is not None:
        out["postgresql_ops"] = {column.name: ops}
    return out


def index_method(index: sa.Index) -> str | None:
    """The method an index was declared with (``index_method_kwargs``), None for the default."""
    using = index.dialect_options["postgresql"].get("using")  # False when not given
    return str(using).lower() if using else None


def table_options() -> dict[str, Any]:
    """Per-backend table options: MySQL/MariaDB tables in utf8mb4 with a binary NO PAD
    collation, so unique indexes and equality compare text exactly, as on PostgreSQL and SQLite
    (the server default, a ``_ci`` collation, would make "AB1" and "ab1" the same unique value;
    ``utf8mb4_bin`` pads, making "A1 " equal to "A1"). MySQL 8 gets its own name for the
    collation when the table is created (see :func:`.mysql.text_collation`)."""
    return {"mysql_charset": "utf8mb4", "mysql_collate": EXACT_TEXT}


#: how long a walk's text columns (path, ids) may grow where a CAST needs a length
WALK_TEXT_LENGTH = 1_000_000


def walk_text() -> TypeEngine[str]:
    """The type a recursive CTE's text columns are cast to, in the anchor and in each step:
    MySQL/MariaDB type a CTE's columns by the anchor alone, and an unsized CHAR would be as
    long as the anchor's value (longer paths then fail), so it gets a length there; TEXT
    elsewhere (PostgreSQL needs both branches to have one type); SQL Server's TEXT can be
    neither joined nor compared, so NVARCHAR(max) there."""
    sized = sa.Text().with_variant(sa.String(WALK_TEXT_LENGTH), *_MYSQL)
    return sized.with_variant(mssql.NVARCHAR(), "mssql")  # NVARCHAR(max): TEXT has no +
