"""The whole-column converters give exactly what the per-value processors give: the same
values, of the same types (aware datetimes in ``datetime.UTC`` itself, Decimals with the same
exponent), None kept, for the columns the fast path takes and for those it hands back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Dialect

from storied.dialects import ColumnWise
from storied.engine.compiled import COLUMNWISE, compile_statement
from storied.mapping.types import ExactDecimal, UTCDateTime

UTC = dt.UTC
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
SQLITE = sqlite.dialect()
DRIVERS = [postgresql.psycopg.dialect(), mysql.pymysql.dialect()]

MIN = dt.datetime.min.replace(tzinfo=UTC)
MAX = dt.datetime.max.replace(tzinfo=UTC)
MOMENTS = [
    dt.datetime(2026, 12, 2, 18, 27, 11, 123456, tzinfo=UTC),
    dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC),
    dt.datetime(2026, 12, 2, 18, 27, 11, 1, tzinfo=UTC),
    MIN,
    MAX,
]


def converter(type_: Any, dialect: Dialect) -> ColumnWise:
    process = type_.dialect_impl(dialect).result_processor(dialect, None)
    assert isinstance(process, ColumnWise)
    return process


def same(column: Sequence[Any], one_by_one: Sequence[Any]) -> None:
    """Equal values of identical types, and the same tzinfo object for datetimes."""
    assert list(column) == list(one_by_one)
    for a, b in zip(column, one_by_one, strict=True):
        assert type(a) is type(b)
        if isinstance(a, dt.datetime):
            assert a.tzinfo is b.tzinfo
        if isinstance(a, Decimal):
            assert a.as_tuple() == b.as_tuple()


def check(process: ColumnWise, values: list[Any]) -> None:
    column = process.column(values)
    same(column, [process(v) for v in values])
    if values in FAST:  # the columns the C path takes: aware, in datetime.UTC itself
        assert all(v.tzinfo is UTC for v in column)


def sqlite_text(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


FAST = [[sqlite_text(m) for m in MOMENTS], MOMENTS, [m.replace(tzinfo=None) for m in MOMENTS]]


@pytest.mark.parametrize(
    "values",
    [
        [sqlite_text(m) for m in MOMENTS],
        [sqlite_text(m) for m in MOMENTS] + [None],  # a None: per value
        [sqlite_text(MOMENTS[0]), "2026-01-01 00:30:00+02:00"],  # text with its own offset
        ["2026-01-01", "2026-01-01T10:00:00"],  # shorter text SQLite may hold
    ],
)
def test_sqlite_timestamp_text(values: list[Any]) -> None:
    check(converter(UTCDateTime(), SQLITE), values)


@pytest.mark.parametrize("dialect", DRIVERS, ids=lambda d: d.driver)
@pytest.mark.parametrize(
    "values",
    [
        MOMENTS,  # already UTC: kept
        [m.replace(tzinfo=None) for m in MOMENTS],  # naive (MariaDB): given UTC
        [*MOMENTS, None],
        [MOMENTS[0], MOMENTS[0].replace(tzinfo=None)],  # mixed
        [MOMENTS[0], dt.datetime(2026, 1, 1, 0, 30, tzinfo=PLUS_TWO)],  # another zone
        [dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(0)))],  # UTC, not UTC itself
    ],
)
def test_driver_timestamps(dialect: Dialect, values: list[Any]) -> None:
    check(converter(UTCDateTime(), dialect), values)


SCALED = [999, 0, -1, -(2**63), 2**63 - 1, 123456789012345678]


@pytest.mark.parametrize("scale", [0, 2, 6])
@pytest.mark.parametrize("values", [SCALED, [*SCALED, None], [5, True]])
def test_sqlite_scaled_decimals(values: list[Any], scale: int) -> None:
    check(converter(ExactDecimal(18, scale), SQLITE), values)


@pytest.mark.parametrize("dialect", DRIVERS, ids=lambda d: d.driver)
@pytest.mark.parametrize(
    "values",
    [
        [Decimal("9.99"), Decimal("-0.01"), Decimal("1" * 60 + ".25"), Decimal("0E-10")],
        [Decimal("9.99"), None],
        [Decimal("9.99"), 7, 1.5, "2.50"],  # not Decimals: per value
    ],
)
def test_driver_decimals(dialect: Dialect, values: list[Any]) -> None:
    check(converter(ExactDecimal(None, None), dialect), values)


def test_compiled_rows_agree_whatever_their_number() -> None:
    """``Compiled.rows``: fewer than COLUMNWISE rows go value by value, more column by column;
    every row comes out the same either way."""
    import sqlalchemy as sa

    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("at", UTCDateTime()),
        sa.Column("price", ExactDecimal(12, 2)),
        sa.Column("gone", UTCDateTime()),
    )
    compiled = compile_statement(sa.select(table), SQLITE)
    raw = [
        (sqlite_text(MOMENTS[i % len(MOMENTS)]), SCALED[i % len(SCALED)], None) for i in range(20)
    ]
    many = compiled.rows(raw)
    few = [
        row
        for i in range(0, 20, COLUMNWISE - 1)
        for row in compiled.rows(raw[i : i + COLUMNWISE - 1])
    ]
    assert len(many) == len(few) == 20
    for a, b in zip(many, few, strict=True):
        same(a, b)
