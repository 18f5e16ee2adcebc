"""Tenancy, soft delete and time hold on every read path: filters, related-field EXISTS,
subqueries, aggregates, eager loads and streaming. Another tenant's rows point at ours here, so
a path that forgot its scope would show them. The database refuses such references (foreign keys
hold per tenant), so they are written with its checks off, as rows from before that could be."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import F, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import collect
from tests.relmodels import BLOG, Author, Book, Comment, Post, PostTag, Profile, Tag, Writer


@dataclass
class Side:
    """One tenant's repositories, by model."""

    repos: dict[type, Repo]

    def __getitem__(self, model: type) -> Repo:
        return self.repos[model]

    def q(self, model: type) -> Any:
        return self.repos[model].query()


@dataclass
class World:
    ours: Side
    theirs: Side
    both: Side  # tenant_ids=[ours, theirs]: permissive reads across the two
    ids: dict[str, Any]


@pytest.fixture
async def world(store: Store, tenant: UUID) -> World:
    """Ours: Ann (posts one, two, a deleted one; a profile), Bob (post three); comment "hi" and
    a deleted "gone" on one; tags x, y on one (the y link deleted). Theirs: a comment, a post,
    a tag link and a profile, all pointing at our rows."""
    await store.create_all(*BLOG)
    other = uuid4()

    def side(**scope: Any) -> Side:
        return Side({m: store.repository(m, **scope) for m in BLOG})

    ours, theirs = side(tenant_id=tenant), side(tenant_id=other)
    both = side(tenant_ids=[tenant, other])
    ann, bob = await ours[Author].create_many([Author(name="Ann"), Author(name="Bob")])
    await ours[Profile].create(Profile(author_id=ann.id, bio="mine"))
    one, _, dead, three = await ours[Post].create_many(
        [
            Post(author_id=ann.id, title="one", score=5),
            Post(author_id=ann.id, title="two", score=1),
            Post(author_id=ann.id, title="dead", score=7),
            Post(author_id=bob.id, title="three", score=2),
        ]
    )
    await ours[Post].delete(dead.id)
    _, gone = await ours[Comment].create_many(
        [Comment(post_id=one.id, body="hi"), Comment(post_id=one.id, body="gone")]
    )
    await ours[Comment].delete(gone.id)
    x, y = await ours[Tag].create_many([Tag(label="x"), Tag(label="y")])
    _, y_link = await ours[PostTag].create_many(
        [PostTag(post_id=one.id, tag_id=x.id), PostTag(post_id=one.id, tag_id=y.id)]
    )
    await ours[PostTag].delete(y_link.id)

    ox = await theirs[Tag].create(Tag(label="ox"))
    unchecked(
        store,
        other,
        [
            (Comment, {"post_id": one.id, "body": "foreign"}),
            (Post, {"author_id": ann.id, "title": "foreign", "score": 100}),
            (PostTag, {"post_id": one.id, "tag_id": ox.id}),
            (Profile, {"author_id": bob.id, "bio": "foreign"}),
        ],
    )
    ids = {"ann": ann.id, "bob": bob.id, "one": one.id, "three": three.id, "dead": dead.id}
    return World(ours, theirs, both, ids)


