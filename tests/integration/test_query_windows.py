"""Window functions (``func.rank().over(…)``, lag/lead, running sums) against the same query
written in SQL by hand, on every backend, sync and async. Two tenants share the table (the
other one has rows of the same names, dearer ones among them) and some rows are soft-deleted:
neither may enter a partition. Every order is total (names break ties), so equal order is
asserted, not only equal rows.

MariaDB 10.11 computes some windows of one SELECT over another window's sort (storied nests
several windows, one per SELECT: see query/windows.py). Hand SQL with several windows in one
SELECT could share that bug, so there the expected values are written out too, and the
unordered windows of the hand SQL name their whole partition in an order, which MariaDB
computes right in these statements (its ``OVER ()`` beside ordered windows is what goes wrong
in them)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import F, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.relmodels import Item, Writer

UTC = dt.UTC
DAY = dt.datetime(2026, 1, 1, tzinfo=UTC)
#: name, category, price, qty, seen_at (hours after DAY)
ROWS: list[tuple[Any, ...]] = [
    ("a1", "tools", "12.50", 3, 5),
    ("a2", "tools", "7.25", 10, None),
    ("a3", "tools", "12.50", 0, 30),
    ("a4", "tools", "25.00", 5, 2),
    ("b1", "supplies", "1.99", 100, 7),
    ("b3", "supplies", "4.50", 7, None),
    ("c1", "garden", "89.00", 2, 1),
]
LIVE = "tenant_id = :t AND deleted_at IS NULL"


def _item(name: str, category: str, price: str, qty: int, hours: int | None) -> Item:
    seen = None if hours is None else DAY + dt.timedelta(hours=hours)
    return Item(name=name, category=category, price=Decimal(price), qty=qty, seen_at=seen)


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    await repo.create_many([_item(*row) for row in ROWS])
    gone = await repo.create(_item("a0-deleted", "tools", "30.00", 1, 3))
    await repo.delete(gone.id)
    other = store.repository(Item, tenant_id=uuid4())
    await other.create_many([_item(*row) for row in ROWS])
    await other.create(_item("a0-other", "tools", "99.00", 1, 4))
    await other.create(_item("c0-other", "garden", "0.50", 9, 4))
    return repo


async def hand(
    store: Store, tenant: UUID, sql: str, binds: dict[str, Any] | None = None, **types: Any
) -> list[tuple[Any, ...]]:
    """Rows of hand-written SQL, the tenant bound as the column's type; ``binds`` maps a
    name to (column, value), bound as that column's type; ``types`` reads columns as a
    column's type (named) or a type (Decimal on SQLite, aware datetimes on MariaDB)."""
    table = store.db.registry.mapped(Item).table
    stmt: Any = sa.text(sql).bindparams(
        sa.bindparam("t", tenant, type_=table.c.tenant_id.type),
        *(sa.bindparam(k, v, type_=table.c[c].type) for k, (c, v) in (binds or {}).items()),
    )
    if types:
        stmt = stmt.columns(
            **{k: table.c[v].type if isinstance(v, str) else v for k, v in types.items()}
        )
    return await store.run_sync(lambda conn: [tuple(r) for r in conn.execute(stmt)])


def values(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) for r in rows]


