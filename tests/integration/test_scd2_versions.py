"""scd2 reads and derived history: as_of, versions, compare_versions, revert, history, prune."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import F, NotFoundError
from tests.integration.conftest import Repo, Store, settle
from tests.integration.temporal_support import check_chain, version_rows
from tests.models import Price

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
TICK = dt.timedelta(microseconds=1)
REF = UUID("12345678-1234-5678-1234-567812345678")
WHEN = dt.datetime(2025, 6, 1, 12, 0, 0, 500000, tzinfo=UTC)


@pytest.fixture
async def prices(store: Store, tenant: UUID) -> Repo:
    store.clock.set(T0)
    await store.create_all(Price)
    return store.repository(Price, tenant_id=tenant, actor="alice")


def price(sku: str = "S1", **values: Any) -> Price:
    return Price(sku=sku, amount=Decimal("9.99"), **values)


async def _story(store: Store, prices: Repo) -> tuple[Price, list[dt.datetime]]:
    """v1 create, v2 and v3 updates, v4 tombstone, v5 restore: one second apart."""
    p = await prices.create(price(ref=REF, effective=WHEN, meta={"tier": 1}))
    moments = [T0]
    await prices.update(p.id, amount=Decimal("10.00"))
    moments.append(store.clock.now())
    for write in (
        lambda: prices.update(p.id, amount=Decimal("11.00"), meta={"tier": 2}, ref=None),
        lambda: prices.delete(p.id),
        lambda: prices.restore(p.id),
    ):
        moments.append(store.clock.advance(seconds=1))
        await write()
    return p, moments


async def test_as_of_returns_exactly_the_version_valid_at_that_moment(
    store: Store, prices: Repo
) -> None:
    store.clock.set(T0)
    p, (t1, _, t3, t4, t5) = await _story(store, prices)
    # v2 was written at the same frozen instant as v1: it starts one tick later
    t2 = t1 + TICK
    expect = {
        t1: 1,
        t2 - TICK: 1,
        t2: 2,
        t3 - TICK: 2,
        t3: 3,
        t4 - TICK: 3,
        t5: 5,
        t5 + dt.timedelta(days=365): 5,
    }
    for moment, version in expect.items():
        got = await prices.get(p.id, as_of=moment)
        assert got.version == version, moment
    v3 = await prices.get(p.id, as_of=t3)
    assert (v3.amount, v3.meta, v3.ref) == (Decimal("11.00"), {"tier": 2}, None)
    v1 = await prices.get(p.id, as_of=t1)
    assert (v1.amount, v1.ref, v1.effective, v1.meta) == (Decimal("9.99"), REF, WHEN, {"tier": 1})
    with pytest.raises(NotFoundError):
        await prices.get(p.id, as_of=t1 - TICK)  # before the first version
    for moment in (t4, t5 - TICK):  # while deleted
        with pytest.raises(NotFoundError):
            await prices.get(p.id, as_of=moment)
        tombstone = await prices.get(p.id, as_of=moment, include_deleted=True)
        assert (tombstone.version, tombstone.deleted_at, tombstone.deleted_by) == (4, t4, "alice")
    later = T0.replace(tzinfo=dt.timezone(dt.timedelta(hours=2))) + dt.timedelta(hours=2)
    assert (await prices.get(p.id, as_of=later)).version == 1  # same instant, another zone


async def test_list_and_query_as_of_see_the_rows_of_that_moment(store: Store, prices: Repo) -> None:
    a = await prices.create(price("A"))
    t1 = store.clock.advance(seconds=1)
    b = await prices.create(price("B"))
    await prices.update(a.id, amount=Decimal("1.00"))
    t2 = store.clock.advance(seconds=1)
    await prices.delete(b.id)
    await prices.update(a.id, amount=Decimal("2.00"))

    async def seen(moment: dt.datetime, **kw: Any) -> list[tuple[str, Decimal, int]]:
        rows = await prices.list(as_of=moment, order_by="sku", **kw)
        return [(r.sku, r.amount, r.version) for r in rows]

    assert await seen(T0 - TICK) == []
    assert await seen(T0) == [("A", Decimal("9.99"), 1)]
    assert await seen(t1) == [("A", Decimal("1.00"), 2), ("B", Decimal("9.99"), 1)]
    assert await seen(t2) == [("A", Decimal("2.00"), 3)]
    assert await seen(t2, include_deleted=True) == [
        ("A", Decimal("2.00"), 3),
        ("B", Decimal("9.99"), 2),
    ]
    query = prices.query().as_of(t1).filter(F.amount < 5).order_by(F.sku)
    found = await settle(query.all())
    assert [(r.sku, r.version) for r in found] == [("A", 2)]
    assert await prices.list() == [await prices.get(a.id)]


async def test_delete_writes_a_tombstone_and_restore_a_new_live_version(
    store: Store, prices: Repo
) -> None:
    p = await prices.create(price(counter=3))
    deleted_at = store.clock.advance(seconds=1)
    bob = store.repository(Price, tenant_id=p.tenant_id, actor="bob")
    await bob.delete(p.id)
    await bob.delete(p.id)  # twice: one tombstone
    with pytest.raises(NotFoundError):
        await prices.get(p.id)
    assert await prices.list() == []
    tomb = await prices.get(p.id, include_deleted=True)
    assert (tomb.version, tomb.deleted_at, tomb.deleted_by, tomb.counter) == (
        2,
        deleted_at,
        "bob",
        3,
    )
    restored_at = store.clock.advance(seconds=1)
    back = await prices.restore(p.id)
    assert (back.version, back.deleted_at, back.updated_at, back.counter) == (
        3,
        None,
        restored_at,
        3,
    )
    rows = await version_rows(store.db, Price, p.id)
    check_chain(rows)
    assert [r["deleted_at"] for r in rows] == [None, deleted_at, None]
    history = await prices.history(p.id)
    assert [(cs.operation, cs.actor, cs.at) for cs in history] == [
        ("create", "alice", T0),
        ("delete", "bob", deleted_at),
        ("restore", "alice", restored_at),
    ]


async def test_history_and_field_history_are_derived_from_versions(
    store: Store, prices: Repo
) -> None:
    p, (t1, _, t3, t4, t5) = await _story(store, prices)
    history = await prices.history(p.id)
    assert [(cs.id, cs.operation, cs.at) for cs in history] == [
        (1, "create", t1),
        (2, "update", t1 + TICK),
        (3, "update", t3),
        (4, "delete", t4),
        (5, "restore", t5),
    ]
    assert history[0].changes["ref"] == (None, REF)
    assert history[0].changes["effective"] == (None, WHEN)
    assert history[1].changes == {"amount": (Decimal("9.99"), Decimal("10.00"))}
    assert history[2].changes == {
        "amount": (Decimal("10.00"), Decimal("11.00")),
        "meta": ({"tier": 1}, {"tier": 2}),
        "ref": (REF, None),
    }
    amounts = await prices.field_history(p.id, "amount")
    assert [(c.old, c.new) for c in amounts] == [
        (None, Decimal("9.99")),
        (Decimal("9.99"), Decimal("10.00")),
        (Decimal("10.00"), Decimal("11.00")),
    ]
    assert all(isinstance(c.new, Decimal) for c in amounts)
    # scd2 names the version each change made, and has no change-set id
    assert [(c.version, c.change_set_id, c.id) for c in amounts] == [
        (1, None, 1),
        (2, None, 2),
        (3, None, 3),
    ]
    assert await prices.history(uuid4()) == []


async def test_compare_versions_names_the_fields_that_differ(store: Store, prices: Repo) -> None:
    p, _ = await _story(store, prices)
    assert await prices.compare_versions(p.id, 1, 3) == {
        "amount": (Decimal("9.99"), Decimal("11.00")),
        "meta": ({"tier": 1}, {"tier": 2}),
        "ref": (REF, None),
    }
    assert await prices.compare_versions(p.id, 3, 1) == {
        "amount": (Decimal("11.00"), Decimal("9.99")),
        "meta": ({"tier": 2}, {"tier": 1}),
        "ref": (None, REF),
    }
    assert await prices.compare_versions(p.id, 3, 5) == {}  # delete/restore change no field
    with pytest.raises(NotFoundError):
        await prices.compare_versions(p.id, 1, 9)


async def test_revert_writes_a_new_version_equal_to_the_old_one(store: Store, prices: Repo) -> None:
    p, _ = await _story(store, prices)
    before = await version_rows(store.db, Price, p.id)
    at = store.clock.advance(seconds=1)
    bob = store.repository(Price, tenant_id=p.tenant_id, actor="bob")
    reverted = await bob.revert(p.id, to_version=1)
    after = await version_rows(store.db, Price, p.id)
    check_chain(after)
    assert after[:4] == before[:4]  # only the current version was closed
    assert after[4] == {**before[4], "valid_to": at, "current_key": None, "live_key": None}
    assert (reverted.version, reverted.updated_by, reverted.updated_at) == (6, "bob", at)
    v1 = (await prices.versions(p.id))[0].model
    for name in Price.storied_spec().fields:
        assert getattr(reverted, name) == getattr(v1, name), name
    assert await prices.get(p.id) == reverted
    assert await prices.compare_versions(p.id, 1, 6) == {}
    last = (await prices.history(p.id))[-1]
    assert (last.operation, last.actor, last.id) == ("update", "bob", 6)
    assert set(last.changes) == {"amount", "meta", "ref"}
    again = await prices.revert(p.id, to_version=6)  # equal to the current: writes nothing
    assert again.version == 6
    assert len(await version_rows(store.db, Price, p.id)) == 6
    with pytest.raises(NotFoundError):
        await prices.revert(p.id, to_version=42)


async def test_prune_history_deletes_closed_versions_older_than_the_cut(
    store: Store, prices: Repo
) -> None:
    p, (_, _, t3, t4, t5) = await _story(store, prices)
    q = await prices.create(price("Q"))  # only a current version: never pruned
    removed = await prices.prune_history(older_than=t4)
    assert removed == 2  # v1 and v2 ended before t4; v3 ended at t4
    rows = await version_rows(store.db, Price, p.id)
    assert [r["version"] for r in rows] == [3, 4, 5]
    assert (await prices.get(p.id, as_of=t3)).version == 3
    with pytest.raises(NotFoundError):
        await prices.get(p.id, as_of=t3 - TICK)
    assert await prices.prune_history(older_than=t5 + dt.timedelta(days=1)) == 2
    assert [r["version"] for r in await version_rows(store.db, Price, p.id)] == [5]
    assert (await prices.get(p.id)).version == 5
    assert (await prices.get(q.id)).version == 1


async def test_purge_removes_every_version(store: Store, prices: Repo) -> None:
    p, _ = await _story(store, prices)
    other = await prices.create(price("O"))
    await prices.purge(p.id)
    assert await version_rows(store.db, Price, p.id) == []
    with pytest.raises(NotFoundError):
        await prices.get(p.id, include_deleted=True)
    with pytest.raises(NotFoundError):
        await prices.versions(p.id)
    assert len(await version_rows(store.db, Price, other.id)) == 1
