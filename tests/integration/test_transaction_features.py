"""Transactions beyond commit/rollback: on_commit, isolation, atomic() retries, lifecycle hooks."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import (
    AsyncDatabase,
    ConfigurationError,
    ConflictError,
    Database,
    Model,
    TransactionConflict,
)
from storied.engine.executor import ambient_for
from tests.models import Account, Counter


@pytest.fixture
def tenant() -> UUID:
    return uuid4()


# --- on_commit -------------------------------------------------------------------------------
def test_on_commit_runs_after_commit_and_not_after_rollback(db: Database, tenant: UUID) -> None:
    db.create_all([Counter])
    counters = db.repository(Counter, tenant_id=tenant)
    calls: list[str] = []
    with db.transaction():
        counters.create(Counter(name="a"))
        db.on_commit(lambda: calls.append("committed"))
        assert calls == []  # not before COMMIT
    assert calls == ["committed"]

    def rolled_back() -> None:
        with db.transaction():
            db.on_commit(lambda: calls.append("rolled back"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert calls == ["committed"]

    db.on_commit(lambda: calls.append("no transaction"))  # runs at once
    assert calls == ["committed", "no transaction"]


def test_on_commit_of_a_rolled_back_savepoint_is_dropped(db: Database, tenant: UUID) -> None:
    db.create_all([Counter])
    calls: list[str] = []
    with db.transaction():
        db.on_commit(lambda: calls.append("outer"))

        def inner_rolled_back() -> None:
            with db.transaction():
                db.on_commit(lambda: calls.append("inner, rolled back"))
                raise RuntimeError

        with pytest.raises(RuntimeError):
            inner_rolled_back()
        with db.transaction():
            db.on_commit(lambda: calls.append("inner, released"))
    assert calls == ["outer", "inner, released"]


async def test_async_on_commit_awaits_coroutines(adb: AsyncDatabase, tenant: UUID) -> None:
    await adb.create_all([Counter])
    calls: list[str] = []

    async def note() -> None:
        calls.append("awaited")

    async with adb.transaction():
        await adb.repository(Counter, tenant_id=tenant).create(Counter(name="a"))
        await adb.on_commit(note)
    assert calls == ["awaited"]


# --- isolation -------------------------------------------------------------------------------
def test_isolation_levels_are_accepted_and_bad_ones_refused(db: Database, tenant: UUID) -> None:
    db.create_all([Counter])
    counters = db.repository(Counter, tenant_id=tenant)
    for level in ("READ COMMITTED", "repeatable_read", "SERIALIZABLE"):
        with db.transaction(isolation=level):
            counters.create(Counter(name=level))
    assert counters.count() == 3
    with pytest.raises(ConfigurationError), db.transaction(isolation="CHAOS"):
        pass
    with (
        db.transaction(),
        pytest.raises(ConfigurationError),
        db.transaction(isolation="SERIALIZABLE"),
    ):
        pass


@pytest.mark.postgresql
@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_runs_the_block_at_the_level_asked(backend: str, db: Database) -> None:
    with db.transaction(isolation="SERIALIZABLE"):
        lease = ambient_for(db._sync_executor()).lease  # type: ignore[union-attr]
        level = lease.driver.execute("SHOW transaction_isolation").fetchone()[0]
    assert level == "serializable"


# --- atomic() --------------------------------------------------------------------------------
def test_atomic_retries_only_transaction_conflicts(db: Database, tenant: UUID) -> None:
    db.create_all([Counter])
    counters = db.repository(Counter, tenant_id=tenant)
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        counters.create(Counter(name=f"try {len(attempts)}"))
        if len(attempts) < 3:
            raise TransactionConflict("simulated serialization failure")
        return "done"

    assert db.atomic(flaky, attempts=5) == "done"
    assert len(attempts) == 3
    assert [c.name for c in counters.list()] == ["try 3"]  # failed attempts rolled back

    tries: list[int] = []

    def conflicting() -> None:
        tries.append(1)
        raise ConflictError("a unique value: not safe to retry blindly")

    with pytest.raises(ConflictError):
        db.atomic(conflicting, attempts=5)
    assert len(tries) == 1

    with pytest.raises(TransactionConflict):
        db.atomic(lambda: (_ for _ in ()).throw(TransactionConflict("always")), attempts=2)
    with db.transaction(), pytest.raises(ConfigurationError):
        db.atomic(lambda: None)


def test_atomic_serializable_increments_lose_nothing(db: Database, tenant: UUID) -> None:
    """Threads racing read-modify-write at SERIALIZABLE: the database refuses some, atomic()
    reruns them, and every increment lands."""
    db.create_all([Counter])
    counters = db.repository(Counter, tenant_id=tenant)
    counter = counters.create(Counter(name="hits"))
    workers = 6

    def increment() -> None:
        def body() -> None:
            current = counters.get(counter.id)
            counters.update(counter.id, value=current.value + 1)

        db.atomic(body, isolation="SERIALIZABLE", attempts=50)

    threads = [threading.Thread(target=increment) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters.get(counter.id).value == workers


async def test_async_atomic_retries(adb: AsyncDatabase, tenant: UUID) -> None:
    await adb.create_all([Counter])
    counters = adb.repository(Counter, tenant_id=tenant)
    attempts: list[int] = []

    async def flaky() -> int:
        attempts.append(1)
        await counters.create(Counter(name=f"try {len(attempts)}"))
        if len(attempts) < 2:
            raise TransactionConflict("simulated")
        return len(attempts)

    assert await adb.atomic(flaky) == 2
    assert await counters.count() == 1


# --- lifecycle hooks ------------------------------------------------------------------------
def _audit_rows(db: Database, model: type[Model]) -> int:
    table = db.registry.mapped(model).audit_table
    assert table is not None
    with db.engine.connect() as conn:
        return len(conn.execute(table.select()).all())


def test_a_raising_before_hook_writes_nothing(db: Database, tenant: UUID) -> None:
    db.create_all([Account])
    accounts = db.repository(Account, tenant_id=tenant)

    @db.hook("before_create", Account)
    def refuse_negative(repo: Any, model: Account) -> None:
        if model.balance < 0:
            raise ValueError("negative opening balance")

    with pytest.raises(ValueError, match="negative"):
        accounts.create(Account(code="c1", owner="x", balance=Decimal(-1)))
    assert accounts.count() == 0
    assert _audit_rows(db, Account) == 0
    assert accounts.create(Account(code="c2", owner="x", balance=Decimal(1))).balance == Decimal(1)


def test_an_after_hook_that_raises_rolls_the_write_back(db: Database, tenant: UUID) -> None:
    db.create_all([Account])
    accounts = db.repository(Account, tenant_id=tenant)
    account = accounts.create(Account(code="c3", owner="x", balance=Decimal(10)))
    audit_before = _audit_rows(db, Account)

    @db.hook("after_update", Account)
    def veto(repo: Any, model: Account) -> None:
        raise PermissionError("vetoed")

    with pytest.raises(PermissionError):
        accounts.update(account.id, balance=Decimal(99))
    assert accounts.get(account.id).balance == Decimal(10)
    assert _audit_rows(db, Account) == audit_before  # no orphan audit rows


def test_hooks_can_edit_changes_and_their_writes_join_the_transaction(
    db: Database, tenant: UUID
) -> None:
    db.create_all([Account, Counter])
    accounts = db.repository(Account, tenant_id=tenant)
    counters = db.repository(Counter, tenant_id=tenant)

    @db.hook("before_update", Account)
    def uppercase(repo: Any, id: Any, changes: dict[str, Any]) -> None:
        if "owner" in changes:
            changes["owner"] = changes["owner"].upper()

    @db.hook("after_create", Account)
    def count(repo: Any, model: Account) -> None:
        counters.create(Counter(name=str(model.id)))

    @db.hook("after_delete", Account)
    def fail(repo: Any, id: Any) -> None:
        raise RuntimeError("delete vetoed after the fact")

    account = accounts.create(Account(code="c4", owner="ada", balance=Decimal(1)))
    assert counters.count() == 1  # the hook's own write committed with the create
    assert accounts.update(account.id, owner="grace").owner == "GRACE"
    with pytest.raises(RuntimeError):
        accounts.delete(account.id)
    assert accounts.get(account.id).deleted_at is None


async def test_async_hooks_may_be_coroutines(adb: AsyncDatabase, tenant: UUID) -> None:
    await adb.create_all([Counter])
    counters = adb.repository(Counter, tenant_id=tenant)
    seen: list[str] = []

    @adb.hook("before_create", Counter)
    async def note(repo: Any, model: Counter) -> None:
        seen.append(model.name)

    await counters.create_many([Counter(name="a"), Counter(name="b")])
    assert seen == ["a", "b"]


def test_an_unknown_hook_name_is_refused(db: Database) -> None:
    with pytest.raises(ConfigurationError, match="unknown hook"):
        db.hook("before_lunch", Counter)(lambda *a: None)  # type: ignore[arg-type]
