"""Another tenant's id behaves exactly like a missing id, on every read and write path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import F, NotFoundError
from tests.integration.conftest import Repo, Store, settle
from tests.models import Product

Op = Callable[[Repo, UUID], Awaitable[Any]]

#: Paths that raise NotFoundError for an id the repository cannot see.
RAISING: dict[str, Op] = {
    "get": lambda r, i: r.get(i),
    "get(include_deleted)": lambda r, i: r.get(i, include_deleted=True),
    "update": lambda r, i: r.update(i, name="Hijacked"),
    "update(expected_version)": lambda r, i: r.update(i, name="Hijacked", expected_version=1),
    "update(no changes)": lambda r, i: r.update(i),
    "delete": lambda r, i: r.delete(i),
    "restore": lambda r, i: r.restore(i),
    "purge": lambda r, i: r.purge(i),
}

#: Paths that answer "nothing" for an id the repository cannot see: the operation, its
#: "nothing", and the states (live, deleted) in which the owner does see the row.
BOTH, LIVE, DELETED = {"live", "deleted"}, {"live"}, {"deleted"}
EMPTY: dict[str, tuple[Op, Any, set[str]]] = {
    "get_many": (lambda r, i: r.get_many([i]), [], LIVE),
    "get_many(include_deleted)": (lambda r, i: r.get_many([i], include_deleted=True), [], BOTH),
    "list(F.id)": (lambda r, i: r.list(F.id == i), [], LIVE),
    "list(id=, include_deleted)": (lambda r, i: r.list(id=i, include_deleted=True), [], BOTH),
    "count": (lambda r, i: r.count(F.id == i, include_deleted=True), 0, BOTH),
    "exists": (lambda r, i: r.exists(id=i, include_deleted=True), False, BOTH),
    "query().all": (
        lambda r, i: settle(r.query().filter(id=i).include_deleted().all()),
        [],
        BOTH,
    ),
    "query().first": (lambda r, i: settle(r.query().filter(id=i).first()), None, LIVE),
    "query().count": (lambda r, i: settle(r.query().filter(id=i).count()), 0, LIVE),
    "query().only_deleted": (
        lambda r, i: settle(r.query().filter(id=i).only_deleted().all()),
        [],
        DELETED,
    ),
}


@dataclass
class World:
    mine: Repo
    theirs: Repo
    their_row: Product


@pytest.fixture(params=["live", "deleted"])
async def world(request: pytest.FixtureRequest, store: Store) -> World:
    """Tenant B owns one product, live or soft-deleted; tenant A looks for it."""
    await store.create_all(Product)
    mine = store.repository(Product, tenant_id=uuid4(), actor="a")
    theirs = store.repository(Product, tenant_id=uuid4(), actor="b")
    await mine.create(Product(sku="MINE", name="Mine", price=Decimal(1)))
    row = await theirs.create(Product(sku="THEIRS", name="Theirs", price=Decimal(2)))
    if request.param == "deleted":
        await theirs.delete(row.id)
    return World(mine, theirs, await theirs.get(row.id, include_deleted=True))


def shape(exc: BaseException, id: UUID) -> tuple[type, str, tuple[Any, ...]]:
    """What a caller can observe about an error, with the id masked."""
    return type(exc), str(exc).replace(str(id), "<id>"), (getattr(exc, "model", None),)


async def test_a_foreign_id_is_not_found_exactly_like_a_missing_id(world: World) -> None:
    foreign, missing = world.their_row.id, uuid4()
    for path, op in RAISING.items():
        with pytest.raises(NotFoundError) as for_foreign:
            await op(world.mine, foreign)
        with pytest.raises(NotFoundError) as for_missing:
            await op(world.mine, missing)
        assert shape(for_foreign.value, foreign) == shape(for_missing.value, missing), path
        assert for_foreign.value.id == foreign, path


async def test_a_foreign_id_reads_as_nothing_exactly_like_a_missing_id(world: World) -> None:
    state = "live" if world.their_row.deleted_at is None else "deleted"
    for path, (op, nothing, owner_sees) in EMPTY.items():
        assert await op(world.mine, world.their_row.id) == nothing, path
        assert await op(world.mine, uuid4()) == nothing, path
        # the same call by the owner does find the row (so "nothing" above means "hidden")
        owner = await op(world.theirs, world.their_row.id)
        assert (owner != nothing) == (state in owner_sees), path


async def test_failed_foreign_writes_leave_the_row_untouched(world: World) -> None:
    before = world.their_row
    for path in ("update", "delete", "restore", "purge"):
        with pytest.raises(NotFoundError):
            await RAISING[path](world.mine, before.id)
    assert await world.theirs.get(before.id, include_deleted=True) == before


async def test_listing_never_shows_the_other_tenants_rows(world: World) -> None:
    assert [p.sku for p in await world.mine.list(include_deleted=True)] == ["MINE"]
    assert await world.mine.count(include_deleted=True) == 1
    assert await world.mine.exists(sku="THEIRS", include_deleted=True) is False
    everything = world.mine.query().include_deleted()
    assert [p.sku for p in await settle(everything.all())] == ["MINE"]
    assert await settle(everything.filter(F.sku == "THEIRS").count()) == 0


async def test_filtering_on_tenant_id_cannot_widen_the_scope(world: World) -> None:
    their_tenant = world.their_row.tenant_id
    assert await world.mine.list(tenant_id=their_tenant, include_deleted=True) == []
    assert await world.mine.count(F.tenant_id != their_tenant) == 1
    either = (F.tenant_id == their_tenant) | (F.sku == "THEIRS")
    assert await world.mine.list(either, include_deleted=True) == []
