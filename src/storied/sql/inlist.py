"""IN lists of bound values, in chunks whose sizes are powers of two.

Padding each chunk (repeating its last value) keeps the number of statement shapes — and so
of compiled statements — logarithmic in the chunk size, whatever the number of values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

#: values per IN list; well under every backend's bound-parameter limit
MAX_IN = 2048


def in_chunks(values: Sequence[Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(size, {"_k0": v0, …})`` per chunk of at most MAX_IN values, padded to ``size``."""
    for start in range(0, len(values), MAX_IN):
        chunk = list(values[start : start + MAX_IN])
        size = 1 << (len(chunk) - 1).bit_length()
        chunk += [chunk[-1]] * (size - len(chunk))
        yield size, {f"_k{i}": v for i, v in enumerate(chunk)}


def key_binds(column: sa.ColumnElement[Any], size: int) -> list[sa.BindParameter[Any]]:
    """The bound parameters ``_k0 … _k{size-1}`` of one chunk, typed like ``column``."""
    return [sa.bindparam(f"_k{i}", type_=column.type) for i in range(size)]


class ManyIn(sa.ColumnElement[bool]):
    """``column IN (…)`` over a long list of values, which each dialect renders its way.

    The default is one bound parameter per value (padded to a power of two, see above);
    PostgreSQL, whose protocol takes at most 65,535 parameters, compares with one array
    parameter instead (``column = ANY(:values)``). Both forms' values are bound, so the
    statement of either dialect finds the ones it uses.
    """

    inherit_cache = False
    type = sa.Boolean()

    def __init__(
        self,
        column: sa.ColumnElement[Any],
        array: sa.BindParameter[Any],
        binds: list[sa.BindParameter[Any]],
        negate: bool,
    ) -> None:
        self.column = column
        self.array = array
        self.binds = binds
        self.negate = negate


def many_values(values: Sequence[Any], bind: Any) -> tuple[str, tuple[str, ...]]:
    """Bind a long IN list both ways: the whole list (one array) and each value, padded."""
    size = 1 << (len(values) - 1).bit_length()
    padded = [*values, *[values[-1]] * (size - len(values))]
    return bind(list(values)), tuple(bind(v) for v in padded)


@compiles(ManyIn)
def _one_parameter_per_value(element: ManyIn, compiler: Any, **kw: Any) -> str:
    column = element.column
    expression = column.not_in(element.binds) if element.negate else column.in_(element.binds)
    return compiler.process(expression, **kw)  # type: ignore[no-any-return]
