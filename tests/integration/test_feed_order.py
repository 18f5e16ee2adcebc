"""A tenant's change feed is in time order, then write order, for copy_on_change and scd2:
a write whose moment is earlier than one already stored (a transaction that took its "now"
first and committed last) is listed at its moment, so a reader resuming at a moment misses
nothing. Every backend, sync and async."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from storied import Field, Model
from tests.integration.conftest import Store


class FoAudited(Model, table="fo_audited", history="copy_on_change"):
    name: str = Field(max_length=20)


class FoVersioned(Model, table="fo_versioned", history="scd2"):
    name: str = Field(max_length=20)


@pytest.mark.parametrize("model", [FoAudited, FoVersioned], ids=lambda m: m.__name__)
async def test_the_feed_lists_change_sets_by_their_moment(
    store: Store, tenant: UUID, model: type[Model]
) -> None:
    await store.create_all(model)
    repo = store.repository(model, tenant_id=tenant, actor="alice")
    start = store.clock.now()
    store.clock.set(start + dt.timedelta(seconds=10))
    late = await repo.create(model(name="late"))  # type: ignore[call-arg]
    store.clock.set(start)
    early = await repo.create(model(name="early"))  # type: ignore[call-arg]
    both = await repo.create_many([model(name="b1"), model(name="b2")])  # type: ignore[call-arg]
    feed = await repo.changes()
    assert [cs.record_id for cs in feed] == [early.id, *(m.id for m in both), late.id]
    assert [cs.at for cs in feed] == sorted(cs.at for cs in feed)
    after = await repo.changes(since=start + dt.timedelta(seconds=5))
    assert [cs.record_id for cs in after] == [late.id]
    assert [cs.record_id for cs in await repo.changes(limit=1)] == [early.id]
