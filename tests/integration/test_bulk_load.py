"""Large batches: ``create_many`` takes the driver's bulk path where it has one (COPY on
PostgreSQL, from ``COPY_MIN_ROWS`` rows on) and must store exactly what single creates store:
the same values of every type, the same history, nothing at all when one row is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import ConflictError, Database, Model
from storied.dialects.postgresql import COPY_MIN_ROWS
from storied.ops.requests import Exec
from storied.reads import rows as read
from tests.integration.conftest import Repo, Store
from tests.integration.temporal_support import audit_rows, check_chain, version_rows
from tests.integration.test_type_roundtrip import sample
from tests.models import Account, Color, Everything, Price, Product, StockItem, Warehouse

UTC = dt.UTC
T0 = dt.datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)
#: more rows than the bulk path needs
N = COPY_MIN_ROWS + 17


def _values(model: type[Model], i: int) -> dict[str, Any]:
    if model is Account:
        extra = {"meta": {"i": i}, "blob": bytes([i % 256]) if i % 2 else None}
        return {"code": f"C{i}", "owner": f"O{i}", "balance": Decimal(i) / 4, **extra}
    if model is Price:
        return {"sku": f"S{i}", "amount": Decimal(i) / 4, "ref": UUID(int=i), "meta": {"i": i}}
    return {"sku": f"P{i}", "name": f"N{i}", "price": Decimal(i) / 2, "stock": i}


async def test_every_type_round_trips_through_a_large_batch(store: Store, tenant: UUID) -> None:
    await store.create_all(Everything)
    repo = store.repository(Everything, tenant_id=tenant)
    items = [
        sample(
            number=i,
            ratio=i / 3,
            flag=bool(i % 2),
            amount=Decimal(i) / 1000,
            blob=bytes([i % 256]) * (i % 5),
            color=Color.RED if i % 3 else Color.GREEN,
            at=T0 + dt.timedelta(microseconds=i),
            maybe=None if i % 2 else f"m{i}",
            text="tab\there, newline\nthere, backslash \\ end" if i == 3 else f"t{i}",
        )
        for i in range(N)
    ]
    created = await repo.create_many(items)
    stored = await repo.get_many([m.id for m in created])
    assert [m.model_dump() for m in stored] == [m.model_dump() for m in created]
    user = set(Everything.storied_spec().fields)
    assert [m.model_dump(include=user) for m in stored] == [
        m.model_dump(include=user) for m in items
    ]


def _audit(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    keys = ("operation", "field", "old_value", "new_value", "actor", "changed_at")
    return sorted(tuple(r[k] for k in keys) for r in rows)


def _version(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("row_id", "id", "tenant_id")} for r in rows]


async def _stored(store: Store, repo: Repo, model: type[Model], ids: list[Any]) -> list[Any]:
    out: list[Any] = []
    for id in ids:
        row = await repo.get(id)
        out.append(row.model_dump(exclude={"id", "tenant_id"}))
        if model is Account:
            out.append(_audit(await audit_rows(store.db, model, id)))
        if model is Price:
            versions = await version_rows(store.db, model, id)
            check_chain(versions)
            out.append(_version(versions))
    return out


@pytest.mark.parametrize("model", [Product, Account, Price])
async def test_a_large_batch_stores_what_single_creates_store(
    store: Store, model: type[Model]
) -> None:
    await store.create_all(model)
    store.clock.set(T0)
    bulk = store.repository(model, tenant_id=uuid4(), actor="alice")
    single = store.repository(model, tenant_id=uuid4(), actor="alice")
    given = [model(**_values(model, i)) for i in range(N)]
    created = await bulk.create_many(given)
    one_by_one = [await single.create(model(**_values(model, i))) for i in range(N)]

    assert all(m.id is None and m.version is None for m in given)  # the caller's stay as given

    assert [m.sku if model is not Account else m.code for m in created] == [
        _values(model, i)["code" if model is Account else "sku"] for i in range(N)
    ]
    bulk_rows = await _stored(store, bulk, model, [m.id for m in created])
    single_rows = await _stored(store, single, model, [m.id for m in one_by_one])
    assert bulk_rows == single_rows
    if model is Account:  # one change set per record, one audit row per field
        rows = await audit_rows(store.db, model)
        per_set: dict[Any, set[Any]] = {}
        for r in rows:
            per_set.setdefault(r["change_set"], set()).add(r["record_id"])
        assert len(per_set) == 2 * N
        assert all(len(records) == 1 for records in per_set.values())


@pytest.mark.parametrize("model", [Product, Account, Price])
async def test_a_conflict_in_a_large_batch_writes_nothing(store: Store, model: type[Model]) -> None:
    await store.create_all(model)
    repo = store.repository(model, tenant_id=uuid4(), actor="alice")
    items = [model(**_values(model, i)) for i in range(N)]
    items.append(model(**_values(model, 0)))  # the first row's unique value again
    unique = "code" if model is Account else "sku"

    with pytest.raises(ConflictError) as raised:
        await repo.create_many(items)

    assert unique in str(raised.value)
    assert await repo.count() == 0
    if model is Account:
        assert await audit_rows(store.db, model) == []
    if model is Price:
        assert await version_rows(store.db, model) == []
        identity = store.db.registry.mapped(model).identity_table
        assert identity is not None
        assert await store.scalar(f"SELECT COUNT(*) FROM {identity.name}") == 0


async def test_a_batch_comes_back_in_the_order_given(store: Store, tenant: UUID) -> None:
    """Rows leaving a server-default column to the database are written apart from the
    others; the models still come back in the order they were passed."""
    await store.create_all(Warehouse, StockItem)
    warehouse = await store.repository(Warehouse, tenant_id=tenant).create(Warehouse(code="W"))
    repo = store.repository(StockItem, tenant_id=tenant)
    items = [
        StockItem(warehouse_id=warehouse.id, quantity=i, **({} if i % 2 else {"status": "held"}))
        for i in range(6)
    ]
    created = await repo.create_many(items)
    assert [m.quantity for m in created] == list(range(6))
    assert [m.status for m in created] == ["held", "new"] * 3


@pytest.mark.sqlite
@pytest.mark.parametrize("model", [Product, Account, Price])
def test_sqlite_reads_a_list_of_ids_through_the_id_index(
    tmp_path: Path, model: type[Model]
) -> None:
    """Bulk updates and deletes lock their rows with one read by a list of ids. SQLite, with
    no statistics, would otherwise walk the tenant's unique index: every row of the tenant
    (every version, for scd2) per read."""
    with Database(f"sqlite:///{tmp_path / 'plan.db'}") as db:
        db.create_all([model])
        repo = db.repository(model, tenant_id=uuid4())
        request = next(read.rows_where_in(repo.mapped, repo.scope, "id", [uuid4(), uuid4()]))
        assert isinstance(request, Exec)
        compiled = db._sync_executor().cache.get(request.statement)
        params = compiled.params(request.params)  # type: ignore[arg-type]
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.sql}", tuple(params))
            details = [row[3] for row in plan]
    assert len(details) == 1
    assert "(id=?" in details[0], details
