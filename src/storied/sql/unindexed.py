"""A column that a lookup filters on but should not be found through.

A read by a list of ids also filters on the tenant. SQLite, which keeps no statistics unless
told to ``ANALYZE``, guesses that the tenant column (the first column of every tenant-scoped
unique index) is as selective as the ids and may walk the tenant's whole index instead of the
id index. Its dialect module compiles this element as ``+column``, SQLite's documented way to
keep a term out of index selection; everywhere else it is the column itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class Unindexed(ColumnElement[Any]):
    """``column``, compared as usual, kept out of the planner's choice of index."""

    inherit_cache = False  # storied compiles each statement shape once itself
    _traverse_internals = [  # noqa: RUF012  (SQLAlchemy declares it so)
        ("column", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type

    @property
    def _from_objects(self) -> list[Any]:
        return self.column._from_objects


@compiles(Unindexed)
def _plain(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)
