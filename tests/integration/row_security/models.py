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


class Page(Model, table="rls_pages", tenant_type=str, tenant_column="org"):
    """Text tenants in a column of another name: the policy compares them as text."""

    path: str = Field(max_length=100)


class Task(Model, table="rls_tasks", tenant_type=int, history="scd2"):
    step: int = 0


MODELS = [Note, Item, Doc, Flag, Page, Task]
