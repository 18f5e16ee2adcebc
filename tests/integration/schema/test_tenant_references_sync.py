"""Databases made before foreign keys held per tenant: schema sync plans the change.

The old layout is the models' tables as storied made them then: each tenant-scoped foreign key
on its one column, and no unique (tenant, id) on the referenced tables.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import Field, IntegrityError, Model, SchemaApplyError
from storied.mapping.registry import NAMING_CONVENTION
from tests.integration.schema.conftest import Versions


class Shelf(Model, table="sch_tr_shelves"):
    label: str = Field(max_length=20)


class Price(Model, table="sch_tr_prices", history="scd2"):
    amount: int


class Book(Model, table="sch_tr_books", history="copy_on_change"):
    shelf_id: UUID = Field(foreign_key=Shelf, on_delete="CASCADE")
    price_id: UUID | None = Field(default=None, foreign_key=Price)


class Country(Model, table="sch_tr_countries", tenant=False):
    code: str = Field(max_length=2)


class Address(Model, table="sch_tr_addresses"):
    country_id: UUID = Field(foreign_key=Country)


MODELS = (Shelf, Price, Book, Country, Address)


def old_layout(tables: list[sa.Table]) -> sa.MetaData:
    """The same tables with one-column foreign keys and no (tenant, id) unique constraint."""
    old = sa.MetaData(naming_convention=NAMING_CONVENTION)
    for table in tables:
        columns: list[Any] = []
        for c in table.c:
            computed = [sa.Computed(c.computed.sqltext, persisted=True)] if c.computed else []
            columns.append(
                sa.Column(
                    c.name, c.type, *computed,
                    primary_key=c.primary_key, nullable=c.nullable, autoincrement=c.autoincrement,
                )
            )  # fmt: skip
        copy = sa.Table(table.name, old, *columns, **table.dialect_kwargs)
        for fk in table.foreign_key_constraints:
            [(column, target)] = [
                (col.name, el.target_fullname)
                for col, el in zip(fk.columns, fk.elements, strict=True)
                if col.name != "tenant_id"
            ]
            copy.append_constraint(
                sa.ForeignKeyConstraint(
                    [column], [target.replace(".tenant_id", ".id")], ondelete=fk.ondelete
                )
            )
        for index in table.indexes:
            sa.Index(
                index.name,
                *(copy.c[col.name] for col in index.columns),
                unique=index.unique,
                **index.dialect_kwargs,
            )
    return old


def test_an_existing_database_gets_per_tenant_keys_and_then_plans_nothing(
    versions: Versions,
) -> None:
    db = versions.at(*MODELS)
    tables = db.registry.tables(MODELS)
    old = old_layout(tables)
    old.create_all(db.engine)
    a = uuid4()
    shelf = db.repository(Shelf, tenant_id=a).create(Shelf(label="A"))
    db.repository(Book, tenant_id=a).create(Book(shelf_id=shelf.id))

    plan = db.plan()
    described = sorted(c.describe() for c in plan.changes)
    assert described == sorted(
        [
            "add unique ux_sch_tr_shelves_tenant_key on sch_tr_shelves",
            "add unique ux_sch_tr_prices_identity_tenant_key on sch_tr_prices_identity",
            "add unique ux_sch_tr_books_tenant_key on sch_tr_books",
            "add unique ux_sch_tr_addresses_tenant_key on sch_tr_addresses",
            "drop foreign key fk_sch_tr_books_shelf_id_sch_tr_shelves on sch_tr_books",
            "add foreign key fk_sch_tr_books_shelf_id_sch_tr_shelves on sch_tr_books",
            "drop foreign key fk_sch_tr_books_price_id_sch_tr_prices_identity on sch_tr_books",
            "add foreign key fk_sch_tr_books_price_id_sch_tr_prices_identity on sch_tr_books",
            "drop foreign key fk_sch_tr_prices_id_sch_tr_prices_identity on sch_tr_prices",
            "add foreign key fk_sch_tr_prices_id_sch_tr_prices_identity on sch_tr_prices",
        ]
    ), plan.describe()
    assert not plan.destructive, plan.describe()
    assert not plan.blocked, plan.describe()
    assert not any("countries" in c.table for c in plan.changes)  # untenanted: untouched

    db.apply(plan)
    assert versions.at(*MODELS).plan().empty
    with db.engine.connect() as conn:
        fks = sa.inspect(conn).get_foreign_keys("sch_tr_books")
    assert sorted(fk["constrained_columns"] for fk in fks) == [
        ["tenant_id", "price_id"],
        ["tenant_id", "shelf_id"],
    ]
    # the rows made before are still there, and the key now holds per tenant
    assert db.repository(Book, tenant_id=a).query().count() == 1
    with pytest.raises(IntegrityError) as caught:
        db.repository(Book, tenant_id=uuid4()).create(Book(shelf_id=shelf.id))
    assert caught.value.kind == "foreign_key"


def test_a_new_child_of_an_existing_parent_waits_for_the_parents_key(versions: Versions) -> None:
    db = versions.at(Shelf, Country)
    old_layout(db.registry.tables([Shelf, Country])).create_all(db.engine)

    db = versions.at(*MODELS)
    plan = db.plan()
    steps = [s.describe() for s in plan.steps]
    [key] = [n for n, s in enumerate(steps) if "add unique ux_sch_tr_shelves_tenant_key" in s]
    if plan.steps[key].rebuilds is None:  # SQLite checks no foreign key when tables are made
        assert key < steps.index("create table sch_tr_books"), plan.describe()
    db.apply(plan)
    assert versions.at(*MODELS).plan().empty


def test_a_reference_across_tenants_already_stored_stops_the_apply(versions: Versions) -> None:
    db = versions.at(*MODELS)
    old_layout(db.registry.tables(MODELS)).create_all(db.engine)
    shelf = db.repository(Shelf, tenant_id=uuid4()).create(Shelf(label="A"))
    db.repository(Book, tenant_id=uuid4()).create(Book(shelf_id=shelf.id))  # allowed back then
    plan = db.plan()
    with pytest.raises(SchemaApplyError, match="foreign key") as caught:
        db.apply(plan)
    assert str(shelf.id) not in str(caught.value)
    assert str(shelf.id).replace("-", "") not in str(caught.value)
