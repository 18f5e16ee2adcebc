"""Set operations (``union``, ``union_all``, ``intersect``, ``except_``) against the same query
written in SQL by hand, on every backend, sync and async. Two tenants share the table (the
other one has rows of the same names, and one of its own) and some rows are soft-deleted:
neither may appear in any member."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import F, UnknownFieldError, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements
from tests.relmodels import Author, Item, Post, Writer

#: name, category, price, qty, rank
ROWS: list[tuple[Any, ...]] = [
    ("a1", "tools", "12.50", 3, 2),
    ("a2", "tools", "7.25", 10, None),
    ("a3", "tools", "12.50", 0, 1),
    ("a4", "tools", "25.00", 5, 4),
    ("b1", "supplies", "1.99", 100, None),
    ("c1", "garden", "89.00", 2, 5),
]
LIVE = "tenant_id = :t AND deleted_at IS NULL"
CHEAP = f"SELECT {{cols}} FROM q_items WHERE {LIVE} AND qty < 6"
TOOLS = f"SELECT {{cols}} FROM q_items WHERE {LIVE} AND category = 'tools'"
HAND = {"union": "UNION", "union_all": "UNION ALL", "intersect": "INTERSECT", "except": "EXCEPT"}


def _item(name: str, category: str, price: str, qty: int, rank: int | None) -> Item:
    return Item(name=name, category=category, price=Decimal(price), qty=qty, rank=rank)


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    await repo.create_many([_item(*row) for row in ROWS])
    gone = await repo.create(_item("x-deleted", "tools", "1.00", 1, 9))
    await repo.delete(gone.id)
    b2 = await repo.create(_item("b2", "garden", "3.00", 4, None))
    await repo.delete(b2.id)
    other = store.repository(Item, tenant_id=uuid4())
    await other.create_many([_item(*row) for row in ROWS])
    await other.create(_item("x-other-tenant", "tools", "1.00", 1, 3))
    return repo


async def hand(store: Store, tenant: UUID, sql: str, **types: Any) -> list[tuple[Any, ...]]:
    """Rows of hand-written SQL, the tenant bound as the column's type."""
    table = store.db.registry.mapped(Item).table
    stmt = sa.text(sql).bindparams(sa.bindparam("t", tenant, type_=table.c.tenant_id.type))
    if types:
        stmt = stmt.columns(**types)  # type: ignore[assignment]
    return await store.run_sync(lambda conn: [tuple(r) for r in conn.execute(stmt)])


def combine(left: Any, op: str, right: Any) -> Any:
    return getattr(left, "except_" if op == "except" else op)(right)


@pytest.mark.parametrize("op", HAND)
async def test_each_operator_on_whole_models_matches_hand_sql(
    store: Store, items: Repo, tenant: UUID, op: str
) -> None:
    cheap, tools = items.query().filter(F.qty < 6), items.query().filter(category="tools")
    rows = await settle(combine(cheap, op, tools).all())
    assert all(isinstance(r, Item) and r.tenant_id == tenant for r in rows)
    expected = await hand(store, tenant, f"{CHEAP} {HAND[op]} {TOOLS}".format(cols="name"))
    assert sorted(r.name for r in rows) == sorted(name for (name,) in expected)
    assert (
        sorted(r.name for r in rows)
        == {
            "union": ["a1", "a2", "a3", "a4", "c1"],
            "union_all": ["a1", "a1", "a2", "a3", "a3", "a4", "a4", "c1"],
            "intersect": ["a1", "a3", "a4"],
            "except": ["c1"],
        }[op]
    )


@pytest.mark.parametrize("op", HAND)
async def test_each_operator_on_projections_matches_hand_sql(
    store: Store, items: Repo, tenant: UUID, op: str
) -> None:
    cheap = items.query().filter(F.qty < 6).select(F.category, F.price)
    tools = items.query().filter(category="tools").select(F.price, F.category)  # label order
    compound = combine(cheap, op, tools).order_by("category", F.price.desc())
    rows = await settle(compound.all())
    price = store.db.registry.mapped(Item).table.c.price.type
    sql = f"SELECT * FROM ({CHEAP} {HAND[op]} {TOOLS}) AS u ORDER BY category, price DESC"
    expected = await hand(store, tenant, sql.format(cols="category, price"), price=price)
    assert [(r["category"], r["price"]) for r in rows] == expected
    assert all(type(r["price"]) is Decimal for r in rows)
    assert rows
    assert await settle(compound.count()) == len(expected)


