"""Bad input gets a clear storied ValidationError, and the database is left as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import F, UnknownFieldError, ValidationError
from tests.integration.conftest import Repo, Store, settle
from tests.models import Dimensions, Everything, Product

UTC = dt.UTC
NAIVE = dt.datetime(2026, 1, 1, 12, 0)


@pytest.fixture
async def products(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Product)
    return store.repository(Product, tenant_id=tenant, actor="alice")


@pytest.fixture
async def everything(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Everything)
    return store.repository(Everything, tenant_id=tenant)


@pytest.fixture
async def row(products: Repo) -> Product:
    created: Product = await products.create(Product(sku="A1", name="Anvil", price=Decimal(5)))
    return created


def everything_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "text": "t",
        "short": "s",
        "number": 1,
        "ratio": 1.0,
        "flag": True,
        "amount": "1.5",
        "ref": uuid4(),
        "at": dt.datetime(2026, 1, 1, tzinfo=UTC),
        "day": dt.date(2026, 1, 1),
        "clock_time": dt.time(1, 2),
        "blob": b"x",
        "color": "red",
        "level": "low",
        "data": {},
        "items": [],
        "dims": Dimensions(width=1, height=1),
    }
    return values | overrides


async def unchanged(products: Repo, row: Product) -> None:
    assert await products.get(row.id) == row
    assert await products.count(include_deleted=True) == 1


UNKNOWN_FIELD_READS: dict[str, Any] = {
    "filter": lambda r: r.list(F.colour == "red"),
    "equals": lambda r: r.list(colour="red"),
    "nested": lambda r: r.list(F.sku.in_(["a"]) | (F.nope == 1)),
    "order": lambda r: r.list(order_by=F.nope),
    "order desc": lambda r: r.list(order_by="-nope"),
    "count": lambda r: r.count(F.nope > 1),
    "exists": lambda r: r.exists(nope=1),
    "query": lambda r: settle(r.query().filter(F.nope == 1).all()),
    "query order": lambda r: settle(r.query().order_by("nope").first()),
}


async def test_unknown_fields_in_reads_are_refused(products: Repo, row: Product) -> None:
    for case, call in UNKNOWN_FIELD_READS.items():
        with pytest.raises(UnknownFieldError) as caught:
            await call(products)
        assert "Product has no field" in str(caught.value), case
        assert "valid fields" in str(caught.value), case


async def test_unknown_fields_in_an_update_change_nothing(products: Repo, row: Product) -> None:
    with pytest.raises(UnknownFieldError) as caught:
        await products.update(row.id, name="Renamed", colour="red")
    assert caught.value.field == "colour"
    await unchanged(products, row)


WRONG_CHANGES: list[dict[str, Any]] = [
    {"price": "a lot"},
    {"stock": "many"},
    {"stock": 1.5},
    {"name": None},
    {"sku": 12},
    {"price": Decimal("-1")},
    {"price": Decimal("1.001")},
]


async def test_wrong_values_in_an_update_change_nothing(products: Repo, row: Product) -> None:
    for changes in WRONG_CHANGES:
        with pytest.raises(ValidationError) as caught:
            await products.update(row.id, **({"name": "Renamed"} | changes))
        assert [e["loc"][0] for e in caught.value.errors] == list(changes), changes
    await unchanged(products, row)


FORGED: dict[str, Any] = {
    "id": uuid4(),
    "tenant_id": uuid4(),
    "version": 99,
    "created_at": dt.datetime(2000, 1, 1, tzinfo=UTC),
    "created_by": "mallory",
    "updated_by": "mallory",
    "deleted_at": dt.datetime(2000, 1, 1, tzinfo=UTC),
    "deleted_by": "mallory",
}


async def test_bookkeeping_fields_cannot_be_set_by_update(products: Repo, row: Product) -> None:
    for field, value in FORGED.items():
        with pytest.raises(ValidationError) as caught:
            await products.update(row.id, name="Renamed", **{field: value})
        assert "maintained by storied" in str(caught.value), field
    await unchanged(products, row)


async def test_oversized_strings_are_refused_without_echoing_them(
    products: Repo, row: Product
) -> None:
    huge = "Z" * 201
    with pytest.raises(ValidationError) as on_create:
        await products.create({"sku": "B1", "name": huge, "price": "1"})
    with pytest.raises(ValidationError) as on_update:
        await products.update(row.id, name=huge)
    with pytest.raises(ValidationError):
        await products.create({"sku": "S" * 65, "name": "ok", "price": "1"})
    for caught in (on_create, on_update):
        assert huge not in str(caught.value)
        assert caught.value.errors[0]["loc"] == ("name",)
    await unchanged(products, row)


async def test_a_model_instance_is_validated_again_before_it_is_written(
    products: Repo, row: Product
) -> None:
    mutated = Product(sku="B1", name="ok", price=Decimal(1))
    with pytest.raises(ValueError, match="200 characters"):
        mutated.name = "Z" * 300  # models validate assignment
    copied = row.model_copy(update={"id": None, "sku": "B2", "price": Decimal("-5")})
    with pytest.raises(ValidationError):
        await products.create(copied)
    with pytest.raises(ValidationError):
        await products.create(Product.model_construct(sku="B3", price=Decimal(1)))
    await unchanged(products, row)


async def test_nan_and_infinite_decimals_are_refused(products: Repo, row: Product) -> None:
    for bad in (Decimal("NaN"), Decimal("-Infinity"), "NaN", float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            await products.create({"sku": "B1", "name": "n", "price": bad})
        with pytest.raises(ValidationError):
            await products.update(row.id, price=bad)
    await unchanged(products, row)


async def test_nan_decimal_is_refused_without_bounds_too(everything: Repo) -> None:
    with pytest.raises(ValidationError):
        await everything.create(everything_values(amount=Decimal("NaN")))
    assert await everything.count() == 0


async def test_naive_datetimes_are_refused_on_create(everything: Repo) -> None:
    with pytest.raises(ValidationError) as caught:
        await everything.create(everything_values(at=NAIVE))
    assert "naive" in str(caught.value)
    with pytest.raises(ValidationError):
        await everything.create_many([everything_values(), everything_values(at=NAIVE)])
    assert await everything.count(include_deleted=True) == 0


async def test_naive_datetimes_are_refused_on_update_and_in_filters(everything: Repo) -> None:
    created = await everything.create(everything_values())
    with pytest.raises(ValidationError) as caught:
        await everything.update(created.id, text="changed", at=NAIVE)
    assert "naive" in str(caught.value)
    with pytest.raises(ValidationError):
        await everything.list(F.at < NAIVE)
    assert await everything.get(created.id) == created


async def test_wrong_filter_values_are_refused(products: Repo, row: Product) -> None:
    with pytest.raises(ValidationError):
        await products.list(F.price < "cheap")
    with pytest.raises(ValidationError):
        await products.list(stock="many")
    with pytest.raises(ValidationError):
        await products.get("not-a-uuid")
    with pytest.raises(ValidationError):
        await products.list(limit=-1)
    await unchanged(products, row)


async def test_a_mapping_with_unknown_or_missing_fields_is_refused(
    products: Repo, row: Product
) -> None:
    with pytest.raises(ValidationError) as unknown:
        await products.create({"sku": "B1", "name": "n", "price": "1", "colour": "red"})
    assert unknown.value.errors[0]["loc"] == ("colour",)
    with pytest.raises(ValidationError) as missing:
        await products.create({"sku": "B1"})
    assert {e["loc"][0] for e in missing.value.errors} == {"name", "price"}
    with pytest.raises(ValidationError):
        await products.create(["sku", "B1"])
    await unchanged(products, row)
