"""Soft delete: hidden unless asked, never silently undeleted, reversible, unique when live."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from storied import ConflictError, F, NotFoundError
from tests.integration.conftest import Repo, Store, settle
from tests.models import Product


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Product)
    return store.repository(Product, tenant_id=tenant, actor="alice")


def item(sku: str, name: str = "Item") -> Product:
    return Product(sku=sku, name=name, price=Decimal("3.00"))


async def test_deleted_rows_are_invisible_unless_asked(products: Repo) -> None:
    gone = await products.create(item("GONE"))
    kept = await products.create(item("KEPT"))
    await products.delete(gone.id)

    with pytest.raises(NotFoundError):
        await products.get(gone.id)
    assert [p.id for p in await products.get_many([gone.id, kept.id])] == [kept.id]
    assert [p.sku for p in await products.list()] == ["KEPT"]
    assert await products.count() == 1
    assert await products.exists(sku="GONE") is False
    assert await settle(products.query().filter(sku="GONE").first()) is None

    assert (await products.get(gone.id, include_deleted=True)).sku == "GONE"
    assert [p.id for p in await products.get_many([gone.id], include_deleted=True)] == [gone.id]
    assert sorted(p.sku for p in await products.list(include_deleted=True)) == ["GONE", "KEPT"]
    assert await products.count(include_deleted=True) == 2
    assert await products.exists(sku="GONE", include_deleted=True) is True
    only = await settle(products.query().only_deleted().all())
    assert [p.sku for p in only] == ["GONE"]


async def test_updating_a_deleted_row_is_not_found_and_changes_nothing(products: Repo) -> None:
    row = await products.create(item("A"))
    await products.delete(row.id)
    before = await products.get(row.id, include_deleted=True)
    with pytest.raises(NotFoundError):
        await products.update(row.id, name="Revived?")
    with pytest.raises(NotFoundError):
        await products.update(row.id, name="Revived?", expected_version=before.version)
    assert await products.get(row.id, include_deleted=True) == before
    assert await products.count() == 0


async def test_deleting_twice_keeps_the_first_deletion(store: Store, products: Repo) -> None:
    row = await products.create(item("A"))
    first_at = store.clock.advance(minutes=1)
    await products.delete(row.id)
    first = await products.get(row.id, include_deleted=True)
    store.clock.advance(minutes=1)
    bob = store.repository(Product, tenant_id=row.tenant_id, actor="bob")
    await bob.delete(row.id)  # idempotent: no error
    second = await products.get(row.id, include_deleted=True)
    assert second.deleted_at == first_at
    assert second.deleted_by == "alice"
    assert second == first


async def test_restore_brings_the_row_back(store: Store, products: Repo) -> None:
    row = await products.create(item("A", name="Original"))
    await products.delete(row.id)
    restored = await products.restore(row.id)
    assert (restored.deleted_at, restored.deleted_by) == (None, None)
    assert (restored.sku, restored.name) == ("A", "Original")
    assert await products.get(row.id) == restored
    assert await products.count(F.sku == "A") == 1


async def test_restoring_a_live_row_changes_nothing(products: Repo) -> None:
    row = await products.create(item("A"))
    assert await products.restore(row.id) == row
    assert (await products.get(row.id)).version == 1


async def test_a_unique_value_freed_by_delete_can_be_reused(products: Repo) -> None:
    old = await products.create(item("SKU-1", name="Old"))
    with pytest.raises(ConflictError):
        await products.create(item("SKU-1", name="Clash"))
    await products.delete(old.id)
    new = await products.create(item("SKU-1", name="New"))
    assert new.id != old.id
    assert [p.name for p in await products.list(sku="SKU-1")] == ["New"]


async def test_restoring_onto_a_reused_unique_value_is_a_conflict(products: Repo) -> None:
    old = await products.create(item("SKU-1", name="Old"))
    await products.delete(old.id)
    await products.create(item("SKU-1", name="New"))
    with pytest.raises(ConflictError) as caught:
        await products.restore(old.id)
    assert caught.value.fields == ("sku",)
    still_deleted = await products.get(old.id, include_deleted=True)
    assert still_deleted.deleted_at is not None
    assert [p.name for p in await products.list(sku="SKU-1")] == ["New"]


async def test_several_deleted_rows_may_share_a_unique_value(products: Repo) -> None:
    for _ in range(3):
        row = await products.create(item("SKU-1"))
        await products.delete(row.id)
    assert await products.count(sku="SKU-1", include_deleted=True) == 3
    assert await products.count(sku="SKU-1") == 0


async def test_purge_removes_a_deleted_row_for_good(products: Repo) -> None:
    row = await products.create(item("SKU-1"))
    await products.delete(row.id)
    await products.purge(row.id)
    with pytest.raises(NotFoundError):
        await products.get(row.id, include_deleted=True)
    with pytest.raises(NotFoundError):
        await products.restore(row.id)
    assert await products.count(include_deleted=True) == 0


async def test_purge_removes_a_live_row_too(products: Repo) -> None:
    row = await products.create(item("SKU-1"))
    await products.purge(row.id)
    assert await products.count(include_deleted=True) == 0
    assert (await products.create(item("SKU-1"))).sku == "SKU-1"