async def test_a_deduplicated_union_of_two_filters_is_ordered_and_paged(
    store: Store, items: Repo, tenant: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    either = (
        items.query()
        .filter(F.qty < 3)
        .union(items.query().filter(F.price > 20), items.query().filter(category="supplies"))
    )
    page = either.order_by(F.rank.desc().nulls_last()).offset(1).limit(2)
    sql = (
        f"SELECT name FROM q_items WHERE {LIVE} AND (qty < 3 OR price > :p "
        "OR category = 'supplies') ORDER BY CASE WHEN rank IS NULL THEN 1 ELSE 0 END, rank DESC"
    )
    table = store.db.registry.mapped(Item).table
    stmt = sa.text(sql).bindparams(
        sa.bindparam("t", tenant, type_=table.c.tenant_id.type),
        sa.bindparam("p", Decimal(20), type_=table.c.price.type),
    )
    expected = await store.run_sync(lambda conn: [r[0] for r in conn.execute(stmt)])
    assert expected == ["c1", "a4", "a3", "b1"]
    whole = either.order_by(F.rank.desc().nulls_last())
    statements = Statements(store.db, monkeypatch)
    assert [r.name for r in await settle(whole.all())] == expected
    assert statements.fetched == [4]  # three queries, one statement
    assert [r.name for r in await settle(page.all())] == expected[1:3]
    assert (await settle(page.first())).name == expected[1]
    assert await settle(either.count()) == 4
    assert await settle(either.exists())
    nothing = items.query().filter(name="a1").intersect(items.query().filter(name="a2"))
    assert not await settle(nothing.exists())
    assert await settle(nothing.first()) is None
    one = items.query().filter(name="a1").union(items.query().filter(name="a1"))
    assert (await settle(one.one())).name == "a1"


async def test_members_keep_their_own_order_and_limit(
    store: Store, items: Repo, tenant: UUID
) -> None:
    cheapest = items.query().order_by("price").limit(2)
    most = items.query().order_by(F.qty.desc()).offset(1).limit(2)
    rows = await settle(cheapest.union(most).order_by("name").all())
    sql = (
        f"SELECT name FROM (SELECT name FROM q_items WHERE {LIVE} ORDER BY price, id LIMIT 2) AS a "
        f"UNION SELECT name FROM (SELECT name FROM q_items WHERE {LIVE} "
        "ORDER BY qty DESC, id LIMIT 2 OFFSET 1) AS b ORDER BY name"
    )
    expected = [name for (name,) in await hand(store, tenant, sql)]
    assert [r.name for r in rows] == expected == ["a2", "a4", "b1"]
    page = cheapest.select(F.name).union_all(most.select(F.name)).order_by("name").limit(2)
    assert await settle(page.all()) == [{"name": "a2"}, {"name": "a2"}]


async def test_chains_read_left_to_right(store: Store, items: Repo, tenant: UUID) -> None:
    cheap, tools = items.query().filter(F.qty < 6), items.query().filter(category="tools")
    top = items.query().filter(F.rank >= 4)
    rows = await settle(cheap.union(tools).except_(top).order_by("name").all())
    sql = (
        f"SELECT name FROM ({CHEAP} UNION {TOOLS}) AS u "
        f"EXCEPT SELECT name FROM q_items WHERE {LIVE} AND rank >= 4 ORDER BY name"
    ).format(cols="name")
    expected = [name for (name,) in await hand(store, tenant, sql)]
    assert [r.name for r in rows] == expected == ["a1", "a2", "a3"]
    # intersect first, union next: (cheap AND tools) OR top, left to right
    names = await settle(
        cheap.select(F.name)
        .intersect(tools.select(F.name))
        .union(top.select(F.name))
        .order_by("name")
        .all()
    )
    assert [r["name"] for r in names] == ["a1", "a3", "a4", "c1"]


async def test_members_keep_their_own_visibility_and_grouping(
    store: Store, items: Repo, tenant: UUID
) -> None:
    deleted = items.query().only_deleted().select(F.name)
    live_cheap = items.query().filter(F.qty < 3).select(F.name)
    rows = await settle(deleted.union(live_cheap).order_by("name").all())
    sql = (
        "SELECT name FROM q_items WHERE tenant_id = :t AND deleted_at IS NOT NULL "
        f"UNION SELECT name FROM q_items WHERE {LIVE} AND qty < 3 ORDER BY name"
    )
    expected = [name for (name,) in await hand(store, tenant, sql)]
    assert [r["name"] for r in rows] == expected == ["a3", "b2", "c1", "x-deleted"]
    per_category = items.query().group_by("category").select(F.category, func.count())
    garden = items.query().include_deleted().filter(category="garden").group_by("category")
    counted = await settle(
        per_category.union_all(garden.select(F.category, func.count()))
        .order_by("category", "count")
        .all()
    )
    assert counted == [
        {"category": "garden", "count": 1},
        {"category": "garden", "count": 2},
        {"category": "supplies", "count": 1},
        {"category": "tools", "count": 4},
    ]


async def test_projections_of_two_models_combine_each_scoped(
    store: Store, items: Repo, tenant: UUID
) -> None:
    await store.create_all(Author)
    authors = store.repository(Author, tenant_id=tenant)
    await authors.create_many([Author(name="a1"), Author(name="zed")])
    gone = await authors.create(Author(name="Yann"))
    await authors.delete(gone.id)
    await store.repository(Author, tenant_id=uuid4()).create(Author(name="Xavier"))
    tools = items.query().filter(category="tools").select(F.name)
    rows = await settle(tools.union(authors.query().select(F.name)).order_by("-name").all())
    sql = (f"{TOOLS} UNION SELECT name FROM r_authors WHERE {LIVE} ORDER BY name DESC").format(
        cols="name"
    )
    expected = [name for (name,) in await hand(store, tenant, sql)]
    assert [r["name"] for r in rows] == expected == ["zed", "a4", "a3", "a2", "a1"]
    both = await settle(tools.intersect(authors.query().select(F.name)).all())
    assert both == [{"name": "a1"}]


async def test_a_scope_of_several_tenants_reads_only_those(store: Store, items: Repo) -> None:
    mine: Any = items.inner.scope.tenant_ids[0]
    second, third = uuid4(), uuid4()
    await store.repository(Item, tenant_id=second).create(_item("s1", "tools", "2.00", 1, None))
    await store.repository(Item, tenant_id=third).create(_item("t1", "tools", "2.00", 1, None))
    both = store.repository(Item, tenant_ids=[mine, second])
    low = both.query().filter(F.qty < 2).select(F.name)
    garden = both.query().filter(category="garden").select(F.name)
    rows = await settle(low.union(garden).order_by("name").all())
    # the other tenant of the fixture has a1..c1 too, and x-other-tenant: none is in scope
    assert [r["name"] for r in rows] == ["a3", "c1", "s1"]


async def test_as_of_reads_each_member_at_the_moment(store: Store, tenant: UUID) -> None:
    await store.create_all(Writer)
    writers = store.repository(Writer, tenant_id=tenant)
    ann = await writers.create(Writer(name="Ann"))
    bob = await writers.create(Writer(name="Bob"))
    theirs = store.repository(Writer, tenant_id=uuid4())
    await theirs.create_many([Writer(name="Ann"), Writer(name="Bob")])
    store.clock.advance(seconds=1)
    then = store.clock.now()
    store.clock.advance(seconds=1)
    await writers.update(ann.id, name="Anna")
    await writers.update(bob.id, name="Bobby")
    gone = await writers.create(Writer(name="Cy"))
    await writers.delete(gone.id)
    past = writers.query().as_of(then)
    rows = await settle(
        past.filter(name="Ann")
        .union(past.filter(name="Bob"), writers.query())
        .order_by("name")
        .all()
    )
    assert [r.name for r in rows] == ["Ann", "Anna", "Bob", "Bobby"]
    assert {r.id for r in rows} == {ann.id, bob.id}
    mapped = store.db.registry.mapped(Writer)
    sql = (
        "SELECT name FROM r_writers WHERE tenant_id = :t AND deleted_at IS NULL "
        "AND valid_from <= :m AND (valid_to IS NULL OR valid_to > :m) "
        "UNION SELECT name FROM r_writers WHERE tenant_id = :t AND deleted_at IS NULL "
        "AND valid_to IS NULL ORDER BY name"
    )
    stmt = sa.text(sql).bindparams(
        sa.bindparam("t", tenant, type_=mapped.table.c.tenant_id.type),
        sa.bindparam("m", then, type_=mapped.table.c.valid_from.type),
    )
    expected = await store.run_sync(lambda conn: [r[0] for r in conn.execute(stmt)])
    assert expected == [r.name for r in rows]


async def test_mismatched_members_are_refused_before_any_sql(
    store: Store, items: Repo, tenant: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = Statements(store.db, monkeypatch)
    other = store.repository(Item, tenant_id=uuid4())
    q = items.query()
    refused = [
        q.union(store.repository(Post, tenant_id=tenant).query()),  # another model
        q.union(q.select(F.name)),  # whole rows and a projection
        q.select(F.name).intersect(q.select(F.category)),  # other labels
        q.select(F.name).except_(q.select(F.name, F.qty)),  # other arity
        q.select(func.sum(F.qty).label("x")).union(q.select(func.sum(F.price).label("x"))),
        q.union(other.query()),  # another tenant scope
        q.union(q.order_by("name")),  # a member's own order
        q.union(q.order_by("name").limit(1)).union(q.limit(1).order_by("nope")),  # not a field
        q.union(q).order_by("nope"),  # not a field
        q.select(F.name).union(q.select(F.name).cte("names").query()),  # a CTE's query
    ]
    for compound in refused:
        with pytest.raises(ValidationError):
            await settle(compound.all())
        with pytest.raises(ValidationError):
            await settle(compound.count())
    with pytest.raises(UnknownFieldError):
        await settle(q.union(q).order_by("nope").first())
    assert statements.count == 0
