"""``db.on_change``: events after commit, never for a rollback, in commit order, per model.

Each test runs on every backend, through the sync Database and the AsyncDatabase (the sync
store is shared between tests: every listener is removed when its test ends).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import Field, Model
from storied.errors import ConfigurationError, ConflictError
from storied.ops.changes import ChangeEvent
from tests.integration.conftest import Store
from tests.models import Account, Counter, Price


class Listening:
    """The store's listeners for one test, removed at its end."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.handles: list[Any] = []

    def add(
        self, model: type[Any] | None, fn: Callable[[ChangeEvent], Any] | None = None
    ) -> list[ChangeEvent]:
        seen: list[ChangeEvent] = []
        self.handles.append(self.store.db.on_change(model, fn or seen.append))
        return seen

    def close(self) -> None:
        for handle in self.handles:
            handle.remove()


@pytest.fixture
def listening(store: Store) -> Iterator[Listening]:
    current = Listening(store)
    try:
        yield current
    finally:
        current.close()


def _ops(events: list[ChangeEvent]) -> list[tuple[str, str]]:
    return [(e.model.__name__, e.operation) for e in events]


async def test_none_strategy_events_name_the_fields_without_old_values(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Counter)
    seen = listening.add(Counter)
    counters = store.repository(Counter, tenant_id=tenant, actor="ann")
    c = await counters.create(Counter(name="a", value=1))
    assert len(seen) == 1  # autocommitted: delivered when the call returns
    await counters.update(c.id, value=2)
    await counters.delete(c.id)
    await counters.restore(c.id)
    await counters.purge(c.id)
    assert [e.operation for e in seen] == ["create", "update", "delete", "restore", "purge"]
    created, updated = seen[0], seen[1]
    assert created.id == c.id
    assert created.tenant == tenant
    assert created.actor == "ann"
    assert created.changes is None
    assert set(created.fields) == {"name", "value"}
    assert updated.fields == ("value",)
    assert updated.changes is None
    assert created.at == store.clock.now()
    with pytest.raises(AttributeError):
        created.operation = "x"  # type: ignore[misc]


async def test_copy_on_change_events_carry_old_and_new(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Account)
    seen = listening.add(Account)
    accounts = store.repository(Account, tenant_id=tenant)
    a = await accounts.create(Account(code="A1", owner="ann", balance=Decimal("1.00")))
    await accounts.update(a.id, owner="bob", counter=0)  # counter does not change
    await accounts.delete(a.id)
    assert [e.operation for e in seen] == ["create", "update", "delete"]
    assert {e.tenant for e in seen} == {tenant}
    assert {e.id for e in seen} == {a.id}
    assert seen[0].changes is not None
    assert seen[0].changes["owner"] == (None, "ann")
    assert dict(seen[1].changes or {}) == {"owner": ("ann", "bob")}
    assert seen[1].fields == ("owner",)
    assert dict(seen[2].changes or {}) == {}
    with pytest.raises(TypeError):
        seen[1].changes["owner"] = ("x", "y")  # type: ignore[index]


async def test_scd2_events_carry_old_and_new(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Price)
    seen = listening.add(Price)
    prices = store.repository(Price, tenant_id=tenant)
    p = await prices.create(Price(sku="S1", amount=Decimal("1.00")))
    await prices.update(p.id, amount=Decimal("2.50"))
    await prices.revert(p.id, to_version=1)
    await prices.delete(p.id)
    await prices.restore(p.id)
    assert [e.operation for e in seen] == ["create", "update", "update", "delete", "restore"]
    assert {e.tenant for e in seen} == {tenant}
    assert seen[0].changes is not None
    assert seen[0].changes["sku"] == (None, "S1")
    assert dict(seen[1].changes or {}) == {"amount": (Decimal("1.00"), Decimal("2.50"))}
    assert dict(seen[2].changes or {}) == {"amount": (Decimal("2.50"), Decimal("1.00"))}


async def test_bulk_writes_give_one_event_per_row(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Account)
    seen = listening.add(None)
    accounts = store.repository(Account, tenant_id=tenant)
    made = await accounts.create_many(
        [Account(code=f"B{i}", owner="o", balance=Decimal(i)) for i in range(3)]
    )
    await accounts.update_many({m.id: {"owner": "p"} for m in made})
    await accounts.delete_many([m.id for m in made])
    assert _ops(seen) == [
        ("Account", op) for op in ["create"] * 3 + ["update"] * 3 + ["delete"] * 3
    ]
    assert [e.id for e in seen[3:6]] == [m.id for m in made]


