"""Result converters that come in two forms: one value at a time, and one column at a time.

``Compiled.rows`` (engine/compiled.py) converts a small result value by value and a result of
``COLUMNWISE`` rows or more column by column; a converter given as :class:`ColumnWise` has a
whole-column form that runs its loop in C (pydantic-core, ``map`` over a builtin) instead of
one Python call per value. Both forms give the same values, of the same exact types.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

#: a column of UUIDs as text or hex (None among them) parsed by pydantic-core into
#: ``uuid.UUID`` itself, about 7 times faster than ``uuid.UUID(hex)`` per value
UUIDS: TypeAdapter[list[uuid.UUID | None]] = TypeAdapter(list[uuid.UUID | None])


def one_value(values: Sequence[Any]) -> bool:
    """The whole column holds one value (a tenant's rows' tenant): converted once, its rows
    may share the result. The last value is compared first, so a column of distinct ids is
    not compared value by value."""
    first = values[0]
    return values[-1] == first and values.count(first) == len(values)


@dataclass(frozen=True, slots=True)
class ColumnWise:
    """A result processor (``value``: one value, never None) and its whole-column form
    (``column``: a column's values, None among them, in order)."""

    value: Callable[[Any], Any]
    column: Callable[[Sequence[Any]], Sequence[Any]]

    def __call__(self, value: Any) -> Any:
        return None if value is None else self.value(value)
