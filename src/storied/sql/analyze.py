"""``ANALYZE "schema"."table"``: a statement naming a table, quoted by the dialect compiling it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable


class Analyze(Executable, ClauseElement):
    """``template`` with ``{table}`` replaced by the quoted name of ``table``."""

    inherit_cache = False  # storied compiles each statement shape once itself

    def __init__(self, template: str, table: sa.Table) -> None:
        self.template = template
        self.table = table


@compiles(Analyze)
def _compile(element: Analyze, compiler: SQLCompiler, **kw: Any) -> str:
    return element.template.format(table=compiler.preparer.format_table(element.table))