async def test_nothing_for_a_rollback_or_a_rolled_back_savepoint(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Counter, Account)
    seen = listening.add(None)
    counters = store.repository(Counter, tenant_id=tenant)
    accounts = store.repository(Account, tenant_id=tenant)

    async def rolled_back(write: Callable[[], Awaitable[Any]]) -> None:
        async with store.transaction():
            await write()
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        await rolled_back(lambda: counters.create(Counter(name="gone")))
    assert seen == []
    async with store.transaction():
        await counters.create(Counter(name="kept"))
        with pytest.raises(RuntimeError):  # a savepoint
            await rolled_back(
                lambda: accounts.create(Account(code="X", owner="o", balance=Decimal(0)))
            )
        assert seen == []  # nothing before the commit
        await accounts.create(Account(code="Y", owner="o", balance=Decimal(0)))
        await counters.update((await counters.list())[0].id, value=5)
    assert _ops(seen) == [("Counter", "create"), ("Account", "create"), ("Counter", "update")]
    assert seen[1].changes is not None
    assert seen[1].changes["code"] == (None, "Y")


async def test_a_failed_write_gives_no_event(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Account)
    accounts = store.repository(Account, tenant_id=tenant)
    await accounts.create(Account(code="U", owner="o", balance=Decimal(0)))
    seen = listening.add(Account)
    with pytest.raises(ConflictError):  # the audit rows are rolled back too
        await accounts.create_many(
            [
                Account(code="V", owner="o", balance=Decimal(0)),
                Account(code="U", owner="o", balance=Decimal(0)),
            ]
        )
    assert seen == []


async def test_a_raising_listener_is_logged_and_the_others_run(
    store: Store, listening: Listening, tenant: UUID, caplog: pytest.LogCaptureFixture
) -> None:
    await store.create_all(Counter)

    def broken(event: ChangeEvent) -> None:
        raise ValueError("listener bug")

    listening.add(None, broken)
    after = listening.add(Counter)
    counters = store.repository(Counter, tenant_id=tenant)
    with caplog.at_level(logging.ERROR, logger="storied"):
        c = await counters.create(Counter(name="a"))  # the caller sees success
    assert c.name == "a"
    assert len(after) == 1
    assert "on_change listener" in caplog.text
    assert "listener bug" in caplog.text


async def test_the_model_filter_and_remove(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Counter, Account)
    only_accounts = listening.add(Account)
    every = listening.add(None)
    counters = store.repository(Counter, tenant_id=tenant)
    accounts = store.repository(Account, tenant_id=tenant)
    await counters.create(Counter(name="c"))
    await accounts.create(Account(code="Z", owner="o", balance=Decimal(0)))
    assert _ops(only_accounts) == [("Account", "create")]
    assert _ops(every) == [("Counter", "create"), ("Account", "create")]
    for handle in listening.handles:
        handle.remove()
    await counters.create(Counter(name="d"))
    assert len(every) == 2


