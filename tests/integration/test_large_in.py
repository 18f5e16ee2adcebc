"""``F.sku.in_(70_000 values)`` just works on every backend (PostgreSQL: one array parameter;
elsewhere one parameter per value), and ``not_in`` too."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from storied import F
from tests.integration.conftest import Store, settle
from tests.models import Product

VALUES = 70_000


async def test_a_long_in_list_just_works(store: Store) -> None:
    await store.create_all(Product)
    repo = store.repository(Product, tenant_id=uuid4())
    await repo.create_many(
        [Product(sku=f"S{i}", name="n", price=Decimal(1)) for i in (1, 2, 3, 69_999)]
    )
    skus = [f"S{i}" for i in range(2, VALUES)]
    found = await settle(repo.query().filter(F.sku.in_(skus)).order_by(F.sku).all())
    assert [p.sku for p in found] == ["S2", "S3", "S69999"]
    assert await settle(repo.query().filter(F.sku.not_in(skus)).count()) == 1
    ids = [p.id for p in found]
    many_ids = [*ids, *(uuid4() for _ in range(VALUES))]
    assert await settle(repo.query().filter(F.id.in_(many_ids)).count()) == 3
