"""The table ``python -m bench ops`` exports and backs up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from storied import Field, Model


class OpsRow(Model, table="bench_ops_rows", primary_key="int", tenant=False):
    name: str = Field(max_length=64)
    amount: Decimal = Field(max_digits=12, decimal_places=2)
    at: dt.datetime
    qty: int = 0
