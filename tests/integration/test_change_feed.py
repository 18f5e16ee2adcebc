"""``db.changes.read``: the resumable change feed over copy_on_change audit rows and scd2
versions, sync and async, on every backend: each committed change once, across pages and
models, with its old and new values; tenant scopes; a write stamped earlier than changes
already read (a transaction that took its now first) still comes after the cursor; bad
cursors, history="none" models and reads inside a transaction are refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import ChangeEvent, ConfigurationError, Field, InvalidCursorError, Model
from tests.integration.conftest import Store, settle


class CfAccount(Model, table="cf_accounts", history="copy_on_change"):
    owner: str = Field(max_length=20)
    balance: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class CfDoc(Model, table="cf_docs", history="scd2"):
    title: str = Field(max_length=20)


class CfPlain(Model, table="cf_plain"):
    name: str = Field(max_length=20)


class CfGlobal(Model, table="cf_global", history="copy_on_change", tenant=False):
    code: str = Field(max_length=20)


MODELS = [CfAccount, CfDoc]


async def _read(store: Store, after: str | None = None, **kw: Any) -> Any:
    kw.setdefault("models", MODELS)
    return await settle(store.db.changes.read(after, **kw))


async def _all(
    store: Store, limit: int, expect: int, **kw: Any
) -> tuple[list[ChangeEvent], str | None]:
    """Read until ``expect`` changes came (on a shared server, a page may wait for other
    clients' open transactions first), then check that nothing more comes."""
    seen: list[ChangeEvent] = []
    cursor = None
    deadline = time.monotonic() + 60
    while len(seen) < expect:
        assert time.monotonic() < deadline, f"{len(seen)} of {expect} changes"
        page = await _read(store, cursor, limit=limit, **kw)
        assert len(page.changes) <= limit
        seen += page.changes
        cursor = page.cursor
        if not page.changes:
            await asyncio.sleep(0.02)
    page = await _read(store, cursor, limit=limit, **kw)
    assert page.changes == ()
    return seen, page.cursor


async def _next(store: Store, cursor: str | None, **kw: Any) -> Any:
    """The next page that has changes (it may wait for other clients' transactions)."""
    deadline = time.monotonic() + 60
    while True:
        page = await _read(store, cursor, **kw)
        if page.changes or time.monotonic() > deadline:
            return page
        cursor = page.cursor
        await asyncio.sleep(0.02)


async def test_every_change_once_across_pages_and_models(store: Store, tenant: UUID) -> None:
    await store.create_all(*MODELS)
    accounts = store.repository(CfAccount, tenant_id=tenant, actor="teller")
    docs = store.repository(CfDoc, tenant_id=tenant, actor="editor")
    a = await accounts.create(CfAccount(owner="ann", balance=Decimal(10)))
    store.clock.advance(seconds=1)
    d = await docs.create(CfDoc(title="draft"))
    store.clock.advance(seconds=1)
    await accounts.update(a.id, balance=Decimal(7))
    store.clock.advance(seconds=1)
    await docs.update(d.id, title="final")
    store.clock.advance(seconds=1)
    await accounts.delete(a.id)
    store.clock.advance(seconds=1)
    await docs.delete(d.id)
    store.clock.advance(seconds=1)
    await accounts.restore(a.id)

    for limit in (1, 2, 3, 100):
        seen, cursor = await _all(store, limit, 7, tenant_id=tenant)
        assert [(e.model, e.operation) for e in seen] == [
            (CfAccount, "create"),
            (CfDoc, "create"),
            (CfAccount, "update"),
            (CfDoc, "update"),
            (CfAccount, "delete"),
            (CfDoc, "delete"),
            (CfAccount, "restore"),
        ], limit
    create, _, update, retitle = seen[:4]
    assert create.id == a.id
    assert create.tenant == tenant
    assert create.actor == "teller"
    assert dict(create.changes or {}) == {"owner": (None, "ann"), "balance": (None, Decimal(10))}
    assert dict(update.changes or {}) == {"balance": (Decimal(10), Decimal(7))}
    assert update.fields == ("balance",)
    assert retitle.id == d.id
    assert retitle.actor == "editor"
    assert dict(retitle.changes or {}) == {"title": ("draft", "final")}
    assert seen[4].changes == {}
    assert seen[4].fields == ()

    # a consumer resumes where it stopped: only what was committed since
    await accounts.update(a.id, owner="bob")
    page = await _next(store, cursor, tenant_id=tenant)
    assert [(e.operation, dict(e.changes or {})) for e in page.changes] == [
        ("update", {"owner": ("ann", "bob")})
    ]


async def test_bulk_writes_are_in_the_feed_as_single_writes(store: Store, tenant: UUID) -> None:
    await store.create_all(*MODELS)
    accounts = store.repository(CfAccount, tenant_id=tenant, actor="batch")
    made = await accounts.create_many(
        [CfAccount(owner=f"o{i}", balance=Decimal(i)) for i in range(5)]
    )
    seen, _ = await _all(store, 2, 5, tenant_id=tenant)
    assert [e.id for e in seen] == [m.id for m in made]
    assert all(e.operation == "create" and len(e.fields) == 2 for e in seen)


async def test_a_write_stamped_before_what_was_read_still_comes(store: Store, tenant: UUID) -> None:
    await store.create_all(*MODELS)
    accounts = store.repository(CfAccount, tenant_id=tenant, actor="a")
    start = store.clock.now()
    store.clock.set(start + dt.timedelta(seconds=10))
    await accounts.create(CfAccount(owner="late", balance=Decimal(1)))
    page = await _next(store, None, tenant_id=tenant)
    assert [e.changes["owner"][1] for e in page.changes if e.changes] == ["late"]
    store.clock.set(start)  # took its now before the change already read, committed after
    await accounts.create(CfAccount(owner="early", balance=Decimal(1)))
    page = await _next(store, page.cursor, tenant_id=tenant)
    assert [e.changes["owner"][1] for e in page.changes if e.changes] == ["early"]


async def test_tenant_scopes(store: Store) -> None:
    await store.create_all(*MODELS, CfGlobal)
    mine, theirs = uuid4(), uuid4()
    for t in (mine, theirs):
        await store.repository(CfAccount, tenant_id=t).create(
            CfAccount(owner=str(t)[:8], balance=Decimal(1))
        )
        await store.repository(CfDoc, tenant_id=t).create(CfDoc(title=str(t)[:8]))
    await store.repository(CfGlobal).create(CfGlobal(code="eu"))
    page = await _read(store, tenant_id=mine)
    assert {e.tenant for e in page.changes} == {mine}
    assert len(page.changes) == 2
    page = await _read(store, tenant_ids=[mine, theirs])
    assert {e.tenant for e in page.changes} == {mine, theirs}
    assert len(page.changes) == 4
    page = await _read(store, unscoped=True, models=[*MODELS, CfGlobal])
    assert len(page.changes) == 5
    # an untenanted model is in a tenant's feed only when named
    page = await _read(store, tenant_id=mine, models=[CfGlobal])
    assert [e.model for e in page.changes] == [CfGlobal]


async def test_refusals(store: Store, tenant: UUID) -> None:
    await store.create_all(*MODELS, CfPlain)
    for bad in ("nope", "v1.!!!", "v1.e30", "v1." + "x" * 8):
        with pytest.raises(InvalidCursorError):
            await _read(store, bad, tenant_id=tenant)
    page = await _read(store, tenant_id=tenant)
    with pytest.raises(InvalidCursorError):
        await _read(store, page.cursor[:-3], tenant_id=tenant)
    with pytest.raises(ConfigurationError, match="keeps no history"):
        await _read(store, tenant_id=tenant, models=[CfPlain])
    with pytest.raises(ConfigurationError, match="needs a scope"):
        await _read(store)
    with pytest.raises(ConfigurationError, match="limit"):
        await _read(store, tenant_id=tenant, limit=0)
    with pytest.raises(ConfigurationError, match=r"outside db\.transaction"):
        async with store.transaction():
            await _read(store, tenant_id=tenant)
