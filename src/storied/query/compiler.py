"""Query → one Exec: a shape key, a statement builder and the bound values.

The shape (:mod:`.shapes`, built by :mod:`.shaping`) holds everything structural — fields,
operators, orders, projections, relations walked — so a statement is compiled once per shape;
every value becomes a bound parameter. The statement is built from the shape alone
(:mod:`.render`), only when the shape is not compiled yet.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa

from ..mapping.registry import MappedModel, Registry
from ..ops.requests import Exec, Statement
from ..tenancy.scope import Scope, shaped
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
    mapped: MappedModel, scope: Scope, registry: Registry, query: Query[Any], mode: Mode
) -> Exec:
    compiler = QueryCompiler(mapped, scope, registry)
    shape = compiler.structure(query)
    args = (mapped, scope.shape, registry, shape, mode)
    return Exec(Statement(select_stmt, args), compiler.params, fetch=True)


def select_stmt(
    mapped: MappedModel, scope: Hashable, registry: Registry, shape: SelectShape, mode: Mode
) -> sa.Select[Any]:
    """The SELECT of a query's ``shape`` (what :meth:`QueryCompiler.structure` returned)."""
    return Renderer(mapped, shaped(scope), registry).select(shape, mode)


__all__ = ["FieldRef", "Mode", "QueryCompiler", "compile_query"]
