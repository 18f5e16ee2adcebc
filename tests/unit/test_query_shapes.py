"""A query's shape is its statement-cache key: equal for queries that differ only in values,
different for queries that differ in anything else. No database: shapes are built from
repositories of an unconnected Database (constructors do no I/O)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from storied import Database, F, func
from storied.query.compiler import QueryCompiler, compile_query
from storied.query.query import Query
from storied.query.shapes import AllOf, AnyOf, Compare, Interned, Not, SelectShape
from tests.relmodels import Book, Comment, Item, Post

TENANT = uuid.uuid4()
MOMENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def db() -> Database:
    return Database("sqlite://")


def shape_of(query: Query[Any]) -> SelectShape:
    runner: Any = query.runner
    return QueryCompiler(runner.mapped, runner.scope, runner.db.registry).structure(query)


def items(db: Database) -> Query[Item]:
    return db.repository(Item, tenant_id=TENANT).query()


def base(db: Database) -> Query[Item]:
    return items(db).filter(F.qty > 3).order_by(F.name).limit(10)


def posts(db: Database) -> Query[Post]:
    return db.repository(Post, tenant_id=TENANT).query()


def books(db: Database) -> Query[Book]:
    return db.repository(Book, tenant_id=TENANT).query()


#: each differs from the others in one part: a field, an operator, the ordering, limit or
#: offset presence, visibility, as_of presence, a related path, an aggregate …
VARIANTS: dict[str, Callable[[Database], Query[Any]]] = {
    "base": base,
    "other field": lambda db: items(db).filter(F.rank > 3).order_by(F.name).limit(10),
    "other operator": lambda db: items(db).filter(F.qty >= 3).order_by(F.name).limit(10),
    "equals": lambda db: items(db).filter(F.qty == 3).order_by(F.name).limit(10),
    "is null": lambda db: items(db).filter(F.qty == None).order_by(F.name).limit(10),  # noqa: E711
    "is not null": lambda db: items(db).filter(F.qty != None).order_by(F.name).limit(10),  # noqa: E711
    "two conditions": lambda db: items(db).filter(F.qty > 3, F.qty > 4).order_by(F.name).limit(10),
    "and": lambda db: items(db).filter((F.qty > 3) & (F.qty > 4)).order_by(F.name).limit(10),
    "or": lambda db: items(db).filter((F.qty > 3) | (F.qty > 4)).order_by(F.name).limit(10),
    "not": lambda db: items(db).filter(~(F.qty > 3)).order_by(F.name).limit(10),
    "in": lambda db: items(db).filter(F.qty.in_([1, 2])).order_by(F.name).limit(10),
    "not in": lambda db: items(db).filter(F.qty.not_in([1, 2])).order_by(F.name).limit(10),
    "in three": lambda db: items(db).filter(F.qty.in_([1, 2, 3])).order_by(F.name).limit(10),
    "in nothing": lambda db: items(db).filter(F.qty.in_([])).order_by(F.name).limit(10),
    "between": lambda db: items(db).filter(F.qty.between(1, 2)).order_by(F.name).limit(10),
    "contains": lambda db: items(db).filter(F.name.contains("a")).order_by(F.name).limit(10),
    "icontains": lambda db: items(db).filter(F.name.icontains("a")).order_by(F.name).limit(10),
    "startswith": lambda db: items(db).filter(F.name.startswith("a")).order_by(F.name).limit(10),
    "descending": lambda db: items(db).filter(F.qty > 3).order_by(F.name.desc()).limit(10),
    "nulls first": lambda db: items(db).filter(F.qty > 3).order_by(F.name.nulls_first()).limit(10),
    "order other": lambda db: items(db).filter(F.qty > 3).order_by(F.category).limit(10),
    "no order": lambda db: items(db).filter(F.qty > 3).limit(10),
    "no limit": lambda db: items(db).filter(F.qty > 3).order_by(F.name),
    "offset": lambda db: base(db).offset(5),
    "include deleted": lambda db: base(db).include_deleted(),
    "only deleted": lambda db: base(db).only_deleted(),
    "distinct": lambda db: base(db).distinct(),
    "after": lambda db: base(db).after(("n", 1)),
    "select": lambda db: base(db).select(F.name),
    "select avg": lambda db: items(db).select(F.category, func.avg(F.price)).group_by(F.category),
    "select sum": lambda db: items(db).select(F.category, func.sum(F.price)).group_by(F.category),
    "select count": lambda db: items(db).select(F.category, func.count()).group_by(F.category),
    "count distinct": lambda db: (
        items(db).select(F.category, func.count(F.name, distinct=True)).group_by(F.category)
    ),
    "having": lambda db: (
        items(db).select(F.category, func.count()).group_by(F.category).having(func.count() > 1)
    ),
    "book": lambda db: books(db).filter(F.title == "x"),
    "book as of": lambda db: books(db).filter(F.title == "x").as_of(MOMENT),
    "book writer": lambda db: books(db).filter(F["writer.name"] == "x"),
    "book writer as of": lambda db: books(db).filter(F["writer.name"] == "x").as_of(MOMENT),
    "post author": lambda db: posts(db).filter(F["author.name"] == "x"),
    "post comment": lambda db: posts(db).filter(F["comments.body"] == "x"),
    "post tag": lambda db: posts(db).filter(F["tags.label"] == "x"),
    "post in subquery": lambda db: posts(db).filter(
        F.author_id.in_(posts(db).filter(F.score > 1).select(F.author_id))
    ),
    # joins: the paths and their kind are part of the shape
    "order by author": lambda db: posts(db).filter(F.score > 1).order_by("author.name"),
    "order by author desc": lambda db: (
        posts(db).filter(F.score > 1).order_by(F["author.name"].desc())
    ),
    "order by author inner": lambda db: (
        posts(db).filter(F.score > 1).join("author").order_by("author.name")
    ),
    "left join author": lambda db: posts(db).filter(F.score > 1).left_join("author"),
    "order by author id": lambda db: posts(db).filter(F.score > 1).order_by("author.id"),
    "select author name": lambda db: (
        posts(db).filter(F.score > 1).select(F.title, F["author.name"])
    ),
    "select comment author": lambda db: (
        db.repository(Comment, tenant_id=TENANT).query().select(F.body, F["post.author.name"])
    ),
    "select post title": lambda db: (
        db.repository(Comment, tenant_id=TENANT).query().select(F.body, F["post.title"])
    ),
    "count tags": lambda db: posts(db).select(F.title, func.count(F["tags.id"])).group_by("title"),
    "count comments": lambda db: (
        posts(db).select(F.title, func.count(F["comments.id"])).group_by("title")
    ),
    "group by author": lambda db: (
        posts(db).select(F["author.name"], func.count()).group_by("author.name")
    ),
    "having comments": lambda db: (
        posts(db)
        .select(F.title, func.count(F["comments.id"]))
        .group_by("title")
        .having(func.count(F["comments.id"]) > 1)
    ),
    "book writer as of joined": lambda db: books(db).as_of(MOMENT).order_by("writer.name"),
    "book writer joined": lambda db: books(db).order_by("writer.name"),
}

#: the same queries as VARIANTS["base"] and others, with other values only
SAME_SHAPE: dict[str, Callable[[Database], Query[Any]]] = {
    "base": lambda db: items(db).filter(F.qty > 7).order_by(F.name).limit(99),
    "in": lambda db: items(db).filter(F.qty.in_([8, 9])).order_by(F.name).limit(1),
    "contains": lambda db: items(db).filter(F.name.contains("%_z")).order_by(F.name).limit(3),
    "offset": lambda db: items(db).filter(F.qty > 0).order_by(F.name).limit(1).offset(70),
    "book as of": lambda db: books(db).filter(F.title == "y").as_of(MOMENT + dt.timedelta(1)),
    "post author": lambda db: posts(db).filter(F["author.name"] == "someone else"),
    "having": lambda db: (
        items(db).select(F.category, func.count()).group_by(F.category).having(func.count() > 1000)
    ),
    "order by author": lambda db: posts(db).filter(F.score > 99).order_by("author.name"),
    "having comments": lambda db: (
        posts(db)
        .select(F.title, func.count(F["comments.id"]))
        .group_by("title")
        .having(func.count(F["comments.id"]) > 7)
    ),
    "book writer as of joined": lambda db: (
        books(db).as_of(MOMENT + dt.timedelta(1)).order_by("writer.name")
    ),
}


def test_queries_that_differ_in_one_part_never_share_a_shape(db: Database) -> None:
    shapes = {name: shape_of(make(db)) for name, make in VARIANTS.items()}
    for (a, sa), (b, sb) in itertools.combinations(shapes.items(), 2):
        assert sa != sb, f"{a!r} and {b!r} share a shape"
    assert len(set(shapes.values())) == len(shapes)


@pytest.mark.parametrize("name", sorted(SAME_SHAPE))
def test_queries_that_differ_only_in_values_share_one_shape(db: Database, name: str) -> None:
    first, second = shape_of(VARIANTS[name](db)), shape_of(SAME_SHAPE[name](db))
    assert first == second
    assert hash(first) == hash(second)
    assert {first: "compiled"}[second] == "compiled"


def test_equal_shapes_are_one_object(db: Database) -> None:
    assert shape_of(VARIANTS["base"](db)) is shape_of(SAME_SHAPE["base"](db))


def test_a_forgotten_shape_is_rebuilt_never_confused_with_another(db: Database) -> None:
    """Past the interning table's bound, nodes are built again: the statement cache then
    misses (one compile more) but never matches another query's shape."""
    before = shape_of(VARIANTS["base"](db))
    Interned.__call__.cache_clear()  # what the LRU bound does to the oldest nodes
    again, other = shape_of(VARIANTS["base"](db)), shape_of(VARIANTS["other field"](db))
    assert again == shape_of(SAME_SHAPE["base"](db))
    assert before != again
    assert other not in (before, again)


