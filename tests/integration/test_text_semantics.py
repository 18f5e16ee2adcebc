"""Text compares exactly on every backend: uniqueness, equality and LIKE match case."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from storied import Database, F
from tests.models import Product


def test_values_differing_only_in_case_are_distinct(db: Database) -> None:
    db.create_all([Product])
    products = db.repository(Product, tenant_id=uuid4())
    products.create(Product(sku="AB1", name="upper", price=Decimal(1)))
    products.create(Product(sku="ab1", name="lower", price=Decimal(1)))  # not a duplicate
    assert [p.name for p in products.list(sku="AB1")] == ["upper"]
    assert [p.name for p in products.list(F.sku.startswith("a"))] == ["lower"]
    assert products.count(F.sku.icontains("ab")) == 2
