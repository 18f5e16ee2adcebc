"""IN lists of bound values, in chunks whose sizes are powers of two.

Padding each chunk (repeating its last value) keeps the number of statement shapes — and so
of compiled statements — logarithmic in the chunk size, whatever the number of values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

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