async def test_ranking_functions_match_hand_sql(store: Store, items: Repo, tenant: UUID) -> None:
    by_price = {"partition_by": F.category, "order_by": F.price.desc()}
    query = (
        items.query()
        .select(
            F.category,
            F.name,
            func.row_number().over(partition_by=F.category, order_by=["-price", "name"]),
            func.rank().over(**by_price),
            func.dense_rank().over(**by_price).label("dense"),
        )
        .order_by("category", "name")
    )
    rows = await settle(query.all())
    window = "OVER (PARTITION BY category ORDER BY price DESC"
    sql = (
        f"SELECT category, name, ROW_NUMBER() {window}, name) AS rn, RANK() {window}) AS r, "
        f"DENSE_RANK() {window}) AS d FROM q_items WHERE {LIVE} ORDER BY category, name"
    )
    assert values(rows) == await hand(store, tenant, sql)
    assert list(rows[0]) == ["category", "name", "row_number", "rank", "dense"]
    tools = [(r["name"], r["row_number"], r["rank"], r["dense"]) for r in rows[3:]]
    # a1 and a3 tie on price: one rank, consecutive row numbers (by name), no gap in dense
    assert tools == [("a1", 2, 2, 2), ("a2", 4, 4, 3), ("a3", 3, 2, 2), ("a4", 1, 1, 1)]
    assert all(type(r[k]) is int for r in rows for k in ("row_number", "rank", "dense"))
    # plain rows: the same values, ranks as ints (PostgreSQL and MariaDB may return other types)
    tuples = await settle(query.tuples().all())
    assert tuples == values(rows)
    assert all(type(t[i]) is int for t in tuples for i in (2, 3, 4))
    assert await settle(query.dicts().all()) == rows


async def test_lag_and_lead_keep_the_fields_types(store: Store, items: Repo, tenant: UUID) -> None:
    by_name = {"partition_by": "category", "order_by": "name"}
    query = (
        items.query()
        .select(
            F.name,
            func.lag(F.price).over(**by_name),
            func.lead(F.price, offset=2, default=Decimal("0.01")).over(**by_name).label("next2"),
            func.lag(F.seen_at).over(order_by=F.name),
            func.lead(F.id).over(order_by="name").label("next_id"),
        )
        .order_by("name")
    )
    rows = await settle(query.all())
    w = "OVER (PARTITION BY category ORDER BY name)"
    sql = (
        f"SELECT name, LAG(price, 1) {w} AS lag_price, "
        f"COALESCE(LEAD(price, 2) {w}, :d) AS next2, "
        "LAG(seen_at, 1) OVER (ORDER BY name) AS lag_seen_at, "
        f"LEAD(id, 1) OVER (ORDER BY name) AS next_id FROM q_items WHERE {LIVE} ORDER BY name"
    )
    types = {"lag_price": "price", "next2": "price", "lag_seen_at": "seen_at", "next_id": "id"}
    expected = await hand(store, tenant, sql, {"d": ("price", Decimal("0.01"))}, **types)
    assert values(rows) == expected
    ids = {r.name: r.id for r in await items.list()}
    a1, a2 = rows[0], rows[1]
    assert a1["lag_price"] is None
    assert a2["lag_price"] == Decimal("12.50")
    assert [r["next2"] for r in rows[:4]] == [
        Decimal("12.50"),
        Decimal("25.00"),
        Decimal("0.01"),
        Decimal("0.01"),
    ]
    assert all(type(r["next2"]) is Decimal for r in rows)
    assert a2["lag_seen_at"] == DAY + dt.timedelta(hours=5)
    assert a2["lag_seen_at"].utcoffset() == dt.timedelta(0)
    assert rows[2]["lag_seen_at"] is None  # a2's own seen_at is NULL: not a missing row
    assert a1["next_id"] == ids["a2"]
    assert isinstance(a1["next_id"], UUID)
    assert rows[-1]["next_id"] is None


