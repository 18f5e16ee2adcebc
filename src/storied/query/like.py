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

ESCAPE = "\\"


class CaseSensitiveLike(ColumnElement[bool]):
    """``column LIKE pattern ESCAPE '\\'``, matching case exactly."""

    inherit_cache = False  # storied compiles each statement shape once itself
    type = sa.Boolean()

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
