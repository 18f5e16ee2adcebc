"""Raw SQL through storied under Row-Level Security: a forgotten tenant predicate still sees
only the scope's rows, foreign writes are refused, no scope sees nothing, and the scope never
leaks from one operation to the next on the one pooled connection."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, TenantViolation
from tests.integration.conftest import settle

from .conftest import RlsStore, Server
from .models import Item, Page, Task

pytestmark = pytest.mark.postgresql


async def _two_tenants(rls: RlsStore) -> tuple[object, object]:
    a, b = uuid4(), uuid4()
    await rls.repository(Item, tenant_id=a, actor="t").create(Item(sku="a1"))
    await rls.repository(Item, tenant_id=b, actor="t").create(Item(sku="b1"))
    return a, b


def _skus(rows: list[dict[str, object]]) -> set[object]:
    return {row["sku"] for row in rows}


async def test_a_raw_read_without_a_predicate_sees_only_the_scope(rls: RlsStore) -> None:
    a, b = await _two_tenants(rls)
    with rls.db.tenant_scope(tenant_id=a):
        rows = await rls.fetch_all("SELECT sku, tenant_id FROM rls_items")  # no WHERE
        audit = await rls.fetch_all("SELECT DISTINCT tenant_id FROM rls_items_audit")
    assert {r["tenant_id"] for r in rows} == {a}
    assert [r["tenant_id"] for r in audit] == [a]
    with rls.db.tenant_scope(tenant_ids=[a, b]):
        both = await rls.fetch_all(
            "SELECT sku FROM rls_items WHERE tenant_id IN (:a, :b)", {"a": a, "b": b}
        )
    assert _skus(both) == {"a1", "b1"}


async def test_no_scope_sees_no_row(rls: RlsStore) -> None:
    await _two_tenants(rls)
    assert await rls.fetch_all("SELECT sku FROM rls_items") == []
    assert await rls.fetch_all("SELECT * FROM rls_items_audit") == []


async def test_the_admin_scope_sees_every_tenant(rls: RlsStore) -> None:
    a, b = await _two_tenants(rls)
    with rls.db.tenant_scope(unscoped=True):
        rows = await rls.fetch_all("SELECT tenant_id FROM rls_items")
    assert {a, b} <= {r["tenant_id"] for r in rows}


async def test_a_raw_write_of_another_tenants_row_is_refused(rls: RlsStore) -> None:
    a, b = await _two_tenants(rls)
    with rls.db.tenant_scope(tenant_id=a):
        with pytest.raises(TenantViolation):
            await rls.execute(
                "INSERT INTO rls_notes (id, tenant_id, title, created_at, updated_at) "
                "VALUES (:id, :t, 'x', now(), now())",
                {"id": uuid4(), "t": b},
            )
        # an UPDATE cannot reach b's rows (USING) nor move a's row to b (WITH CHECK)
        assert (
            await rls.execute("UPDATE rls_items SET price = 9 WHERE tenant_id = :b", {"b": b}) == 0
        )
        with pytest.raises(TenantViolation):
            await rls.execute("UPDATE rls_items SET tenant_id = :b", {"b": b})
    with rls.db.tenant_scope(tenant_id=b):
        rows = await rls.fetch_all("SELECT price FROM rls_items")
    assert [r["price"] for r in rows] == [0]


async def test_the_scope_never_leaks_to_the_next_operation(rls: RlsStore) -> None:
    """pool_size=1: every call runs on the same connection, tenants interleaved."""
    a, b = await _two_tenants(rls)
    ra = rls.repository(Item, tenant_id=a, actor="t")
    rb = rls.repository(Item, tenant_id=b, actor="t")
    for round_ in range(2):
        assert {i.sku for i in await settle(ra.query().all())} == {"a1"}
        # right after tenant a's read, raw SQL in b's scope sees b only
        with rls.db.tenant_scope(tenant_id=b):
            seen = _skus(await rls.fetch_all("SELECT sku FROM rls_items"))
            assert "b1" in seen
            assert all(str(sku).startswith("b") for sku in seen)
        # and raw SQL in no scope after a repository call sees nothing
        await rb.create(Item(sku=f"b2{round_}"))
        assert await rls.fetch_all("SELECT sku FROM rls_items") == []
        assert await rls.sessions() == ("{}", "")
        with rls.db.tenant_scope(tenant_id=a):
            assert _skus(await rls.fetch_all("SELECT sku FROM rls_items")) == {"a1"}
        assert await settle(rb.query().count()) >= 2


async def _fails_in_a_transaction(rls: RlsStore, work: Callable[[], Awaitable[Any]]) -> None:
    if isinstance(rls.db, AsyncDatabase):
        async with rls.db.transaction():
            await work()
            raise RuntimeError
    with rls.db.transaction():
        await work()
        raise RuntimeError


async def test_a_rolled_back_transaction_does_not_leave_a_stale_scope(rls: RlsStore) -> None:
    """set_config inside a transaction is undone by its rollback: the lease must forget."""
    a, b = await _two_tenants(rls)
    rb = rls.repository(Item, tenant_id=b, actor="t")
    with rls.db.tenant_scope(tenant_id=a):
        await rls.fetch_all("SELECT 1")  # the session now holds a
    with pytest.raises(RuntimeError):
        await _fails_in_a_transaction(rls, lambda: settle(rb.query().count()))  # sets b there
    # the server is back to a; storied must not believe it holds b
    assert {i.sku for i in await settle(rb.query().all())} == {"b1"}
    assert await rls.sessions() == ("{}", "")


async def test_text_and_integer_tenants_are_held_to_their_scope(rls: RlsStore) -> None:
    tag = uuid4().hex[:8]
    org_a, org_b = f'a"{tag},{{x}}', f"b-{tag}"  # quotes, commas, braces: the array literal
    await rls.repository(Page, tenant_id=org_a, actor="t").create(Page(path="/a"))
    await rls.repository(Page, tenant_id=org_b, actor="t").create(Page(path="/b"))
    with rls.db.tenant_scope(tenant_id=org_a):
        assert [r["org"] for r in await rls.fetch_all("SELECT org FROM rls_pages")] == [org_a]
    n = int(uuid4().int % 1_000_000_000)
    await rls.repository(Task, tenant_id=n, actor="t").create(Task(step=1))
    await rls.repository(Task, tenant_id=n + 1, actor="t").create(Task(step=2))
    with rls.db.tenant_scope(tenant_id=n + 1):
        rows = await rls.fetch_all("SELECT tenant_id, step FROM rls_tasks")
        versions = await rls.fetch_all("SELECT DISTINCT tenant_id FROM rls_tasks_identity")
    assert [(r["tenant_id"], r["step"]) for r in rows] == [(n + 1, 2)]
    assert [r["tenant_id"] for r in versions] == [n + 1]


async def test_the_scope_is_set_only_when_it_changes(rls: RlsStore) -> None:
    """The cost: one set_config when the session's scope differs, none when it holds it."""
    a, b = await _two_tenants(rls)
    ra = rls.repository(Item, tenant_id=a, actor="t")
    rb = rls.repository(Item, tenant_id=b, actor="t")
    sent: list[str] = []
    handle = rls.db.events.on_statement(lambda event: sent.append(event.sql))
    try:
        for _ in range(3):
            await settle(ra.query().count())
        same = sum("set_config" in sql for sql in sent)
        for _ in range(3):
            await settle(ra.query().count())
            await settle(rb.query().count())
        switched = sum("set_config" in sql for sql in sent) - same
    finally:
        handle.remove()
    assert same <= 1  # the session may have held another scope before
    assert switched == 5  # a (held already), b, a, b, a, b


