"""A foreign key between tenant-scoped models holds per tenant: the database enforces it on
(tenant, id), so another tenant's row is, to a reference, exactly a missing row.

Each test runs sync and async (``store``) on every backend.
"""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import Field, IntegrityError, Model, ModelDefinitionError, Registry
from tests.integration.conftest import Store, settle


class Shelf(Model, table="tr_shelves"):
    label: str = Field(max_length=20)


class Book(Model, table="tr_books"):
    shelf_id: UUID = Field(foreign_key=Shelf, on_delete="RESTRICT")
    title: str = Field(max_length=20)


class Page(Model, table="tr_pages"):
    book_id: UUID = Field(foreign_key=Book, on_delete="CASCADE")
    number: int


class Employee(Model, table="tr_employees"):
    """A self-reference by table name: resolved to the model, so scoped the same way."""

    name: str = Field(max_length=20)
    manager_id: UUID | None = Field(default=None, foreign_key="tr_employees.id")


class Price(Model, table="tr_prices", history="scd2"):
    amount: int


class Quote(Model, table="tr_quotes"):
    price_id: UUID = Field(foreign_key=Price)


class Country(Model, table="tr_countries", tenant=False):
    code: str = Field(max_length=2)


class Address(Model, table="tr_addresses"):
    country_id: UUID = Field(foreign_key=Country)


MODELS = (Shelf, Book, Page, Employee, Price, Quote, Country, Address)


async def refused(call: object) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.kind == "foreign_key"
    return caught.value


async def test_a_reference_to_another_tenants_row_fails_like_a_missing_one(store: Store) -> None:
    await store.create_all(*MODELS)
    a, b = uuid4(), uuid4()
    shelf = await store.repository(Shelf, tenant_id=a).create(Shelf(label="A's"))
    books_b = store.repository(Book, tenant_id=b)

    other = await refused(books_b.create(Book(shelf_id=shelf.id, title="sneaky")))
    missing = await refused(books_b.create(Book(shelf_id=uuid4(), title="sneaky")))
    assert str(other) == str(missing)
    assert other.constraint == missing.constraint
    assert await settle(books_b.query().count()) == 0

    # an update cannot move a row of B onto A's parent either
    own = await store.repository(Shelf, tenant_id=b).create(Shelf(label="B's"))
    book = await books_b.create(Book(shelf_id=own.id, title="mine"))
    moved = await refused(books_b.update(book.id, shelf_id=shelf.id))
    assert str(moved) == str(missing)
    assert (await books_b.get(book.id)).shelf_id == own.id


async def test_another_tenant_can_neither_block_nor_share_a_cascade(store: Store) -> None:
    await store.create_all(*MODELS)
    a, b = uuid4(), uuid4()
    shelves_a, books_a = store.repository(Shelf, tenant_id=a), store.repository(Book, tenant_id=a)
    pages_a, pages_b = store.repository(Page, tenant_id=a), store.repository(Page, tenant_id=b)
    shelf = await shelves_a.create(Shelf(label="A's"))
    book = await books_a.create(Book(shelf_id=shelf.id, title="A's book"))
    await pages_a.create(Page(book_id=book.id, number=1))
    await refused(pages_b.create(Page(book_id=book.id, number=2)))
    await refused(store.repository(Book, tenant_id=b).create(Book(shelf_id=shelf.id, title="x")))

    await books_a.purge(book.id)  # cascades to A's page only: B has none there to lose
    assert await settle(pages_a.query().count()) == 0
    await shelves_a.purge(shelf.id)  # RESTRICT: nothing of B's holds it back
    assert await settle(shelves_a.query().include_deleted().count()) == 0


