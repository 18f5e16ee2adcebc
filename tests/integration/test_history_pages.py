"""A record's history in pages (``history(id, limit=, before=)``, ``versions(id, limit=,
before=)``): each page is the newest ``limit`` entries older than the last page's oldest, pages
join up to exactly the whole history, and another tenant's pages are empty. Every backend, sync
and async, for copy_on_change and scd2."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from storied import ChangeSet, ValidationError
from tests.integration.conftest import Repo, Store
from tests.models import Account, Price


def _key(cs: ChangeSet) -> tuple[Any, str, dict[str, Any]]:
    return (cs.id, cs.operation, cs.changes)


async def _pages(repo: Repo, id: Any, limit: int) -> list[list[ChangeSet]]:
    pages: list[list[ChangeSet]] = []
    before = None
    while True:
        page = await repo.history(id, limit=limit, before=before)
        if not page:
            return pages
        assert len(page) <= limit
        pages.append(page)
        before = page[0].id


async def _story(repo: Repo, model: type[Any], **first: Any) -> Any:
    row = await repo.create(model(**first))
    for i in range(1, 31):  # updates of one field, some of two (sets of different sizes)
        changes: dict[str, Any] = {"counter": i}
        if i % 3 == 0 or i > 27:
            changes["ref"] = uuid4()
        await repo.update(row.id, **changes)
    await repo.delete(row.id)
    await repo.restore(row.id)
    await repo.update(row.id, counter=99)
    return row


@pytest.mark.parametrize("limit", [1, 3, 4, 50])
async def test_copy_on_change_pages_join_up_to_the_whole_history(store: Store, limit: int) -> None:
    await store.create_all(Account)
    tenant = uuid4()
    repo = store.repository(Account, tenant_id=tenant, actor="ann")
    row = await _story(repo, Account, code="P1", owner="o", balance=Decimal("1.00"))
    everything = await repo.history(row.id)
    assert len(everything) == 34
    pages = await _pages(repo, row.id, limit)
    assert all(len(p) == limit for p in pages[:-1])  # only the oldest page may be short
    joined = [cs for page in reversed(pages) for cs in page]
    assert [_key(cs) for cs in joined] == [_key(cs) for cs in everything]
    newest = await repo.history(row.id, limit=2)
    assert [_key(cs) for cs in newest] == [_key(cs) for cs in everything[-2:]]
    other = store.repository(Account, tenant_id=uuid4(), actor="eve")
    assert await other.history(row.id, limit=limit) == []
    assert await other.history(row.id, limit=limit, before=everything[-1].id) == []


@pytest.mark.parametrize("limit", [1, 3, 4, 50])
async def test_scd2_history_and_version_pages(store: Store, limit: int) -> None:
    await store.create_all(Price)
    tenant = uuid4()
    repo = store.repository(Price, tenant_id=tenant, actor="ann")
    row = await _story(repo, Price, sku="P1", amount=Decimal("1.00"))
    everything = await repo.history(row.id)
    pages = await _pages(repo, row.id, limit)
    joined = [cs for page in reversed(pages) for cs in page]
    assert [_key(cs) for cs in joined] == [_key(cs) for cs in everything]
    assert joined[0].operation == "create"
    chain = await repo.versions(row.id)
    page = await repo.versions(row.id, limit=limit)
    assert [v.number for v in page] == [v.number for v in chain[-limit:]]
    older = await repo.versions(row.id, limit=2, before=4)
    assert [v.number for v in older] == [2, 3]
    assert [v.model for v in older] == [v.model for v in chain[1:3]]
    assert await repo.versions(row.id, limit=limit, before=1) == []
    other = store.repository(Price, tenant_id=uuid4(), actor="eve")
    assert await other.history(row.id, limit=limit) == []
    assert await other.versions(row.id, limit=limit, before=5) == []


async def test_a_page_needs_a_positive_limit(store: Store) -> None:
    await store.create_all(Account)
    repo = store.repository(Account, tenant_id=uuid4(), actor="ann")
    row = await repo.create(Account(code="P2", owner="o", balance=Decimal("1.00")))
    for bad in (0, -1, True, "2"):
        with pytest.raises(ValidationError):
            await repo.history(row.id, limit=bad)
    with pytest.raises(ValidationError):
        await repo.history(row.id, before=uuid4())


@pytest.mark.parametrize("model", [Account, Price])
async def test_the_feed_newest_first(store: Store, model: type[Any]) -> None:
    await store.create_all(model)
    tenant = uuid4()
    repo = store.repository(model, tenant_id=tenant, actor="ann")
    first = {"code": "F1", "owner": "o", "balance": Decimal("1.00")}
    if model is Price:
        first = {"sku": "F1", "amount": Decimal("1.00")}
    await _story(repo, model, **first)
    oldest_first = await repo.changes()
    newest_first = await repo.changes(newest_first=True)
    assert [_key(cs) for cs in newest_first] == [_key(cs) for cs in reversed(oldest_first)]
    recent = await repo.changes(newest_first=True, limit=3)
    # copy_on_change counts audit rows (one per field), scd2 versions: the newest either way
    assert recent
    assert [_key(cs) for cs in recent] == [_key(cs) for cs in newest_first[: len(recent)]]
    assert (
        await store.repository(model, tenant_id=uuid4(), actor="x").changes(newest_first=True) == []
    )
