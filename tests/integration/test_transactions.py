"""db.transaction(): all or nothing; nested blocks are savepoints; sync and async."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import ConflictError, NotFoundError
from tests.integration.conftest import Repo, Store
from tests.models import Counter, Product

Step = Callable[[], Awaitable[Any]]


class Boom(Exception):
    pass


async def boom() -> None:
    raise Boom


async def run_block(store: Store, *steps: Step) -> None:
    """Run the steps, in order, inside one ``transaction()`` block."""
    async with store.transaction():
        for step in steps:
            await step()


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Product, Counter)
    return store.repository(Product, tenant_id=tenant, actor="alice")


def item(sku: str) -> Product:
    return Product(sku=sku, name=sku, price=Decimal("1.00"))


def create(products: Repo, sku: str) -> Step:
    return lambda: products.create(item(sku))


async def skus(products: Repo) -> list[str]:
    return sorted(p.sku for p in await products.list(include_deleted=True))


async def test_a_block_commits_its_writes_together(store: Store, products: Repo) -> None:
    async with store.transaction():
        a = await products.create(item("A"))
        await products.create(item("B"))
        await products.update(a.id, name="Changed")
        assert await skus(products) == ["A", "B"]  # the block reads its own writes
    assert await skus(products) == ["A", "B"]
    assert (await products.get(a.id)).name == "Changed"


async def test_an_exception_rolls_back_every_write(store: Store, products: Repo) -> None:
    kept = await products.create(item("KEPT"))
    with pytest.raises(Boom):
        await run_block(
            store,
            create(products, "A"),
            lambda: products.update(kept.id, name="Changed"),
            lambda: products.delete(kept.id),
            boom,
        )
    assert await skus(products) == ["KEPT"]
    assert await products.get(kept.id) == kept


async def test_a_failed_write_rolls_back_the_writes_before_it(store: Store, products: Repo) -> None:
    await products.create(item("TAKEN"))
    with pytest.raises(ConflictError):
        await run_block(store, create(products, "A"), create(products, "TAKEN"))
    assert await skus(products) == ["TAKEN"]


async def test_writes_through_several_repositories_share_the_transaction(
    store: Store, products: Repo, tenant: UUID
) -> None:
    counters = store.repository(Counter, tenant_id=tenant)
    with pytest.raises(Boom):
        await run_block(
            store, create(products, "A"), lambda: counters.create(Counter(name="n")), boom
        )
    assert await products.count() == 0
    assert await counters.count() == 0


async def test_a_failed_inner_block_rolls_back_only_itself(store: Store, products: Repo) -> None:
    async with store.transaction():
        await products.create(item("OUTER-1"))
        with pytest.raises(Boom):
            await run_block(store, create(products, "INNER"), boom)
        await products.create(item("OUTER-2"))
    assert await skus(products) == ["OUTER-1", "OUTER-2"]


async def test_a_database_error_in_an_inner_block_leaves_the_outer_usable(
    store: Store, products: Repo
) -> None:
    await products.create(item("TAKEN"))
    async with store.transaction():
        await products.create(item("OUTER-1"))
        with pytest.raises(ConflictError):
            await run_block(store, create(products, "INNER"), create(products, "TAKEN"))
        await products.create(item("OUTER-2"))
    assert await skus(products) == ["OUTER-1", "OUTER-2", "TAKEN"]


async def test_a_committed_inner_block_still_rolls_back_with_the_outer(
    store: Store, products: Repo
) -> None:
    async def inner_then_fail() -> None:
        await run_block(store, create(products, "INNER"))
        assert await skus(products) == ["INNER"]
        raise Boom

    with pytest.raises(Boom):
        await run_block(store, inner_then_fail)
    assert await skus(products) == []


async def test_savepoints_nest_deeper(store: Store, products: Repo) -> None:
    async with store.transaction():
        await products.create(item("L1"))
        async with store.transaction():
            await products.create(item("L2"))
            with pytest.raises(Boom):
                await run_block(store, create(products, "L3"), boom)
        await products.create(item("L1-B"))
    assert await skus(products) == ["L1", "L1-B", "L2"]


async def test_a_not_found_inside_a_block_can_be_handled(store: Store, products: Repo) -> None:
    async with store.transaction():
        created = await products.create(item("A"))
        await products.purge(created.id)
        with pytest.raises(NotFoundError):
            await products.get(created.id)
        await products.create(item("B"))
    assert await skus(products) == ["B"]


async def test_every_row_of_a_transaction_gets_one_now(store: Store, products: Repo) -> None:
    async with store.transaction():
        first = await products.create(item("A"))
        store.clock.advance(seconds=30)
        second = await products.create(item("B"))
        updated = await products.update(first.id, name="Changed")
    assert first.created_at == second.created_at == updated.updated_at
    after = await products.create(item("C"))
    assert after.created_at > first.created_at


async def test_the_connection_is_usable_after_a_rollback(store: Store, products: Repo) -> None:
    for _ in range(3):
        with pytest.raises(Boom):
            await run_block(store, create(products, "A"), boom)
    assert (await products.create(item("A"))).sku == "A"
    assert await skus(products) == ["A"]
