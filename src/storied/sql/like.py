"""Case-sensitive LIKE on every backend (``contains``/``startswith``/``endswith``).

PostgreSQL's LIKE is case-sensitive; SQLite's is made so per connection (``PRAGMA
case_sensitive_like``); MySQL's follows the column collation, so its dialect module compiles
this element as a binary comparison.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

ESCAPE = "\\"


class CaseSensitiveLike(ColumnElement[bool]):
    """``column LIKE pattern ESCAPE '\\'``, matching case exactly."""

    inherit_cache = False  # storied compiles each statement shape once itself
    type = sa.Boolean()
    # children, so that traversals (aliasing a related table) reach the column
    _traverse_internals = [  # noqa: RUF012  (SQLAlchemy declares it so)
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], pattern: ColumnElement[Any]) -> None:
        self.column = column
        self.pattern = pattern

    @property
    def _from_objects(self) -> list[Any]:
        return self.column._from_objects


@compiles(CaseSensitiveLike)
def _like(element: CaseSensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.like(element.pattern, escape=ESCAPE), **kw)


def escape_like(text: str) -> str:
    """Make LIKE wildcards in the user's text literal."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
