"""Whole-column forms of the datetime and Decimal result processors (types.py, decimals.py).

A list of 1,000 rows carries two timestamps and a price per row; converting them one Python
call per value costs about as much as the driver's fetch. These converters run their loops in
C instead: ``map`` over the C methods of ``datetime`` and ``decimal`` and ``operator``, and a
check over the whole column that it has the one shape the fast path is exact for (all text
without an offset, all naive, all already UTC, all ints, all Decimal). A column that has any
other value goes through the per-value processor instead, so both forms give the same values of
the same types, always (tests/unit/test_columnwise.py compares them).

Each ``*_column(fallback)`` returns a converter over a column's values (None among them);
``fallback`` is the per-value processor, which takes None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import repeat
from operator import add, attrgetter, is_
from typing import Any

UTC = dt.UTC
ColumnConverter = Callable[[Sequence[Any]], Sequence[Any]]
Fallback = Callable[[Any], Any]

_parse = dt.datetime.fromisoformat
_combine = dt.datetime.combine
_date = dt.datetime.date
_time = dt.datetime.time
_zone = attrgetter("tzinfo")
_NONE = type(None)


def _all(values: Sequence[Any], kind: type) -> bool:
    """Every value is exactly of type ``kind`` (one C-level pass)."""
    return list(map(type, values)).count(kind) == len(values)


def _utc_text(values: Sequence[Any]) -> list[dt.datetime]:
    """SQLite's naive UTC text, "+00:00" appended, parsed by ``fromisoformat`` (C): the
    per-value processor's own steps, whose ``tzinfo`` is ``datetime.UTC`` itself."""
    return list(map(_parse, map(add, values, repeat("+00:00"))))


def utc_text_column(fallback: Fallback) -> ColumnConverter:
    """Timestamps stored as text (SQLite): aware UTC datetimes."""

    def convert(values: Sequence[Any]) -> Sequence[Any]:
        if _all(values, str):
            try:
                return _utc_text(values)
            except ValueError:  # text with its own offset, or not a timestamp: per value
                pass
        return list(map(fallback, values))

    return convert


def utc_stored_column(fallback: Fallback) -> ColumnConverter:
    """A driver's datetimes: kept when they are all in ``datetime.UTC`` already (psycopg in a
    UTC session, asyncpg), given UTC when they are all naive (MariaDB's DATETIME(6) holds
    UTC), else converted per value."""

    def convert(values: Sequence[Any]) -> Sequence[Any]:
        if _all(values, dt.datetime):
            zones = list(map(_zone, values))
            if all(map(is_, zones, repeat(UTC))):
                return values
            if zones.count(None) == len(zones):
                return list(map(_combine, map(_date, values), map(_time, values), repeat(UTC)))
        return list(map(fallback, values))

    return convert


def scaled_decimal_column(shift: int, fallback: Fallback) -> ColumnConverter:
    """Decimals stored as integers of their column's fixed point (SQLite):
    ``Decimal(n).scaleb(shift)``, as the per-value processor computes it."""

    def convert(values: Sequence[Any]) -> Sequence[Any]:
        if _all(values, int):
            return list(map(Decimal.scaleb, map(Decimal, values), repeat(shift)))
        return list(map(fallback, values))

    return convert


def decimal_column(fallback: Fallback) -> ColumnConverter:
    """A driver's DECIMAL values: kept when they are all Decimal (or None) already."""

    def convert(values: Sequence[Any]) -> Sequence[Any]:
        kinds = list(map(type, values))
        if kinds.count(Decimal) + kinds.count(_NONE) == len(kinds):
            return values
        return list(map(fallback, values))

    return convert
