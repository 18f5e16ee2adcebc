"""storied in one file: a model, a tenant-scoped repository, changes, soft delete, queries.

Run: ./scripts/quickstart            (or: python examples/quickstart.py shop.db)
"""

from __future__ import annotations

import sys
import uuid
from decimal import Decimal

from storied import ConflictError, Database, F, Field, Model, NotFoundError


class Product(Model, table="products", history="copy_on_change"):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


def main(path: str) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    with Database(f"sqlite:///{path}") as db:
        db.sync_schema([Product])  # plan and apply the safe changes
        products = db.repository(Product, tenant_id=acme, actor="alice")

        anvil = products.create(
            Product(sku=f"A-{acme.hex[:6]}", name="Anvil", price=Decimal("9.99"))
        )
        print(f"created  {anvil.name} v{anvil.version} by {anvil.created_by} at {anvil.created_at}")

        anvil = products.update(anvil.id, price=Decimal("12.50"), expected_version=1)
        print(f"updated  price → {anvil.price} (v{anvil.version})")

        try:
            products.update(anvil.id, price=Decimal("1.00"), expected_version=1)
        except ConflictError as exc:
            print(f"refused  stale write: {exc}")

        products.create(Product(sku=f"R-{acme.hex[:6]}", name="Rocket", price=Decimal("99")))
        cheap = products.list(F.price < 50, order_by=F.name)
        print(f"query    price < 50 → {[p.name for p in cheap]}")

        for change in products.history(anvil.id):
            fields = ", ".join(f"{k}: {old} → {new}" for k, (old, new) in change.changes.items())
            print(f"history  {change.operation} by {change.actor}: {fields}")

        products.delete(anvil.id)
        everything = products.count(include_deleted=True)
        print(f"deleted  visible={products.count()} with deleted={everything}")
        products.restore(anvil.id)
        print(f"restored visible={products.count()}")

        other_tenant = db.repository(Product, tenant_id=globex)
        try:
            other_tenant.get(anvil.id)
        except NotFoundError:
            print("isolated another tenant sees no such product")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "shop.db")
