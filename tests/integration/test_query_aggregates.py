"""select() / group_by() / having(): plain dicts whose values have the fields' Python types on
every backend and driver; subqueries (``F.x.in_(query.select(F.y))``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import F, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.relmodels import BLOG, Author, Item, Post

UTC = dt.UTC
DAY = dt.datetime(2026, 1, 1, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)

#: name, category, price, qty, weight, made (day of Jan), seen_at (hours after DAY), rank
ROWS: list[tuple[Any, ...]] = [
    ("a1", "tools", "12.50", 3, 1.5, 5, 1, 2),
    ("a2", "tools", "7.25", 10, 0.25, 9, None, None),
    ("a3", "tools", "12.50", 0, 2.0, 20, 30, 1),
    ("a4", "tools", "25.00", 5, 0.75, 12, 2, 4),
    ("b1", "supplies", "1.99", 100, 0.5, 30, 5, None),
    ("b2", "supplies", "3.00", 50, 0.125, 4, None, 3),
    ("c1", "garden", "89.00", 2, 12.0, 31, 7, 5),
]


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    await repo.create_many(
        [
            Item(
                name=n,
                category=c,
                price=Decimal(p),
                qty=q,
                weight=w,
                made=dt.date(2026, 1, d),
                seen_at=None if h is None else DAY + dt.timedelta(hours=h),
                rank=r,
            )
            for n, c, p, q, w, d, h, r in ROWS
        ]
    )
    return repo


def assert_typed(row: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal values of exactly the expected types (an int is not a Decimal, and so on)."""
    assert set(row) == set(expected)
    for key, value in expected.items():
        got = row[key]
        if isinstance(value, float):
            assert got == pytest.approx(value), key
        else:
            assert got == value, key
        assert type(got) is type(value), (key, type(got), type(value))


async def test_group_by_returns_dicts_in_the_fields_types(items: Repo) -> None:
    query = (
        items.query()
        .select(
            F.category,
            func.count(),
            func.sum(F.qty),
            func.sum(F.price),
            func.avg(F.price).label("avg"),
            func.min(F.price),
            func.max(F.price),
            func.avg(F.qty),
            func.sum(F.weight),
            func.min(F.made),
            func.max(F.seen_at),
            func.count(F.rank),
            func.max(F.rank),
        )
        .group_by(F.category)
        .order_by(F.category)
    )
    garden, supplies, tools = await settle(query.all())
    assert_typed(
        tools,
        {
            "category": "tools",
            "count": 4,
            "sum_qty": 18,
            "sum_price": Decimal("57.25"),
            "avg": Decimal("14.3125"),
            "min_price": Decimal("7.25"),
            "max_price": Decimal("25.00"),
            "avg_qty": 4.5,
            "sum_weight": 4.5,
            "min_made": dt.date(2026, 1, 5),
            "max_seen_at": DAY + dt.timedelta(hours=30),
            "count_rank": 3,
            "max_rank": 4,
        },
    )
    assert tools["max_seen_at"].utcoffset() == dt.timedelta(0)
    # min/max compare numbers, not text: "12.50" < "7.25" as strings
    assert supplies["min_price"] == Decimal("1.99")
    assert supplies["max_price"] == Decimal("3.00")
    assert supplies["avg"] == Decimal("2.495")
    assert supplies["max_seen_at"] == DAY + dt.timedelta(hours=5)
    assert garden["count"] == 1
    assert garden["avg"] == Decimal("89")
    assert type(garden["avg"]) is Decimal


async def test_aggregates_over_no_rows_and_over_nulls(items: Repo) -> None:
    totals = items.query().select(func.count(), func.sum(F.price), func.max(F.rank))
    assert await settle(totals.filter(F.qty > 1000).all()) == [
        {"count": 0, "sum_price": None, "max_rank": None}
    ]
    [row] = await settle(totals.filter(F.rank.is_null()).all())
    assert row == {"count": 2, "sum_price": Decimal("9.24"), "max_rank": None}
    assert type(row["count"]) is int
    [row] = await settle(items.query().select(func.count(F.category, distinct=True)).all())
    assert row == {"count_category": 3}


