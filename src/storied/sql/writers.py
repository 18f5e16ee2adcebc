"""The transactions open right now that have written something, for the change feed's horizon.

``OpenWriters()`` is a text expression ``"fresh:id,id,…"``, each dialect compiling it from its
own bookkeeping (``dialects``): PostgreSQL's snapshot (``pg_snapshot_xip``: the transactions in
progress as of the statement; only writers have an id; always fresh, "1"), MariaDB/MySQL's
``information_schema.INNODB_TRX`` (transactions that have modified rows; it needs the PROCESS
privilege). INNODB_TRX is a cache, refilled only when its last read is more than 0.1 s old (so
a client polling it keeps it stale): "1" says it lists the reader's own transaction, so it was
filled after that transaction began. SQLite needs none: its writers hold the database's one
write lock until COMMIT.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement


class OpenWriters(ColumnElement[str]):
    """Whether the listing is fresh and the ids of the open writing transactions:
    ``"1:7,9"``, ``"1:"`` (none), ``"0:…"`` (a listing older than the reader's transaction)."""

    inherit_cache = False  # storied compiles each statement shape once itself
    type = sa.Text()


@compiles(OpenWriters)
def _unknown(element: OpenWriters, compiler: SQLCompiler, **kw: Any) -> str:
    raise sa.exc.CompileError(f"{compiler.dialect.name} cannot list its open transactions")
