"""History and versions are tenant-scoped on every path: another tenant's story is invisible
and untouchable, exactly like a missing id. Raw table reads prove nothing foreign was written.

The scope predicates are built once, in the sans-I/O operations both repositories run, so these
tests run on the sync API only (on every backend) to keep the suite fast.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import NotFoundError
from tests.integration.conftest import Repo, Store, settle
from tests.integration.temporal_support import audit_rows, version_rows
from tests.models import Account, Price

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LATER = T0 + dt.timedelta(days=1)  # both tenants' rows exist by then

pytestmark = pytest.mark.parametrize("store", ["sync"], indirect=True)


class Two:
    """Tenants A and B, each with an audited and a versioned row and some history."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.a, self.b = uuid4(), uuid4()
        self.rows: dict[UUID, dict[str, Any]] = {}

    async def setup(self) -> None:
        self.store.clock.set(T0)
        await self.store.create_all(Account, Price)
        for tenant, name in ((self.a, "A"), (self.b, "B")):
            acc = self.accounts(tenant)
            pri = self.prices(tenant)
            account = await acc.create(Account(code="C1", owner=name, balance=Decimal(1)))
            price = await pri.create(Price(sku="S1", amount=Decimal(1)))
            self.store.clock.advance(seconds=1)
            await acc.update(account.id, counter=1)
            await pri.update(price.id, counter=1)
            self.store.clock.advance(seconds=1)
            await pri.update(price.id, counter=2)
            self.rows[tenant] = {"account": account, "price": price}
        self.store.clock.advance(seconds=1)

    def accounts(self, tenant: UUID) -> Repo:
        return self.store.repository(Account, tenant_id=tenant, actor="x")

    def prices(self, tenant: UUID) -> Repo:
        return self.store.repository(Price, tenant_id=tenant, actor="x")

    async def snapshot(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return await audit_rows(self.store.db, Account), await version_rows(self.store.db, Price)


@pytest.fixture
async def two(store: Store) -> Two:
    holder = Two(store)
    await holder.setup()
    return holder


async def test_audit_reads_never_show_another_tenants_history(two: Two) -> None:
    accounts = two.accounts(two.a)
    mine, theirs = two.rows[two.a]["account"], two.rows[two.b]["account"]
    assert len(await accounts.history(mine.id)) == 2
    assert await accounts.history(theirs.id) == []
    assert await accounts.field_history(theirs.id, "counter") == []
    feed = await accounts.changes()
    assert {cs.record_id for cs in feed} == {mine.id}
    for filtered in (
        await accounts.changes(operation="update"),
        await accounts.changes(actor="x", since=T0),
        await accounts.changes(limit=100),
    ):
        assert {cs.record_id for cs in filtered} <= {mine.id}


async def test_audit_writes_cannot_reach_another_tenants_row(two: Two) -> None:
    accounts = two.accounts(two.a)
    theirs = two.rows[two.b]["account"]
    before = await two.snapshot()
    for write in (
        lambda: accounts.update(theirs.id, counter=99),
        lambda: accounts.delete(theirs.id),
        lambda: accounts.restore(theirs.id),
        lambda: accounts.purge(theirs.id),
    ):
        with pytest.raises(NotFoundError):
            await write()
    assert await two.snapshot() == before


async def test_pruning_the_audit_touches_only_the_callers_tenant(two: Two) -> None:
    removed = await two.accounts(two.a).prune_history(older_than=LATER)
    rows = await audit_rows(two.store.db, Account)
    assert removed == len(Account.storied_spec().fields) + 1
    assert {r["tenant_id"] for r in rows} == {two.b}
    assert len(await two.accounts(two.b).history(two.rows[two.b]["account"].id)) == 2


async def test_version_reads_never_show_another_tenants_versions(two: Two) -> None:
    prices = two.prices(two.a)
    mine, theirs = two.rows[two.a]["price"], two.rows[two.b]["price"]
    assert len(await prices.versions(mine.id)) == 3
    for read in (
        lambda: prices.versions(theirs.id),
        lambda: prices.get(theirs.id, as_of=LATER),
        lambda: prices.get(theirs.id, as_of=LATER, include_deleted=True),
        lambda: prices.compare_versions(theirs.id, 1, 2),
    ):
        with pytest.raises(NotFoundError):
            await read()
    assert await prices.history(theirs.id) == []
    assert await prices.field_history(theirs.id, "counter") == []
    for moment in (T0, T0 + dt.timedelta(seconds=3), LATER):
        assert [p.id for p in await prices.list(as_of=moment)] == [mine.id]
        assert [p.id for p in await prices.list(as_of=moment, include_deleted=True)] == [mine.id]
        query = prices.query().as_of(moment)
        assert await settle(query.count()) == 1
        assert [p.id for p in await settle(query.all())] == [mine.id]


async def test_version_writes_cannot_reach_another_tenants_row(two: Two) -> None:
    prices = two.prices(two.a)
    theirs = two.rows[two.b]["price"]
    before = await two.snapshot()
    for write in (
        lambda: prices.update(theirs.id, counter=99),
        lambda: prices.revert(theirs.id, to_version=1),
        lambda: prices.delete(theirs.id),
        lambda: prices.restore(theirs.id),
        lambda: prices.purge(theirs.id),
    ):
        with pytest.raises(NotFoundError):
            await write()
    assert await two.snapshot() == before


async def test_pruning_versions_touches_only_the_callers_tenant(two: Two) -> None:
    removed = await two.prices(two.a).prune_history(older_than=LATER)
    assert removed == 2
    rows = await version_rows(two.store.db, Price)
    assert sorted((r["tenant_id"] == two.a, r["version"]) for r in rows) == [
        (False, 1),
        (False, 2),
        (False, 3),
        (True, 3),
    ]


async def test_a_multi_tenant_scope_sees_only_its_tenants(two: Two) -> None:
    other = uuid4()
    prices = two.store.repository(Price, tenant_ids=[two.a, other])
    accounts = two.store.repository(Account, tenant_ids=[two.a, other])
    theirs = two.rows[two.b]
    assert await accounts.history(theirs["account"].id) == []
    assert {cs.record_id for cs in await accounts.changes()} == {two.rows[two.a]["account"].id}
    with pytest.raises(NotFoundError):
        await prices.get(theirs["price"].id, as_of=LATER)
    assert [p.id for p in await prices.list(as_of=LATER)] == [two.rows[two.a]["price"].id]
    admin = two.store.repository(Price, unscoped=True)
    assert len(await admin.list(as_of=LATER)) == 2
    assert len(await admin.versions(theirs["price"].id)) == 3
