"""copy_on_change: every committed write leaves one audit row per changed field, typed back.

Each test checks the audit table itself (through SQLAlchemy, outside storied) as well as the
history storied reads from it, on every backend, sync and async.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import NotFoundError
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import audit_rows
from tests.models import Account

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
FIELDS = ("code", "owner", "balance", "counter", "ref", "opened_at", "meta", "blob")


@pytest.fixture
async def accounts(store: Store, tenant: UUID) -> Repo:
    store.clock.set(START)
    await store.create_all(Account)
    return store.repository(Account, tenant_id=tenant, actor="alice")


def account(code: str = "A1", **values: Any) -> Account:
    base: dict[str, Any] = {
        "code": code,
        "owner": "Ada",
        "balance": Decimal("10.50"),
        "ref": UUID("12345678-1234-5678-1234-567812345678"),
        "opened_at": dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        "meta": {"tier": "gold", "limits": [1, 2], "nested": {"a": None}},
        "blob": b"\x00\xffbin",
    }
    return Account(**{**base, **values})


async def test_create_writes_one_audit_row_per_field(
    store: Store, accounts: Repo, tenant: UUID
) -> None:
    created = await accounts.create(account())
    rows = await audit_rows(store.db, Account, created.id)
    assert sorted(r["field"] for r in rows) == sorted(FIELDS)
    assert {r["operation"] for r in rows} == {"create"}
    assert len({r["change_set"] for r in rows}) == 1
    assert {(r["actor"], r["changed_at"], r["tenant_id"]) for r in rows} == {
        ("alice", START, tenant)
    }
    assert all(r["old_value"] is None for r in rows)
    [cs] = await accounts.history(created.id)
    assert (cs.operation, cs.actor, cs.at, cs.record_id) == ("create", "alice", START, created.id)
    assert cs.changes == {f: (None, getattr(created, f)) for f in FIELDS}


async def test_update_writes_one_row_per_changed_field_in_one_change_set(
    store: Store, accounts: Repo
) -> None:
    created = await accounts.create(account())
    later = store.clock.advance(minutes=3)
    bob = store.repository(Account, tenant_id=created.tenant_id, actor="bob")
    # owner is sent unchanged: only the two fields that really change are recorded
    await bob.update(created.id, owner="Ada", balance=Decimal("11.00"), counter=5)
    rows = await audit_rows(store.db, Account, created.id)
    rows = [r for r in rows if r["operation"] != "create"]
    assert sorted(r["field"] for r in rows) == ["balance", "counter"]
    assert len({r["change_set"] for r in rows}) == 1
    assert {(r["operation"], r["actor"], r["changed_at"]) for r in rows} == {
        ("update", "bob", later)
    }
    history = await accounts.history(created.id)
    assert [cs.operation for cs in history] == ["create", "update"]
    assert history[1].changes == {
        "balance": (Decimal("10.50"), Decimal("11.00")),
        "counter": (0, 5),
    }
    assert (history[1].actor, history[1].at) == ("bob", later)
    assert history[0].id != history[1].id


async def test_an_update_that_changes_nothing_writes_nothing(store: Store, accounts: Repo) -> None:
    created = await accounts.create(account())
    store.clock.advance(minutes=1)
    same = await accounts.update(
        created.id, owner=created.owner, balance=Decimal("10.5"), meta=dict(created.meta)
    )
    stored = await accounts.get(created.id)
    for row in (same, stored):
        assert row.version == 1
        assert row.updated_at == START
    assert len(await audit_rows(store.db, Account, created.id)) == len(FIELDS)
    assert len(await accounts.history(created.id)) == 1


async def test_bookkeeping_columns_are_never_audited(store: Store, accounts: Repo) -> None:
    created = await accounts.create(account())
    store.clock.advance(seconds=1)
    await accounts.update(created.id, counter=1)
    await accounts.delete(created.id)
    await accounts.restore(created.id)
    fields = {r["field"] for r in await audit_rows(store.db, Account, created.id)}
    assert fields - {None} == set(FIELDS)
    for cs in await accounts.history(created.id):
        assert set(cs.changes) <= set(FIELDS)


async def test_history_values_come_back_with_the_models_types(store: Store, accounts: Repo) -> None:
    created = await accounts.create(account())
    new_ref = uuid4()
    new_time = dt.datetime(2026, 2, 2, 2, 2, 2, 222222, tzinfo=UTC)
    await accounts.update(
        created.id,
        balance=Decimal("0.01"),
        ref=new_ref,
        opened_at=new_time,
        meta={"tier": "silver", "n": 1.5},
        blob=b"\x01\x02",
    )
    update = (await accounts.history(created.id))[1]
    expected = {
        "balance": (Decimal("10.50"), Decimal("0.01")),
        "ref": (created.ref, new_ref),
        "opened_at": (created.opened_at, new_time),
        "meta": (created.meta, {"tier": "silver", "n": 1.5}),
        "blob": (b"\x00\xffbin", b"\x01\x02"),
    }
    assert update.changes == expected
    for name, (old, new) in update.changes.items():
        kind = {"balance": Decimal, "ref": UUID, "opened_at": dt.datetime}.get(name)
        kind = kind or {"meta": dict, "blob": bytes}[name]
        assert isinstance(old, kind), name
        assert isinstance(new, kind), name
    assert update.changes["opened_at"][1].utcoffset() == dt.timedelta(0)
    _, change = await accounts.field_history(created.id, "ref")
    assert (change.operation, change.old, change.new) == ("update", created.ref, new_ref)
    assert isinstance(change.new, UUID)
    _, meta = await accounts.field_history(created.id, "meta")
    assert isinstance(meta.new, dict)
    assert meta.new == {"tier": "silver", "n": 1.5}
    feed = await accounts.changes(operation="update")
    assert feed[0].changes == expected


async def test_field_history_lists_one_fields_changes_in_order(
    store: Store, accounts: Repo
) -> None:
    created = await accounts.create(account())
    for amount in ("1.00", "2.00"):
        store.clock.advance(seconds=1)
        await accounts.update(created.id, balance=Decimal(amount), counter=int(Decimal(amount)))
    changes = await accounts.field_history(created.id, "balance")
    assert [(c.operation, c.old, c.new) for c in changes] == [
        ("create", None, Decimal("10.50")),
        ("update", Decimal("10.50"), Decimal("1.00")),
        ("update", Decimal("1.00"), Decimal("2.00")),
    ]
    assert [c.at for c in changes] == [START, *(START + dt.timedelta(seconds=s) for s in (1, 2))]
    # each names its write's change set (as history() does), and no version (not recorded)
    sets = await accounts.history(created.id)
    assert [c.change_set_id for c in changes] == [cs.change_set_id for cs in sets]
    assert all(isinstance(c.change_set_id, UUID) and c.version is None for c in changes)


async def test_delete_restore_and_purge_are_recorded(store: Store, accounts: Repo) -> None:
    created = await accounts.create(account())
    moments = [store.clock.advance(seconds=1) for _ in range(3)]
    store.clock.set(moments[0])
    await accounts.delete(created.id)
    await accounts.delete(created.id)  # deleting twice records once
    store.clock.set(moments[1])
    await accounts.restore(created.id)
    await accounts.restore(created.id)  # restoring a live row records nothing
    store.clock.set(moments[2])
    await accounts.purge(created.id)
    with pytest.raises(NotFoundError):
        await accounts.get(created.id, include_deleted=True)
    history = await accounts.history(created.id)  # the audit outlives the row
    assert [(cs.operation, cs.at) for cs in history] == [
        ("create", START),
        ("delete", moments[0]),
        ("restore", moments[1]),
        ("purge", moments[2]),
    ]
    assert all(cs.changes == {} for cs in history[1:])
    rows = await audit_rows(store.db, Account, created.id)
    assert [r["operation"] for r in rows[len(FIELDS) :]] == ["delete", "restore", "purge"]
    assert all(r["field"] is None for r in rows[len(FIELDS) :])


async def test_changes_feed_filters_by_time_actor_operation_and_limit(
    store: Store, accounts: Repo
) -> None:
    a = await accounts.create(account("A1"))
    t1 = store.clock.advance(minutes=1)
    bob = store.repository(Account, tenant_id=a.tenant_id, actor="bob")
    b = await bob.create(account("B1"))
    t2 = store.clock.advance(minutes=1)
    await bob.update(a.id, counter=7)
    feed = await accounts.changes()
    assert [(cs.record_id, cs.operation) for cs in feed] == [
        (a.id, "create"),
        (b.id, "create"),
        (a.id, "update"),
    ]
    assert [cs.record_id for cs in await accounts.changes(since=t1)] == [b.id, a.id]
    assert [cs.record_id for cs in await accounts.changes(until=t1)] == [a.id]
    assert [cs.at for cs in await accounts.changes(since=t1, until=t2)] == [t1]
    assert [cs.operation for cs in await accounts.changes(actor="bob")] == ["create", "update"]
    assert [cs.record_id for cs in await accounts.changes(operation="create")] == [a.id, b.id]
    limited = await accounts.changes(limit=len(FIELDS))  # limit counts audit rows
    assert [cs.record_id for cs in limited] == [a.id]


async def test_prune_history_removes_only_older_rows(store: Store, accounts: Repo) -> None:
    created = await accounts.create(account())
    cut = store.clock.advance(days=1)
    await accounts.update(created.id, counter=1)
    removed = await accounts.prune_history(older_than=cut)
    assert removed == len(FIELDS)
    rows = await audit_rows(store.db, Account, created.id)
    assert [(r["operation"], r["changed_at"]) for r in rows] == [("update", cut)]
    assert await accounts.prune_history(older_than=cut) == 0
