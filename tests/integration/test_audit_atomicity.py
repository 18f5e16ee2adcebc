"""copy_on_change: a write that fails leaves neither the row change nor orphan audit rows.

The audit table is read directly (SQLAlchemy on the engine) before and after each failure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import ConflictError, NotFoundError, ValidationError
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import audit_rows
from tests.models import Account


@pytest.fixture
async def accounts(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Account)
    return store.repository(Account, tenant_id=tenant, actor="alice")


def account(code: str, **values: Any) -> Account:
    return Account(code=code, owner="Ada", balance=Decimal("1.00"), **values)


class Boom(Exception):
    pass


async def test_unique_conflict_on_update_writes_no_audit_rows(store: Store, accounts: Repo) -> None:
    await accounts.create(account("A1"))
    b = await accounts.create(account("B1"))
    before = await audit_rows(store.db, Account)
    with pytest.raises(ConflictError) as caught:
        await accounts.update(b.id, code="A1", counter=3)
    assert "code" in caught.value.fields
    assert await audit_rows(store.db, Account) == before
    assert await accounts.get(b.id) == b


async def test_unique_conflict_on_create_many_writes_no_audit_rows(
    store: Store, accounts: Repo
) -> None:
    await accounts.create(account("A1"))
    before = await audit_rows(store.db, Account)
    with pytest.raises(ConflictError):
        await accounts.create_many([account("B1"), account("C1"), account("A1")])
    assert await audit_rows(store.db, Account) == before
    assert await accounts.count() == 1


async def test_stale_expected_version_writes_nothing(store: Store, accounts: Repo) -> None:
    a = await accounts.create(account("A1"))
    await accounts.update(a.id, counter=1)
    before = await audit_rows(store.db, Account)
    with pytest.raises(ConflictError):
        await accounts.update(a.id, counter=2, expected_version=1)
    assert await audit_rows(store.db, Account) == before
    assert (await accounts.get(a.id)).counter == 1


async def test_invalid_or_missing_targets_write_nothing(store: Store, accounts: Repo) -> None:
    a = await accounts.create(account("A1"))
    before = await audit_rows(store.db, Account)
    with pytest.raises(ValidationError):
        await accounts.update(a.id, counter=1, balance=Decimal("1.001"))
    for write in (
        lambda: accounts.update(uuid4(), counter=1),
        lambda: accounts.delete(uuid4()),
        lambda: accounts.restore(uuid4()),
        lambda: accounts.purge(uuid4()),
    ):
        with pytest.raises(NotFoundError):
            await write()
    assert await audit_rows(store.db, Account) == before


async def test_an_exception_in_a_transaction_rolls_back_rows_and_audit(
    store: Store, accounts: Repo
) -> None:
    a = await accounts.create(account("A1"))
    before = await audit_rows(store.db, Account)
    created: list[Account] = []

    async def body() -> None:
        async with store.transaction():
            created.append(await accounts.create(account("B1")))
            await accounts.update(a.id, counter=9, owner="Bob")
            await accounts.delete(a.id)
            raise Boom

    with pytest.raises(Boom):
        await body()
    assert await audit_rows(store.db, Account) == before
    assert await accounts.get(a.id) == a
    with pytest.raises(NotFoundError):
        await accounts.get(created[0].id, include_deleted=True)


async def test_a_failed_write_inside_a_transaction_leaves_no_audit_rows(
    store: Store, accounts: Repo
) -> None:
    await accounts.create(account("A1"))
    b = await accounts.create(account("B1"))
    before = await audit_rows(store.db, Account)

    async def body() -> None:
        async with store.transaction():
            await accounts.update(b.id, counter=1)
            await accounts.update(b.id, code="A1")

    with pytest.raises(ConflictError):
        await body()
    assert await audit_rows(store.db, Account) == before
    assert (await accounts.get(b.id)).counter == 0


async def test_a_rolled_back_savepoint_drops_only_its_own_audit_rows(
    store: Store, accounts: Repo
) -> None:
    a = await accounts.create(account("A1"))

    async def inner() -> None:
        async with store.transaction():
            await accounts.update(a.id, counter=2, owner="Eve")
            raise Boom

    async with store.transaction():
        await accounts.update(a.id, counter=1)
        with pytest.raises(Boom):
            await inner()
        await accounts.update(a.id, owner="Bob")
    history = await accounts.history(a.id)
    assert [cs.changes for cs in history[1:]] == [
        {"counter": (0, 1)},
        {"owner": ("Ada", "Bob")},
    ]
    rows = await audit_rows(store.db, Account, a.id)
    assert [r["field"] for r in rows if r["operation"] == "update"] == ["counter", "owner"]
    stored = await accounts.get(a.id)
    assert (stored.counter, stored.owner, stored.version) == (1, "Bob", 3)
