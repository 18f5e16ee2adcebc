"""The change feed of scd2 models: one change set per version, tenant-scoped, with the filters of
copy_on_change's feed. Every backend, sync and async."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from storied import ChangeSet, ValidationError
from tests.integration.conftest import Repo, Store
from tests.models import Price

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def _summary(feed: list[ChangeSet]) -> list[tuple[object, str, str | None, dict[str, object]]]:
    return [(cs.record_id, cs.operation, cs.actor, cs.changes) for cs in feed]


class Story:
    """Two tenants' prices: A's written by ann and bob a minute apart, B's by cy in between."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.a, self.b = uuid4(), uuid4()

    def repo(self, tenant: UUID, actor: str) -> Repo:
        return self.store.repository(Price, tenant_id=tenant, actor=actor)

    async def write(self) -> None:
        clock, ann, bob = self.store.clock, self.repo(self.a, "ann"), self.repo(self.a, "bob")
        cy = self.repo(self.b, "cy")
        clock.set(T0)
        self.x = await ann.create(Price(sku="X", amount=Decimal("1.00")))  # T0
        clock.advance(minutes=1)
        self.theirs = await cy.create(Price(sku="X", amount=Decimal("9.00")))  # T0+1 (B)
        self.y = await bob.create(Price(sku="Y", amount=Decimal("2.00")))  # T0+1
        clock.advance(minutes=1)
        await bob.update(self.x.id, amount=Decimal("1.50"), counter=1)  # T0+2
        await cy.update(self.theirs.id, counter=5)  # T0+2 (B)
        clock.advance(minutes=1)
        await ann.delete(self.y.id)  # T0+3
        clock.advance(minutes=1)
        await bob.restore(self.y.id)  # T0+4
        clock.advance(minutes=1)
        await ann.update(self.y.id, amount=Decimal("2.00"))  # no change: no version, no entry


@pytest.fixture
async def story(store: Store) -> Story:
    await store.create_all(Price)
    holder = Story(store)
    await holder.write()
    return holder


async def test_one_entry_per_version_with_who_when_and_what_changed(story: Story) -> None:
    feed = await story.repo(story.a, "ann").changes()
    x, y = story.x, story.y
    assert _summary(feed) == [
        (x.id, "create", "ann", _created("X", "1.00")),
        (y.id, "create", "bob", _created("Y", "2.00")),
        (x.id, "update", "bob", {"amount": (Decimal("1.00"), Decimal("1.50")), "counter": (0, 1)}),
        (y.id, "delete", "ann", {}),
        (y.id, "restore", "bob", {}),
    ]
    assert [cs.at for cs in feed] == [_at(0), _at(1), _at(2), _at(3), _at(4)]
    assert [cs.id for cs in feed] == [1, 1, 2, 2, 3]  # the version each entry is
    # the same entries as each record's own history, interleaved in write order
    by_record = {r.id: await story.repo(story.a, "ann").history(r.id) for r in (story.x, story.y)}
    assert sorted(feed, key=lambda cs: (str(cs.record_id), cs.id)) == sorted(
        [*by_record[x.id], *by_record[y.id]], key=lambda cs: (str(cs.record_id), cs.id)
    )


def _created(sku: str, amount: str) -> dict[str, object]:
    """A create entry's changes: every field, from nothing (the unset ones at their default)."""
    return {
        "sku": (None, sku),
        "amount": (None, Decimal(amount)),
        "counter": (None, 0),
        "ref": (None, None),
        "effective": (None, None),
        "meta": (None, {}),
    }


def _at(minutes: int) -> dt.datetime:
    return T0 + minutes * MINUTE


async def test_filters_and_limit_match_copy_on_change(story: Story) -> None:
    prices, x, y = story.repo(story.a, "ann"), story.x, story.y

    async def ids(**filters: object) -> list[tuple[object, str]]:
        return [(cs.record_id, cs.operation) for cs in await prices.changes(**filters)]

    assert await ids(since=_at(2)) == [(x.id, "update"), (y.id, "delete"), (y.id, "restore")]
    assert await ids(until=_at(1)) == [(x.id, "create")]
    assert await ids(since=_at(1), until=_at(3)) == [(y.id, "create"), (x.id, "update")]
    assert await ids(actor="bob") == [(y.id, "create"), (x.id, "update"), (y.id, "restore")]
    assert await ids(operation="create") == [(x.id, "create"), (y.id, "create")]
    assert await ids(operation="update") == [(x.id, "update")]
    assert await ids(operation="delete") == [(y.id, "delete")]
    assert await ids(operation="restore") == [(y.id, "restore")]
    assert await ids(operation="purge") == []  # a purge leaves no versions to list
    assert await ids(limit=2) == [(x.id, "create"), (y.id, "create")]  # limit counts versions
    assert await ids(limit=0) == []
    # filters combine, and limit applies after them (in the database, not on a first page)
    assert await ids(actor="bob", operation="restore", limit=1) == [(y.id, "restore")]
    assert await ids(operation="update", since=_at(3)) == []
    with pytest.raises(ValidationError):
        await prices.changes(operation="rename")


async def test_the_feed_is_tenant_scoped(story: Story) -> None:
    theirs = await story.repo(story.b, "cy").changes()
    assert _summary(theirs) == [
        (story.theirs.id, "create", "cy", _created("X", "9.00")),
        (story.theirs.id, "update", "cy", {"counter": (0, 5)}),
    ]
    mine = await story.repo(story.a, "ann").changes()
    assert story.theirs.id not in {cs.record_id for cs in mine}
    for filtered in (
        await story.repo(story.a, "ann").changes(actor="cy"),
        await story.repo(story.a, "ann").changes(operation="update", since=T0),
    ):
        assert story.theirs.id not in {cs.record_id for cs in filtered}
    both = story.store.repository(Price, tenant_ids=[story.a, story.b])
    assert len(await both.changes()) == len(mine) + len(theirs)


async def test_a_purged_record_leaves_the_feed(story: Story) -> None:
    prices = story.repo(story.a, "ann")
    await prices.purge(story.y.id)
    assert {cs.record_id for cs in await prices.changes()} == {story.x.id}
