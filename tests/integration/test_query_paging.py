"""Keyset pagination (``after``) and streaming (``iterate``): every row exactly once, in order,
with ties and NULLs in the sort key, sync and async; streaming fetches at most one batch."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import F, ValidationError
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements, collect
from tests.relmodels import Item

ROWS = 23


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    """23 rows whose sort keys repeat (3 categories, 4 prices, ranks with NULLs)."""
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    await repo.create_many(
        [
            Item(
                name=f"i{i:02}",
                category=("tools", "garden", "supplies")[i % 3],
                price=Decimal(i % 4) + Decimal("0.50"),
                qty=i,
                rank=None if i % 5 == 0 else i % 4,
            )
            for i in range(ROWS)
        ]
    )
    return repo


ORDERS: list[tuple[str, tuple[Any, ...]]] = [
    ("id", ()),
    ("category", (F.category,)),
    ("-price", ("-price",)),
    ("category,-price", (F.category, F.price.desc())),
    ("rank", (F.rank,)),  # NULLs where the backend puts them
    ("-rank", (F.rank.desc(),)),
    ("rank-nulls-last", (F.rank.asc().nulls_last(),)),
    ("-rank-nulls-first", (F.rank.desc().nulls_first(),)),
    ("-rank-nulls-last,category", (F.rank.desc().nulls_last(), "category")),
    ("rank-nulls-first,-qty", (F.rank.asc().nulls_first(), F.qty.desc())),
]


async def walk(query: Any, size: int) -> list[Any]:
    """Page through ``query`` with after(last row of the previous page)."""
    rows: list[Any] = []
    page = await settle(query.limit(size).all())
    while page:
        rows += page
        page = await settle(query.after(page[-1]).limit(size).all())
    return rows


async def test_keyset_pages_and_iterate_walk_every_row_once_in_order(items: Repo) -> None:
    for name, orders in ORDERS:
        query = items.query().order_by(*orders)
        expected = [r.id for r in await settle(query.all())]
        assert len(set(expected)) == ROWS, name
        for size in (1, 4):
            assert [r.id for r in await walk(query, size)] == expected, (name, size)
        streamed = await collect(query.iterate(batch_size=4))
        assert [r.id for r in streamed] == expected, name


async def test_after_takes_a_tuple_cursor_and_keeps_the_filters(items: Repo) -> None:
    query = items.query().filter(F.category == "tools").order_by(F.price, "id")
    rows = await settle(query.all())
    cursor = (rows[2].price, rows[2].id)
    assert [r.id for r in await settle(query.after(cursor).all())] == [r.id for r in rows[3:]]
    assert await settle(query.after(rows[-1]).all()) == []
    with pytest.raises(ValidationError):
        await settle(query.after((Decimal(1),)).all())  # one value per order_by field


async def test_iterate_is_a_generator_and_honours_limit_offset_and_filters(
    store: Store, items: Repo
) -> None:
    stream = items.query().iterate(batch_size=5)
    assert inspect.isasyncgen(stream) if store.is_async else inspect.isgenerator(stream)
    assert len({r.id for r in await collect(stream)}) == ROWS
    query = items.query().filter(F.qty >= 3).order_by("-qty")
    expected = [r.name for r in await settle(query.offset(2).limit(7).all())]
    assert len(expected) == 7
    for size in (1, 3, 7, 50):
        got = await collect(query.offset(2).limit(7).iterate(batch_size=size))
        assert [r.name for r in got] == expected, size
    assert await collect(query.limit(0).iterate(batch_size=3)) == []
    with pytest.raises(ValidationError):
        items.query().iterate(batch_size=0)


async def test_iterate_reads_deleted_rows_only_when_asked(items: Repo) -> None:
    rows = await settle(items.query().order_by("qty").all())
    for row in rows[:5]:
        await items.delete(row.id)
    live = await collect(items.query().iterate(batch_size=4))
    assert {r.qty for r in live} == set(range(5, ROWS))
    every = await collect(items.query().include_deleted().iterate(batch_size=4))
    assert len({r.id for r in every}) == ROWS
    gone = await collect(items.query().only_deleted().iterate(batch_size=2))
    assert sorted(r.qty for r in gone) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("backend", [pytest.param("sqlite", marks=pytest.mark.sqlite)])
async def test_streaming_fetches_at_most_one_batch_per_statement(
    store: Store, tenant: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    total, batch = (5_000 if store.is_async else 20_000), 500
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    day = dt.date(2026, 1, 1)
    await repo.create_many(
        {"name": "n", "category": str(i % 7), "price": i % 100, "qty": i, "made": day}
        for i in range(total)
    )
    statements = Statements(store.db, monkeypatch)
    seen = 0
    last = -1
    stream = repo.query().order_by(F.qty).iterate(batch_size=batch)
    async for row in _aiter(stream):
        assert row.qty == last + 1  # in order, none skipped, none twice
        last = row.qty
        seen += 1
        assert max(statements.fetched) <= batch  # never more than a batch in hand
    assert seen == total
    assert sum(statements.fetched) == total
    assert len(statements.fetched) <= total // batch + 1


async def _aiter(stream: Any) -> Any:
    if inspect.isasyncgen(stream):
        async for item in stream:
            yield item
    else:
        for item in stream:
            yield item