async def test_self_references_and_scd2_targets_are_scoped_too(store: Store) -> None:
    await store.create_all(*MODELS)
    a, b = uuid4(), uuid4()
    boss = await store.repository(Employee, tenant_id=a).create(Employee(name="boss"))
    staff_b = store.repository(Employee, tenant_id=b)
    await refused(staff_b.create(Employee(name="mole", manager_id=boss.id)))
    own = await staff_b.create(Employee(name="b-boss"))
    assert (await staff_b.create(Employee(name="b", manager_id=own.id))).manager_id == own.id

    price = await store.repository(Price, tenant_id=a).create(Price(amount=5))
    quotes_b = store.repository(Quote, tenant_id=b)
    other = await refused(quotes_b.create(Quote(price_id=price.id)))
    missing = await refused(quotes_b.create(Quote(price_id=uuid4())))
    assert str(other) == str(missing)
    quote = await store.repository(Quote, tenant_id=a).create(Quote(price_id=price.id))
    assert quote.price_id == price.id


async def test_a_reference_to_an_untenanted_model_stays_open_to_every_tenant(
    store: Store,
) -> None:
    await store.create_all(*MODELS)
    country = await store.repository(Country).create(Country(code="FR"))
    for tenant in (uuid4(), uuid4()):
        address = await store.repository(Address, tenant_id=tenant).create(
            Address(country_id=country.id)
        )
        assert address.country_id == country.id


def _foreign_keys(table: sa.Table) -> dict[str, list[str]]:
    return {str(fk.name): [c.name for c in fk.columns] for fk in table.foreign_key_constraints}


def test_tenant_scoped_keys_lead_with_the_tenant_column() -> None:
    registry = Registry()
    registry.add(*MODELS)
    tables = {t.name: t for t in registry.metadata.tables.values()}
    assert _foreign_keys(tables["tr_books"]) == {
        "fk_tr_books_shelf_id_tr_shelves": ["tenant_id", "shelf_id"]
    }
    assert _foreign_keys(tables["tr_prices"]) == {
        "fk_tr_prices_id_tr_prices_identity": ["tenant_id", "id"]
    }
    assert _foreign_keys(tables["tr_quotes"]) == {
        "fk_tr_quotes_price_id_tr_prices_identity": ["tenant_id", "price_id"]
    }
    [quote_fk] = tables["tr_quotes"].foreign_key_constraints
    assert [e.target_fullname for e in quote_fk.elements] == [
        "tr_prices_identity.tenant_id",
        "tr_prices_identity.id",
    ]
    # a tenant-scoped child of an untenanted parent keeps a one-column key
    assert _foreign_keys(tables["tr_addresses"]) == {
        "fk_tr_addresses_country_id_tr_countries": ["country_id"]
    }
    for table in tables.values():
        uniques = [c for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
        if "tenant_id" not in table.c:  # untenanted: nothing new
            assert uniques == []
            assert table.name == "tr_countries"
            continue
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name != "tr_countries":
                assert fk.columns[0] is table.c.tenant_id, fk.name
        for unique in uniques:
            assert [c.name for c in unique.columns] == ["tenant_id", "id"]
        for index in table.indexes:
            if not index.name or not index.name.startswith("ux_tr_prices_"):  # per-id scd2 keys
                assert next(iter(index.columns)) is table.c.tenant_id, index.name


def test_a_reference_that_would_clear_the_tenant_column_is_refused() -> None:
    class Drawer(Model, table="tr_drawers"):
        shelf_id: UUID | None = Field(default=None, foreign_key=Shelf, on_delete="SET NULL")

    with pytest.raises(ModelDefinitionError, match="SET NULL"):
        Registry().add(Drawer)


def test_tenant_types_must_agree_across_a_reference() -> None:
    class Tag(Model, table="tr_tags", tenant_type=str):
        shelf_id: UUID = Field(foreign_key=Shelf)

    with pytest.raises(ModelDefinitionError, match="tenant type"):
        Registry().add(Tag)


def test_a_tenant_scoped_table_named_only_by_string_is_refused_in_either_order() -> None:
    class Loose(Model, table="tr_loose"):
        shelf_id: UUID = Field(foreign_key="tr_local_shelves.id")

    class LocalShelf(Model, table="tr_local_shelves"):
        label: str

    for order in ((Loose, LocalShelf), (LocalShelf, Loose)):
        with pytest.raises(ModelDefinitionError, match="pass the class"):
            Registry().add(*order)
