"""storied stamps id, tenant, version, created/updated/deleted at/by; callers cannot forge them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest

from storied import F
from tests.integration.conftest import Repo, Store
from tests.models import Product

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    store.clock.set(START)
    await store.create_all(Product)
    return store.repository(Product, tenant_id=tenant, actor="alice")


def anvil(sku: str = "A1", **values: object) -> Product:
    return Product(sku=sku, name="Anvil", price=Decimal("9.99"), **values)  # type: ignore[arg-type]


async def test_create_stamps_version_times_and_actor(products: Repo) -> None:
    created = await products.create(anvil())
    stored = await products.get(created.id)
    for row in (created, stored):
        assert row.version == 1
        assert row.created_at == START
        assert row.updated_at == START
        assert row.created_by == "alice"
        assert row.updated_by == "alice"
        assert row.deleted_at is None
        assert row.deleted_by is None


async def test_stamped_times_are_aware_utc_with_microseconds(products: Repo) -> None:
    stored = await products.get((await products.create(anvil())).id)
    assert stored.created_at.utcoffset() == dt.timedelta(0)
    assert stored.created_at.microsecond == 123456


async def test_values_a_caller_puts_in_bookkeeping_fields_are_ignored(
    products: Repo, tenant: UUID
) -> None:
    forged = anvil(
        version=41,
        created_at=dt.datetime(2000, 1, 1, tzinfo=UTC),
        created_by="mallory",
        updated_at=dt.datetime(2000, 1, 2, tzinfo=UTC),
        updated_by="mallory",
        deleted_at=dt.datetime(2000, 1, 3, tzinfo=UTC),
        deleted_by="mallory",
    )
    created = await products.create(forged)
    for row in (created, await products.get(created.id)):
        assert row.version == 1
        assert (row.created_at, row.updated_at) == (START, START)
        assert (row.created_by, row.updated_by) == ("alice", "alice")
        assert (row.deleted_at, row.deleted_by) == (None, None)
        assert row.tenant_id == tenant
    assert await products.count() == 1  # the forged deleted_at did not hide the row


async def test_forged_bookkeeping_in_a_mapping_is_ignored_too(products: Repo) -> None:
    created = await products.create(
        {"sku": "M1", "name": "Mallet", "price": "1", "version": 9, "created_by": "mallory"}
    )
    stored = await products.get(created.id)
    assert (stored.version, stored.created_by) == (1, "alice")


async def test_update_stamps_updated_and_keeps_created(store: Store, products: Repo) -> None:
    created = await products.create(anvil())
    later = store.clock.advance(minutes=5)
    bob = store.repository(Product, tenant_id=created.tenant_id, actor="bob")
    updated = await bob.update(created.id, name="Big anvil")
    for row in (updated, await products.get(created.id)):
        assert row.version == 2
        assert (row.created_at, row.created_by) == (START, "alice")
        assert (row.updated_at, row.updated_by) == (later, "bob")


async def test_each_write_increments_the_version(store: Store, products: Repo) -> None:
    created = await products.create(anvil())
    await products.update(created.id, stock=1)
    await products.update(created.id, stock=2)
    await products.delete(created.id)
    restored = await products.restore(created.id)
    assert restored.version == 5


async def test_delete_and_restore_stamp_who_and_when(store: Store, products: Repo) -> None:
    created = await products.create(anvil())
    deleted_at = store.clock.advance(hours=1)
    carol = store.repository(Product, tenant_id=created.tenant_id, actor="carol")
    await carol.delete(created.id)
    gone = await products.get(created.id, include_deleted=True)
    assert (gone.deleted_at, gone.deleted_by) == (deleted_at, "carol")
    restored_at = store.clock.advance(hours=1)
    restored = await products.restore(created.id)
    assert (restored.deleted_at, restored.deleted_by) == (None, None)
    assert (restored.updated_at, restored.updated_by) == (restored_at, "alice")


async def test_bookkeeping_columns_can_be_filtered_and_ordered(
    store: Store, products: Repo
) -> None:
    first = await products.create(anvil())
    store.clock.advance(seconds=1)
    second = await products.create(anvil(sku="A2"))
    assert [p.id for p in await products.list(order_by="-created_at")] == [second.id, first.id]
    assert [p.id for p in await products.list(F.created_at > START)] == [second.id]
    await products.update(first.id, stock=1)
    assert [p.id for p in await products.list(created_by="alice", version=1)] == [second.id]


async def test_an_actorless_repository_stamps_none(store: Store, tenant: UUID) -> None:
    await store.create_all(Product)
    anonymous = store.repository(Product, tenant_id=tenant)
    created = await anonymous.create(anvil(created_by="mallory"))
    stored = await anonymous.get(created.id)
    assert (stored.created_by, stored.updated_by) == (None, None)


async def test_ids_are_fresh_per_row(products: Repo) -> None:
    rows = await products.create_many([anvil(sku=f"S{i}") for i in range(5)])
    assert len({r.id for r in rows}) == 5
    assert all(isinstance(r.id, UUID) for r in rows)
    assert [r.id for r in await products.get_many([r.id for r in rows])] == [r.id for r in rows]
