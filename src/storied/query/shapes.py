"""A query's shape as named, frozen values: the statement-cache key, and what its SQL is built from.

A shape holds everything that decides the SQL text (fields, operators, orders, projections,
relations walked, whether a LIMIT is there) and the *names* of the bound values, never the
values themselves: two queries that differ only in values share one shape, so their statement
is compiled once. Every node is a frozen dataclass, hashable and equal by type and fields, so a
shape is a dictionary key as it is; two nodes of different types are never equal, even with
equal fields.

:mod:`.shaping` builds shapes from a :class:`~.query.Query`; :mod:`.render` turns them into
SQLAlchemy statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .expressions import AggregateName, Order
from .scoping import Visibility

if TYPE_CHECKING:
    from ..mapping.registry import Mapped
    from ..relationships.resolve import Relation

CompareOp = Literal["eq", "ne", "lt", "le", "gt", "ge"]
LikeOp = Literal["contains", "icontains", "startswith", "endswith"]


@dataclass(frozen=True, slots=True)
class Agg:
    """``fn(field)`` (``field`` None: ``count(*)``), optionally over distinct values."""

    fn: AggregateName
    field: str | None
    distinct: bool


# Leaves: a target (a field name or an aggregate) tested one way; each str value names a bind.
@dataclass(frozen=True, slots=True)
class Compare:
    target: str | Agg
    op: CompareOp
    bind: str


@dataclass(frozen=True, slots=True)
class IsNull:
    target: str | Agg
    negated: bool  # IS NOT NULL


@dataclass(frozen=True, slots=True)
class InValues:
    """``IN (:p0, :p1 …)``, one bind per value (no binds: always false, or true negated)."""

    target: str | Agg
    binds: tuple[str, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class InArray:
    """A long IN list: one array bind where the dialect has arrays, ``each`` elsewhere."""

    target: str | Agg
    array: str
    each: tuple[str, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class InQuery:
    """``IN (SELECT …)`` over another repository's one-field query."""

    target: str | Agg
    sub: SubShape
    negated: bool


@dataclass(frozen=True, slots=True)
class Between:
    target: str | Agg
    low: str
    high: str


@dataclass(frozen=True, slots=True)
class Like:
    """A text match; the bound pattern is already escaped and wrapped in ``%``."""

    target: str | Agg
    op: LikeOp
    bind: str


Leaf = Compare | IsNull | InValues | InArray | InQuery | Between | Like


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Predicate


@dataclass(frozen=True, slots=True)
class Related:
    """``EXISTS`` a row of ``relation``'s target (read as of the query's moment if ``timed``)
    for which ``inner`` holds."""

    relation: Relation
    timed: bool
    inner: Predicate


Predicate = Leaf | AllOf | AnyOf | Not | Related


@dataclass(frozen=True, slots=True)
class Column:
    """A projected field, labelled with its own name."""

    field: str

    @property
    def label(self) -> str:
        return self.field


@dataclass(frozen=True, slots=True)
class Aggregated:
    agg: Agg
    label: str


Projected = Column | Aggregated


@dataclass(frozen=True, slots=True)
class SelectShape:
    """A whole query over one model; ``after`` names the keyset cursor's binds (None: NULL)."""

    visibility: Visibility
    timed: bool
    where: tuple[Predicate, ...]
    projection: tuple[Projected, ...]
    grouping: tuple[str, ...]
    having: tuple[Predicate, ...]
    orders: tuple[Order, ...]
    after: tuple[str | None, ...]
    distinct: bool
    limited: bool
    offset: bool


@dataclass(frozen=True, slots=True)
class SubShape:
    """A subquery: the shape of a query over ``mapped``."""

    mapped: Mapped
    shape: SelectShape
