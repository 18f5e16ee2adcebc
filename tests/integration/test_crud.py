"""Create, get, get_many, update, delete, restore and purge round trip, sync and async."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from storied import NotFoundError
from tests.integration.conftest import Repo, Store
from tests.models import Product


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Product)
    return store.repository(Product, tenant_id=tenant, actor="alice")


def anvil(sku: str = "A1", **values: object) -> Product:
    return Product(sku=sku, name=values.pop("name", "Anvil"), price=Decimal("9.99"), **values)  # type: ignore[arg-type]


async def test_create_returns_the_stored_row(products: Repo, tenant: UUID) -> None:
    created = await products.create(anvil(stock=3))
    assert isinstance(created.id, UUID)
    assert created.tenant_id == tenant
    fetched = await products.get(created.id)
    assert fetched == created
    assert (fetched.sku, fetched.name, fetched.price, fetched.stock) == (
        "A1",
        "Anvil",
        Decimal("9.99"),
        3,
    )


async def test_create_from_a_mapping(products: Repo) -> None:
    created = await products.create({"sku": "M1", "name": "Mallet", "price": "4.50"})
    assert (await products.get(created.id)).price == Decimal("4.50")


async def test_a_caller_may_choose_the_id(products: Repo) -> None:
    chosen = uuid4()
    created = await products.create(anvil(id=chosen))
    assert created.id == chosen
    assert (await products.get(chosen)).sku == "A1"


async def test_get_accepts_the_id_as_text(products: Repo) -> None:
    created = await products.create(anvil())
    assert (await products.get(str(created.id))).id == created.id


async def test_get_of_a_missing_id_is_not_found(products: Repo) -> None:
    missing = uuid4()
    with pytest.raises(NotFoundError) as caught:
        await products.get(missing)
    assert caught.value.id == missing
    assert caught.value.model == "Product"


async def test_get_many_keeps_the_order_asked_and_skips_missing(products: Repo) -> None:
    a, b, c = [await products.create(anvil(f"S{i}")) for i in range(3)]
    found = await products.get_many([c.id, uuid4(), a.id, b.id])
    assert [p.id for p in found] == [c.id, a.id, b.id]
    assert await products.get_many([]) == []
    assert await products.get_many([uuid4()]) == []


async def test_get_many_beyond_one_statement_chunk(products: Repo) -> None:
    created = await products.create_many([anvil(f"B{i:04}") for i in range(600)])
    wanted = [p.id for p in reversed(created)]
    assert [p.id for p in await products.get_many(wanted)] == wanted


async def test_update_changes_only_the_given_fields(products: Repo, store: Store) -> None:
    created = await products.create(anvil(stock=7))
    store.clock.advance(seconds=1)
    updated = await products.update(created.id, price=Decimal("12.50"))
    assert updated.price == Decimal("12.50")
    # the other fields keep their stored values; a default (stock=0) is not re-applied
    assert (updated.sku, updated.name, updated.stock) == ("A1", "Anvil", 7)
    assert updated.version == 2
    assert await products.get(created.id) == updated


async def test_update_without_changes_returns_the_row_unchanged(products: Repo) -> None:
    created = await products.create(anvil())
    assert await products.update(created.id) == created
    assert (await products.get(created.id)).version == 1


async def test_update_of_a_missing_id_is_not_found(products: Repo) -> None:
    with pytest.raises(NotFoundError):
        await products.update(uuid4(), name="Nothing")


async def test_delete_hides_the_row_and_restore_brings_it_back(products: Repo) -> None:
    created = await products.create(anvil())
    assert await products.delete(created.id) is None
    with pytest.raises(NotFoundError):
        await products.get(created.id)
    assert (await products.get(created.id, include_deleted=True)).deleted_at is not None
    restored = await products.restore(created.id)
    assert restored.deleted_at is None
    assert (await products.get(created.id)).sku == "A1"


async def test_delete_of_a_missing_id_is_not_found(products: Repo) -> None:
    with pytest.raises(NotFoundError):
        await products.delete(uuid4())


async def test_purge_removes_the_row_for_good(products: Repo) -> None:
    created = await products.create(anvil())
    kept = await products.create(anvil("A2"))
    await products.purge(created.id)
    with pytest.raises(NotFoundError):
        await products.get(created.id, include_deleted=True)
    assert await products.count(include_deleted=True) == 1
    assert (await products.get(kept.id)).sku == "A2"
    with pytest.raises(NotFoundError):
        await products.purge(created.id)


async def test_create_many_stores_every_row(products: Repo) -> None:
    created = await products.create_many([anvil("C1"), anvil("C2", stock=2)])
    assert [p.sku for p in created] == ["C1", "C2"]
    assert [p.sku for p in await products.get_many([p.id for p in created])] == ["C1", "C2"]
    assert await products.create_many([]) == []
