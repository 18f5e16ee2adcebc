"""Models shared by the tests (each Database maps them in its own Registry)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from storied import Field, Model


class Product(Model, table="products"):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    stock: int = 0


class Counter(Model, table="counters"):
    name: str = Field(max_length=50)
    value: int = 0


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Dimensions(BaseModel):
    width: float
    height: float


class Everything(Model, table="everything"):
    """One field of every type storied maps."""

    text: str
    short: str = Field(max_length=10)
    number: int
    ratio: float
    flag: bool
    amount: Decimal = Field(max_digits=18, decimal_places=6)
    ref: UUID
    at: dt.datetime
    day: dt.date
    clock_time: dt.time
    blob: bytes
    color: Color
    level: Literal["low", "high"]
    data: dict[str, object]
    items: list[int]
    dims: Dimensions
    maybe: str | None = None


class Setting(Model, table="settings", tenant=False, soft_delete=False, primary_key="int"):
    """Untenanted, hard-deleting, integer keys."""

    key: str = Field(max_length=100, unique=True)
    value: str


class Account(Model, table="accounts", history="copy_on_change"):
    """An audited row: a unique code and one field of each type the audit must round-trip."""

    code: str = Field(max_length=32, unique=True)
    owner: str = Field(max_length=100)
    balance: Decimal = Field(max_digits=14, decimal_places=2)
    counter: int = 0
    ref: UUID | None = None
    opened_at: dt.datetime | None = None
    meta: dict[str, object] = Field(default_factory=dict)
    blob: bytes | None = None


class Price(Model, table="prices", history="scd2"):
    """A versioned row: a unique sku, a Decimal, a JSON dict, a UUID and a datetime."""

    sku: str = Field(max_length=64, unique=True)
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    counter: int = 0
    ref: UUID | None = None
    effective: dt.datetime | None = None
    meta: dict[str, object] = Field(default_factory=dict)


class Warehouse(Model, table="warehouses"):
    """A parent row for StockItem's foreign key."""

    code: str = Field(max_length=20, unique=True)


class StockItem(Model, table="stock_items"):
    """A server default, a partial index, a CHECK and a foreign key with ON DELETE CASCADE."""

    warehouse_id: UUID = Field(foreign_key=Warehouse, on_delete="CASCADE")
    status: str = Field(
        max_length=20, server_default="'new'", index=True, index_where="status <> 'done'"
    )
    quantity: int = Field(server_default="0", ge=0)
    note: str | None = Field(default=None, max_length=40, check="note <> ''")


class Drifted(Model, table="drifted"):
    """A table tests leave missing, or alter behind the model's back (schema drift)."""

    name: str = Field(max_length=50)
    extra: int = 0