async def test_coroutine_listeners_are_awaited_on_the_async_database(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    if not store.is_async:
        pytest.skip("coroutine listeners need the AsyncDatabase")
    await store.create_all(Counter)
    seen: list[str] = []

    async def slow(event: ChangeEvent) -> None:
        await asyncio.sleep(0)
        seen.append(event.operation)

    listening.add(Counter, slow)
    counters = store.repository(Counter, tenant_id=tenant)
    async with store.transaction():
        await counters.create(Counter(name="a"))
        assert seen == []
    await counters.create(Counter(name="b"))
    assert seen == ["create", "create"]


async def test_import_and_upsert_events(store: Store, listening: Listening, tenant: UUID) -> None:
    await store.create_all(Account, Counter)
    seen = listening.add(None)
    accounts = store.repository(Account, tenant_id=tenant)
    (a,) = await accounts.create_many(
        [Account(code="I1", owner="o", balance=Decimal(1))], operation="import"
    )
    await accounts.upsert_many(
        [
            Account(code="I1", owner="p", balance=Decimal(1)),
            Account(code="I2", owner="q", balance=Decimal(2)),
        ],
        on="code",
    )
    assert [e.operation for e in seen] == ["import", "update", "create"]
    assert seen[1].id == a.id
    assert dict(seen[1].changes or {}) == {"owner": ("o", "p")}
    counters = store.repository(Counter, tenant_id=tenant)
    await counters.upsert_many([Counter(id=uuid4(), name="n")], on="id")
    assert seen[-1].model is Counter
    assert seen[-1].operation == "create"


class HkOrder(Model, table="hk_orders", history="copy_on_change"):
    item: str = Field(max_length=20)


class HkLog(Model, table="hk_logs"):
    note: str = Field(max_length=80)


def _logging_hooks(store: Store, tenant: UUID) -> None:
    """HkOrder's after_create and before_update each write an HkLog row (once per store)."""
    db = store.db
    if db.hooks.any_for(HkOrder, "after_create"):
        return
    if store.is_async:

        async def after_create(repo: Any, model: Any) -> None:
            logs = db.repository(HkLog, tenant_id=model.tenant_id)
            await logs.create(HkLog(note=f"created {model.item}"))  # type: ignore[misc]

        async def before_update(repo: Any, id: Any, changes: Any) -> None:
            logs = db.repository(HkLog, tenant_id=repo.scope.tenant_ids[0])
            await logs.create(HkLog(note=f"updating {id}"))  # type: ignore[misc]

    else:

        def after_create(repo: Any, model: Any) -> None:  # type: ignore[misc]
            db.repository(HkLog, tenant_id=model.tenant_id).create(HkLog(note="created"))

        def before_update(repo: Any, id: Any, changes: Any) -> None:  # type: ignore[misc]
            tenant = repo.scope.tenant_ids[0]
            db.repository(HkLog, tenant_id=tenant).create(HkLog(note=f"updating {id}"))

    db.hook("after_create", HkOrder)(after_create)
    db.hook("before_update", HkOrder)(before_update)


async def test_writes_made_by_hooks_come_in_write_order(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(HkOrder, HkLog)
    _logging_hooks(store, tenant)
    seen = listening.add(None)
    orders = store.repository(HkOrder, tenant_id=tenant)
    order = await orders.create(HkOrder(item="anvil"))
    # the order is written, then its after_create hook writes the log
    assert _ops(seen) == [("HkOrder", "create"), ("HkLog", "create")]
    await orders.update(order.id, item="hammer")
    # before_update writes the log first, then the order changes
    assert _ops(seen[2:]) == [("HkLog", "create"), ("HkOrder", "update")]
    async with store.transaction():
        await orders.create(HkOrder(item="tongs"))
        assert len(seen) == 4  # still after commit only
    assert _ops(seen[4:]) == [("HkOrder", "create"), ("HkLog", "create")]


async def test_bulk_writes_are_named_for_operation_listeners(
    store: Store, listening: Listening, tenant: UUID
) -> None:
    await store.create_all(Counter)
    seen = listening.add(Counter)
    names: list[str] = []
    handle = store.db.events.on_operation(
        lambda e: names.append(e.operation) if e.phase == "end" and e.model == "Counter" else None
    )
    try:
        counters = store.repository(Counter, tenant_id=tenant)
        a, b = await counters.create_many([Counter(name="a"), Counter(name="b")])
        c = await counters.create(Counter(name="c"))
        await counters.update_many({a.id: {"name": "a2"}, b.id: {"name": "b2"}})
        await counters.update(c.id, name="c2")
        await counters.upsert_many([Counter(id=a.id, name="a3")], on="id")
        await counters.delete_many([a.id, b.id])
        await counters.delete(c.id)
        await counters.restore(c.id)
        await counters.purge(c.id)
    finally:
        handle.remove()
    assert names == [
        "create_many",
        "create",
        "update_many",
        "update",
        "upsert_many",
        "delete_many",
        "delete",
        "restore",
        "purge",
    ]
    # a change event is one row's change: its operation is the row's write kind
    assert [e.operation for e in seen] == [
        *["create"] * 3,
        *["update"] * 4,
        *["delete"] * 3,
        "restore",
        "purge",
    ]


async def test_a_coroutine_listener_is_refused_by_a_sync_database(store: Store) -> None:
    async def listener(event: ChangeEvent) -> None:
        pass

    class Callable_:
        async def __call__(self, event: ChangeEvent) -> None:
            pass

    for fn in (listener, Callable_()):
        if store.is_async:
            store.db.on_change(None, fn).remove()  # awaited there
        else:
            with pytest.raises(ConfigurationError, match="never awaited"):
                store.db.on_change(None, fn)
