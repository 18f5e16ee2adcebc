"""Tenant scopes fail closed: no scope, foreign writes, multi-tenant and unscoped scopes."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from storied import (
    ConfigurationError,
    ConflictError,
    MissingTenantScope,
    NotFoundError,
    TenantViolation,
    UsageError,
    ValidationError,
)
from tests.integration.conftest import Store
from tests.models import Product, Setting


def item(sku: str, tenant_id: UUID | None = None) -> Product:
    return Product(sku=sku, name=sku.title(), price=Decimal("1.00"), tenant_id=tenant_id)


@pytest.fixture
async def tenants(store: Store) -> tuple[UUID, UUID, UUID]:
    """Three tenants with one product each (P-A, P-B, P-C)."""
    await store.create_all(Product, Setting)
    ids = (uuid4(), uuid4(), uuid4())
    for tenant, sku in zip(ids, ("P-A", "P-B", "P-C"), strict=True):
        await store.repository(Product, tenant_id=tenant).create(item(sku))
    return ids


async def test_a_repository_without_scope_is_refused(store: Store) -> None:
    with pytest.raises(MissingTenantScope) as caught:
        store.repository(Product)
    assert isinstance(caught.value, UsageError)
    assert "tenant_id" in str(caught.value)
    with pytest.raises(MissingTenantScope):
        store.repository(Product, actor="alice")


async def test_ambiguous_or_empty_scopes_are_refused(store: Store) -> None:
    with pytest.raises(ConfigurationError):
        store.repository(Product, tenant_id=uuid4(), unscoped=True)
    with pytest.raises(ConfigurationError):
        store.repository(Product, tenant_id=uuid4(), tenant_ids=[uuid4()])
    with pytest.raises(ConfigurationError):
        store.repository(Product, tenant_ids=[])


@pytest.mark.parametrize("tenant", ["not-a-uuid", 42, 1.5], ids=repr)
async def test_a_tenant_id_of_the_wrong_type_is_storieds_validation_error(
    store: Store, tenant: object
) -> None:
    await store.create_all(Product)
    for scope, name in (
        ({"tenant_id": tenant}, "tenant_id"),
        ({"tenant_ids": [tenant]}, "tenant_ids"),
    ):
        with pytest.raises(ValidationError) as caught:
            store.repository(Product, **scope)
        assert caught.value.errors[0]["loc"] == (name,)
        assert "tenant id of Product must be a UUID" in str(caught.value)
        assert "not-a-uuid" not in str(caught.value)
    store.repository(Product, tenant_id=str(uuid4()))  # the text of a UUID is one


async def test_a_create_naming_a_foreign_tenant_writes_nothing(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    a, b, _ = tenants
    repo = store.repository(Product, tenant_id=a)
    with pytest.raises(TenantViolation):
        await repo.create(item("SNEAKY", tenant_id=b))
    with pytest.raises(TenantViolation):
        await repo.create({"sku": "SNEAKY", "name": "x", "price": "1", "tenant_id": str(b)})
    with pytest.raises(TenantViolation):
        await repo.create_many([item("OK-1"), item("SNEAKY", tenant_id=b), item("OK-2")])
    admin = store.repository(Product, unscoped=True)
    assert await admin.count(include_deleted=True) == 3
    assert await admin.exists(sku="SNEAKY", include_deleted=True) is False
    assert await admin.exists(sku="OK-1", include_deleted=True) is False


async def test_a_create_naming_its_own_tenant_is_fine(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    a = tenants[0]
    created = await store.repository(Product, tenant_id=a).create(item("OWN", tenant_id=a))
    assert created.tenant_id == a


async def test_tenant_ids_scope_reads_across_the_listed_tenants_only(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    a, b, c = tenants
    both = store.repository(Product, tenant_ids=[a, b])
    assert sorted(p.sku for p in await both.list()) == ["P-A", "P-B"]
    assert await both.count() == 2
    their = (await store.repository(Product, tenant_id=c).list())[0]
    with pytest.raises(NotFoundError):
        await both.get(their.id)
    assert await both.get_many([their.id]) == []
    with pytest.raises(NotFoundError):
        await both.update(their.id, name="Nope")


async def test_tenant_ids_scope_writes_need_a_listed_tenant_on_the_row(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    a, b, c = tenants
    both = store.repository(Product, tenant_ids=[a, b])
    with pytest.raises(TenantViolation):
        await both.create(item("NO-TENANT"))
    with pytest.raises(TenantViolation):
        await both.create(item("OUTSIDE", tenant_id=c))
    created = await both.create(item("IN-B", tenant_id=b))
    assert created.tenant_id == b
    only_b = store.repository(Product, tenant_id=b)
    assert sorted(p.sku for p in await only_b.list()) == ["IN-B", "P-B"]
    assert await store.repository(Product, tenant_id=c).count() == 1
    updated = await both.update(created.id, name="Renamed")
    assert updated.tenant_id == b


async def test_unscoped_sees_every_tenant_and_must_name_one_to_write(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    admin = store.repository(Product, unscoped=True)
    rows = await admin.list(order_by="sku")
    assert [p.sku for p in rows] == ["P-A", "P-B", "P-C"]
    assert [p.tenant_id for p in rows] == list(tenants)
    assert (await admin.get(rows[2].id)).sku == "P-C"
    with pytest.raises(TenantViolation):
        await admin.create(item("NOBODY"))
    created = await admin.create(item("FOR-C", tenant_id=tenants[2]))
    assert await store.repository(Product, tenant_id=tenants[2]).get(created.id) == created


async def test_unique_values_are_per_tenant(store: Store, tenants: tuple[UUID, UUID, UUID]) -> None:
    a, b, _ = tenants
    first = await store.repository(Product, tenant_id=a).create(item("SHARED"))
    second = await store.repository(Product, tenant_id=b).create(item("SHARED"))
    assert first.id != second.id
    with pytest.raises(ConflictError) as caught:
        await store.repository(Product, tenant_id=a).create(item("SHARED"))
    assert caught.value.fields == ("sku",)
    assert caught.value.model == "Product"
    assert await store.repository(Product, tenant_id=a).count(sku="SHARED") == 1


async def test_an_update_onto_a_taken_unique_value_is_a_conflict(
    store: Store, tenants: tuple[UUID, UUID, UUID]
) -> None:
    repo = store.repository(Product, tenant_id=tenants[0])
    other = await repo.create(item("OTHER"))
    with pytest.raises(ConflictError) as caught:
        await repo.update(other.id, sku="P-A")
    assert caught.value.fields == ("sku",)
    assert (await repo.get(other.id)).sku == "OTHER"


async def test_an_untenanted_model_refuses_tenant_arguments(store: Store) -> None:
    await store.create_all(Setting)
    for scope in ({"tenant_id": uuid4()}, {"tenant_ids": [uuid4()]}, {"unscoped": True}):
        with pytest.raises(ConfigurationError):
            store.repository(Setting, **scope)
    settings = store.repository(Setting, actor="ops")
    created = await settings.create(Setting(key="mode", value="fast"))
    assert isinstance(created.id, int)
    assert created.tenant_id is None
    assert (await settings.get(created.id)).value == "fast"
    with pytest.raises(ConflictError) as caught:
        await settings.create(Setting(key="mode", value="slow"))
    assert caught.value.fields == ("key",)
    await settings.delete(created.id)  # soft_delete=False: a hard delete
    with pytest.raises(NotFoundError):
        await settings.get(created.id, include_deleted=True)
