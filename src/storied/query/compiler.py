"""Query → one Exec: a shape key, a statement builder and the bound values.

The shape (:mod:`.shapes`, built by :mod:`.shaping`) holds everything structural — fields,
operators, orders, projections, relations walked — so a statement is compiled once per shape;
every value becomes a bound parameter. The statement is built from the shape alone
(:mod:`.render`), only when the shape is not compiled yet.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..mapping.registry import Mapped, Registry
from ..ops.requests import Exec
from ..tenancy.scope import Scope
from .expressions import FieldRef
from .query import Query
from .render import Mode, Renderer
from .shapes import SelectShape
from .shaping import Shaper


class QueryCompiler(Shaper):
    """Shapes a query (binding its values); builds the statement of a shape on demand."""

    def select(self, shape: SelectShape, mode: Mode) -> sa.Select[Any]:
        return Renderer(self.mapped, self.scope, self.registry).select(shape, mode)


def compile_query(
    mapped: Mapped, scope: Scope, registry: Registry, query: Query[Any], mode: Mode
) -> Exec:
    compiler = QueryCompiler(mapped, scope, registry)
    shape = compiler.structure(query)
    key = (mapped.key, "query", mode, scope.shape, shape)
    return Exec(key, lambda: compiler.select(shape, mode), compiler.params, fetch=True)


__all__ = ["FieldRef", "Mode", "QueryCompiler", "compile_query"]
