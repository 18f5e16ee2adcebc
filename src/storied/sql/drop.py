"""``DROP TABLE`` as a statement the executors run like any other (not DDL).

``prune_history`` drops whole partitions of history tables inside its transaction, through
the statement cache; SQLAlchemy's ``DropTable`` is DDL, which the cache does not compile.
The name is quoted by the dialect, never pasted in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.expression import TableClause


class DropTable(Executable, ClauseElement):
    """``DROP TABLE <table>``."""

    inherit_cache = False  # storied compiles each statement shape once itself

    def __init__(self, table: TableClause) -> None:
        self.table = table


@compiles(DropTable)
def _drop_table(element: DropTable, compiler: SQLCompiler, **kw: Any) -> str:
    return f"DROP TABLE {compiler.preparer.format_table(element.table)}"
