"""CTE shapes are statement-cache keys too: queries whose CTEs differ only in values share
one, queries whose CTEs differ in anything else never do. No database: shapes are built from
repositories of an unconnected Database."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.dialects import mssql, mysql, postgresql, sqlite

from storied import Database, F, func
from storied.query.compiler import QueryCompiler, select_stmt
from storied.query.cte_compiler import cte_select_stmt
from storied.query.cte_shaping import shape_cte_query
from storied.query.query import Query
from storied.query.shaping import Shaper
from tests.relmodels import Category

TENANT = uuid.uuid4()
MOMENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def db() -> Database:
    return Database("sqlite://")


def cats(db: Database) -> Query[Any]:
    return db.repository(Category, tenant_id=TENANT).query()


def shape_of(query: Query[Any]) -> Any:
    runner: Any = query.runner
    args = (runner.mapped, runner.scope, runner.db.registry)
    if query.source is not None:
        return shape_cte_query(Shaper(*args), query)
    return QueryCompiler(*args).structure(query)


def walk(db: Database, root: Any = None, **kw: Any) -> Any:
    options: dict[str, Any] = {
        "link": (F.parent_id, "id"),
        "depth": "depth",
        "path": ("path", F.name, "/"),
    }
    options.update(kw)
    anchor = cats(db).filter(F.id == (root or uuid.uuid4())).select(F.id, F.name, F.parent_id)
    return anchor.recursive("tree", **options)


#: each differs from the others in one part of the CTE or of the query over it
VARIANTS: dict[str, Callable[[Database], Query[Any]]] = {
    "base": lambda db: walk(db).query().order_by("path"),
    "other name": lambda db: (
        cats(db)
        .filter(F.id == uuid.uuid4())
        .select(F.id, F.name, F.parent_id)
        .recursive("other", link=(F.parent_id, "id"), depth="depth", path=("path", F.name, "/"))
        .query()
        .order_by("path")
    ),
    "ancestors": lambda db: walk(db, link=(F.id, "parent_id")).query().order_by("path"),
    "no depth": lambda db: walk(db, depth=None).query().order_by("path"),
    "depth label": lambda db: walk(db, depth="level").query().order_by("path"),
    "no path": lambda db: walk(db, path=None).query().order_by("depth"),
    "path label": lambda db: walk(db, path=("trail", F.name, "/")).query().order_by("depth"),
    "path field": lambda db: walk(db, path=("path", F.parent_id, "/")).query().order_by("path"),
    "max depth": lambda db: walk(db, max_depth=3).query().order_by("path"),
    "step where": lambda db: walk(db, where=F.name != "x").query().order_by("path"),
    "anchor field": lambda db: (
        cats(db)
        .filter(F.name == "root")
        .select(F.id, F.name, F.parent_id)
        .recursive("tree", link=(F.parent_id, "id"), depth="depth", path=("path", F.name, "/"))
        .query()
        .order_by("path")
    ),
    "anchor deleted": lambda db: (
        cats(db)
        .include_deleted()
        .filter(F.id == uuid.uuid4())
        .select(F.id, F.name, F.parent_id)
        .recursive("tree", link=(F.parent_id, "id"), depth="depth", path=("path", F.name, "/"))
        .query()
        .order_by("path")
    ),
    "anchor columns": lambda db: (
        cats(db)
        .filter(F.id == uuid.uuid4())
        .select(F.id, F.parent_id)
        .recursive("tree", link=(F.parent_id, "id"), depth="depth", path=("path", F.name, "/"))
        .query()
        .order_by("path")
    ),
    "not recursive": lambda db: (
        cats(db)
        .filter(F.id == uuid.uuid4())
        .select(F.id, F.name, F.parent_id)
        .cte("tree")
        .query()
        .order_by("name")
    ),
    "outer filter": lambda db: walk(db).query().filter(F.depth > 1).order_by("path"),
    "outer order": lambda db: walk(db).query().order_by("-path"),
    "outer select": lambda db: walk(db).query().select(F.name).order_by("path"),
    "outer aggregate": lambda db: walk(db).query().select(func.max(F.depth)),
    "outer limit": lambda db: walk(db).query().order_by("path").limit(3),
}


def test_ctes_differing_in_one_part_never_share_a_shape(db: Database) -> None:
    shapes = {name: shape_of(make(db)) for name, make in VARIANTS.items()}
    for (a, sa_), (b, sb) in itertools.combinations(shapes.items(), 2):
        assert sa_ is not sb, (a, b)


def test_ctes_differing_only_in_values_share_a_shape(db: Database) -> None:
    one = walk(db, uuid.uuid4(), path=("path", F.name, "/"), max_depth=2, where=F.name != "a")
    two = walk(db, uuid.uuid4(), path=("path", F.name, " > "), max_depth=9, where=F.name != "b")
    assert shape_of(one.query().filter(F.depth < 3)) is shape_of(two.query().filter(F.depth < 7))
    # in a filter: the outer query's shape holds the CTE's shape
    outer = [
        cats(db).filter(F.id.in_(w.query().filter(F.depth == d).select(F.id)))
        for w, d in ((one, 1), (two, 2))
    ]
    assert shape_of(outer[0]) is shape_of(outer[1])
    other = walk(db, max_depth=2, depth="level", where=F.name != "a")
    third = cats(db).filter(F.id.in_(other.query().filter(F.level == 1).select(F.id)))
    assert shape_of(third) is not shape_of(outer[0])


def test_values_are_bound_never_in_the_sql(db: Database) -> None:
    root = uuid.uuid4()
    query = walk(db, root, path=("path", F.name, "~sep~"), max_depth=77777).query()
    runner: Any = query.runner
    shaper = Shaper(runner.mapped, runner.scope, runner.db.registry)
    shape = shape_cte_query(shaper, query.filter(F.name == "needle"))
    stmt = cte_select_stmt(runner.mapped, runner.scope.shape, runner.db.registry, shape, "project")
    for dialect in (sqlite.dialect(), postgresql.dialect(), mysql.dialect()):
        sql = str(stmt.compile(dialect=dialect))
        assert sql.startswith("WITH RECURSIVE tree")
        for value in ("~sep~", "needle", "77777", root.hex, str(root), str(TENANT)):
            assert value not in sql
    assert {"~sep~", "needle", 77777, root, TENANT} <= set(shaper.params.values())


def test_a_cte_in_a_filter_puts_with_on_the_outer_statement(db: Database) -> None:
    inner = walk(db).query().select(F.id)
    query = cats(db).filter(F.id.in_(inner)).order_by("name")
    runner: Any = query.runner
    compiler = QueryCompiler(runner.mapped, runner.scope, runner.db.registry)
    shape = compiler.structure(query)
    stmt = select_stmt(runner.mapped, runner.scope.shape, runner.db.registry, shape, "rows")
    for dialect in (sqlite.dialect(), postgresql.dialect(), mysql.dialect()):
        sql = str(stmt.compile(dialect=dialect))
        assert sql.startswith("WITH RECURSIVE tree"), sql
        assert sql.count("WITH") == 1


def test_a_walks_text_columns_have_one_wide_type_per_dialect(db: Database) -> None:
    """Both branches cast path and ids alike: MySQL sized (a CTE's columns take the anchor's
    type there), SQL Server NVARCHAR(max) (its TEXT cannot be joined with +)."""
    query = walk(db).query()
    runner: Any = query.runner
    shape = shape_cte_query(Shaper(runner.mapped, runner.scope, runner.db.registry), query)
    stmt = cte_select_stmt(runner.mapped, runner.scope.shape, runner.db.registry, shape, "project")
    expected = {
        postgresql.dialect(): "AS TEXT)",
        mysql.dialect(): "AS CHAR(1000000))",
        mssql.dialect(): "AS NVARCHAR(max))",
        sqlite.dialect(): "AS TEXT)",
    }
    counts = set()
    for dialect, cast in expected.items():
        sql = str(stmt.compile(dialect=dialect))
        counts.add(sql.count(cast))
        assert "AS CHAR)" not in sql  # an unsized CHAR is as long as the anchor's value
        assert dialect.name != "mssql" or "AS TEXT)" not in sql
    assert len(counts) == 1  # every text cast has the dialect's one type
    assert counts.pop() > 4
