"""Lifecycle hooks on the bulk paths: update_many re-validates what before_update hooks edited
and runs after_update per row; delete_many runs after_delete per id. Each path is written once
per facade, so every test runs through the sync and the async repository, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import ValidationError
from storied.repository.hooks import Hooks
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import audit_rows
from tests.models import Account


@pytest.fixture
def hooks(store: Store) -> Iterator[Hooks]:
    """A fresh hook table on the store's database (the sync store is shared: put it back)."""
    saved, store.db.hooks = store.db.hooks, Hooks()
    try:
        yield store.db.hooks
    finally:
        store.db.hooks = saved


async def _accounts(store: Store, tenant: UUID) -> tuple[Repo, list[Account]]:
    await store.create_all(Account)
    accounts = store.repository(Account, tenant_id=tenant, actor="ops")
    rows = await accounts.create_many(
        [Account(code=f"c{i}", owner=f"owner {i}", balance=Decimal(i)) for i in range(3)]
    )
    return accounts, rows


async def test_update_many_validates_hook_edits_before_writing(
    store: Store, tenant: UUID, hooks: Hooks
) -> None:
    accounts, rows = await _accounts(store, tenant)

    def coerce(repo: Any, id: Any, changes: dict[str, Any]) -> None:
        changes["balance"] = str(changes["balance"])  # text: valid only once validated again

    hooks.register("before_update", Account, coerce)
    updated = await accounts.update_many({r.id: {"balance": Decimal("7.5")} for r in rows})
    assert [(type(a.balance), a.balance) for a in updated] == [(Decimal, Decimal("7.50"))] * 3
    stored = await accounts.get_many([r.id for r in rows])
    assert [a.balance for a in stored] == [Decimal("7.50")] * 3
    last = (await accounts.history(rows[0].id))[-1]
    assert last.changes == {"balance": (Decimal("0.00"), Decimal("7.50"))}

    def break_it(repo: Any, id: Any, changes: dict[str, Any]) -> None:
        changes["code"] = "x" * 40  # longer than max_length=32

    hooks.register("before_update", Account, break_it)
    audit_before = await audit_rows(store.db, Account)
    with pytest.raises(ValidationError, match="code"):
        await accounts.update_many({r.id: {"balance": Decimal(1)} for r in rows})
    assert [a.code for a in await accounts.get_many([r.id for r in rows])] == ["c0", "c1", "c2"]
    assert await audit_rows(store.db, Account) == audit_before  # nothing written


async def test_update_many_runs_after_update_per_row_inside_the_transaction(
    store: Store, tenant: UUID, hooks: Hooks
) -> None:
    accounts, rows = await _accounts(store, tenant)
    seen: list[tuple[Any, int, int]] = []

    def note(repo: Any, model: Account) -> None:
        seen.append((model.id, model.counter, model.version))

    hooks.register("after_update", Account, note)
    await accounts.update_many({r.id: {"counter": 5} for r in rows})
    assert seen == [(r.id, 5, 2) for r in rows]  # each updated model, as written

    def veto(repo: Any, model: Account) -> None:
        if model.code == "c2":
            raise PermissionError("c2 is frozen")

    hooks.register("after_update", Account, veto)
    with pytest.raises(PermissionError):
        await accounts.update_many({r.id: {"counter": 9} for r in rows})
    assert [a.counter for a in await accounts.get_many([r.id for r in rows])] == [5, 5, 5]
    assert [len(await accounts.history(r.id)) for r in rows] == [2, 2, 2]  # no orphan audit


@pytest.mark.parametrize("many", [False, True], ids=["delete", "delete_many"])
async def test_after_delete_runs_per_id_and_can_veto(
    store: Store, tenant: UUID, hooks: Hooks, many: bool
) -> None:
    accounts, rows = await _accounts(store, tenant)
    seen: list[Any] = []
    targets = [r.id for r in rows[:2]] if many else [rows[0].id]

    async def delete() -> None:
        if many:
            await accounts.delete_many(targets)
        else:
            await accounts.delete(targets[0])

    def refuse(repo: Any, id: Any) -> None:
        seen.append(id)
        raise RuntimeError("deletes are frozen")

    hooks.register("after_delete", Account, refuse)
    with pytest.raises(RuntimeError):
        await delete()
    assert seen == targets[:1]  # the first after_delete raised
    assert await accounts.count() == 3  # the delete was rolled back

    seen.clear()
    store.db.hooks = Hooks()  # the fixture puts the original back
    store.db.hook("after_delete", Account)(lambda repo, id: seen.append(id))
    await delete()
    assert seen == targets
    assert sorted(map(str, (a.id for a in await accounts.list()))) == sorted(
        str(r.id) for r in rows if r.id not in targets
    )


async def test_coroutine_hooks_are_awaited_on_an_async_database(
    store: Store, tenant: UUID, hooks: Hooks
) -> None:
    if not store.is_async:
        pytest.skip("coroutine hooks belong to an AsyncDatabase")
    accounts, rows = await _accounts(store, tenant)
    seen: list[tuple[str, Any]] = []

    async def before_update(repo: Any, id: Any, changes: dict[str, Any]) -> None:
        changes["owner"] = "edited"  # re-validated like any edit

    async def after_update(repo: Any, model: Account) -> None:
        seen.append(("after_update", model.owner))

    async def after_delete(repo: Any, id: Any) -> None:
        seen.append(("after_delete", await repo.count()))  # inside the delete's transaction

    hooks.register("before_update", Account, before_update)
    hooks.register("after_update", Account, after_update)
    hooks.register("after_delete", Account, after_delete)
    await accounts.update_many({r.id: {"counter": 1} for r in rows[:2]})
    await accounts.delete(rows[0].id)
    await accounts.delete_many([rows[1].id, rows[2].id])
    assert seen == [
        ("after_update", "edited"),
        ("after_update", "edited"),
        ("after_delete", 2),
        ("after_delete", 0),
        ("after_delete", 0),
    ]
