"""list / count / exists and query(): filters, equalities, ordering and paging, sync and async."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from storied import F
from tests.integration.conftest import Repo, Store, settle
from tests.models import Product

#: sku, name, price, stock
ROWS = [
    ("P1", "Hammer", "12.00", 5),
    ("P2", "anvil", "99.50", 0),
    ("P3", "Chisel", "7.25", 12),
    ("P4", "Drill", "45.00", 3),
    ("P5", "Brush", "2.10", 40),
]


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Product)
    repo = store.repository(Product, tenant_id=tenant)
    await repo.create_many(
        [Product(sku=s, name=n, price=Decimal(p), stock=q) for s, n, p, q in ROWS]
    )
    return repo


def skus(rows: list[Product]) -> list[str]:
    return [r.sku for r in rows]


async def test_list_without_arguments_returns_every_live_row(products: Repo) -> None:
    assert sorted(skus(await products.list())) == ["P1", "P2", "P3", "P4", "P5"]


async def test_filters_with_field_expressions(products: Repo) -> None:
    assert sorted(skus(await products.list(F.price < 10))) == ["P3", "P5"]
    assert sorted(skus(await products.list(F.price >= Decimal("45")))) == ["P2", "P4"]
    assert skus(await products.list(F.stock == 0)) == ["P2"]
    assert sorted(skus(await products.list(F.stock != 0, F.price > 10))) == ["P1", "P4"]
    assert sorted(skus(await products.list((F.stock > 10) | (F.sku == "P2")))) == [
        "P2",
        "P3",
        "P5",
    ]
    assert sorted(skus(await products.list(~(F.stock > 4)))) == ["P2", "P4"]
    assert sorted(skus(await products.list(F.sku.in_(["P1", "P4", "nope"])))) == ["P1", "P4"]
    assert sorted(skus(await products.list(F.stock.between(3, 5)))) == ["P1", "P4"]


async def test_text_matching_treats_wildcards_literally(products: Repo) -> None:
    assert skus(await products.list(F.name.startswith("Ham"))) == ["P1"]
    assert skus(await products.list(F.name.contains("%"))) == []
    assert skus(await products.list(F.name.contains("_"))) == []
    assert skus(await products.list(F.name.icontains("ANV"))) == ["P2"]


async def test_equality_keywords_combine_with_conditions(products: Repo) -> None:
    assert skus(await products.list(sku="P3")) == ["P3"]
    assert skus(await products.list(F.price > 5, stock=12)) == ["P3"]
    assert await products.list(sku="P3", stock=0) == []


async def test_filter_values_are_coerced_to_the_field_type(products: Repo) -> None:
    assert skus(await products.list(price="7.25")) == ["P3"]
    assert skus(await products.list(F.stock > "39")) == ["P5"]


async def test_order_by_ascending_and_descending(products: Repo) -> None:
    assert skus(await products.list(order_by=F.price)) == ["P5", "P3", "P1", "P4", "P2"]
    assert skus(await products.list(order_by=F.price.desc())) == ["P2", "P4", "P1", "P3", "P5"]
    assert skus(await products.list(order_by="-stock")) == ["P5", "P3", "P1", "P4", "P2"]
    assert skus(await products.list(order_by=[F.stock.asc()])) == ["P2", "P4", "P1", "P3", "P5"]


async def test_order_by_several_fields(products: Repo) -> None:
    await products.create(Product(sku="P6", name="Hammer", price=Decimal("1.00")))
    rows = await products.list(F.name == "Hammer", order_by=[F.name, F.price.desc()])
    assert skus(rows) == ["P1", "P6"]
    rows = await products.list(F.name == "Hammer", order_by=[F.name, F.price])
    assert skus(rows) == ["P6", "P1"]


async def test_limit_and_offset_page_through_an_ordered_list(products: Repo) -> None:
    order = F.price
    assert skus(await products.list(order_by=order, limit=2)) == ["P5", "P3"]
    assert skus(await products.list(order_by=order, limit=2, offset=2)) == ["P1", "P4"]
    assert skus(await products.list(order_by=order, limit=2, offset=4)) == ["P2"]
    assert skus(await products.list(order_by=order, offset=3)) == ["P4", "P2"]
    assert await products.list(order_by=order, limit=0) == []
    assert await products.list(order_by=order, offset=10) == []


async def test_count_and_exists_follow_the_filters(products: Repo) -> None:
    assert await products.count() == 5
    assert await products.count(F.price < 10) == 2
    assert await products.count(stock=0) == 1
    assert await products.count(sku="missing") == 0
    assert await products.exists(sku="P4") is True
    assert await products.exists(F.price > 1000) is False


async def test_query_builder_terminals(products: Repo) -> None:
    query = products.query().filter(F.price > 5).order_by(F.price.desc())
    assert skus(await settle(query.all())) == ["P2", "P4", "P1", "P3"]
    first = await settle(query.first())
    assert first is not None
    assert first.sku == "P2"
    assert await settle(query.count()) == 4
    assert await settle(query.exists()) is True
    assert await settle(query.filter(sku="nope").first()) is None
    assert skus(await settle(query.limit(1).offset(1).all())) == ["P4"]


async def test_queries_are_immutable(products: Repo) -> None:
    base = products.query()
    cheap = base.filter(F.price < 10)
    assert await settle(base.count()) == 5
    assert await settle(cheap.count()) == 2
    cheapest = cheap.order_by(F.price).limit(1)
    assert skus(await settle(cheapest.all())) == ["P5"]
    assert await settle(cheap.count()) == 2
    assert cheap.limit_value is None
    assert cheap.orders == ()
