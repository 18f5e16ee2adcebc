"""Every repository path still works with Row-Level Security on, for each history strategy,
sync and async, on one pooled connection shared by two tenants; and each tenant's rows stay
invisible to the other through raw SQL afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

import pytest

from storied import F, NotFoundError, TenantViolation
from tests.integration.conftest import settle

from .conftest import RlsStore
from .models import Doc, Flag, Item, Note

pytestmark = pytest.mark.postgresql

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("model", "field", "first", "second"),
    [(Note, "title", "n1", "n2"), (Item, "sku", "i1", "i2"), (Doc, "body", "d1", "d2")],
    ids=["none", "copy_on_change", "scd2"],
)
async def test_every_path_works_in_a_tenant_scope(
    rls: RlsStore, model: type[Any], field: str, first: str, second: str
) -> None:
    a, b = uuid4(), uuid4()
    repo = rls.repository(model, tenant_id=a, actor="alice")
    other = rls.repository(model, tenant_id=b, actor="bob")
    row = await repo.create(model(**{field: first}))
    theirs = await other.create(model(**{field: "theirs"}))
    assert getattr(await repo.get(row.id), field) == first
    with pytest.raises(NotFoundError):
        await repo.get(theirs.id)
    row = await repo.update(row.id, **{field: second})
    assert getattr(row, field) == second
    assert [getattr(r, field) for r in await settle(repo.query().filter(F.id == row.id).all())] == [
        second
    ]
    assert await settle(repo.query().count()) == 1
    await repo.delete(row.id)
    assert await repo.count() == 0
    row = await repo.restore(row.id)
    assert await repo.exists(id=row.id)
    assert [getattr(r, field) for r in await repo.get_many([row.id, theirs.id])] == [second]

    made = await repo.create_many([model(**{field: f"bulk{i}"}) for i in range(3)])
    await repo.update_many({m.id: {field: f"bulk{i}x"} for i, m in enumerate(made)})
    await repo.delete_many([made[0].id])
    assert await repo.count() == 3

    if model is not Note:  # the history strategies
        history = await repo.history(row.id)
        assert [h.operation for h in history][:2] == ["create", "update"]
        assert await repo.changes(since=LONG_AGO)
        assert await repo.field_history(row.id, field)
    if model is Doc:
        versions = await repo.versions(row.id)
        assert [v.number for v in versions][:2] == [1, 2]
        old = await repo.get(row.id, as_of=versions[0].valid_from)
        assert getattr(old, field) == first
        assert field in await repo.compare_versions(row.id, 1, 2)
        reverted = await repo.revert(row.id, to_version=1)
        assert getattr(reverted, field) == first
    await repo.purge(made[1].id)
    with pytest.raises(TenantViolation):
        await repo.create(model(**{field: "x", "tenant_id": b}))

    # the other tenant saw none of it; the admin scope sees both
    assert await other.count() == 1
    admin = rls.repository(model, unscoped=True)
    assert {a, b} <= {r.tenant_id for r in await admin.list()}
    both = rls.repository(model, tenant_ids=[a, b])
    assert await both.count() == 2 + 1  # a: the row and one bulk row left; b: its one
    with rls.db.tenant_scope(tenant_id=b):
        rows = await rls.fetch_all(
            f"SELECT tenant_id FROM {rls.db.registry.mapped(model).table.name}"
        )
    assert {r["tenant_id"] for r in rows} == {b}


async def test_upsert_and_untenanted_models(rls: RlsStore) -> None:
    a = uuid4()
    items = rls.repository(Item, tenant_id=a, actor="alice")
    await items.upsert_many([Item(sku="u1", price=1)], on="sku")
    await items.upsert_many([Item(sku="u1", price=2), Item(sku="u2")], on="sku")
    assert sorted((i.sku, i.price) for i in await items.list()) == [("u1", 2), ("u2", 0)]
    flags = rls.repository(Flag)  # no tenant column, no policy: any scope reads it
    flag = await flags.create(Flag(name="f"))
    assert (await flags.get(flag.id)).name == "f"
    assert {r["name"] for r in await rls.fetch_all("SELECT name FROM rls_flags")} >= {"f"}


async def test_a_transaction_of_two_tenants_and_raw_sql(rls: RlsStore) -> None:
    a, b = uuid4(), uuid4()
    ra = rls.repository(Item, tenant_id=a, actor="t")
    rb = rls.repository(Item, tenant_id=b, actor="t")
    if rls.is_async:
        async with rls.db.transaction():  # type: ignore[union-attr]
            await ra.create(Item(sku="ta"))
            await rb.create(Item(sku="tb"))
            assert await rls.fetch_all("SELECT sku FROM rls_items WHERE sku LIKE 't%'") == []
    else:
        with rls.db.transaction():  # type: ignore[union-attr]
            await ra.create(Item(sku="ta"))
            await rb.create(Item(sku="tb"))
            assert await rls.fetch_all("SELECT sku FROM rls_items WHERE sku LIKE 't%'") == []
    assert [i.sku for i in await ra.list()] == ["ta"]
    assert [i.sku for i in await rb.list()] == ["tb"]
