"""The example shop's models: customers, and orders whose changes are audited."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from storied import Field, Model, Relationship
from storied.testing import Extensions

# the shop's own numbering, for factories: ORD-1234-abCD
NUMBERS = Extensions().add(r"^order_number$", "ORD-####-????")


class Customer(Model, table="shop_customers"):
    email: str = Field(max_length=120, unique=True)
    full_name: str = Field(max_length=100)
    country: str = Field(max_length=60)


class Order(Model, table="shop_orders", history="copy_on_change"):
    customer_id: UUID = Field(foreign_key=Customer)
    order_number: str = Field(max_length=13, unique=True)
    total: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    status: str = Field(default="open", max_length=20)

    customer = Relationship(Customer)
