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
