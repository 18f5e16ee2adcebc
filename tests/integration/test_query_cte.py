"""Named and recursive CTEs: ``query.cte(name)``, ``query.recursive(name, link=…)``.

Every test has two tenants and soft-deleted rows, and compares storied's rows with the same
query written in SQL by hand (equal rows, equal order where ordered).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from storied import AsyncDatabase, F, MultipleResultsError, UnknownFieldError, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements
from tests.relmodels import Category, Folder, Item, Place, Road

UTC = dt.UTC


def cat(backend: str, *parts: str) -> str:
    """String concatenation in the backend's SQL (MySQL's ``||`` is OR)."""
    return f"CONCAT({', '.join(parts)})" if backend == "mysql" else " || ".join(parts)


def text(backend: str) -> str:
    return "CHAR(60000)" if backend == "mysql" else "TEXT"


async def raw(store: Store, sql: str, types: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
    """Rows of hand-written SQL, as dicts; UUID values bound (and ``types`` read) as UUIDs."""
    binds = [sa.bindparam(k, type_=sa.Uuid()) for k, v in params.items() if isinstance(v, UUID)]
    stmt = sa.text(sql).bindparams(*binds).columns(**types)
    rows = await store.run_sync(lambda conn: conn.execute(stmt, params).mappings().all())
    return [dict(r) for r in rows]


@asynccontextmanager
async def bounded(store: Store) -> AsyncIterator[None]:
    """Statements with a time limit: a cycle the walk failed to end fails the test (the
    database stops the statement) instead of hanging it."""
    if isinstance(store.db, AsyncDatabase):
        async with store.db.transaction(statement_timeout=10):
            yield
    else:
        with store.db.transaction(statement_timeout=10):
            yield


# a tree of tenant A, with a soft-deleted branch and tenant B's rows hooked under it --------
class Tree:
    def __init__(self, repo: Repo, other: Repo, ids: dict[str, UUID]) -> None:
        self.repo, self.other, self.ids = repo, other, ids


@pytest.fixture
async def tree(store: Store, tenant: UUID) -> Tree:
    """root ─ a ─ a1, a ─ a2 (deleted) ─ a2x, root ─ b ─ b1; tenant B: x (child of A's
    root) ─ x1, and its own root2 ─ c."""
    await store.create_all(Category)
    repo = store.repository(Category, tenant_id=tenant)
    other = store.repository(Category, tenant_id=uuid.uuid4())
    ids: dict[str, UUID] = {}

    async def add(on: Repo, name: str, parent: str | None) -> None:
        row = await on.create(Category(name=name, parent_id=ids[parent] if parent else None))
        ids[name] = row.id

    for name, parent in [("root", None), ("a", "root"), ("b", "root"), ("a1", "a")]:
        await add(repo, name, parent)
    for name, parent in [("a2", "a"), ("a2x", "a2"), ("b1", "b")]:
        await add(repo, name, parent)
    await repo.delete(ids["a2"])
    await add(other, "root2", None)
    await add(other, "c", "root2")
    await add(other, "x1", None)
    # tenant B's row pointing into tenant A's tree (written under storied, which would not)
    await store.run_sync(
        lambda conn: conn.execute(
            sa.text("UPDATE r_categories SET parent_id = :p WHERE id = :x").bindparams(
                sa.bindparam("p", type_=sa.Uuid()), sa.bindparam("x", type_=sa.Uuid())
            ),
            {"p": ids["root"], "x": ids["x1"]},
        )
    )
    return Tree(repo, other, ids)


DOWN_SQL = """
WITH RECURSIVE t(id, name, parent_id, depth, path) AS (
  SELECT id, name, parent_id, 0, CAST(name AS {text}) FROM r_categories
  WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = :root
  UNION ALL
  SELECT c.id, c.name, c.parent_id, t.depth + 1, CAST({path} AS {text})
  FROM r_categories c JOIN t ON c.parent_id = t.id
  WHERE c.tenant_id = :tenant AND c.deleted_at IS NULL
)
SELECT id, name, parent_id, depth, path FROM t ORDER BY path
"""
TYPES = {"id": sa.Uuid(), "parent_id": sa.Uuid()}


async def test_descendants_with_depth_and_path(
    store: Store, backend: str, tree: Tree, tenant: UUID
) -> None:
    walk = (
        tree.repo.query()
        .filter(F.id == tree.ids["root"])
        .select(F.id, F.name, F.parent_id)
        .recursive("tree", link=(F.parent_id, "id"), depth="depth", path=("path", F.name, "/"))
    )
    rows = await settle(walk.query().order_by("path").all())
    sql = DOWN_SQL.format(text=text(backend), path=cat(backend, "t.path", "'/'", "c.name"))
    assert rows == await raw(store, sql, TYPES, tenant=tenant, root=tree.ids["root"])
    # another tenant's child (x1) never joins, nor does a deleted node (a2) or its child (a2x)
    assert [(r["path"], r["depth"]) for r in rows] == [
        ("root", 0),
        ("root/a", 1),
        ("root/a/a1", 2),
        ("root/b", 1),
        ("root/b/b1", 2),
    ]
    assert type(rows[0]["depth"]) is int
    assert type(rows[1]["parent_id"]) is UUID
    assert rows[1]["parent_id"] == tree.ids["root"]
    # the query over the walk filters, counts and aggregates its columns
    deep = walk.query().filter(F.depth >= 2).order_by(F.name.desc()).select(F.name)
    assert await settle(deep.all()) == [{"name": "b1"}, {"name": "a1"}]
    assert await settle(walk.query().count()) == 5
    assert await settle(walk.query().filter(F.name == "x1").exists()) is False
    assert await settle(walk.query().select(func.max(F.depth), func.count()).one()) == {
        "max_depth": 2,
        "count": 5,
    }
    by_depth = walk.query().select(F.depth, func.count()).group_by("depth").order_by("depth")
    assert await settle(by_depth.all()) == [
        {"depth": 0, "count": 1},
        {"depth": 1, "count": 2},
        {"depth": 2, "count": 2},
    ]
    crowded = by_depth.having(func.count() >= 2)
    assert [r["depth"] for r in await settle(crowded.all())] == [1, 2]
    assert await settle(crowded.count()) == 2
    page = walk.query().order_by("path").offset(1).limit(2).select(F.path)
    assert await settle(page.all()) == [{"path": "root/a"}, {"path": "root/a/a1"}]
    rest = walk.query().order_by("path").offset(3).select(F.path)
    assert await settle(rest.all()) == [{"path": "root/b"}, {"path": "root/b/b1"}]
    # max_depth bounds the walk; include_deleted on the anchor's query walks deleted rows too
    assert (
        await settle(
            tree.repo.query()
            .filter(F.id == tree.ids["root"])
            .recursive("tree", link=(F.parent_id, "id"), max_depth=1)
            .query()
            .count()
        )
        == 3
    )
    everything = (
        tree.repo.query()
        .include_deleted()
        .filter(F.id == tree.ids["root"])
        .select(F.id, F.name)
        .recursive("tree", link=(F.parent_id, "id"))
    )
    names = await settle(everything.query().order_by("name").all())
    assert [r["name"] for r in names] == ["a", "a1", "a2", "a2x", "b", "b1", "root"]


async def test_a_whole_model_walk_and_the_step_filter(store: Store, tree: Tree) -> None:
    walk = (
        tree.repo.query()
        .filter(F.parent_id.is_null())
        .recursive("tree", link=(F.parent_id, "id"), where=F.name != "a")
    )
    rows = await settle(walk.query().order_by("name").all())
    # every field of the model is a column; the step refuses "a" (and so never reaches a1)
    assert [r["name"] for r in rows] == ["b", "b1", "root"]
    assert set(rows[0]) == set(store.db.registry.mapped(Category).names)
    assert rows[0]["tenant_id"] == rows[1]["tenant_id"]
    # the other tenant walks its own tree only
    theirs = tree.other.query().filter(F.name == "root2").recursive("t", link=(F.parent_id, "id"))
    assert [r["name"] for r in await settle(theirs.query().order_by("name").all())] == [
        "c",
        "root2",
    ]


UP_SQL = """
WITH RECURSIVE t(id, name, parent_id, depth) AS (
  SELECT id, name, parent_id, 0 FROM r_categories
  WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = :start
  UNION ALL
  SELECT c.id, c.name, c.parent_id, t.depth + 1
  FROM r_categories c JOIN t ON c.id = t.parent_id
  WHERE c.tenant_id = :tenant AND c.deleted_at IS NULL
)
SELECT id, name, parent_id, depth FROM t ORDER BY depth
"""


async def test_ancestors(store: Store, tree: Tree, tenant: UUID) -> None:
    up = (
        tree.repo.query()
        .filter(F.name == "a1")
        .select(F.id, F.name, F.parent_id)
        .recursive("up", link=(F.id, "parent_id"), depth="depth")
    )
    rows = await settle(up.query().order_by("depth").all())
    assert rows == await raw(store, UP_SQL, TYPES, tenant=tenant, start=tree.ids["a1"])
    assert [r["name"] for r in rows] == ["a1", "a", "root"]
    # a deleted node's ancestors are not walked from it: the anchor itself is not visible
    gone = tree.repo.query().filter(F.name == "a2x").recursive("up", link=(F.id, "parent_id"))
    assert [r["name"] for r in await settle(gone.query().order_by("name").all())] == ["a2x"]
    # tenant B's x1 has tenant A's root as parent: its walk up stops at its own tenant
    foreign = tree.other.query().filter(F.name == "x1").recursive("up", link=(F.id, "parent_id"))
    assert [r["name"] for r in await settle(foreign.query().all())] == ["x1"]


# a graph with a cycle --------------------------------------------------------------------
GRAPH_SQL = """
WITH RECURSIVE w(id, source_id, target_id, depth, route, seen) AS (
  SELECT id, source_id, target_id, 0, CAST(label AS {text}), CAST({seen0} AS {text})
  FROM r_roads WHERE tenant_id = :tenant AND deleted_at IS NULL AND source_id = :start
  UNION ALL
  SELECT r.id, r.source_id, r.target_id, w.depth + 1, CAST({route} AS {text}),
         CAST({seen} AS {text})
  FROM r_roads r JOIN w ON r.source_id = w.target_id
  WHERE r.tenant_id = :tenant AND r.deleted_at IS NULL AND w.seen NOT LIKE {like}
)
SELECT id, source_id, target_id, depth, route FROM w ORDER BY route
"""


async def test_a_graph_with_a_cycle_ends(store: Store, backend: str, tenant: UUID) -> None:
    await store.create_all(Place, Road)
    places = store.repository(Place, tenant_id=tenant)
    roads = store.repository(Road, tenant_id=tenant)
    p = {n: (await places.create(Place(name=n))).id for n in "ABCDF"}
    for s, t in ["AB", "BC", "CA", "CD", "BF"]:
        road = await roads.create(Road(source_id=p[s], target_id=p[t], label=s + t))
        if s + t == "BF":
            await roads.delete(road.id)
    other = uuid.uuid4()
    e = await store.repository(Place, tenant_id=other).create(Place(name="E"))
    theirs = store.repository(Road, tenant_id=other)
    await theirs.create(Road(source_id=p["D"], target_id=e.id, label="DE"))
    await theirs.create(Road(source_id=p["A"], target_id=e.id, label="AE"))

    walk = (
        roads.query()
        .filter(F.source_id == p["A"])
        .select(F.id, F.source_id, F.target_id)
        .recursive(
            "w", link=(F.source_id, "target_id"), depth="depth", path=("route", F.label, ">")
        )
    )
    async with bounded(store):
        rows = await settle(walk.query().order_by("route").all())
    b = backend
    sql = GRAPH_SQL.format(
        text=text(b),
        seen0=cat(b, "','", f"CAST(id AS {text(b)})", "','"),
        route=cat(b, "w.route", "'>'", "r.label"),
        seen=cat(b, "w.seen", f"CAST(r.id AS {text(b)})", "','"),
        like=cat(b, "'%,'", f"CAST(r.id AS {text(b)})", "',%'"),
    )
    types = {"id": sa.Uuid(), "source_id": sa.Uuid(), "target_id": sa.Uuid()}
    assert rows == await raw(store, sql, types, tenant=tenant, start=p["A"])
    # AB, BC, then CA back to A (whose road AB is already on the path: not taken again) and CD;
    # the deleted BF and the other tenant's DE and AE are never walked
    assert [(r["route"], r["depth"]) for r in rows] == [
        ("AB", 0),
        ("AB>BC", 1),
        ("AB>BC>CA", 2),
        ("AB>BC>CD", 2),
    ]
    total = walk.query().count()
    assert await settle(total) == 4
    short = (
        roads.query()
        .filter(F.source_id == p["A"])
        .recursive("w", link=(F.source_id, "target_id"), max_depth=1)
    )
    assert await settle(short.query().select(F.label).order_by("label").all()) == [
        {"label": "AB"},
        {"label": "BC"},
    ]
    # with no depth or path asked for, the hidden path of ids still ends the cycle
    reach = (
        roads.query().filter(F.source_id == p["A"]).recursive("w", link=(F.source_id, "target_id"))
    )
    labels = reach.query().select(F.label).distinct().order_by("label")
    assert [r["label"] for r in await settle(labels.all())] == ["AB", "BC", "CA", "CD"]


async def test_a_cycle_in_a_tree_ends(store: Store, tenant: UUID) -> None:
    await store.create_all(Category)
    repo = store.repository(Category, tenant_id=tenant)
    x = await repo.create(Category(name="x"))
    y = await repo.create(Category(name="y", parent_id=x.id))
    await repo.update(x.id, parent_id=y.id)  # x → y → x
    await store.repository(Category, tenant_id=uuid.uuid4()).create(Category(name="z"))
    z = await repo.create(Category(name="gone", parent_id=y.id))
    await repo.delete(z.id)
    walk = repo.query().filter(F.id == x.id).recursive("t", link=(F.parent_id, "id"), depth="d")
    async with bounded(store):
        rows = await settle(walk.query().select(F.name, F.d).order_by("d").all())
    assert rows == [{"name": "x", "d": 0}, {"name": "y", "d": 1}]
    # by hand: UNION (not ALL) ends the cycle, as each row comes once
    sql = """
    WITH RECURSIVE t(id, name) AS (
      SELECT id, name FROM r_categories
      WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = :x
      UNION
      SELECT c.id, c.name FROM r_categories c JOIN t ON c.parent_id = t.id
      WHERE c.tenant_id = :tenant AND c.deleted_at IS NULL
    )
    SELECT name FROM t ORDER BY name
    """
    names = await settle(walk.query().select(F.name).order_by("name").all())
    assert names == await raw(store, sql, {}, tenant=tenant, x=x.id)


async def test_long_paths_are_not_truncated(store: Store, backend: str, tenant: UUID) -> None:
    await store.create_all(Category)
    repo = store.repository(Category, tenant_id=tenant)
    parent = None
    for i in range(40):
        row = await repo.create(Category(name=f"{i:03d}" + "n" * 150, parent_id=parent))
        parent = row.id
    await store.repository(Category, tenant_id=uuid.uuid4()).create(Category(name="other"))
    await repo.delete((await repo.create(Category(name="dead", parent_id=parent))).id)
    walk = (
        repo.query()
        .filter(F.parent_id == None)  # noqa: E711
        .select(F.id, F.name, F.parent_id)
        .recursive("t", link=(F.parent_id, "id"), path=("path", F.name, "/"), depth="depth")
    )
    rows = await settle(walk.query().order_by("path").all())
    sql = DOWN_SQL.format(text=text(backend), path=cat(backend, "t.path", "'/'", "c.name"))
    first = rows[0]["id"]
    assert rows == await raw(store, sql, TYPES, tenant=tenant, root=first)
    last = await settle(walk.query().order_by(F.depth.desc()).first())
    assert last is not None
    assert last["depth"] == 39
    assert last["path"] == "/".join(f"{i:03d}" + "n" * 150 for i in range(40))
    assert len(last["path"]) > 6000


async def test_a_walk_deeper_than_a_thousand_steps_is_whole(store: Store, tenant: UUID) -> None:
    """MariaDB stops a recursive CTE after 1000 steps by default, with only a warning."""
    await store.create_all(Category)
    repo = store.repository(Category, tenant_id=tenant)
    ids = [uuid.uuid4() for _ in range(1100)]
    chain = [
        Category(id=i, name=f"n{n}", parent_id=ids[n - 1] if n else None) for n, i in enumerate(ids)
    ]
    await repo.create_many(chain)
    await store.repository(Category, tenant_id=uuid.uuid4()).create(Category(name="other"))
    await repo.delete(ids[-1])
    walk = repo.query().filter(F.id == ids[0]).recursive("t", link=(F.parent_id, "id"), depth="d")
    assert await settle(walk.query().select(func.max(F.d), func.count()).one()) == {
        "max_d": 1098,
        "count": 1099,
    }
    sql = """
    WITH RECURSIVE t(id, d) AS (
      SELECT id, 0 FROM r_categories
      WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = :root
      UNION ALL
      SELECT c.id, t.d + 1 FROM r_categories c JOIN t ON c.parent_id = t.id
      WHERE c.tenant_id = :tenant AND c.deleted_at IS NULL
    )
    SELECT MAX(d) AS max_d, COUNT(*) AS count FROM t
    """
    assert await raw(store, sql, {}, tenant=tenant, root=ids[0]) == [{"max_d": 1098, "count": 1099}]


# a named CTE used in a filter and selected from ------------------------------------------
PRICED_SQL = """
WITH priced AS (
  SELECT category, MAX(price) AS max_price, COUNT(*) AS n FROM q_items
  WHERE tenant_id = :tenant AND deleted_at IS NULL AND qty > 0 GROUP BY category
)
SELECT category, max_price, n FROM priced WHERE n >= 2 ORDER BY category
"""


@pytest.fixture
async def items(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Item)
    repo = store.repository(Item, tenant_id=tenant)
    rows = [
        ("t1", "tools", "12.50", 3),
        ("t2", "tools", "30.00", 1),
        ("t3", "tools", "99.00", 0),
        ("s1", "supplies", "2.00", 5),
        ("s2", "supplies", "3.25", 5),
        ("g1", "garden", "40.00", 1),
        ("g2", "garden", "45.00", 2),
    ]
    made = {}
    for name, category, price, qty in rows:
        item = await repo.create(Item(name=name, category=category, price=Decimal(price), qty=qty))
        made[name] = item
    await repo.delete(made["g2"].id)  # garden keeps one live row: fewer than two
    other = store.repository(Item, tenant_id=uuid.uuid4())
    await other.create(Item(name="o1", category="garden", price=Decimal("500"), qty=9))
    await other.create(Item(name="o2", category="toys", price=Decimal("1"), qty=9))
    return repo


async def test_a_named_cte_selected_from_and_used_in_a_filter(
    store: Store, items: Repo, tenant: UUID
) -> None:
    priced = (
        items.query()
        .filter(F.qty > 0)
        .select(F.category, func.max(F.price), func.count().label("n"))
        .group_by("category")
        .cte("priced")
    )
    rows = await settle(priced.query().filter(F.n >= 2).order_by("category").all())
    price = store.db.registry.mapped(Item).table.c.price.type  # scaled integers on SQLite
    assert rows == await raw(store, PRICED_SQL, {"max_price": price}, tenant=tenant)
    assert rows == [
        {"category": "supplies", "max_price": Decimal("3.25"), "n": 2},
        {"category": "tools", "max_price": Decimal("30.00"), "n": 2},
    ]
    assert type(rows[0]["max_price"]) is Decimal
    assert type(rows[0]["n"]) is int
    # values compared with a column are coerced to its source field's type
    dear = priced.query().filter(F.max_price > "20").select(F.category).order_by("category")
    assert await settle(dear.all()) == [{"category": "garden"}, {"category": "tools"}]
    assert await settle(priced.query().select(func.sum(F.max_price)).one()) == {
        "sum_max_price": Decimal("73.25")
    }
    # the CTE in another query's filter: WITH goes on the outer statement
    busy = priced.query().filter(F.n >= 2).select(F.category)
    names = items.query().filter(F.category.in_(busy)).order_by("name").select(F.name)
    sql = PRICED_SQL.replace(
        "SELECT category, max_price, n FROM priced WHERE n >= 2 ORDER BY category",
        "SELECT name FROM q_items WHERE tenant_id = :tenant AND deleted_at IS NULL AND "
        "category IN (SELECT category FROM priced WHERE n >= 2) ORDER BY name",
    )
    assert await settle(names.all()) == await raw(store, sql, {}, tenant=tenant)
    assert [r["name"] for r in await settle(names.all())] == ["s1", "s2", "t1", "t2", "t3"]
    outside = items.query().filter(F.category.not_in(busy)).select(F.name)
    assert await settle(outside.all()) == [{"name": "g1"}]
    # one CTE named twice in a statement is one WITH entry; a CTE's query may use another CTE
    quiet = priced.query().filter(F.n < 2).select(F.category)
    both = items.query().filter(F.category.in_(busy) | F.category.in_(quiet)).select(F.name)
    assert await settle(both.count()) == 6
    cheap = items.query().filter(F.category.in_(busy), F.price < 10).select(F.name).cte("cheap")
    assert await settle(cheap.query().order_by("name").all()) == [{"name": "s1"}, {"name": "s2"}]
    # a whole-model CTE: every field is a column, typed like the model's
    live = items.query().filter(F.price < 40).cte("cheap")
    first = await settle(live.query().order_by(F.price).first())
    assert first is not None
    assert first["name"] == "s1"
    assert first["price"] == Decimal("2.00")
    assert isinstance(first["id"], UUID)
    assert isinstance(first["created_at"], dt.datetime)
    assert await settle(live.query().count()) == 4
    with pytest.raises(MultipleResultsError):
        await settle(live.query().one())


async def test_a_cte_reads_in_its_own_scope_only(store: Store, items: Repo) -> None:
    other = store.repository(Item, tenant_id=uuid.uuid4())
    theirs = other.query().select(F.category).cte("theirs")
    with pytest.raises(ValidationError, match="same tenant scope"):
        await settle(items.query().filter(F.category.in_(theirs.query().select(F.category))).all())


async def test_unknown_names_are_refused_before_sql(
    store: Store, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = Statements(store.db, monkeypatch)
    base = tree.repo.query().select(F.id, F.name, F.parent_id)
    walk = base.recursive("t", link=(F.parent_id, "id"), depth="depth")
    for bad in [
        lambda: walk.query().filter(F.nope == 1).all(),
        lambda: walk.query().order_by("nope").all(),
        lambda: walk.query().select(F.created_at).all(),  # not one of the CTE's columns
        lambda: walk.query().select(func.max(F.nope)).all(),
        lambda: walk.query().group_by("nope").count(),
        lambda: walk.query().filter(F["parent.name"] == "x").all(),
        lambda: base.recursive("t", link=(F.nope, "id")).query().all(),
        lambda: base.recursive("t", link=(F.parent_id, "nope")).query().all(),
        lambda: base.recursive("t", link=(F.parent_id, "id"), where=F.nope == 1).query().all(),
        lambda: (
            base.recursive("t", link=(F.parent_id, "id"), path=("p", F.nope, "/")).query().all()
        ),
        lambda: tree.repo.query().select(F.nope).cte("c").query().all(),
    ]:
        with pytest.raises(UnknownFieldError):
            await settle(bad())
    for refused in [
        lambda: base.recursive("tree; drop", link=(F.parent_id, "id")),
        lambda: base.recursive("t", link=(F.parent_id, "id"), depth="name").query().all(),
        lambda: base.recursive("r_categories", link=(F.parent_id, "id")).query().all(),
        lambda: walk.query().filter(F.depth == "x").all(),
        lambda: walk.query().filter(F.name == 5).all(),
        lambda: walk.query().as_of(dt.datetime.now(UTC)).all(),
        lambda: walk.query().include_deleted().all(),
        lambda: base.limit(3).cte("c"),
        lambda: walk.query().iterate(),
        lambda: base.recursive("t", link=(F.name, "id")).query().all(),  # text = uuid
        lambda: (
            tree.repo.query()
            .filter(F.id.in_(walk.query().select(F.id)))
            .filter(F.id.in_(base.cte("t").query().select(F.id)))  # two CTEs named "t"
            .all()
        ),
        lambda: (
            tree.repo.query()
            .select(func.count())
            .recursive("t", link=(F.parent_id, "id"))
            .query()
            .all()
        ),
    ]:
        with pytest.raises(ValidationError):
            await settle(refused())
    assert statements.count == 0


# as_of on a versioned tree ---------------------------------------------------------------
async def test_an_as_of_walk_on_an_scd2_tree(store: Store, tenant: UUID) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    store.clock.set(start)
    await store.create_all(Folder)
    repo = store.repository(Folder, tenant_id=tenant)
    root = await repo.create(Folder(name="root"))
    a = await repo.create(Folder(name="a", parent_id=root.id))
    b = await repo.create(Folder(name="b", parent_id=a.id))
    c = await repo.create(Folder(name="c", parent_id=b.id))
    gone = await repo.create(Folder(name="gone", parent_id=root.id))
    other = store.repository(Folder, tenant_id=uuid.uuid4())
    await other.create(Folder(name="foreign", parent_id=root.id))
    before = store.clock.advance(minutes=1)
    store.clock.advance(minutes=1)
    await repo.update(b.id, parent_id=root.id)  # move b (and c with it) under root
    await repo.delete(gone.id)
    after = store.clock.advance(minutes=1)
    del c

    def walk(moment: dt.datetime | None) -> Any:
        return (
            repo.query()
            .as_of(moment)
            .filter(F.id == root.id)
            .select(F.id, F.name)
            .recursive("t", link=(F.parent_id, "id"), path=("path", F.name, "/"))
            .query()
            .select(F.path)
            .order_by("path")
        )

    paths = [r["path"] for r in await settle(walk(before).all())]
    assert paths == ["root", "root/a", "root/a/b", "root/a/b/c", "root/gone"]
    moved = ["root", "root/a", "root/b", "root/b/c"]
    assert [r["path"] for r in await settle(walk(after).all())] == moved
    assert [r["path"] for r in await settle(walk(None).all())] == moved
    # the same walk by hand, as of before the move
    sql = """
    WITH RECURSIVE t(id, name) AS (
      SELECT id, name FROM r_folders WHERE tenant_id = :tenant AND deleted_at IS NULL
        AND valid_from <= :m AND (valid_to IS NULL OR valid_to > :m) AND id = :root
      UNION ALL
      SELECT f.id, f.name FROM r_folders f JOIN t ON f.parent_id = t.id
      WHERE f.tenant_id = :tenant AND f.deleted_at IS NULL
        AND f.valid_from <= :m AND (f.valid_to IS NULL OR f.valid_to > :m)
    )
    SELECT name FROM t ORDER BY name
    """

    def by_hand(conn: sa.Connection) -> list[str]:
        stmt = sa.text(sql).bindparams(
            sa.bindparam("tenant", type_=sa.Uuid()),
            sa.bindparam("root", type_=sa.Uuid()),
            sa.bindparam("m", type_=store.db.registry.mapped(Folder).table.c.valid_from.type),
        )
        return list(conn.execute(stmt, {"tenant": tenant, "root": root.id, "m": before}).scalars())

    names = (
        repo.query()
        .as_of(before)
        .filter(F.id == root.id)
        .select(F.id, F.name)
        .recursive("t", link=(F.parent_id, "id"))
        .query()
        .select(F.name)
        .order_by("name")
    )
    assert [r["name"] for r in await settle(names.all())] == await store.run_sync(by_hand)
