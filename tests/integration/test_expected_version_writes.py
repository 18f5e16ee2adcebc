"""``expected_version`` on delete, restore, purge and revert: a stale one is ``ConflictError``
(as for ``update``) and writes nothing; the check is part of the write, so writers racing on
one version let exactly one through. Every strategy, every backend, sync and async."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import ConflictError, DatabaseTimeout, Field, Model, NotFoundError
from tests.integration.conftest import Repo, Store

WORKERS = 6


class EvPlain(Model, table="ev_plain"):
    name: str = Field(max_length=20)
    n: int = 0


class EvPlainHard(Model, table="ev_plain_hard", soft_delete=False):
    name: str = Field(max_length=20)
    n: int = 0


class EvAudited(Model, table="ev_audited", history="copy_on_change"):
    name: str = Field(max_length=20)
    n: int = 0


class EvAuditedHard(Model, table="ev_audited_hard", history="copy_on_change", soft_delete=False):
    name: str = Field(max_length=20)
    n: int = 0


class EvVersioned(Model, table="ev_versioned", history="scd2"):
    name: str = Field(max_length=20)
    n: int = 0


ALL = [EvPlain, EvPlainHard, EvAudited, EvAuditedHard, EvVersioned]
SOFT = [EvPlain, EvAudited, EvVersioned]


async def _setup(store: Store, model: type[Model], tenant: UUID) -> tuple[Repo, Any]:
    """A repository and one of its rows at version 2."""
    await store.create_all(model)
    repo = store.repository(model, tenant_id=tenant, actor="alice")
    row = await repo.create(model(name="a"))  # type: ignore[call-arg]
    store.clock.advance(seconds=1)
    row = await repo.update(row.id, n=1)
    assert row.version == 2
    return repo, row


async def _trail(repo: Repo, model: type[Model], id: Any) -> int | None:
    """How many history entries the row has (None for a model that keeps none)."""
    if model in (EvPlain, EvPlainHard):
        return None
    return len(await repo.history(id))


@pytest.mark.parametrize("write", ["delete", "purge"])
@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
async def test_a_stale_delete_or_purge_is_refused_and_writes_nothing(
    store: Store, tenant: UUID, model: type[Model], write: str
) -> None:
    repo, row = await _setup(store, model, tenant)
    before = await _trail(repo, model, row.id)
    with pytest.raises(ConflictError, match="at version 2, not 1"):
        await getattr(repo, write)(row.id, expected_version=1)
    assert (await repo.get(row.id)).version == 2
    assert await _trail(repo, model, row.id) == before
    await getattr(repo, write)(row.id, expected_version=2)
    with pytest.raises(NotFoundError):
        await repo.get(row.id)
    if model in SOFT and write == "delete":
        assert (await repo.get(row.id, include_deleted=True)).version == 3
    else:
        with pytest.raises(NotFoundError):
            await repo.get(row.id, include_deleted=True)


@pytest.mark.parametrize("model", SOFT, ids=lambda m: m.__name__)
async def test_deleting_a_deleted_row_again_still_checks_its_version(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)
    await repo.delete(row.id)
    before = await _trail(repo, model, row.id)
    await repo.delete(row.id, expected_version=3)  # current: nothing to do, no error
    with pytest.raises(ConflictError):
        await repo.delete(row.id, expected_version=2)
    assert (await repo.get(row.id, include_deleted=True)).version == 3
    assert await _trail(repo, model, row.id) == before


@pytest.mark.parametrize("model", SOFT, ids=lambda m: m.__name__)
async def test_a_stale_restore_is_refused_and_writes_nothing(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)
    await repo.delete(row.id)
    before = await _trail(repo, model, row.id)
    with pytest.raises(ConflictError, match="at version 3, not 2"):
        await repo.restore(row.id, expected_version=2)
    deleted = await repo.get(row.id, include_deleted=True)
    assert deleted.deleted_at is not None
    assert deleted.version == 3
    assert await _trail(repo, model, row.id) == before
    restored = await repo.restore(row.id, expected_version=3)
    assert (restored.version, restored.deleted_at) == (4, None)
    # restoring a live row is idempotent, but a stale version is still refused
    assert (await repo.restore(row.id, expected_version=4)).version == 4
    with pytest.raises(ConflictError):
        await repo.restore(row.id, expected_version=3)


@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
async def test_an_expected_version_of_a_missing_or_foreign_row_is_not_found(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)
    other = store.repository(model, tenant_id=uuid4(), actor="mallory")
    writes = [other.delete, other.purge, *([other.restore] if model in SOFT else [])]
    for write in writes:
        for id in (row.id, uuid4()):
            with pytest.raises(NotFoundError):
                await write(id, expected_version=2)
    assert (await repo.get(row.id)).version == 2


async def test_a_stale_revert_is_refused_and_writes_nothing(store: Store, tenant: UUID) -> None:
    repo, row = await _setup(store, EvVersioned, tenant)
    with pytest.raises(ConflictError, match="at version 2, not 1"):
        await repo.revert(row.id, to_version=1, expected_version=1)
    assert len(await repo.versions(row.id)) == 2
    store.clock.advance(seconds=1)
    reverted = await repo.revert(row.id, to_version=1, expected_version=2)
    assert (reverted.version, reverted.n) == (3, 0)
    # a revert to the values the row already has writes nothing, but still checks
    with pytest.raises(ConflictError):
        await repo.revert(row.id, to_version=1, expected_version=2)
    assert len(await repo.versions(row.id)) == 3


# --- concurrent writers holding one version ----------------------------------------------------
async def _race(store: Store, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` for each worker at once: threads (sync) or tasks (async). Each result
    is True or the exception raised."""
    if store.is_async:

        async def one(i: int) -> Any:
            await work(i)
            return True

        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            return await asyncio.gather(*(one(i) for i in range(WORKERS)), return_exceptions=True)
    barrier = threading.Barrier(WORKERS, timeout=60)

    def attempt(i: int) -> Any:
        barrier.wait()
        try:
            work(i)
        except Exception as exc:
            return exc
        return True

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(attempt, range(WORKERS)))


