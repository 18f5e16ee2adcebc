"""Plan text shows values as a user writes them, never as Python reprs."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.operations import ops
from sqlalchemy.dialects import postgresql

from storied.schema.changes import classify
from storied.schema.diff import Diff, Target
from storied.schema.literals import show
from storied.schema.renames import Renames


class Colour(enum.Enum):
    RED = "red"


WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0"), "0"),
        (Decimal("12.50"), "12.50"),
        (0, "0"),
        (1.5, "1.5"),
        (True, "True"),
        ("draft", "'draft'"),
        (WHEN, "'2026-01-01T00:00:00+00:00'"),
        (dt.date(2026, 1, 2), "'2026-01-02'"),
        (dt.time(8, 30), "'08:30:00'"),
        (ID, "'12345678-1234-5678-1234-567812345678'"),
        (Colour.RED, "'red'"),
        ({"a": [1, "b"]}, '{"a": [1, "b"]}'),
        ([], "[]"),
    ],
)
def test_values_read_as_written(value: Any, text: str) -> None:
    assert show(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("0"), "set to 0"), (WHEN, "set to '2026-01-01T00:00:00+00:00'")],
)
def test_a_backfilled_column_names_its_value_plainly(value: Any, text: str) -> None:
    column = sa.Column("amount", sa.Numeric(12, 2) if isinstance(value, Decimal) else sa.DateTime)
    column.nullable = False
    diff = Diff([ops.AddColumnOp("t", column)], Renames(), None, frozenset({"t"}))  # type: ignore[arg-type]
    target = Target(sa.MetaData(), (), defaults={("t", "amount"): value})
    [added, tightened] = classify(diff, target, postgresql.dialect(), lambda t, c: 3, True)
    assert added.describe().endswith(f"3 existing row(s) {text}")
    assert "Decimal(" not in added.describe()
    assert "datetime.datetime" not in added.describe()
    assert tightened.describe() == "alter column t.amount: NOT NULL"
