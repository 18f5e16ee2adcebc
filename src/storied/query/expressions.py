"""``F.price < 10``: field references, conditions and orderings as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ValidationError

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


def as_order(value: Order | FieldRef | str) -> Order:
    """What ``order_by`` takes as an :class:`Order`: an Order, ``F.x``, ``"x"`` or ``"-x"``."""
    if isinstance(value, Order):
        return value
    if isinstance(value, FieldRef):
        return Order(value.name)
    if isinstance(value, str):
        return Order(value[1:], descending=True) if value.startswith("-") else Order(value)
    raise ValidationError(
        f"order_by takes F.field, F.field.desc() or 'field'/'-field', not {value!r}"
    )


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

    def over(self, partition_by: Any = (), order_by: Any = (), rows: Any = None) -> Window:
        """This aggregate as a window function (``SUM(qty) OVER (…)``): see :class:`Window`."""
        window = WindowCall(self.fn, self.field, distinct=self.distinct).over(
            partition_by, order_by, rows
        )
        return window.label(self.alias) if self.alias else window


WindowName = Literal[
    "row_number", "rank", "dense_rank", "lag", "lead", "count", "sum", "avg", "min", "max"
]


@dataclass(frozen=True, slots=True, eq=False)
class WindowCall:
    """``func.rank()``, ``func.lag(F.price)``: a window function waiting for ``.over(…)``."""

    fn: WindowName
    field: Any = None
    offset: Any = 1
    default: Any = None
    distinct: bool = False

    def over(self, partition_by: Any = (), order_by: Any = (), rows: Any = None) -> Window:
        """Over the rows partitioned by ``partition_by`` (F.field, a name, or a list), in
        ``order_by`` (``F.x.desc()``, ``"-x"``, or a list), framed by ``rows=(start, end)``
        (None unbounded, 0 the current row, -n preceding, n following). Names and values are
        checked when the query is shaped (:mod:`.windows`), before any SQL."""
        return Window(self, _items(partition_by), _items(order_by), rows)


@dataclass(frozen=True, slots=True, eq=False)
class Window(_Comparisons):
    """``func.rank().over(partition_by=F.category, order_by=F.price.desc())``: a window
    function, for ``select()`` beside fields and other windows. Its result is not compared in
    ``filter()``/``having()``: select it into a CTE and filter the CTE's query."""

    call: WindowCall
    partition: tuple[Any, ...] = ()
    orders: tuple[Any, ...] = ()
    rows: Any = None
    alias: str | None = None

    @property
    def key(self) -> str:
        """The result column's name: the label, or ``row_number``, ``sum_qty``, ``lag_price``."""
        field = self.call.field
        name = field.name if isinstance(field, FieldRef) else field
        if self.alias:
            return self.alias
        return self.call.fn if name is None else f"{self.call.fn}_{str(name).replace('.', '_')}"

    def label(self, name: str) -> Window:
        """Name the result column."""
        return Window(self.call, self.partition, self.orders, self.rows, name)

    def _leaf(self, op: Op, value: Any = None) -> Condition:
        raise ValidationError(
            f"a window function's result ({self.key}) is not compared in filter() or having(): "
            "select it with .label() into a CTE and filter the CTE's query"
        )

    def __hash__(self) -> int:
        return id(self)

    def asc(self) -> Order:
        return Order(self.key)

    def desc(self) -> Order:
        return Order(self.key, descending=True)


def _items(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple | list) else (value,)


class _Functions:
    """Aggregates: ``func.count()``, ``func.sum(F.x)``, ``avg``, ``min``, ``max`` (each also
    a window function with ``.over(…)``); ``row_number``, ``rank``, ``dense_rank``, ``lag``
    and ``lead``, which need ``.over(…)``."""

    @staticmethod
    def row_number() -> WindowCall:
        return WindowCall("row_number")

    @staticmethod
    def rank() -> WindowCall:
        return WindowCall("rank")

    @staticmethod
    def dense_rank() -> WindowCall:
        return WindowCall("dense_rank")

    @staticmethod
    def lag(field: FieldRef, offset: int = 1, default: Any = None) -> WindowCall:
        """The field's value ``offset`` rows before, in the window's order (else ``default``)."""
        return WindowCall("lag", field, offset, default)

    @staticmethod
    def lead(field: FieldRef, offset: int = 1, default: Any = None) -> WindowCall:
        """The field's value ``offset`` rows after, in the window's order (else ``default``)."""
        return WindowCall("lead", field, offset, default)

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
