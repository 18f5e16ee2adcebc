"""The models of the history and bulk benches: the bench item once per temporal strategy.

Each has the fields of :class:`bench.workloads.BenchItem` (a unique sku, text, an exact price,
a stock count), so the rows storied writes for each strategy are the rows the raw side writes.
"""

from __future__ import annotations

from decimal import Decimal

from storied import Field, Model

STRATEGIES = ("none", "copy_on_change", "scd2")


class Stock(Model, abstract=True):
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    stock: int = 0


class StockNone(Stock, table="stock_none"):
    pass


class StockAudited(Stock, table="stock_audited", history="copy_on_change"):
    pass


class StockVersioned(Stock, table="stock_versioned", history="scd2"):
    pass


class StockArchive(Stock, table="stock_archive", history="scd2"):
    """A second scd2 table: the as_of bench keeps 1 version per id in one, 1,000 in the other."""


MODELS: dict[str, type[Stock]] = {
    "none": StockNone,
    "copy_on_change": StockAudited,
    "scd2": StockVersioned,
}
#: the user fields, in table order (the audit rows of a create name them in this order)
FIELDS = ("sku", "name", "price", "stock")
