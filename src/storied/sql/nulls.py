"""Where a backend sorts NULLs when the query says neither NULLS FIRST nor NULLS LAST.

Keyset pagination must know it to page past NULLs: SQLite, MySQL/MariaDB and SQL Server sort
NULL below every value, PostgreSQL above (its dialect module compiles this element so).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement


class DefaultNullsFirst(ColumnElement[bool]):
    """A constant condition: true where NULLs come first in this sort direction by default."""

    inherit_cache = False  # storied compiles each statement shape once itself
    type = sa.Boolean()

    def __init__(self, descending: bool) -> None:
        self.descending = descending


def constant(value: bool) -> str:
    """A true or false condition every backend accepts inside AND / OR / NOT."""
    return "(1 = 1)" if value else "(1 = 0)"


@compiles(DefaultNullsFirst)
def _nulls_low(element: DefaultNullsFirst, compiler: SQLCompiler, **kw: Any) -> str:
    return constant(not element.descending)