async def test_running_totals_and_whole_partition_aggregates(
    store: Store, items: Repo, tenant: UUID
) -> None:
    query = (
        items.query()
        .filter(F.category != "garden")
        .select(
            F.category,
            F.name,
            func.sum(F.qty).over(partition_by=F.category, order_by=F.name).label("running"),
            # the SQL default frame: RANGE … CURRENT ROW, so rows tied on price sum together
            func.sum(F.qty).over(partition_by=F.category, order_by=F.price).label("by_price"),
            func.sum(F.price).over(order_by=["price", "name"], rows=(None, 0)).label("rows"),
            func.sum(F.qty).over(order_by="name", rows=(-1, 1)).label("around"),
            func.avg(F.price).over(partition_by=F.category).label("mean"),
            func.max(F.price).over(partition_by=F.category),
            func.min(F.seen_at).over(partition_by=F.category),
            func.count().over(),
        )
        .order_by("category", "name")
    )
    rows = await settle(query.all())
    whole = "ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    p = "PARTITION BY category"
    sql = (
        f"SELECT category, name, SUM(qty) OVER ({p} ORDER BY name) AS running, "
        f"SUM(qty) OVER ({p} ORDER BY price) AS by_price, "
        "SUM(price) OVER (ORDER BY price, name ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "AS rs, SUM(qty) OVER (ORDER BY name ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS ar, "
        f"AVG(price) OVER ({p} {whole}) AS mean, MAX(price) OVER ({p} {whole}) AS mx, "
        f"MIN(seen_at) OVER ({p} {whole}) AS mn, COUNT(*) OVER ({whole}) AS n "
        f"FROM q_items WHERE {LIVE} AND category <> 'garden' ORDER BY category, name"
    )
    price: Any = store.db.registry.mapped(Item).table.c.price.type
    mean = price.average()  # AVG over SQLite's scaled integers, scaled back
    expected = await hand(store, tenant, sql, rs="price", mean=mean, mx="price", mn="seen_at")
    got = values(rows)
    assert [r[:6] + r[7:] for r in got] == [r[:6] + r[7:] for r in expected]
    assert [round(r[6], 6) for r in got] == [round(Decimal(r[6]), 6) for r in expected]
    assert [(r["name"], r["running"], r["by_price"], r["around"]) for r in rows] == [
        ("b1", 100, 100, 112),
        ("b3", 107, 107, 107),
        ("a1", 3, 13, 13),  # a1 and a3 tie on price 12.50: 10 + 3 + 0 for both (RANGE)
        ("a2", 13, 10, 13),
        ("a3", 13, 13, 15),
        ("a4", 18, 18, 105),
    ]
    tools = rows[2:]
    assert [r["rows"] for r in rows] == [
        Decimal("1.99"),
        Decimal("6.49"),
        Decimal("26.24"),
        Decimal("13.74"),
        Decimal("38.74"),
        Decimal("63.74"),
    ]
    assert {r["max_price"] for r in tools} == {Decimal("25.00")}  # not 30 (deleted), not 99
    assert {r["min_seen_at"] for r in tools} == {DAY + dt.timedelta(hours=2)}
    assert {r["count"] for r in rows} == {6}
    assert all(type(r["count"]) is int and type(r["running"]) is int for r in rows)
    assert all(type(r["mean"]) is Decimal for r in rows)
    assert round(tools[0]["mean"], 4) == Decimal("14.3125")
    # an average of integers is a float, a sum of them an int, whatever the driver returns
    ints = items.query().select(
        F.name,
        func.avg(F.qty).over(partition_by=F.category),
        func.sum(F.qty).over(partition_by=F.category),
    )
    means = {r["name"]: r for r in await settle(ints.filter(F.category != "garden").all())}
    assert means["b1"] == {"name": "b1", "avg_qty": 53.5, "sum_qty": 107}
    assert means["a1"] == {"name": "a1", "avg_qty": 4.5, "sum_qty": 18}
    assert all(type(r["avg_qty"]) is float and type(r["sum_qty"]) is int for r in means.values())


async def test_partitions_hold_only_the_visible_rows(
    store: Store, items: Repo, tenant: UUID
) -> None:
    def counted(query: Any) -> Any:
        return (
            query.filter(category="tools")
            .select(
                F.name,
                func.count().over(partition_by=F.category),
                func.rank().over(order_by=F.price.desc()).label("rnk"),
            )
            .order_by("rnk", "name")
        )

    rows = await settle(counted(items.query()).all())
    sql = (
        "SELECT name, COUNT(*) OVER (PARTITION BY category ORDER BY id ROWS BETWEEN UNBOUNDED "
        "PRECEDING AND UNBOUNDED FOLLOWING), RANK() OVER (ORDER BY price DESC) AS rnk "
        f"FROM q_items WHERE {LIVE} AND category = 'tools' ORDER BY rnk, name"
    )
    assert values(rows) == await hand(store, tenant, sql)
    assert values(rows) == [("a4", 4, 1), ("a1", 4, 2), ("a3", 4, 2), ("a2", 4, 4)]
    with_deleted = await settle(counted(items.query().include_deleted()).all())
    assert values(with_deleted)[:2] == [("a0-deleted", 5, 1), ("a4", 5, 2)]
    deleted = await settle(counted(items.query().only_deleted()).all())
    assert values(deleted) == [("a0-deleted", 1, 1)]


async def test_windows_read_as_of_a_moment(store: Store, tenant: UUID) -> None:
    store.clock.set(DAY)
    await store.create_all(Writer)
    repo = store.repository(Writer, tenant_id=tenant)
    ann = await repo.create(Writer(name="Ann"))
    bob = await repo.create(Writer(name="Bob"))
    gone = await repo.create(Writer(name="Al"))
    await store.repository(Writer, tenant_id=uuid4()).create(Writer(name="Abe"))
    before = store.clock.advance(minutes=1)
    store.clock.advance(minutes=1)
    await repo.update(bob.id, name="Aaron")
    await repo.delete(gone.id)
    del ann

    def ranked(moment: dt.datetime | None) -> Any:
        query = repo.query().as_of(moment)
        query = query.select(F.name, func.row_number().over(order_by=F.name).label("n"))
        return query.order_by("n")

    then = await settle(ranked(before).all())
    assert values(then) == [("Al", 1), ("Ann", 2), ("Bob", 3)]
    assert values(await settle(ranked(None).all())) == [("Aaron", 1), ("Ann", 2)]
    table = store.db.registry.mapped(Writer).table
    sql = (
        "SELECT name, ROW_NUMBER() OVER (ORDER BY name) AS n FROM r_writers WHERE tenant_id = :t "
        "AND deleted_at IS NULL AND valid_from <= :m AND (valid_to IS NULL OR valid_to > :m) "
        "ORDER BY n"
    )
    stmt = sa.text(sql).bindparams(
        sa.bindparam("t", tenant, type_=table.c.tenant_id.type),
        sa.bindparam("m", before, type_=table.c.valid_from.type),
    )
    assert values(then) == await store.run_sync(lambda c: [tuple(r) for r in c.execute(stmt)])


async def test_ordered_by_a_window_label_paged_and_counted(
    store: Store, items: Repo, tenant: UUID
) -> None:
    query = items.query().select(
        F.name, func.dense_rank().over(order_by=F.price.desc()).label("rnk")
    )
    page = query.order_by("-rnk", "name").offset(1).limit(3)
    sql = (
        "SELECT name, DENSE_RANK() OVER (ORDER BY price DESC) AS rnk FROM q_items "
        f"WHERE {LIVE} ORDER BY rnk DESC, name LIMIT 3 OFFSET 1"
    )
    assert values(await settle(page.all())) == await hand(store, tenant, sql)
    assert values(await settle(page.all())) == [("b3", 5), ("a2", 4), ("a1", 3)]
    assert await settle(query.filter(F.qty > 4).count()) == 4
    assert (await settle(query.order_by(F.price.desc()).first())) == {"name": "c1", "rnk": 1}
    assert await settle(query.distinct().select(F.category).count()) == 3


async def test_top_n_per_category_through_a_cte(store: Store, items: Repo, tenant: UUID) -> None:
    ranked = (
        items.query()
        .select(
            F.category,
            F.name,
            F.price,
            func.rank().over(partition_by=F.category, order_by=F.price.desc()).label("rnk"),
            func.sum(F.qty).over(partition_by=F.category, order_by=F.name).label("running"),
            func.lag(F.price).over(partition_by=F.category, order_by=F.name).label("prev"),
        )
        .cte("ranked")
    )
    top = ranked.query().filter(F.rnk <= 2).order_by("category", "rnk", "name")
    rows = await settle(top.all())
    sql = (
        "WITH ranked AS (SELECT category, name, price, "
        "RANK() OVER (PARTITION BY category ORDER BY price DESC) AS rnk, "
        "SUM(qty) OVER (PARTITION BY category ORDER BY name) AS running, "
        "LAG(price, 1) OVER (PARTITION BY category ORDER BY name) AS prev "
        f"FROM q_items WHERE {LIVE}) "
        "SELECT * FROM ranked WHERE rnk <= 2 ORDER BY category, rnk, name"
    )
    expected = await hand(store, tenant, sql, price="price", prev="price")
    assert values(rows) == expected
    assert [(r["category"], r["name"], r["rnk"]) for r in rows] == [
        ("garden", "c1", 1),
        ("supplies", "b3", 1),
        ("supplies", "b1", 2),
        ("tools", "a4", 1),
        ("tools", "a1", 2),
        ("tools", "a3", 2),
    ]
    assert all(type(r["running"]) is int and type(r["rnk"]) is int for r in rows)
    # a CTE's window columns are typed as the query's were, in filters and in values
    dear = await settle(ranked.query().filter(F.prev > Decimal("12")).select(F.name).all())
    assert sorted(r["name"] for r in dear) == ["a2", "a4"]
    best = await settle(ranked.query().select(func.max(F.running), func.min(F.prev)).one())
    assert best == {"max_running": 107, "min_prev": Decimal("1.99")}
    assert await settle(ranked.query().filter(F.rnk == 1).count()) == 3


async def test_windows_in_set_operation_members(store: Store, items: Repo, tenant: UUID) -> None:
    def top(category: str) -> Any:
        return (
            items.query()
            .filter(category=category)
            .select(F.name, func.row_number().over(order_by=["-price", "name"]).label("n"))
        )

    both = top("tools").union_all(top("supplies")).order_by("n", "name")
    rows = await settle(both.all())
    w = "ROW_NUMBER() OVER (ORDER BY price DESC, name) AS n"
    sql = (
        f"SELECT * FROM (SELECT name, {w} FROM q_items WHERE {LIVE} AND category = 'tools' "
        f"UNION ALL SELECT name, {w} FROM q_items WHERE {LIVE} AND category = 'supplies') AS u "
        "ORDER BY n, name"
    )
    assert values(rows) == await hand(store, tenant, sql)
    assert values(rows)[:3] == [("a4", 1), ("b3", 1), ("a1", 2)]
    other = items.query().select(F.name, func.rank().over(order_by="name").label("n"))
    with pytest.raises(ValidationError, match="different types"):
        await settle(top("tools").union(other).all())


async def test_misuse_is_refused_before_any_sql(store: Store, items: Repo) -> None:
    rank = func.rank().over(order_by=F.price)
    for bad in (
        lambda: items.query().filter(rank <= 3),
        lambda: items.query().select(F.name, rank).having(rank > 1),
        lambda: items.query().select(F.name, rank).group_by(rank),
        lambda: items.query().select(F.category, rank).group_by("category").all(),
        lambda: items.query().select(rank, func.count()).all(),
        lambda: items.query().select(func.row_number()),
        lambda: items.query().select(func.rank().over()).all(),
        lambda: items.query().select(func.lag(F.price, offset=-1).over(order_by="name")).all(),
        lambda: items.query().select(func.lag(F.price, "1").over(order_by="name")).all(),  # type: ignore[arg-type]
        lambda: items.query().select(func.lag(F.price, 1, "x").over(order_by="name")).all(),
        lambda: items.query().select(func.sum(F.qty).over(rows=(None, 0))).all(),
        lambda: items.query().select(func.sum(F.qty).over(order_by="name", rows=(0, "1"))).all(),
        lambda: items.query().select(func.count(F.qty, distinct=True).over()).all(),
        lambda: items.query().select(func.sum(F.nope).over()).all(),
        lambda: items.query().select(func.rank().over(order_by="x")).all(),
        lambda: items.query().select(func.rank().over(partition_by="x", order_by="name")).all(),
        lambda: items.query().select(F.name).cte("c").query().select(rank).all(),  # no price
        lambda: items.query().cte("c").query().select(F.name, rank).group_by("name").all(),
    ):
        with pytest.raises(ValidationError):
            await settle(bad())


async def test_several_windows_each_give_what_they_give_alone(
    store: Store, items: Repo, tenant: UUID
) -> None:
    """Windows whose orders share a prefix, and an OVER (): MariaDB 10.11 computed some of
    them over another's sort when they shared one SELECT."""
    windows = [
        func.sum(F.qty).over(order_by="category").label("by_category"),
        func.sum(F.qty).over(partition_by=F.category, order_by=["-qty", "name"]).label("ranked"),
        func.row_number().over(order_by=["category", "-name"]).label("n"),
        func.dense_rank().over(order_by="-price").label("dense"),
        func.count().over().label("all"),
        func.row_number().over(order_by=[F.price.desc(), "name"]).label("by_price"),
    ]
    together = await settle(items.query().select(F.name, *windows).order_by("name").all())
    for window in windows:
        alone = await settle(items.query().select(F.name, window).order_by("name").all())
        key = window.key
        assert [r[key] for r in together] == [r[key] for r in alone], key
    # by category, then name descending: garden c1, supplies b3 b1, tools a4 a3 a2 a1
    assert [r["n"] for r in together] == [7, 6, 5, 4, 3, 2, 1]
    assert {r["all"] for r in together} == {7}


def _random_window(pick: random.Random, i: int) -> Any:
    """A window of any kind, over a total order where its values depend on ties."""
    total = ["name", ["price", "name"], ["-qty", "name"], ["category", "-name"]]
    any_order = [*total, "-price", "category", "qty"]
    over: dict[str, Any] = {"partition_by": pick.choice([(), "category"])}
    kind = pick.choice(["row_number", "rank", "dense_rank", "lag", "lead", "sum", "count", "min"])
    if kind in ("row_number", "lag", "lead"):
        over["order_by"] = pick.choice(total)
    elif kind in ("rank", "dense_rank"):
        over["order_by"] = pick.choice(any_order)
    elif pick.random() < 0.4:
        over["order_by"], over["rows"] = pick.choice(total), pick.choice([(None, 0), (-1, 1)])
    elif pick.random() < 0.6:
        over["order_by"] = pick.choice(any_order)  # RANGE: ties are peers, deterministic
    call: Any
    if kind == "lag":
        call = func.lag(F.qty, pick.randint(1, 3), pick.choice([None, 99]))
    elif kind == "lead":
        call = func.lead(F.price, pick.randint(1, 2))
    elif kind in ("sum", "min"):
        call = getattr(func, kind)(pick.choice([F.qty, F.price]))
    elif kind == "count":
        call = func.count()
    else:
        call = getattr(func, kind)()
    return call.over(**over).label(f"w{i}")


async def test_random_window_sets_give_together_what_each_gives_alone(
    store: Store, items: Repo
) -> None:
    """The law behind the nesting: whatever windows share a query, each has the values it has
    alone. Seeded, so a failure names its set again."""
    pick = random.Random(15)
    over_cte = items.query().cte("every_item")  # the same columns, read through a CTE
    for trial in range(16):
        windows = [_random_window(pick, i) for i in range(pick.randint(3, 5))]
        base = items.query if trial % 2 else over_cte.query
        query = base().select(F.name, *windows).order_by("name")
        together = await settle(query.all())
        for window in windows:
            one = base().select(F.name, window).order_by("name")
            alone = [r[window.key] for r in await settle(one.all())]
            assert [r[window.key] for r in together] == alone, windows


async def test_nested_windows_order_page_count_and_combine(
    store: Store, items: Repo, tenant: UUID
) -> None:
    """Several windows (nested derived tables) under everything else a projection takes: an
    order by a field not selected, a page, distinct, count, a set operation."""
    rank = func.rank().over(partition_by=F.category, order_by=F.price.desc()).label("r")
    count = func.count().over(partition_by=F.category).label("n")
    two = items.query().select(F.name, rank, count)
    page = two.order_by(F.price.desc(), "name").offset(1).limit(3)
    sql = (
        "SELECT name, RANK() OVER (PARTITION BY category ORDER BY price DESC) AS r, "
        "COUNT(*) OVER (PARTITION BY category) AS n FROM q_items "
        f"WHERE {LIVE} ORDER BY price DESC, name LIMIT 3 OFFSET 1"
    )
    expected = await hand(store, tenant, sql)
    assert (
        values(await settle(page.all())) == expected == [("a4", 1, 4), ("a1", 2, 4), ("a3", 2, 4)]
    )
    assert await settle(two.count()) == 7
    ranks = items.query().select(F.category, rank, count).distinct()
    assert await settle(ranks.count()) == 6  # a1 and a3: one (tools, 2, 4) row
    tools = two.filter(category="tools")
    supplies = two.filter(category="supplies")
    both = await settle(tools.union_all(supplies).order_by("r", "name").all())
    assert values(both) == [
        ("a4", 1, 4),
        ("b3", 1, 2),
        ("a1", 2, 4),
        ("a3", 2, 4),
        ("b1", 2, 2),
        ("a2", 4, 4),
    ]


async def test_windows_over_a_ctes_groups(store: Store, items: Repo, tenant: UUID) -> None:
    """Group in a CTE, rank the groups over it: the way to window over aggregates."""
    totals = (
        items.query()
        .select(F.category, func.sum(F.price).label("total"), func.count().label("n"))
        .group_by("category")
        .cte("totals")
    )
    ranked = totals.query().select(
        F.category,
        F.total,
        func.rank().over(order_by=F.total.desc()).label("r"),
        func.sum(F.n).over(order_by="category", rows=(None, 0)).label("running"),
        func.lag(F.total, 1, Decimal(0)).over(order_by="category").label("prev"),
    )
    rows = await settle(ranked.order_by("r").all())
    sql = (
        "WITH totals AS (SELECT category, SUM(price) AS total, COUNT(*) AS n FROM q_items "
        f"WHERE {LIVE} GROUP BY category) "
        "SELECT category, total, RANK() OVER (ORDER BY total DESC) AS r, "
        "SUM(n) OVER (ORDER BY category ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "AS running, COALESCE(LAG(total, 1) OVER (ORDER BY category), :z) AS prev "
        "FROM totals ORDER BY r"
    )
    expected = await hand(
        store, tenant, sql, {"z": ("price", Decimal(0))}, total="price", prev="price"
    )
    assert values(rows) == expected
    assert values(rows) == [
        ("garden", Decimal("89.00"), 1, 1, Decimal("0.00")),
        ("tools", Decimal("57.25"), 2, 7, Decimal("6.49")),
        ("supplies", Decimal("6.49"), 3, 3, Decimal("89.00")),
    ]
    assert all(type(r["running"]) is int and type(r["r"]) is int for r in rows)
    assert await settle(ranked.count()) == 3
    top = await settle(totals.query().select(F.category, func.rank().over(order_by="-n")).all())
    assert sorted(values(top)) == [("garden", 3), ("supplies", 2), ("tools", 1)]
