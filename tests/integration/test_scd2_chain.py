"""scd2: per id one contiguous chain of immutable versions, one current, enforced by the database.

The versions table is read directly (SQLAlchemy on the engine), not through storied.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from storied import ConflictError, Database
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import check_chain, version_rows, versions_table
from tests.models import Account, Price

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
TICK = dt.timedelta(microseconds=1)


@pytest.fixture
async def prices(store: Store, tenant: UUID) -> Repo:
    store.clock.set(START)
    await store.create_all(Price)
    return store.repository(Price, tenant_id=tenant, actor="alice")


def price(sku: str = "S1", **values: Any) -> Price:
    return Price(sku=sku, amount=Decimal("9.99"), **values)


async def test_writes_build_one_contiguous_chain(store: Store, prices: Repo) -> None:
    p = await prices.create(price())
    for step in range(3):
        store.clock.advance(seconds=1)
        await prices.update(p.id, counter=step + 1)
    store.clock.advance(seconds=1)
    await prices.delete(p.id)
    store.clock.advance(seconds=1)
    await prices.restore(p.id)
    store.clock.advance(seconds=1)
    await prices.update(p.id, amount=Decimal("1.00"))
    rows = await version_rows(store.db, Price, p.id)
    assert len(rows) == 7
    check_chain(rows)
    assert [r["valid_from"] for r in rows] == [START + dt.timedelta(seconds=s) for s in range(7)]
    versions = await prices.versions(p.id)
    assert [(x.number, x.valid_from, x.valid_to) for x in versions] == [
        (r["version"], r["valid_from"], r["valid_to"]) for r in rows
    ]
    assert [x.model.deleted_at is not None for x in versions] == [False] * 4 + [True] + [False] * 2


async def test_every_id_keeps_its_own_chain(store: Store, prices: Repo) -> None:
    a, b = await prices.create_many([price("A"), price("B")])
    for n in range(3):
        store.clock.advance(seconds=1)
        await prices.update(a.id if n % 2 else b.id, counter=n + 1)
    for id, expected in ((a.id, 2), (b.id, 3)):
        rows = await version_rows(store.db, Price, id)
        assert len(rows) == expected
        check_chain(rows)


async def test_old_versions_are_never_modified_except_closing_valid_to(
    store: Store, prices: Repo
) -> None:
    p = await prices.create(price(meta={"k": [1]}))
    store.clock.advance(seconds=1)
    await prices.update(p.id, amount=Decimal("2.00"))
    before = await version_rows(store.db, Price, p.id)
    later = store.clock.advance(seconds=1)
    await prices.update(p.id, meta={"k": [2]}, counter=4)
    after = await version_rows(store.db, Price, p.id)
    assert after[0] == before[0]  # closed before: untouched
    closed = {**before[1], "valid_to": later, "current_key": None, "live_key": None}
    assert after[1] == closed  # the previous current version: only its end was set
    assert after[2]["valid_from"] == later
    store.clock.advance(seconds=1)
    await prices.delete(p.id)
    assert (await version_rows(store.db, Price, p.id))[:2] == after[:2]


async def test_a_clock_stepping_back_still_gives_increasing_valid_from(
    store: Store, prices: Repo
) -> None:
    p = await prices.create(price())
    store.clock.set(START - dt.timedelta(hours=1))
    await prices.update(p.id, counter=1)
    await prices.update(p.id, counter=2)
    store.clock.set(START - dt.timedelta(days=1))
    await prices.delete(p.id)
    await prices.restore(p.id)
    rows = await version_rows(store.db, Price, p.id)
    check_chain(rows)
    assert [r["valid_from"] for r in rows] == [START + n * TICK for n in range(5)]


async def test_writes_at_one_frozen_instant_still_get_increasing_valid_from(
    store: Store, prices: Repo
) -> None:
    p = await prices.create(price())
    for n in range(3):
        await prices.update(p.id, counter=n + 1)
    rows = await version_rows(store.db, Price, p.id)
    check_chain(rows)
    assert [r["valid_from"] for r in rows] == [START + n * TICK for n in range(4)]


async def test_one_now_per_transaction(store: Store, prices: Repo, tenant: UUID) -> None:
    await store.create_all(Account)
    accounts = store.repository(Account, tenant_id=tenant, actor="alice")
    a, b = await prices.create_many([price("A"), price("B")])
    acct = await accounts.create(Account(code="C", owner="Ada", balance=Decimal(1)))
    tx_start = store.clock.advance(minutes=1)
    async with store.transaction():
        await prices.update(a.id, counter=1)
        store.clock.advance(minutes=5)
        await prices.update(b.id, counter=1)
        store.clock.advance(minutes=5)
        c = await prices.create(price("C"))
        await accounts.update(acct.id, counter=1)
        await prices.delete(a.id)  # the second write to a: one tick later, never earlier
    expected = {
        a.id: [START, tx_start, tx_start + TICK],
        b.id: [START, tx_start],
        c.id: [tx_start],
    }
    for id, starts in expected.items():
        rows = await version_rows(store.db, Price, id)
        check_chain(rows)
        assert [r["valid_from"] for r in rows] == starts
    assert (await prices.get(b.id)).updated_at == tx_start
    assert (await accounts.get(acct.id)).updated_at == tx_start
    assert (await accounts.history(acct.id))[-1].at == tx_start


async def test_an_update_that_changes_nothing_writes_no_version(store: Store, prices: Repo) -> None:
    p = await prices.create(price(meta={"b": 1, "a": [1, {"y": 2, "x": None}]}))
    before = await version_rows(store.db, Price, p.id)
    for step in range(2):
        store.clock.advance(seconds=1)  # the clock moved: the RETURNING fast path is tried
        same = await prices.update(
            p.id,
            meta={"a": [1, {"x": None, "y": 2}], "b": 1},  # equal, keys in another order
            amount=Decimal("9.990"),
            **({"sku": "S1"} if step else {}),
        )
        assert (same.version, same.updated_at) == (1, START)
    assert await version_rows(store.db, Price, p.id) == before
    assert len(await prices.history(p.id)) == 1


async def test_unique_fields_apply_among_current_versions_only(store: Store, prices: Repo) -> None:
    p = await prices.create(price("S1"))
    store.clock.advance(seconds=1)
    await prices.update(p.id, amount=Decimal("5.00"))  # a second version keeps sku S1
    store.clock.advance(seconds=1)
    await prices.update(p.id, sku="S2")
    other = await prices.create(price("S1"))  # S1 lives only in p's old versions
    assert (await prices.get(other.id)).sku == "S1"
    with pytest.raises(ConflictError) as caught:
        await prices.create(price("S2"))
    assert "sku" in caught.value.fields
    before = await version_rows(store.db, Price, other.id)
    store.clock.advance(seconds=1)  # the fast path closes, then the insert conflicts
    with pytest.raises(ConflictError):
        await prices.update(other.id, sku="S2", counter=1)
    assert await version_rows(store.db, Price, other.id) == before  # nothing closed


async def test_a_deleted_rows_unique_value_is_free_until_it_is_restored(
    store: Store, prices: Repo
) -> None:
    p = await prices.create(price("S1"))
    store.clock.advance(seconds=1)
    await prices.delete(p.id)
    q = await prices.create(price("S1"))
    before = await version_rows(store.db, Price, p.id)
    store.clock.advance(seconds=1)
    with pytest.raises(ConflictError):
        await prices.restore(p.id)
    assert await version_rows(store.db, Price, p.id) == before
    await prices.delete(q.id)
    restored = await prices.restore(p.id)
    assert (restored.sku, restored.version) == ("S1", 3)


def _raw_version(db: Database, id: Any) -> dict[str, Any]:
    table = versions_table(db, Price)
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == id)).mappings().one()
    skip = {"row_id", "current_key", "live_key"}
    return {k: v for k, v in row.items() if k not in skip}


def test_the_database_refuses_a_second_current_version(db: Database, clock: Any) -> None:
    db.create_all([Price])
    prices = db.repository(Price, tenant_id=UUID(int=1), actor="alice")
    p = prices.create(price("S1"))
    table = versions_table(db, Price)
    second = {
        **_raw_version(db, p.id),
        "sku": "OTHER",  # no clash on the unique sku: only "one current version" is at stake
        "version": 2,
        "valid_from": clock.now() + dt.timedelta(seconds=1),
    }
    with db.engine.begin() as conn:  # the same row, closed, is accepted (then removed)
        conn.execute(sa.insert(table).values({**second, "valid_to": second["valid_from"]}))
        conn.execute(sa.delete(table).where(table.c.id == p.id, table.c.version == 2))
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(sa.insert(table).values({**second, "valid_to": None}))
    assert [(v.number, v.valid_to) for v in prices.versions(p.id)] == [(1, None)]


def test_the_database_refuses_reopening_a_closed_version(db: Database) -> None:
    db.create_all([Price])
    prices = db.repository(Price, tenant_id=UUID(int=1), actor="alice")
    p = prices.create(price("S1"))
    prices.update(p.id, counter=1)
    table = versions_table(db, Price)
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.id == p.id, table.c.version == 1)
            .values(valid_to=None, sku="OTHER")
        )
    assert [v.valid_to is None for v in prices.versions(p.id)] == [False, True]
