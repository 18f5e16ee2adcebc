"""The shapes of CTEs and of queries over them (interned nodes, as in :mod:`.shapes`).

A :class:`CteShape` holds the CTE's name, its model and the shape of the query it names, and
for a recursive CTE the :class:`WalkShape` of its step; bind *names* only, never values. So
queries whose CTEs differ only in values share one statement, and different CTEs never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .expressions import Order
from .shapes import Aggregated, Column, Node, Predicate, Projected, SelectShape, Windowed

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel

#: the CTE column holding each walked row's path of ids (the cycle guard), never returned
WALK_IDS = "_walk_ids"
#: the step counter a walk keeps when ``max_depth`` is set but no depth label is asked for
WALK_DEPTH = "_walk_depth"


@dataclass(frozen=True, slots=True, eq=False)
class WalkShape(Node):
    """A recursive step: the model's rows whose ``child`` equals the CTE's ``column``.

    ``depth`` names the step counter column (None: none is kept), ``path`` the path column and
    the field it joins, ``sep`` the separator's bind, ``max_depth`` the bound limit's bind.
    """

    child: str
    column: str
    depth: str | None
    path: tuple[str, str] | None
    sep: str | None
    max_depth: str | None
    where: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True, eq=False)
class CteShape(Node):
    """``WITH name AS (body [UNION ALL step])``; ``body`` always has a projection."""

    name: str
    mapped: MappedModel
    body: SelectShape
    walk: WalkShape | None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a query over the CTE sees (the hidden walk columns left out)."""
        names = [p.label for p in self.body.projection]
        if self.walk is not None:
            names += [n for n in (self.walk.depth, self.walk.path and self.walk.path[0]) if n]
        return tuple(n for n in names if not n.startswith("_walk"))

    def origin(self, label: str) -> Column | Aggregated | Windowed | None:
        """The projected field, aggregate or window a column holds (None: a walk's depth or
        path)."""
        for p in self.body.projection:
            if p.label == label:
                return p
        return None


@dataclass(frozen=True, slots=True, eq=False)
class CteSelect(Node):
    """A query over a CTE: every name is one of the CTE's columns (or a projected label)."""

    cte: CteShape
    where: tuple[Predicate, ...]
    projection: tuple[Projected, ...]
    grouping: tuple[str, ...]
    having: tuple[Predicate, ...]
    orders: tuple[Order, ...]
    distinct: bool
    limited: bool
    offset: bool


@dataclass(frozen=True, slots=True, eq=False)
class CteSub(Node):
    """``IN (WITH … SELECT column FROM cte …)``: a one-column query over a CTE in a filter
    (SQLAlchemy lifts the WITH clause to the outer statement)."""

    select: CteSelect
