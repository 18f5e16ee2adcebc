"""``F.price < 10``: field references, conditions and orderings as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Op = Literal[
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "not_in",
    "between",
    "is_null",
    "is_not_null",
    "contains",
    "icontains",
    "startswith",
    "endswith",
]


@dataclass(frozen=True, slots=True)
class Condition:
    """A predicate tree: a leaf (field, op, value) or and/or/not over children."""

    op: Op | Literal["and", "or", "not"]
    field: str | Aggregate | None = None
    value: Any = None
    children: tuple[Condition, ...] = ()

    def __and__(self, other: Condition) -> Condition:
        return Condition("and", children=(self, other))

    def __or__(self, other: Condition) -> Condition:
        return Condition("or", children=(self, other))

    def __invert__(self) -> Condition:
        return Condition("not", children=(self,))

    def __bool__(self) -> bool:
        raise TypeError("use & | ~ to combine conditions, not and/or/not")


@dataclass(frozen=True, slots=True)
class Order:
    field: str
    descending: bool = False
    nulls: Literal["first", "last"] | None = None

    def nulls_first(self) -> Order:
        return Order(self.field, self.descending, "first")

    def nulls_last(self) -> Order:
        return Order(self.field, self.descending, "last")


class _Comparisons:
    """``x == v``, ``x < v`` … build conditions (``== None`` is IS NULL)."""

    __slots__ = ()

    def _leaf(self, op: Op, value: Any = None) -> Condition:
        raise NotImplementedError

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._leaf("is_null") if value is None else self._leaf("eq", value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return self._leaf("is_not_null") if value is None else self._leaf("ne", value)

    def __lt__(self, value: Any) -> Condition:
        return self._leaf("lt", value)

    def __le__(self, value: Any) -> Condition:
        return self._leaf("le", value)

    def __gt__(self, value: Any) -> Condition:
        return self._leaf("gt", value)

    def __ge__(self, value: Any) -> Condition:
        return self._leaf("ge", value)


@dataclass(frozen=True, slots=True, eq=False)
class FieldRef(_Comparisons):
    """A reference to a model field by name; checked against the model when compiled."""

    name: str

    def _leaf(self, op: Op, value: Any = None) -> Condition:
        return Condition(op, self.name, value)

    def __hash__(self) -> int:
        return hash(self.name)

    def in_(self, values: Any) -> Condition:
        """Among ``values``, or among the rows of a one-field query (a subquery)."""
        return self._leaf("in", values if _is_query(values) else tuple(values))

    def not_in(self, values: Any) -> Condition:
        return self._leaf("not_in", values if _is_query(values) else tuple(values))

    def between(self, low: Any, high: Any) -> Condition:
        return self._leaf("between", (low, high))

    def is_null(self) -> Condition:
        return self._leaf("is_null")

    def is_not_null(self) -> Condition:
        return self._leaf("is_not_null")

    def contains(self, text: str) -> Condition:
        return self._leaf("contains", text)

    def icontains(self, text: str) -> Condition:
        return self._leaf("icontains", text)

    def startswith(self, text: str) -> Condition:
        return self._leaf("startswith", text)

    def endswith(self, text: str) -> Condition:
        return self._leaf("endswith", text)

    def asc(self) -> Order:
        return Order(self.name)

    def desc(self) -> Order:
        return Order(self.name, descending=True)

    def nulls_first(self) -> Order:
        """Ascending, NULLs first."""
        return Order(self.name, nulls="first")

    def nulls_last(self) -> Order:
        """Ascending, NULLs last."""
        return Order(self.name, nulls="last")


class Subquery:
    """What a value of ``in_``/``not_in`` is when it is a query (``Query`` derives from it),
    so expressions need not import the query module that builds on them."""

    __slots__ = ()


def _is_query(value: Any) -> bool:
    return isinstance(value, Subquery)


class _FieldFactory:
    """``F.price`` or ``F["price"]``."""

    def __getattr__(self, name: str) -> FieldRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return FieldRef(name)

    def __getitem__(self, name: str) -> FieldRef:
        return FieldRef(name)


F = _FieldFactory()


AggregateName = Literal["count", "sum", "avg", "min", "max"]


@dataclass(frozen=True, slots=True, eq=False)
class Aggregate(_Comparisons):
    """``func.avg(F.price)``: an aggregate over a field (or ``func.count()`` over rows)."""

    fn: AggregateName
    field: str | None = None
    alias: str | None = None
    distinct: bool = False

    @property
    def key(self) -> str:
        """The result column's name: the label, or ``count``, ``avg_price`` …"""
        if self.alias:
            return self.alias
        return self.fn if self.field is None else f"{self.fn}_{self.field.replace('.', '_')}"

    def label(self, name: str) -> Aggregate:
        """Name the result column."""
        return Aggregate(self.fn, self.field, name, self.distinct)

    def _leaf(self, op: Op, value: Any = None) -> Condition:
        return Condition(op, self, value)

    def __hash__(self) -> int:
        return hash((self.fn, self.field, self.alias, self.distinct))

    def asc(self) -> Order:
        return Order(self.key)

    def desc(self) -> Order:
        return Order(self.key, descending=True)


class _Functions:
    """Aggregates: ``func.count()``, ``func.sum(F.x)``, ``avg``, ``min``, ``max``."""

    @staticmethod
    def count(field: FieldRef | None = None, *, distinct: bool = False) -> Aggregate:
        return Aggregate("count", field.name if field is not None else None, distinct=distinct)

    @staticmethod
    def sum(field: FieldRef) -> Aggregate:
        return Aggregate("sum", field.name)

    @staticmethod
    def avg(field: FieldRef) -> Aggregate:
        return Aggregate("avg", field.name)

    @staticmethod
    def min(field: FieldRef) -> Aggregate:
        return Aggregate("min", field.name)

    @staticmethod
    def max(field: FieldRef) -> Aggregate:
        return Aggregate("max", field.name)


func = _Functions()
