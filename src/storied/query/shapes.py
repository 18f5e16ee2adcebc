"""A query's shape as named, frozen values: the statement-cache key, and what its SQL is built from.

A shape holds everything that decides the SQL text (fields, operators, orders, projections,
relations walked, whether a LIMIT is there) and the *names* of the bound values, never the
values themselves: two queries that differ only in values share one shape, so their statement
is compiled once.

Every node is a frozen dataclass, interned by its class (:class:`Interned`): building a node
whose fields equal an earlier node's returns that earlier node. So equal shapes are one object,
nodes compare and hash by identity, and a shape is a dictionary key as it is. Two nodes of
different types are never equal, even with equal fields.

:mod:`.shaping` builds shapes from a :class:`~.query.Query`; :mod:`.render` turns them into
SQLAlchemy statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from .expressions import AggregateName, Order
from .scoping import Visibility

if TYPE_CHECKING:
    from ..mapping.registry import MappedModel
    from ..relationships.resolve import Relation
    from .cte_shapes import CteSub

CompareOp = Literal["eq", "ne", "lt", "le", "gt", "ge"]
LikeOp = Literal["contains", "icontains", "startswith", "endswith"]

#: nodes kept, all classes together; beyond this the least recently built are forgotten
MAX_NODES = 16384


class Interned(type):
    """The metaclass of shape nodes: one node per class and distinct field values.

    A query is shaped on every call, cached statement or not, and a frozen dataclass's
    ``__init__`` costs about ten times a tuple's; calling a node class looks the node up in
    one bounded LRU table (``functools.lru_cache`` over ``type.__call__``, keyed by the class
    and the field values), which costs less than the tuple did. Equal shapes then being one
    object, the statement cache finds its key by identity instead of comparing two trees.
    A node forgotten by the table (or built twice by two threads at once) is rebuilt as a new
    object that equals only itself: at worst a statement is compiled again, never a wrong one
    reused.
    """

    __call__ = lru_cache(maxsize=MAX_NODES)(type.__call__)


class Node(metaclass=Interned):
    """A shape node: each is ``@dataclass(frozen=True, slots=True, eq=False)`` (interned, so
    identity is equality)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True, eq=False)
class Agg(Node):
    """``fn(field)`` (``field`` None: ``count(*)``), optionally over distinct values."""

    fn: AggregateName
    field: str | None
    distinct: bool


# Leaves: a target (a field name or an aggregate) tested one way; each str value names a bind.
@dataclass(frozen=True, slots=True, eq=False)
class Compare(Node):
    target: str | Agg
    op: CompareOp
    bind: str


@dataclass(frozen=True, slots=True, eq=False)
class IsNull(Node):
    target: str | Agg
    negated: bool  # IS NOT NULL


@dataclass(frozen=True, slots=True, eq=False)
class InValues(Node):
    """``IN (:p0, :p1 …)``, one bind per value (no binds: always false, or true negated)."""

    target: str | Agg
    binds: tuple[str, ...]
    negated: bool


@dataclass(frozen=True, slots=True, eq=False)
class InArray(Node):
    """A long IN list: one array bind where the dialect has arrays, ``each`` elsewhere."""

    target: str | Agg
    array: str
    each: tuple[str, ...]
    negated: bool


@dataclass(frozen=True, slots=True, eq=False)
class InQuery(Node):
    """``IN (SELECT …)`` over another repository's one-field query."""

    target: str | Agg
    sub: SubShape | CteSub
    negated: bool


@dataclass(frozen=True, slots=True, eq=False)
class Between(Node):
    target: str | Agg
    low: str
    high: str


@dataclass(frozen=True, slots=True, eq=False)
class Like(Node):
    """A text match; the bound pattern is already escaped and wrapped in ``%``."""

    target: str | Agg
    op: LikeOp
    bind: str


Leaf = Compare | IsNull | InValues | InArray | InQuery | Between | Like


@dataclass(frozen=True, slots=True, eq=False)
class AllOf(Node):
    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True, eq=False)
class AnyOf(Node):
    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Not(Node):
    part: Predicate


@dataclass(frozen=True, slots=True, eq=False)
class Related(Node):
    """``EXISTS`` a row of ``relation``'s target (read as of the query's moment if ``timed``)
    for which ``inner`` holds."""

    relation: Relation
    timed: bool
    inner: Predicate


Predicate = Leaf | AllOf | AnyOf | Not | Related


@dataclass(frozen=True, slots=True, eq=False)
class Column(Node):
    """A projected field, labelled with its own name (``team.name`` for a related field)."""

    field: str

    @property
    def label(self) -> str:
        return self.field


@dataclass(frozen=True, slots=True, eq=False)
class Aggregated(Node):
    agg: Agg
    label: str


@dataclass(frozen=True, slots=True, eq=False)
class Windowed(Node):
    """A window function (:mod:`.windows`): ``fn(field[, offset, default]) OVER (PARTITION BY
    partition ORDER BY orders [ROWS frame])``; ``offset``/``default`` name binds."""

    fn: str
    field: str | None
    partition: tuple[str, ...]
    orders: tuple[Order, ...]
    rows: tuple[int | None, int | None] | None
    offset: str | None
    default: str | None
    label: str

    @property
    def agg(self) -> Agg:
        """The aggregate whose values convert as this window's: ranks and counts are
        integers, a lag/lead value its field's (as a max is), sums and averages as theirs."""
        if self.fn in ("row_number", "rank", "dense_rank"):
            return Agg("count", None, False)
        return Agg("max" if self.fn in ("lag", "lead") else self.fn, self.field, False)  # type: ignore[arg-type]


Projected = Column | Aggregated | Windowed


@dataclass(frozen=True, slots=True, eq=False)
class Join(Node):
    """The related rows at ``path`` (``team``, ``team.company``) joined along ``relation``
    from the rows at ``parent`` ("" for the query's model); LEFT OUTER unless ``inner``."""

    path: str
    parent: str
    relation: Relation
    timed: bool
    inner: bool


@dataclass(frozen=True, slots=True, eq=False)
class SelectShape(Node):
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
    #: related models joined for dotted projections, orders, groups and aggregates
    joins: tuple[Join, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class SubShape(Node):
    """A subquery: the shape of a query over ``mapped``."""

    mapped: MappedModel
    shape: SelectShape