async def test_having_filters_groups(items: Repo) -> None:
    base = items.query().select(F.category, func.count().label("n")).group_by(F.category)
    assert await settle(base.having(func.count() > 1).order_by("-n").all()) == [
        {"category": "tools", "n": 4},
        {"category": "supplies", "n": 2},
    ]
    assert await settle(base.having(func.sum(F.qty) >= 100).all()) == [
        {"category": "supplies", "n": 2}
    ]
    either = (func.max(F.price) > Decimal(50)) | (func.min(F.qty) == 0)
    rows = await settle(base.having(either).order_by(F.category).all())
    assert [r["category"] for r in rows] == ["garden", "tools"]
    rows = await settle(base.filter(F.price < 20).having(~(func.count() == 1)).all())
    assert {r["category"]: r["n"] for r in rows} == {"tools": 3, "supplies": 2}
    assert await settle(base.having(func.count() > 1).count()) == 2
    assert await settle(base.having(func.count() > 10).exists()) is False


async def test_order_by_aggregates_and_labels(items: Repo) -> None:
    query = items.query().select(F.category, func.sum(F.qty)).group_by(F.category)
    rows = await settle(query.order_by(func.sum(F.qty).desc()).all())
    assert [r["category"] for r in rows] == ["supplies", "tools", "garden"]
    odd = 'n"; DROP TABLE q_items; --'
    labelled = items.query().select(F.category, func.count().label(odd)).group_by(F.category)
    rows = await settle(labelled.order_by(F.category).all())
    assert [r[odd] for r in rows] == [1, 2, 4]
    rows = await settle(labelled.order_by("-" + odd, F.category).all())
    assert [r["category"] for r in rows] == ["tools", "supplies", "garden"]
    assert await settle(items.query().count()) == len(ROWS)


async def test_plain_projections_keep_field_types(items: Repo) -> None:
    rows = await settle(
        items.query()
        .select(F.name, F.price, F.made, F.seen_at)
        .filter(F.qty >= 50)
        .order_by("name")
        .all()
    )
    b1 = {"price": Decimal("1.99"), "made": dt.date(2026, 1, 30), "seen_at": DAY + HOUR * 5}
    b2 = {"price": Decimal("3.00"), "made": dt.date(2026, 1, 4), "seen_at": None}
    assert rows == [{"name": "b1", **b1}, {"name": "b2", **b2}]
    assert type(rows[0]["price"]) is Decimal
    with pytest.raises(ValidationError):
        items.query().select("name")  # type: ignore[arg-type]


async def test_subqueries_select_one_field_in_the_same_scope(items: Repo) -> None:
    expensive = items.query().select(F.category).filter(F.price > 20)
    rows = await settle(items.query().filter(F.category.in_(expensive)).order_by("name").all())
    assert [r.name for r in rows] == ["a1", "a2", "a3", "a4", "c1"]
    rows = await settle(items.query().filter(F.category.not_in(expensive)).all())
    assert {r.name for r in rows} == {"b1", "b2"}
    # a subquery over the query's own table is not correlated with it
    ranked = items.query().select(F.rank).filter(F.rank.is_not_null())
    rows = await settle(items.query().filter(F.qty.in_(ranked)).all())
    assert {r.name for r in rows} == {"a1", "a4", "c1"}  # qty 3, 5, 2 are ranks
    with pytest.raises(ValidationError):
        await settle(items.query().filter(F.qty.in_(items.query())).all())
    with pytest.raises(ValidationError):
        await settle(items.query().filter(F.qty.in_(items.query().select(F.qty, F.rank))).all())


async def test_subqueries_across_models(store: Store, tenant: UUID) -> None:
    await store.create_all(*BLOG)
    authors = store.repository(Author, tenant_id=tenant)
    posts = store.repository(Post, tenant_id=tenant)
    ann, bob, cyd = await authors.create_many([Author(name=n) for n in ("Ann", "Bob", "Cyd")])
    await posts.create_many(
        [
            Post(author_id=ann.id, title="a", score=5),
            Post(author_id=ann.id, title="b", score=1),
            Post(author_id=bob.id, title="c", score=9),
        ]
    )
    prolific = posts.query().select(F.author_id).filter(F.score >= 5)
    rows = await settle(authors.query().filter(F.id.in_(prolific)).order_by("name").all())
    assert [a.name for a in rows] == ["Ann", "Bob"]
    silent = authors.query().filter(F.id.not_in(posts.query().select(F.author_id)))
    assert [a.name for a in await settle(silent.all())] == ["Cyd"]
    named = authors.query().select(F.id).filter(F.name.startswith("B"))
    assert await settle(posts.query().filter(F.author_id.in_(named)).count()) == 1
    assert cyd.name == "Cyd"
