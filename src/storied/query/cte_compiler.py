"""A query over a CTE → one Exec (shape key, statement builder, bound values), as
:mod:`.compiler` does for a query over a model."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa

from ..mapping.registry import MappedModel, Registry
from ..ops.requests import Exec, Statement
from ..tenancy.scope import Scope, shaped
from .cte_render import CteMode, select_cte
from .cte_shapes import CteSelect
from .cte_shaping import shape_cte_query
from .query import Query
from .render import Renderer
from .shaping import Shaper


def compile_cte_query(
    mapped: MappedModel, scope: Scope, registry: Registry, query: Query[Any], mode: CteMode
) -> tuple[Exec, CteSelect]:
    """The Exec of a query over a CTE of ``mapped``'s repository, and its shape."""
    shaper = Shaper(mapped, scope, registry)
    shape = shape_cte_query(shaper, query)
    args = (mapped, scope.shape, registry, shape, mode)
    return Exec(Statement(cte_select_stmt, args), shaper.params, fetch=True), shape


def cte_select_stmt(
    mapped: MappedModel, scope: Hashable, registry: Registry, shape: CteSelect, mode: CteMode
) -> sa.Select[Any]:
    """The statement of a query over a CTE (what :func:`shape_cte_query` returned)."""
    return select_cte(Renderer(mapped, shaped(scope), registry), shape, mode)
