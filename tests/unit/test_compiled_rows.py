"""Rows through a compiled statement's result processors: a UUID column keeps the last value
it made (the tenant repeats in every row), and never answers one value with another's."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, sqlite

from storied.engine.compiled import compile_statement

TABLE = sa.Table(
    "t",
    sa.MetaData(),
    sa.Column("id", sa.Uuid(as_uuid=True)),
    sa.Column("tenant", sa.Uuid(as_uuid=True)),
)


def test_uuid_text_rows_convert_each_value_to_its_own_uuid() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for dialect in (sqlite.dialect(), mysql.dialect()):
        compiled = compile_statement(sa.select(TABLE.c.id, TABLE.c.tenant), dialect)
        raw = [(a.hex, c.hex), (b.hex, c.hex), (a.hex, b.hex), (a.hex, c.hex), (None, c.hex)]
        rows = compiled.rows(raw)
        assert rows == [(a, c), (b, c), (a, b), (a, c), (None, c)]
        assert all(isinstance(v, uuid.UUID) for row in rows for v in row if v is not None)
        assert rows[0][1] is rows[1][1]  # the repeated tenant: one conversion, one object