def unchecked(
    store: Store,
    tenant: UUID,
    rows: list[tuple[type, dict[str, Any]]],
    now: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
) -> None:
    """Insert rows of ``tenant`` on a connection of its own with foreign key checks off
    (scd2 models: an identity row and a first version)."""
    engine = sa.create_engine(store.url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            off = {  # SQLite checks foreign keys only when told to, and nobody told this one
                "postgresql": "SET LOCAL session_replication_role = replica",
                "mysql": "SET SESSION foreign_key_checks = 0",
                "mariadb": "SET SESSION foreign_key_checks = 0",
            }.get(conn.dialect.name)
            if off is not None:
                conn.exec_driver_sql(off)
            for model, values in rows:
                mapped = store.db.registry.mapped(model)
                stamps = {"id": uuid4(), "tenant_id": tenant, "version": 1}
                stamps |= {"created_at": now, "updated_at": now}
                if mapped.identity_table is not None:
                    conn.execute(
                        sa.insert(mapped.identity_table).values(
                            id=stamps["id"], tenant_id=tenant, created_at=now
                        )
                    )
                    stamps["valid_from"] = now
                conn.execute(sa.insert(mapped.table).values(**stamps, **values))
    finally:
        engine.dispose()


async def all_of(query: Any) -> list[Any]:
    return list(await settle(query.all()))


async def test_eager_loads_see_only_visible_rows_of_the_scope(world: World) -> None:
    query = world.ours.q(Author).load("posts.comments", "posts.tags", "profile").order_by("name")
    ann, bob = await all_of(query)
    assert sorted(p.title for p in ann.posts) == ["one", "two"]
    one = next(p for p in ann.posts if p.title == "one")
    assert [c.body for c in one.comments] == ["hi"]
    assert [t.label for t in one.tags] == ["x"]
    assert ann.profile.bio == "mine"
    assert bob.profile is None
    [foreign] = await all_of(world.theirs.q(Comment).load("post"))
    assert foreign.post is None  # our post is not theirs to see
    [their_post] = await all_of(world.theirs.q(Post).load("author", "comments"))
    assert their_post.author is None
    # a permissive scope over both tenants sees both tenants' related rows
    [ann_both] = await all_of(world.both.q(Author).filter(name="Ann").load("posts.tags"))
    assert sorted(p.title for p in ann_both.posts) == ["foreign", "one", "two"]
    one_both = next(p for p in ann_both.posts if p.title == "one")
    assert sorted(t.label for t in one_both.tags) == ["ox", "x"]


async def test_deleted_rows_stay_out_of_relations_unless_the_query_asks(world: World) -> None:
    posts = world.ours.q(Post).load("author", "comments")
    every = await all_of(posts.include_deleted().order_by("title"))
    assert [p.title for p in every] == ["dead", "one", "three", "two"]
    assert [c.body for c in every[1].comments] == ["hi"]
    [dead] = await all_of(posts.only_deleted())
    assert (dead.title, dead.author.name) == ("dead", "Ann")
    await world.ours[Author].delete(world.ids["bob"])
    three = await settle(posts.filter(title="three").one())
    assert three.author is None
    assert await settle(world.ours.q(Post).filter(F["author.name"] == "Bob").count()) == 0
    await world.ours[Author].restore(world.ids["bob"])
    three = await settle(posts.filter(title="three").one())
    assert three.author.name == "Bob"


async def test_related_field_filters_are_scoped(world: World) -> None:
    async def authors(*conds: Any) -> list[str]:
        return sorted(a.name for a in await all_of(world.ours.q(Author).filter(*conds)))

    assert await authors(F["posts.comments.body"] == "hi") == ["Ann"]
    assert await authors(F["posts.comments.body"] == "foreign") == []
    assert await authors(F["posts.comments.body"] == "gone") == []
    assert await authors(F["posts.title"] == "dead") == []
    assert await authors(F["posts.title"] == "foreign") == []
    assert await authors(F["posts.score"] > 6) == []  # dead (7) and foreign (100) are hidden
    assert await authors(F["profile.bio"] == "foreign") == []
    assert await authors(~(F["posts.tags.label"] == "x")) == ["Bob"]
    posts = world.ours.q(Post)
    assert await settle(posts.filter(F["tags.label"].in_(["y", "ox"])).count()) == 0
    assert await settle(posts.filter(F["tags.label"] == "x").count()) == 1
    theirs = world.theirs.q(Post)
    assert await settle(theirs.filter(F["author.name"] == "Ann").count()) == 0
    assert await settle(world.both.q(Post).filter(F["author.name"] == "Ann").count()) == 3


async def test_subqueries_and_aggregates_are_scoped(world: World) -> None:
    posts, comments = world.ours.q(Post), world.ours.q(Comment)
    commented = comments.select(F.post_id)
    assert [p.title for p in await all_of(posts.filter(F.id.in_(commented)))] == ["one"]
    by_them = comments.select(F.post_id).filter(body="foreign")
    assert await settle(posts.filter(F.id.in_(by_them)).count()) == 0
    popular = posts.select(F.author_id).filter(F.score > 50)  # their post (100) is hidden
    assert await settle(world.ours.q(Author).filter(F.id.in_(popular)).count()) == 0
    gone = comments.select(F.post_id).filter(body="gone")
    assert await settle(posts.filter(F.id.in_(gone)).count()) == 0
    assert await settle(posts.filter(F.id.in_(gone.include_deleted())).count()) == 1
    foreign = world.theirs.q(Comment).select(F.post_id)
    with pytest.raises(ValidationError, match="same tenant scope"):
        await settle(posts.filter(F.id.in_(foreign)).all())
    with pytest.raises(ValidationError, match="limit"):
        await settle(posts.filter(F.id.in_(commented.limit(1))).all())

    per_post = comments.select(F.post_id, func.count()).group_by(F.post_id)
    assert await settle(per_post.all()) == [{"post_id": world.ids["one"], "count": 1}]
    totals = posts.select(func.count(), func.sum(F.score), func.max(F.score))
    assert await settle(totals.all()) == [{"count": 3, "sum_score": 8, "max_score": 5}]
    assert await settle(totals.include_deleted().all()) == [
        {"count": 4, "sum_score": 15, "max_score": 7}
    ]
    [both] = await settle(world.both.q(Post).select(func.count()).all())
    assert both == {"count": 4}
    assert await settle(posts.filter(F["author.name"] == "Ann").select(func.count()).all()) == [
        {"count": 2}
    ]


async def test_streaming_is_scoped_and_loads_relations_per_batch(world: World) -> None:
    streamed = await collect(world.ours.q(Post).load("author").iterate(batch_size=1))
    assert sorted((p.title, p.author.name) for p in streamed) == [
        ("one", "Ann"),
        ("three", "Bob"),
        ("two", "Ann"),
    ]
    assert [c.body for c in await collect(world.ours.q(Comment).iterate(batch_size=1))] == ["hi"]
    mixed = await collect(world.both.q(Comment).order_by("body").iterate(batch_size=1))
    assert [c.body for c in mixed] == ["foreign", "hi"]


@pytest.fixture
async def versions(store: Store, tenant: UUID) -> dict[str, Any]:
    """A writer renamed Old → New after ``t``; B1 retitled, B2 created and B3 deleted after t;
    another tenant's book and writer exist throughout."""
    await store.create_all(Writer, Book)
    writers = store.repository(Writer, tenant_id=tenant)
    books = store.repository(Book, tenant_id=tenant)
    before = store.clock.now()
    store.clock.advance(seconds=1)
    old = await writers.create(Writer(name="Old"))
    b1, b3 = await books.create_many(
        [Book(writer_id=old.id, title="B1"), Book(writer_id=old.id, title="B3")]
    )
    other = uuid4()
    their_writer = await store.repository(Writer, tenant_id=other).create(Writer(name="Old"))
    their_books = store.repository(Book, tenant_id=other)
    await their_books.create(Book(writer_id=their_writer.id, title="theirs"))
    pointing = {"writer_id": old.id, "title": "pointing at ours"}
    unchecked(store, other, [(Book, pointing)], store.clock.now())
    store.clock.advance(seconds=1)
    t = store.clock.now()
    store.clock.advance(seconds=1)
    await writers.update(old.id, name="New")
    await books.update(b1.id, title="B1 v2")
    await books.create(Book(writer_id=old.id, title="B2"))
    await books.delete(b3.id)
    return {"writers": writers, "books": books, "t": t, "before": before, "id": old.id}


async def test_as_of_follows_relationships_to_the_versions_valid_then(
    versions: dict[str, Any],
) -> None:
    writers, books, t = versions["writers"], versions["books"], versions["t"]
    then = await all_of(books.query().as_of(t).load("writer").order_by("title"))
    assert [(b.title, b.writer.name) for b in then] == [("B1", "Old"), ("B3", "Old")]
    now = await all_of(books.query().load("writer").order_by("title"))
    assert [(b.title, b.writer.name) for b in now] == [("B1 v2", "New"), ("B2", "New")]
    [old] = await all_of(writers.query().as_of(t).load("books.writer"))
    assert (old.name, sorted(b.title for b in old.books)) == ("Old", ["B1", "B3"])
    assert {b.writer.name for b in old.books} == {"Old"}
    [new] = await all_of(writers.query().load("books"))
    assert (new.name, sorted(b.title for b in new.books)) == ("New", ["B1 v2", "B2"])
    assert await all_of(writers.query().as_of(versions["before"]).load("books")) == []


async def test_as_of_holds_in_filters_subqueries_aggregates_and_streams(
    versions: dict[str, Any],
) -> None:
    writers, books, t = versions["writers"], versions["books"], versions["t"]
    then, now = books.query().as_of(t), books.query()
    assert await settle(then.filter(F["writer.name"] == "Old").count()) == 2
    assert await settle(now.filter(F["writer.name"] == "Old").count()) == 0
    assert await settle(writers.query().as_of(t).filter(F["books.title"] == "B2").count()) == 0
    assert await settle(writers.query().filter(F["books.title"] == "B2").count()) == 1
    olds = writers.query().as_of(t).select(F.id).filter(name="Old")
    assert await settle(then.filter(F.writer_id.in_(olds)).count()) == 2
    assert await settle(now.filter(F.writer_id.in_(olds)).count()) == 2  # B1 v2 and B2
    later = writers.query().as_of(t + dt.timedelta(seconds=5)).select(F.id)
    with pytest.raises(ValidationError, match="same moment"):
        await settle(then.filter(F.writer_id.in_(later)).all())
    per_writer = then.select(F.writer_id, func.count()).group_by(F.writer_id)
    assert await settle(per_writer.all()) == [{"writer_id": versions["id"], "count": 2}]
    streamed = await collect(then.order_by("title").iterate(batch_size=1))
    assert [b.title for b in streamed] == ["B1", "B3"]
    assert await collect(books.query().as_of(versions["before"]).iterate(batch_size=1)) == []
