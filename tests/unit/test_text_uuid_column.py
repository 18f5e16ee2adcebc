"""Text UUIDs (SQLite, MySQL) converted a column at a time give what one at a time gives,
including a column whose first and last values match but whose middle differs, and a column of
one value, whose rows then share one ``uuid.UUID``."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from storied.engine.processors import per_column, per_value, result_processors


def _processor() -> object:
    column = sa.Column("id", sa.Uuid(as_uuid=True))
    (process,) = result_processors([column], sqlite.dialect())
    assert process is not None
    return process


def test_a_column_that_starts_and_ends_alike_is_converted_value_by_value() -> None:
    process = _processor()
    ends, middle = uuid.uuid4(), uuid.uuid4()
    texts = [ends.hex, middle.hex, ends.hex]
    whole = per_column(process)(texts)  # type: ignore[arg-type]
    single = [per_value(process)(t) for t in texts]  # type: ignore[arg-type]
    assert list(whole) == single == [ends, middle, ends]
    assert all(type(v) is uuid.UUID for v in whole)


def test_a_column_of_one_value_shares_one_uuid() -> None:
    tenant = uuid.uuid4()
    whole = per_column(_processor())([tenant.hex] * 20)  # type: ignore[arg-type]
    assert whole[0] == tenant
    assert type(whole[0]) is uuid.UUID
    assert all(v is whole[0] for v in whole)
