"""A fresh database gets every table; right after, the plan is empty, for every mapped type.

This is the false-positive matrix: Everything holds one field of every type storied maps
(JSON, Decimal, UUID, enums, Literal, aware datetimes, time, bytes), Account and Price bring
the audit and version tables, StockItem a server default, a partial index, a CHECK and a
foreign key with ON DELETE CASCADE. Each must compare equal on every backend.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import uuid4

import pytest

from storied import AsyncDatabase, Database
from tests.models import (
    Account,
    Color,
    Dimensions,
    Everything,
    Price,
    Product,
    Setting,
    StockItem,
    Warehouse,
)

ALL = [Everything, Product, Setting, Account, Price, Warehouse, StockItem]


def test_fresh_database_plan_creates_every_table_then_is_empty(db: Database) -> None:
    plan = db.plan(ALL)
    created = {c.table for c in plan.changes if c.action == "create table"}
    assert created == {t.name for t in db.registry.tables(ALL)}
    assert {"accounts_audit", "prices_identity"} <= created  # history tables come along
    assert all(step.safe for step in plan)
    assert plan.sql
    assert all(isinstance(s, str) for s in plan.sql)

    result = db.apply(plan)

    assert len(result.applied) == len(plan)
    again = db.plan(ALL)
    assert again.empty, again.describe()
    assert str(again).startswith("No changes")


def test_tables_made_by_create_all_compare_equal(db: Database) -> None:
    db.create_all(ALL)
    plan = db.plan(ALL)
    assert plan.empty, plan.describe()


def test_sync_schema_twice_applies_once(db: Database) -> None:
    first = db.sync_schema(ALL)
    second = db.sync_schema(ALL)
    assert first.applied
    assert not second.applied
    assert not second


def test_rows_of_every_type_survive_and_plan_stays_empty(db: Database) -> None:
    db.sync_schema(ALL)
    tenant = uuid4()
    stored = db.repository(Everything, tenant_id=tenant, actor="t").create(
        Everything(
            text="t", short="s", number=1, ratio=0.5, flag=True, amount=Decimal("1.5"),
            ref=uuid4(), at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC), day=dt.date(2026, 1, 2),
            clock_time=dt.time(1, 2, 3), blob=b"x", color=Color.RED, level="low",
            data={"a": 1}, items=[1], dims=Dimensions(width=1, height=2),
        )
    )  # fmt: skip
    warehouse = db.repository(Warehouse, tenant_id=tenant).create(Warehouse(code="W1"))
    item = db.repository(StockItem, tenant_id=tenant).create(StockItem(warehouse_id=warehouse.id))
    assert item.status == "new"  # the server default filled it
    assert item.quantity == 0
    assert db.plan(ALL).empty
    assert db.repository(Everything, tenant_id=tenant).get(stored.id) == stored


@pytest.mark.parametrize("models", [[Everything], [Account], [Price], [StockItem]])
def test_each_model_alone_is_idempotent(db: Database, models: list[type]) -> None:
    db.sync_schema(models)
    assert db.plan(models).empty


async def test_async_database_plans_and_applies(adb: AsyncDatabase) -> None:
    plan = await adb.plan([Product, StockItem])
    assert not plan.empty
    result = await adb.apply(plan)
    assert result.applied
    assert (await adb.plan([Product, StockItem])).empty
    assert not (await adb.sync_schema([Product, StockItem])).applied