async def test_a_replaced_connection_gets_the_scope_before_the_rerun(
    rls: RlsStore, rls_server: Server
) -> None:
    """A read that met a dropped connection runs again on a new one: in the same scope."""
    a, _ = await _two_tenants(rls)
    ra = rls.repository(Item, tenant_id=a, actor="t")
    assert await settle(ra.query().count()) == 1
    with rls.db.tenant_scope(tenant_id=a):  # the session holds a: nothing to set before the read
        pid = await settle(rls.db.fetch_value("SELECT pg_backend_pid()"))
    admin = sa.create_engine(rls_server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    assert [i.sku for i in await settle(ra.query().all())] == ["a1"]


async def _after_a_rolled_back_savepoint(
    rls: RlsStore,
    before: Callable[[], Awaitable[Any]],
    inside: Callable[[], Awaitable[Any]],
    after: Callable[[], Awaitable[Any]],
) -> Any:
    if isinstance(rls.db, AsyncDatabase):
        async with rls.db.transaction():
            await before()
            with contextlib.suppress(RuntimeError):
                async with rls.db.transaction():
                    await inside()
                    raise RuntimeError
            return await after()
    with rls.db.transaction():
        await before()
        with contextlib.suppress(RuntimeError), rls.db.transaction():
            await inside()
            raise RuntimeError
        return await after()


async def test_a_rolled_back_savepoint_does_not_leave_a_stale_scope(rls: RlsStore) -> None:
    """ROLLBACK TO SAVEPOINT undoes a set_config made since the savepoint."""
    a, b = await _two_tenants(rls)
    ra = rls.repository(Item, tenant_id=a, actor="t")
    rb = rls.repository(Item, tenant_id=b, actor="t")
    skus = await _after_a_rolled_back_savepoint(
        rls,
        lambda: settle(ra.query().count()),  # the session holds a
        lambda: settle(rb.query().count()),  # b, inside the savepoint
        lambda: settle(rb.query().all()),  # the server is back to a
    )
    assert [i.sku for i in skus] == ["b1"]


async def test_concurrent_tasks_of_different_tenants_never_see_each_other(
    rls_server: Server,
) -> None:
    """Tasks of two tenants interleave on a pool of two connections: each task's scope (its
    context's) follows it from connection to connection."""
    url = sa.make_url(rls_server.url).set(drivername="postgresql+asyncpg")
    async with AsyncDatabase(url, row_level_security=True, pool_size=2, max_overflow=0) as db:
        tenants = [uuid4(), uuid4()]
        for t in tenants:
            await db.repository(Item, tenant_id=t, actor="t").create(Item(sku=f"c{t.hex[:6]}"))

        async def reader(t: Any) -> set[Any]:
            seen: set[Any] = set()
            with db.tenant_scope(tenant_id=t):
                for _ in range(10):
                    rows = await db.fetch_all("SELECT tenant_id FROM rls_items")
                    seen |= {r["tenant_id"] for r in rows}
                    await asyncio.sleep(0)
            return seen

        results = await asyncio.gather(*(reader(tenants[i % 2]) for i in range(8)))
    assert results == [{tenants[i % 2]} for i in range(8)]
