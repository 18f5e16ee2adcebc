"""Bulk writes record history exactly as single writes do.

The same story is written twice at the same frozen moments, in two tenants: once with single
writes, once with ``create_many``/``update_many``/``delete_many``. The audit rows (or version
rows) each record gets are then compared column by column, ids and change-set ids aside.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import ConflictError, Model, NotFoundError
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import audit_rows, version_rows
from tests.models import Account, Price

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 8, 0, 0, 250000, tzinfo=UTC)

STORIES: dict[type[Model], Any] = {
    Account: {
        "create": [
            {"code": "A", "owner": "Ada", "balance": Decimal("1.00"), "meta": {"k": 1}},
            {"code": "B", "owner": "Bob", "balance": Decimal("2.00"), "blob": b"\x00"},
            {"code": "C", "owner": "Cy", "balance": Decimal("3.00"), "ref": UUID(int=7)},
        ],
        "update": [
            {"counter": 1, "owner": "Ada L."},
            {"balance": Decimal("2.50"), "meta": {"k": [1, 2]}},
            {"owner": "Cy"},  # changes nothing: no history
        ],
    },
    Price: {
        "create": [
            {"sku": "A", "amount": Decimal("1.00"), "meta": {"k": 1}},
            {"sku": "B", "amount": Decimal("2.00"), "ref": UUID(int=7)},
            {"sku": "C", "amount": Decimal("3.00"), "effective": T0},
        ],
        "update": [
            {"counter": 1, "sku": "A2"},
            {"amount": Decimal("2.50"), "meta": {"k": [1, 2]}},
            {"amount": Decimal("3.00")},  # changes nothing: no new version
        ],
    },
}


async def _tell(store: Store, repo: Repo, model: type[Model], bulk: bool) -> list[UUID]:
    story = STORIES[model]
    store.clock.set(T0)
    if bulk:
        ids = [m.id for m in await repo.create_many([model(**v) for v in story["create"]])]
    else:
        ids = [(await repo.create(model(**v))).id for v in story["create"]]
    store.clock.advance(seconds=1)
    pairs = list(zip(ids, story["update"], strict=True))
    if bulk:
        await repo.update_many(dict(pairs))
    else:
        for id, changes in pairs:
            await repo.update(id, **changes)
    store.clock.advance(seconds=1)
    doomed = [ids[0], ids[1], ids[0]]
    if bulk:
        await repo.delete_many(doomed)
    else:
        for id in doomed:
            await repo.delete(id)  # the second delete of ids[0] is a no-op
    store.clock.advance(seconds=1)
    if bulk:
        await repo.delete_many([ids[0], ids[2]])  # ids[0] is deleted already
    else:
        for id in (ids[0], ids[2]):
            await repo.delete(id)
    return ids


def _audit_story(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Audit rows without ids: change sets numbered in order, fields sorted within each."""
    numbers: dict[Any, int] = {}
    out = []
    for r in rows:
        number = numbers.setdefault(r["change_set"], len(numbers))
        keys = ("operation", "field", "old_value", "new_value", "actor", "changed_at")
        out.append((number, *(r[k] for k in keys)))
    return sorted(out, key=lambda x: (x[0], x[2] or ""))


def _version_story(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("row_id", "id", "tenant_id")} for r in rows]


async def _stories(store: Store, model: type[Model]) -> dict[bool, list[Any]]:
    await store.create_all(model)
    out: dict[bool, list[Any]] = {}
    for bulk in (False, True):
        repo = store.repository(model, tenant_id=uuid4(), actor="alice")
        ids = await _tell(store, repo, model, bulk)
        stories = []
        for id in ids:
            if model is Account:
                stories.append(_audit_story(await audit_rows(store.db, model, id)))
            else:
                stories.append(_version_story(await version_rows(store.db, model, id)))
            history = await repo.history(id)
            stories.append([(cs.operation, cs.actor, cs.at, cs.changes) for cs in history])
            row = await repo.get(id, include_deleted=True)
            stories.append(row.model_dump(exclude={"id", "tenant_id"}))
        out[bulk] = stories
    return out


@pytest.mark.parametrize("model", [Account, Price])
async def test_bulk_writes_record_the_same_history_as_single_writes(
    store: Store, model: type[Model]
) -> None:
    stories = await _stories(store, model)
    assert stories[True] == stories[False]
    operations = [op for op, *_ in stories[False][1]]  # the first record's change sets
    assert operations == ["create", "update", "delete"]
    assert [op for op, *_ in stories[False][7]] == ["create", "delete"]  # the unchanged one
    if model is Account:  # a bulk write is one change set per record, never one for the batch
        records: dict[Any, set[Any]] = {}
        for r in await audit_rows(store.db, Account):
            records.setdefault(r["change_set"], set()).add(r["record_id"])
        assert all(len(ids) == 1 for ids in records.values())


@pytest.mark.parametrize("model", [Account, Price])
async def test_a_failing_bulk_write_records_nothing(store: Store, model: type[Model]) -> None:
    await store.create_all(model)
    repo = store.repository(model, tenant_id=uuid4(), actor="alice")
    story = STORIES[model]
    ids = [m.id for m in await repo.create_many([model(**v) for v in story["create"]])]

    async def snapshot() -> Any:
        if model is Account:
            return await audit_rows(store.db, model)
        return await version_rows(store.db, model)

    before = await snapshot()
    store.clock.advance(seconds=1)
    unique = "code" if model is Account else "sku"
    with pytest.raises(ConflictError):
        await repo.update_many({ids[0]: {"counter": 5}, ids[1]: {unique: "A"}})
    with pytest.raises(NotFoundError):
        await repo.update_many({ids[0]: {"counter": 5}, uuid4(): {"counter": 1}})
    with pytest.raises(NotFoundError):
        await repo.delete_many([ids[0], uuid4()])
    with pytest.raises(ConflictError):
        await repo.create_many(
            [model(**{**story["create"][0], unique: "Z"}), model(**story["create"][1])]
        )
    assert await snapshot() == before
