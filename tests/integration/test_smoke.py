from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from storied import Database
from tests.models import Product


def test_create_then_get_returns_the_same_row(db: Database) -> None:
    db.create_all([Product])
    repo = db.repository(Product, tenant_id=uuid4(), actor="alice")
    created = repo.create(Product(sku="A1", name="Anvil", price=Decimal("9.99")))
    assert repo.get(created.id) == created
    assert created.created_by == "alice"
    assert created.version == 1
