"""SQLite's timestamps: storied's one-step conversion writes exactly the text SQLAlchemy's
SQLite DATETIME writes (so stored rows, SQL comparisons and other tools read the same), and
reads back every text SQLite may hold."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from storied.errors import ValidationError
from storied.mapping.types import UTCDateTime

UTC = dt.UTC
DIALECT = sqlite.dialect()
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
MOMENTS = [
    dt.datetime(2026, 12, 2, 18, 27, 11, 123456, tzinfo=UTC),
    dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC),  # no microseconds: still six digits
    dt.datetime(5, 1, 2, 3, 4, 5, 6, tzinfo=UTC),  # a year below 1000: still four digits
    dt.datetime(2026, 1, 1, 0, 30, tzinfo=PLUS_TWO),  # another zone: stored in UTC
]


def _bind() -> object:
    process = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    return process


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_text_is_sqlalchemys(moment: dt.datetime) -> None:
    sqlalchemy_text = sa.DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert sqlalchemy_text is not None
    expected = sqlalchemy_text(moment.astimezone(UTC).replace(tzinfo=None))
    assert _bind()(moment) == expected  # type: ignore[operator]


def test_the_last_value_memo_never_answers_for_another_value() -> None:
    first, second = MOMENTS[0], MOMENTS[1]
    one, two = _bind()(first), _bind()(second)  # type: ignore[operator]
    process = _bind()
    texts = [process(m) for m in (first, first, second, first, second)]  # type: ignore[operator]
    assert texts == [one, one, two, one, two]
    assert one != two


def test_naive_and_non_datetimes_are_refused() -> None:
    process = _bind()
    with pytest.raises(ValidationError, match="naive"):
        process(dt.datetime(2026, 1, 1))  # type: ignore[operator]
    with pytest.raises(ValidationError, match="expected a datetime"):
        process("2026-01-01 00:00:00")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-02 18:27:11.123456", dt.datetime(2026, 12, 2, 18, 27, 11, 123456, tzinfo=UTC)),
        ("2026-12-02 18:27:11", dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC)),
        ("2026-12-02 20:27:11+02:00", dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC)),
        ("2026-12-02T18:27:11Z", dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC)),
    ],
)
def test_stored_text_reads_back_aware_utc(text: str, expected: dt.datetime) -> None:
    process = UTCDateTime().dialect_impl(DIALECT).result_processor(DIALECT, None)
    assert process is not None
    got = process(text)
    assert got == expected
    assert got.tzinfo is UTC


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_round_trip_keeps_the_instant(moment: dt.datetime) -> None:
    read = UTCDateTime().dialect_impl(DIALECT).result_processor(DIALECT, None)
    assert read is not None
    assert read(_bind()(moment)) == moment  # type: ignore[operator]