def test_a_shape_holds_bind_names_never_values(db: Database) -> None:
    shape = shape_of(items(db).filter(F.name == "secret-value", F.qty.in_([424242])))
    assert "secret-value" not in repr(shape)
    assert "424242" not in repr(shape)
    assert shape.where == (Compare("name", "eq", "p0"), shape.where[1])


def test_nodes_of_different_types_with_equal_fields_differ() -> None:
    leaf = Compare("qty", "gt", "p0")
    assert AllOf((leaf,)) != AnyOf((leaf,))
    assert hash(AllOf((leaf,))) == hash(AllOf((leaf,)))
    assert Not(leaf) != AllOf((leaf,))


def test_shapes_are_frozen(db: Database) -> None:
    shape = shape_of(VARIANTS["base"](db))
    with pytest.raises(dataclasses.FrozenInstanceError):
        shape.limited = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        shape.where[0].bind = "p9"  # type: ignore[union-attr]


def test_joined_queries_share_a_statement_only_when_their_paths_match(db: Database) -> None:
    def key(query: Query[Any]) -> Any:
        runner: Any = query.runner
        return compile_query(runner.mapped, runner.scope, runner.db.registry, query, "rows")

    ann = key(posts(db).filter(F["author.name"] == "Ann").order_by("author.name"))
    bob = key(posts(db).filter(F["author.name"] == "Bob").order_by("author.name"))
    assert ann.statement.key == bob.statement.key
    assert ann.params != bob.params
    inner = key(posts(db).filter(F["author.name"] == "Bob").join("author").order_by("author.name"))
    other = key(posts(db).filter(F["author.name"] == "Bob").order_by("author.id"))
    assert len({ann.statement.key, inner.statement.key, other.statement.key}) == 3
    assert "LEFT OUTER JOIN" in str(ann.statement.build())
    assert "LEFT" not in str(inner.statement.build())
