"""The models the Row-Level Security tests sync: one per history strategy, one untenanted."""

from __future__ import annotations

from storied import Field, Model


class Note(Model, table="rls_notes"):
    title: str = Field(max_length=100)


class Item(Model, table="rls_items", history="copy_on_change"):
    sku: str = Field(max_length=64, unique=True)
    price: int = 0


class Doc(Model, table="rls_docs", history="scd2"):
    body: str = Field(max_length=200)


class Flag(Model, table="rls_flags", tenant=False, soft_delete=False, primary_key="int"):
    name: str = Field(max_length=50)


MODELS = [Note, Item, Doc, Flag]
