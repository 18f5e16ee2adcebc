"""The transactions open right now that have written something, for the change feed's horizon.

``OpenWriters()`` is a text expression listing their ids, comma-separated (NULL: none), each
dialect compiling it from its own bookkeeping (``dialects``): PostgreSQL's snapshot
(``pg_snapshot_xip``: the transactions in progress, only writers have an id), MariaDB/MySQL's
``information_schema.INNODB_TRX`` (transactions that have modified rows; it needs the PROCESS
privilege). SQLite needs none: its writers hold the database's one write lock until COMMIT.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement


class OpenWriters(ColumnElement[str]):
    """The ids of the open transactions that have written, as "id,id,…" or NULL."""

    inherit_cache = False  # storied compiles each statement shape once itself
    type = sa.Text()


@compiles(OpenWriters)
def _unknown(element: OpenWriters, compiler: SQLCompiler, **kw: Any) -> str:
    raise sa.exc.CompileError(f"{compiler.dialect.name} cannot list its open transactions")