def _one_winner(results: list[Any], *losers: type[Exception]) -> None:
    """Exactly one writer got through; every other one was refused. On a loaded machine a
    writer may also give up waiting for SQLite's write lock (DatabaseTimeout): it too wrote
    nothing, so it counts as refused."""
    assert sum(1 for r in results if r is True) == 1, results
    refused = (*losers, DatabaseTimeout)
    assert all(isinstance(r, refused) for r in results if r is not True), results


@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
async def test_racing_deletes_on_one_version_let_exactly_one_through(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)
    before = await _trail(repo, model, row.id)
    results = await _race(store, lambda _: repo.inner.delete(row.id, expected_version=2))
    # a hard delete leaves nothing to be stale against: the losers find no row
    _one_winner(results, ConflictError if model in SOFT else NotFoundError)
    if before is not None:
        assert await _trail(repo, model, row.id) == before + 1


@pytest.mark.parametrize("model", SOFT, ids=lambda m: m.__name__)
async def test_racing_restores_on_one_version_let_exactly_one_through(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)
    await repo.delete(row.id)
    before = await _trail(repo, model, row.id)
    results = await _race(store, lambda _: repo.inner.restore(row.id, expected_version=3))
    _one_winner(results, ConflictError)
    assert (await repo.get(row.id)).version == 4
    if before is not None:
        assert await _trail(repo, model, row.id) == before + 1


@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
async def test_a_purge_racing_stale_updates_lets_exactly_one_through(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    repo, row = await _setup(store, model, tenant)

    def work(i: int) -> Any:
        if i == 0:
            return repo.inner.purge(row.id, expected_version=2)
        return repo.inner.update(row.id, n=10 + i, expected_version=2)

    results = await _race(store, work)
    _one_winner(results, ConflictError, NotFoundError)
    if results[0] is True:  # the purge won: the row is gone
        with pytest.raises(NotFoundError):
            await repo.get(row.id, include_deleted=True)
    else:  # an update won: the row is at version 3 with its value
        current = await repo.get(row.id)
        assert current.version == 3
        assert current.n == 10 + results.index(True)


async def test_racing_reverts_on_one_version_let_exactly_one_through(
    store: Store, tenant: UUID
) -> None:
    repo, row = await _setup(store, EvVersioned, tenant)
    store.clock.advance(seconds=1)
    results = await _race(
        store, lambda _: repo.inner.revert(row.id, to_version=1, expected_version=2)
    )
    _one_winner(results, ConflictError)
    assert [v.number for v in await repo.versions(row.id)] == [1, 2, 3]


@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
async def test_an_update_that_changes_nothing_still_checks_its_version(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    # PATCH {} with a stale If-Match must be refused like any other stale write
    repo, row = await _setup(store, model, tenant)
    before = await _trail(repo, model, row.id)
    with pytest.raises(ConflictError, match="at version 2, not 1"):
        await repo.update(row.id, expected_version=1)
    with pytest.raises(ConflictError, match="at version 2, not 1"):
        await repo.update(row.id, n=1, expected_version=1)  # the same value: no change either
    assert (await repo.update(row.id, expected_version=2)).version == 2
    assert await _trail(repo, model, row.id) == before
