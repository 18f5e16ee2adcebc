"""The change feed's fence: wait until no transaction that may write the given tables is open.

``LockShared(tables)`` takes the weakest lock that conflicts with writers, so it is granted only
once every transaction that has written one of the tables has committed or rolled back, and no
new one writes until it is released: PostgreSQL's ``LOCK TABLE … IN SHARE MODE`` (released by
the COMMIT of the reader's transaction), MariaDB/MySQL's ``LOCK TABLES … READ`` (released by
``Unlock()``, ``UNLOCK TABLES``). Each dialect compiles them in ``dialects``; SQLite needs no
fence (its writers hold the database's one write lock until they commit).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement


class LockShared(Executable, ClauseElement):
    """Lock ``tables`` against writers until the lock is released (see the module)."""

    inherit_cache = False  # storied compiles each statement shape once itself

    def __init__(self, tables: tuple[sa.Table, ...]) -> None:
        self.tables = tables


class Unlock(Executable, ClauseElement):
    """Release the locks of :class:`LockShared` where a COMMIT does not."""

    inherit_cache = False


def table_names(element: LockShared, compiler: SQLCompiler) -> list[str]:
    return [compiler.preparer.format_table(t) for t in element.tables]


@compiles(LockShared)
def _no_fence(element: LockShared, compiler: SQLCompiler, **kw: Any) -> str:
    raise sa.exc.CompileError(f"{compiler.dialect.name} has no change-feed fence")


@compiles(Unlock)
def _no_unlock(element: Unlock, compiler: SQLCompiler, **kw: Any) -> str:
    raise sa.exc.CompileError(f"{compiler.dialect.name} has no change-feed fence")
