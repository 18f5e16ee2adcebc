"""Partitioned history on PostgreSQL: rows land in their month, schema sync makes partitions
ahead (and later ones), prune drops whole partitions and deletes only at the boundary.

What the database holds is read under storied: ``tableoid`` says which partition holds a
row, ``pg_inherits`` which partitions exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy as sa

from storied import (
    AsyncDatabase,
    Database,
    Field,
    FrozenClock,
    HistoryPartitions,
    Model,
    ModelDefinitionError,
    Registry,
)
from tests.conftest import ASYNC_DRIVERS
from tests.integration.conftest import Store
from tests.models import Account, Price

UTC = dt.UTC
MODELS = (Account, Price)


def at(month: int, day: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, tzinfo=UTC)


@pytest.fixture(params=["sync", "async"])
async def fresh(request: pytest.FixtureRequest, db_url: str, backend: str) -> AsyncIterator[Store]:
    """A store on a database with no tables yet, partitioned one month ahead, at 15 January."""
    clock = FrozenClock(at(1, 15))
    partitions = HistoryPartitions(ahead=1)
    database: Database | AsyncDatabase
    if request.param == "sync":
        database = Database(db_url, clock=clock, history_partitions=partitions).connect()
    else:
        url = sa.make_url(db_url).set(drivername=ASYNC_DRIVERS[backend])
        database = await AsyncDatabase(url, clock=clock, history_partitions=partitions).connect()
    store = Store(database, clock, db_url)
    await _settle(database.drop_all(MODELS))
    try:
        yield store
    finally:
        try:
            await _settle(database.drop_all(MODELS))
        finally:
            await _settle(database.close())


async def _settle(value: Any) -> Any:
    return await value if hasattr(value, "__await__") else value


async def partitions(store: Store, table: str) -> list[str]:
    def read(conn: sa.Connection) -> list[str]:
        rows = conn.execute(
            sa.text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = to_regclass(:t) ORDER BY c.relname"
            ),
            {"t": table},
        )
        return [name for (name,) in rows]

    return list(await store.run_sync(read))


async def placed(store: Store, table: str, what: str) -> list[tuple[str, Any]]:
    """(partition, ``what``) of every row of ``table``, sorted."""
    sql = f"SELECT tableoid::regclass::text, {what} FROM {table}"
    return sorted(await store.run_sync(lambda conn: [tuple(r) for r in conn.exec_driver_sql(sql)]))


async def sync(store: Store) -> None:
    await _settle(store.db.sync_schema(list(MODELS)))


async def plan_steps(store: Store) -> list[str]:
    plan = await _settle(store.db.plan(list(MODELS)))
    return [str(step) for step in plan]


async def story(store: Store, tenant: Any, months: range) -> tuple[Any, Any, Any]:
    """An account and a price made in January and updated once in each of ``months``, and a
    price made in January never changed."""
    store.clock.set(at(1, 15))
    accounts = store.repository(Account, tenant_id=tenant, actor="a")
    prices = store.repository(Price, tenant_id=tenant, actor="a")
    account = await accounts.create(Account(code="A", owner="o", balance=Decimal("0")))
    price = await prices.create(Price(sku="S", amount=Decimal("0")))
    still = await prices.create(Price(sku="STILL", amount=Decimal("1")))
    for month in months:
        store.clock.set(at(month))
        await accounts.update(account.id, balance=Decimal(month))
        await prices.update(price.id, amount=Decimal(month))
    return account, price, still


async def test_sync_makes_partitions_ahead_and_rows_land_in_their_month(fresh: Store) -> None:
    await sync(fresh)
    assert await partitions(fresh, "prices") == [
        "prices_p202601",
        "prices_p202602",
        "prices_pdefault",
    ]
    assert await partitions(fresh, "accounts_audit") == [
        "accounts_audit_p202601", "accounts_audit_p202602", "accounts_audit_pdefault"
    ]  # fmt: skip
    assert await plan_steps(fresh) == []
    _, price, _ = await story(fresh, uuid4(), range(2, 4))
    # versions by the month they were closed in; current ones (and March: no partition yet)
    # in DEFAULT
    versions = await placed(fresh, "prices", "version, sku")
    assert versions == [
        ("prices_p202602", 1, "S"), ("prices_pdefault", 1, "STILL"),
        ("prices_pdefault", 2, "S"), ("prices_pdefault", 3, "S"),
    ]  # fmt: skip
    audit = await placed(fresh, "accounts_audit", "changed_at, operation")
    assert {(p, op) for p, _, *rest in audit for op in rest} == {
        ("accounts_audit_p202601", "create"),
        ("accounts_audit_p202602", "update"),
        ("accounts_audit_pdefault", "update"),
    }
    prices = fresh.repository(
        Price, tenant_id=(await fresh.repository(Price, unscoped=True).list())[0].tenant_id
    )
    assert (await prices.get(price.id, as_of=at(2, 20))).amount == Decimal("2")


async def test_a_later_plan_adds_the_months_since_and_moves_their_rows_out_of_default(
    fresh: Store,
) -> None:
    await sync(fresh)
    tenant = uuid4()
    _, price, _ = await story(fresh, tenant, range(2, 5))  # March and April: in DEFAULT
    fresh.clock.set(at(5, 2))
    steps = await plan_steps(fresh)
    assert steps == [
        f"add partition {t}_p2026{m:02d} on {t} (from 2026-{m:02d}-01 to 2026-{m + 1:02d}-01)"
        for t in ("accounts_audit", "prices")
        for m in (3, 4, 5, 6)
    ]
    await sync(fresh)
    assert await plan_steps(fresh) == []
    versions = await placed(fresh, "prices", "version, sku")
    assert versions == [
        ("prices_p202602", 1, "S"), ("prices_p202603", 2, "S"), ("prices_p202604", 3, "S"),
        ("prices_pdefault", 1, "STILL"), ("prices_pdefault", 4, "S"),
    ]  # fmt: skip
    prices = fresh.repository(Price, tenant_id=tenant)
    assert [v.number for v in await prices.versions(price.id)] == [1, 2, 3, 4]
    assert (await prices.get(price.id, as_of=at(3, 20))).amount == Decimal("3")


async def test_prune_drops_the_partitions_entirely_older_and_deletes_at_the_boundary(
    fresh: Store,
) -> None:
    fresh.clock.set(at(1, 15))
    await sync(fresh)
    fresh.clock.set(at(5, 1))
    await sync(fresh)  # partitions January to June
    tenant = uuid4()
    account, price, still = await story(fresh, tenant, range(2, 6))
    before_prune = await partitions(fresh, "prices")
    assert "prices_p202602" in before_prune
    assert "prices_p202603" in before_prune

    cut = at(3, 20)  # February and January lie entirely before it; March is the boundary
    pruned = await fresh.repository(Price, unscoped=True, actor="admin").prune_history(
        older_than=cut
    )
    assert pruned == 2  # version 1 (closed 10 February: dropped), 2 (closed 10 March: deleted)
    left = await partitions(fresh, "prices")
    assert "prices_p202601" not in left
    assert "prices_p202602" not in left
    assert "prices_p202603" in left  # the boundary partition stays, with its newer rows
    versions = await placed(fresh, "prices", "version, sku")
    assert versions == [
        ("prices_p202604", 3, "S"), ("prices_p202605", 4, "S"),
        ("prices_pdefault", 1, "STILL"), ("prices_pdefault", 5, "S"),
    ]  # fmt: skip
    prices = fresh.repository(Price, tenant_id=tenant)
    assert (await prices.get(still.id, as_of=at(2, 1))).sku == "STILL"  # current: never pruned
    assert [v.number for v in await prices.versions(price.id)] == [3, 4, 5]

    audit_pruned = await fresh.repository(Account, unscoped=True).prune_history(older_than=cut)
    assert audit_pruned > 2
    left = await partitions(fresh, "accounts_audit")
    assert "accounts_audit_p202602" not in left
    assert "accounts_audit_p202603" in left
    history = await fresh.repository(Account, tenant_id=tenant).history(account.id)
    assert [cs.at for cs in history] == [at(4), at(5)]
    assert await plan_steps(fresh) == []  # dropped months are in the past: nothing to add


async def test_a_tenants_prune_deletes_its_rows_only_and_drops_no_partition(
    fresh: Store,
) -> None:
    await sync(fresh)
    mine, theirs = uuid4(), uuid4()
    await story(fresh, mine, range(2, 3))
    _, their_price, _ = await story(fresh, theirs, range(2, 3))
    before = await partitions(fresh, "prices")
    pruned = await fresh.repository(Price, tenant_id=mine).prune_history(older_than=at(3, 1))
    assert pruned == 1
    assert await partitions(fresh, "prices") == before
    others = fresh.repository(Price, tenant_id=theirs)
    assert [v.number for v in await others.versions(their_price.id)] == [1, 2]


async def test_current_reads_touch_one_partition_through_an_index(fresh: Store) -> None:
    await sync(fresh)
    tenant = uuid4()
    _, price, _ = await story(fresh, tenant, range(2, 3))
    mapped = fresh.db.registry.mapped(Price)
    current = mapped.layout.current_predicate(mapped)
    assert current is not None
    stmt = sa.select(mapped.table.c.id).where(
        mapped.table.c.id == price.id, mapped.table.c.tenant_id == tenant, current
    )

    def explain(conn: sa.Connection) -> str:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))

    plan = await fresh.run_sync(explain)
    assert "prices_pdefault" in plan
    assert "prices_p2026" not in plan
    assert "Index" in plan
    assert "Seq Scan" not in plan


async def test_partitions_are_no_tables_to_prune_and_render_as_alembic_code(fresh: Store) -> None:
    first = await _settle(fresh.db.plan(list(MODELS)))
    code = first.to_alembic()
    assert "op.execute('CREATE TABLE prices_pdefault PARTITION OF prices DEFAULT')" in code
    assert "Partitioned(" not in code  # Table.info is plain data in a revision
    compile(code, "revision", "exec")
    await sync(fresh)
    pruning = await _settle(fresh.db.plan(list(MODELS), prune=True))
    assert [str(s) for s in pruning if "prices_p" in str(s) or "audit_p" in str(s)] == []


class Tariff(Model, table="Partitioned_Tariffs", history="scd2"):
    """A table name PostgreSQL keeps only quoted: partitions are found by catalog names."""

    amount: Decimal = Field(max_digits=12, decimal_places=2)


async def test_a_mixed_case_table_is_partitioned_and_pruned(fresh: Store) -> None:
    await _settle(fresh.db.drop_all([Tariff]))
    try:
        await _settle(fresh.db.sync_schema([Tariff]))
        assert await _settle(fresh.db.plan([Tariff])) is not None
        assert [str(s) for s in await _settle(fresh.db.plan([Tariff]))] == []
        repo = fresh.repository(Tariff, tenant_id=uuid4(), actor="a")
        t = await repo.create(Tariff(amount=Decimal("1")))
        fresh.clock.set(at(2))
        await repo.update(t.id, amount=Decimal("2"))
        admin = fresh.repository(Tariff, unscoped=True)
        assert await admin.prune_history(older_than=at(3, 1)) == 1
        assert "Partitioned_Tariffs_p202601" not in await partitions(fresh, '"Partitioned_Tariffs"')
    finally:
        await _settle(fresh.db.drop_all([Tariff]))


def test_a_table_name_too_long_for_its_partitions_is_refused() -> None:
    class Long(Model, table="t" * 56, history="copy_on_change"):
        n: int = 0

    with pytest.raises(ModelDefinitionError, match="63 characters"):
        Registry(history_partitions="month").mapped(Long)
