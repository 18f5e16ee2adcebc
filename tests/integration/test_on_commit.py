"""on_commit callbacks: which savepoint owns them, and what a failing one may (not) do.

Each test runs on every backend, through the sync Database and the AsyncDatabase.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from storied import Database
from storied.repository.hooks import Hooks
from tests.integration.conftest import Store, settle
from tests.models import Counter


async def _on_commit(store: Store, callback: Callable[[], Any]) -> None:
    await settle(store.db.on_commit(callback))


async def _names(store: Store, tenant: UUID) -> list[str]:
    rows = await store.repository(Counter, tenant_id=tenant).list(order_by="name")
    return [c.name for c in rows]


@pytest.fixture
def reported(store: Store) -> Iterator[list[tuple[Exception, Callable[[], Any]]]]:
    """What the store's ``on_commit_error`` hook was told (the sync store is shared: reset)."""
    seen: list[tuple[Exception, Callable[[], Any]]] = []
    store.db.on_commit_error = lambda exc, callback: seen.append((exc, callback))
    try:
        yield seen
    finally:
        store.db.on_commit_error = None


# --- savepoints own their callbacks ----------------------------------------------------------
async def test_only_the_rolled_back_savepoints_callbacks_are_dropped(
    store: Store, tenant: UUID
) -> None:
    await store.create_all(Counter)
    counters = store.repository(Counter, tenant_id=tenant)
    calls: list[str] = []

    def note(name: str) -> Callable[[], None]:
        return lambda: calls.append(name)

    async def rolled_back(*names: str) -> None:
        """A savepoint that queues ``names[0]`` (and the rest in a released savepoint inside
        it), then rolls back."""
        async with store.transaction():
            await counters.create(Counter(name=names[0]))
            await _on_commit(store, note(names[0]))
            async with store.transaction():
                for name in names[1:]:
                    await _on_commit(store, note(name))
            raise RuntimeError("rolls back")

    async with store.transaction():
        async with store.transaction():  # released, with a released savepoint inside
            await counters.create(Counter(name="a"))
            await _on_commit(store, note("a"))
            async with store.transaction():
                await counters.create(Counter(name="b"))
                await _on_commit(store, note("b"))
        with pytest.raises(RuntimeError):  # a later sibling rolls back, nested one included
            await rolled_back("c", "d")
        async with store.transaction():  # released, after rolling back a savepoint inside it
            with pytest.raises(RuntimeError):
                await rolled_back("e")
            await counters.create(Counter(name="f"))
            await _on_commit(store, note("f"))
        await _on_commit(store, note("outer"))
        assert calls == []  # nothing before COMMIT
    assert calls == ["a", "b", "f", "outer"]
    assert await _names(store, tenant) == ["a", "b", "f"]  # the data agrees with the callbacks


async def test_a_rolled_back_transaction_drops_released_savepoints_callbacks(
    store: Store, tenant: UUID
) -> None:
    await store.create_all(Counter)
    calls: list[str] = []

    async def rolled_back() -> None:
        async with store.transaction():
            async with store.transaction():
                await store.repository(Counter, tenant_id=tenant).create(Counter(name="x"))
                await _on_commit(store, lambda: calls.append("released"))
            raise RuntimeError("the whole transaction rolls back")

    with pytest.raises(RuntimeError):
        await rolled_back()
    assert calls == []
    assert await _names(store, tenant) == []


# --- a failing callback after commit ---------------------------------------------------------
async def test_every_callback_runs_and_a_failing_one_is_reported_not_raised(
    store: Store,
    tenant: UUID,
    reported: list[tuple[Exception, Callable[[], Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await store.create_all(Counter)
    counters = store.repository(Counter, tenant_id=tenant)
    calls: list[str] = []
    boom = RuntimeError("mail server down")

    def send_mail() -> None:
        raise boom

    failing: list[Callable[[], Any]] = [send_mail]
    async_boom = ValueError("queue full")
    if not isinstance(store.db, Database):

        async def publish() -> None:
            raise async_boom

        failing.append(publish)

    with caplog.at_level(logging.ERROR, logger="storied"):
        async with store.transaction():  # no exception leaves the committed block
            await counters.create(Counter(name="committed"))
            await _on_commit(store, lambda: calls.append("first"))
            for callback in failing:
                await _on_commit(store, callback)
            await _on_commit(store, lambda: calls.append("last"))
    assert calls == ["first", "last"]
    assert await _names(store, tenant) == ["committed"]
    expected = [boom, async_boom][: len(failing)]
    assert [(exc, cb) for exc, cb in reported] == list(zip(expected, failing, strict=True))
    logged = [r for r in caplog.records if r.name == "storied" and r.levelno == logging.ERROR]
    assert [r.exc_info[1] for r in logged if r.exc_info] == expected
    assert "send_mail" in logged[0].getMessage()


async def test_a_failing_callback_of_a_hooked_write_leaves_the_write_committed(
    store: Store, tenant: UUID, reported: list[tuple[Exception, Callable[[], Any]]]
) -> None:
    """A write whose hook queues a failing callback returns normally (outside db.transaction,
    the hook's transaction is the write's own)."""
    await store.create_all(Counter)
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("webhook refused")

    def after_create(repo: Any, model: Counter) -> Any:
        queued = [store.db.on_commit(broken), store.db.on_commit(lambda: calls.append(model.name))]
        if isinstance(store.db, Database):
            return None

        async def awaited() -> None:  # AsyncDatabase.on_commit is a coroutine function
            for registration in queued:
                await settle(registration)

        return awaited()

    hooks, store.db.hooks = store.db.hooks, Hooks()  # the sync store is shared: put it back
    try:
        store.db.hook("after_create", Counter)(after_create)
        created = await store.repository(Counter, tenant_id=tenant).create(Counter(name="hooked"))
    finally:
        store.db.hooks = hooks
    assert created.name == "hooked"
    assert calls == ["hooked"]
    assert [str(exc) for exc, _ in reported] == ["webhook refused"]
    assert await _names(store, tenant) == ["hooked"]


async def test_a_failing_callback_outside_a_transaction_is_reported_too(
    store: Store, reported: list[tuple[Exception, Callable[[], Any]]]
) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise KeyError("gone")

    await _on_commit(store, broken)  # runs at once; reported, not raised
    await _on_commit(store, lambda: calls.append("next"))
    assert [type(exc) for exc, _ in reported] == [KeyError]
    assert calls == ["next"]


async def test_a_failing_hook_is_logged_and_swallowed(
    store: Store, tenant: UUID, caplog: pytest.LogCaptureFixture
) -> None:
    await store.create_all(Counter)

    def bad_hook(exc: Exception, callback: Callable[[], Any]) -> None:
        raise RuntimeError("the error tracker is down too")

    def broken() -> None:
        raise RuntimeError("callback")

    store.db.on_commit_error = bad_hook
    try:
        with caplog.at_level(logging.ERROR, logger="storied"):
            async with store.transaction():
                await store.repository(Counter, tenant_id=tenant).create(Counter(name="kept"))
                await _on_commit(store, broken)
    finally:
        store.db.on_commit_error = None
    messages = [r.getMessage() for r in caplog.records if r.name == "storied"]
    assert any("on_commit_error hook raised" in m for m in messages)
    assert await _names(store, tenant) == ["kept"]
