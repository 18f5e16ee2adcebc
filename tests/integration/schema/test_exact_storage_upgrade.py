"""Databases made before exact text and numbers get the change planned, safely, then settle.

- MySQL/MariaDB tables made with the padding ``utf8mb4_bin`` are converted to the NO PAD one;
- a Decimal without declared precision was NUMERIC(18, 6): it widens to the backend's widest;
- a plain index given a PostgreSQL method and operator class is rebuilt with them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from storied import Field, Model
from storied.dialects import text_collation

from .conftest import Versions

OPTS = {"table": "sch_exact", "tenant": False, "soft_delete": False, "primary_key": "int"}


class ExactV1(Model, **OPTS):  # type: ignore[call-arg]
    code: str = Field(max_length=20, unique=True)
    amount: Decimal = Field(default=Decimal(0), max_digits=18, decimal_places=6)  # the old default


class ExactV2(Model, **OPTS):  # type: ignore[call-arg]
    code: str = Field(max_length=20, unique=True)
    amount: Decimal = Decimal(0)


class IndexedV1(Model, **OPTS):  # type: ignore[call-arg]
    code: str = Field(max_length=20, index=True)


class IndexedV2(Model, **OPTS):  # type: ignore[call-arg]
    code: str = Field(max_length=20, index=True, index_using="gin", index_ops="gin_trgm_ops")


def test_a_padding_collation_is_converted_then_settles(versions: Versions) -> None:
    db = versions.at(ExactV2)
    wanted = text_collation(db.engine.dialect)
    if wanted is None:
        pytest.skip("text collation is a MySQL/MariaDB table option")
    db.sync_schema()
    with db.engine.begin() as conn:  # the table as storied made it before
        conn.exec_driver_sql(
            "ALTER TABLE sch_exact CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
    db.repository(ExactV2).create(ExactV2(code="A1"))

    plan = versions.at(ExactV2).plan()
    assert [c.describe() for c in plan.changes] == [
        f"alter table sch_exact: text collation utf8mb4_bin → {wanted}"
    ]
    assert not plan.destructive
    versions.dbs[-1].apply(plan)

    again = versions.at(ExactV2)
    assert again.plan().empty, again.plan().describe()
    codes = again.repository(ExactV2)
    codes.create(ExactV2(code="A1 "))  # a duplicate of "A1" under the padding collation
    assert [c.code for c in codes.list(code="A1")] == ["A1"]


def test_an_undeclared_decimal_widens_safely_then_settles(versions: Versions) -> None:
    old = versions.at(ExactV1)
    old.sync_schema()
    old.repository(ExactV1).create(ExactV1(code="x", amount=Decimal("1.5")))

    db = versions.at(ExactV2)
    plan = db.plan()
    wide = db._backend().capabilities
    if not wide.exact_decimal:  # SQLite: scaled integers either way, nothing to change
        assert plan.empty, plan.describe()
        return
    assert [c.action for c in plan.changes] == ["alter column"]
    assert "amount" in plan.describe()
    assert not plan.destructive
    db.apply(plan)
    assert versions.at(ExactV2).plan().empty
    repo = versions.dbs[-1].repository(ExactV2)
    row = repo.create(ExactV2(code="y", amount=Decimal("0.123456789")))
    assert repo.get(row.id).amount == Decimal("0.123456789")
    assert [r.amount for r in repo.list(code="x")] == [Decimal("1.5")]


def test_an_index_given_a_method_is_rebuilt_then_settles(versions: Versions) -> None:
    old = versions.at(IndexedV1)
    if not old._backend().capabilities.index_methods:
        pytest.skip("index methods are PostgreSQL's")
    old.sync_schema()
    with old.engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    db = versions.at(IndexedV2)
    plan = db.plan()
    assert [c.action for c in plan.changes] == ["drop index", "create index"]
    assert any("USING gin" in sql and "gin_trgm_ops" in sql for sql in plan.sql)
    db.apply(plan, allow_destructive=True)
    assert versions.at(IndexedV2).plan().empty
