"""Relationships: many-to-one, one-to-many, one-to-one, many-to-many (also by forward
reference), nested eager loads, filters on related fields, RelationNotLoaded, ``via``, and
N relations loaded in 1 + N queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from storied import (
    F,
    Field,
    Model,
    ModelDefinitionError,
    RelationNotLoaded,
    Relationship,
    UnknownFieldError,
    UsageError,
    func,
)
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements
from tests.relmodels import BLOG, Author, Comment, Employee, Message, Post, PostTag, Profile, Tag


class Orphan(Model, table="r_orphans"):
    author_id: UUID = Field(foreign_key=Author)

    ghost = Relationship("Ghost")  # names no model


@dataclass
class Blog:
    authors: Repo
    posts: Repo
    comments: Repo
    tags: Repo
    profiles: Repo


@pytest.fixture
async def blog(store: Store, tenant: UUID) -> Blog:
    """Ann (a profile, posts one and two), Bob (post three), Cyd (nothing); tags x, y, z."""
    await store.create_all(*BLOG)
    repos = {m: store.repository(m, tenant_id=tenant) for m in BLOG}
    ann, bob, _ = await repos[Author].create_many([Author(name=n) for n in ("Ann", "Bob", "Cyd")])
    await repos[Profile].create(Profile(author_id=ann.id, bio="Ann writes"))
    one, two, three = await repos[Post].create_many(
        [
            Post(author_id=ann.id, title="one", score=5),
            Post(author_id=ann.id, title="two", score=1),
            Post(author_id=bob.id, title="three", score=9),
        ]
    )
    await repos[Comment].create_many(
        [
            Comment(post_id=one.id, body="hi"),
            Comment(post_id=one.id, body="great"),
            Comment(post_id=three.id, body="meh"),
        ]
    )
    x, y, _ = await repos[Tag].create_many([Tag(label=t) for t in "xyz"])
    await repos[PostTag].create_many(
        [PostTag(post_id=p.id, tag_id=t.id) for p, t in ((one, x), (one, y), (two, y))]
    )
    return Blog(repos[Author], repos[Post], repos[Comment], repos[Tag], repos[Profile])


async def rows(query: Any) -> list[Any]:
    return list(await settle(query.all()))


async def test_each_kind_of_relationship_loads(blog: Blog) -> None:
    posts = await rows(blog.posts.query().load("author", "tags").order_by("title"))
    assert [(p.title, p.author.name) for p in posts] == [
        ("one", "Ann"),
        ("three", "Bob"),
        ("two", "Ann"),
    ]
    assert [sorted(t.label for t in p.tags) for p in posts] == [["x", "y"], [], ["y"]]
    assert posts[0].author.id == posts[0].author_id
    authors = await rows(blog.authors.query().load("posts", "profile").order_by("name"))
    assert [sorted(p.title for p in a.posts) for a in authors] == [["one", "two"], ["three"], []]
    assert [a.profile and a.profile.bio for a in authors] == ["Ann writes", None, None]
    [profile] = await rows(blog.profiles.query().load("author"))
    assert profile.author.name == "Ann"
    tags = await rows(blog.tags.query().load("posts").order_by("label"))
    assert [sorted(p.title for p in t.posts) for t in tags] == [["one"], ["one", "two"], []]


async def test_nested_loads_follow_every_level(blog: Blog) -> None:
    query = blog.authors.query().load("posts.comments", "posts.tags", "profile").order_by("name")
    ann, bob, cyd = await rows(query)
    by_title = {p.title: p for p in ann.posts}
    assert sorted(c.body for c in by_title["one"].comments) == ["great", "hi"]
    assert by_title["two"].comments == []
    assert [t.label for t in by_title["two"].tags] == ["y"]
    assert [c.body for c in bob.posts[0].comments] == ["meh"]
    assert cyd.posts == []
    comments = await rows(blog.comments.query().load("post.author.profile").order_by("body"))
    assert [(c.body, c.post.title, c.post.author.name) for c in comments] == [
        ("great", "one", "Ann"),
        ("hi", "one", "Ann"),
        ("meh", "three", "Bob"),
    ]
    assert comments[0].post.author.profile.bio == "Ann writes"
    assert comments[2].post.author.profile is None


async def test_unloaded_relations_raise_instead_of_loading(blog: Blog) -> None:
    post = await settle(blog.posts.query().filter(title="one").one())
    with pytest.raises(RelationNotLoaded, match=r"Post\.author was not loaded.*\.load\('author'\)"):
        _ = post.author
    author = await settle(blog.authors.query().filter(name="Ann").load("posts").one())
    assert len(author.posts) == 2
    with pytest.raises(RelationNotLoaded):
        _ = author.posts[0].comments  # only the level asked for is loaded
    with pytest.raises(RelationNotLoaded):
        _ = author.profile
    created = await blog.authors.create(Author(name="Dee"))
    with pytest.raises(UsageError):
        _ = created.posts
    with pytest.raises((AttributeError, ValueError)):
        post.author = author
    with pytest.raises(UnknownFieldError, match="Author has no field 'nope'; valid fields: posts"):
        await settle(blog.posts.query().load("author.nope").all())
    assert isinstance(Post.author, Relationship)  # the class attribute is the declaration


async def test_filters_on_related_fields(blog: Blog) -> None:
    async def names(*conds: Any) -> list[str]:
        found = await rows(blog.authors.query().filter(*conds).order_by("name"))
        return [a.name for a in found]

    assert await names(F["posts.score"] > 0) == ["Ann", "Bob"]  # each author once
    assert await names(~(F["posts.score"] > 0)) == ["Cyd"]
    assert await names(F["posts.title"] == "two", F["posts.score"] == 5) == ["Ann"]
    assert await names(F["posts.tags.label"] == "x") == ["Ann"]
    assert await names(F["posts.comments.body"].startswith("m")) == ["Bob"]
    assert await names(F["profile.bio"].contains("writes")) == ["Ann"]
    assert await names((F["profile.bio"] != None) | (F.name == "Cyd")) == ["Ann", "Cyd"]  # noqa: E711
    posts = blog.posts.query()
    titles = await rows(posts.filter(F["author.name"] == "Ann").order_by("title"))
    assert [p.title for p in titles] == ["one", "two"]
    assert await settle(posts.filter(F["tags.label"] == "y").count()) == 2
    assert await settle(posts.filter(F["author.profile.bio"].icontains("WRITES")).count()) == 2
    assert await settle(posts.filter(F["tags.label"] == "z").exists()) is False
    comments = blog.comments.query().filter(F["post.author.name"] == "Bob")
    assert [c.body for c in await rows(comments)] == ["meh"]
    tags = await rows(blog.tags.query().filter(F["posts.author.name"] == "Ann").order_by("label"))
    assert [t.label for t in tags] == ["x", "y"]
    grouped = (
        posts.select(F.author_id, func.count())
        .filter(F["tags.label"].in_(["x", "y"]))
        .group_by(F.author_id)
    )
    assert [r["count"] for r in await settle(grouped.all())] == [2]


async def test_self_reference_via_and_ambiguity(store: Store, tenant: UUID) -> None:
    await store.create_all(Author, Employee, Message)
    staff = store.repository(Employee, tenant_id=tenant)
    boss = await staff.create(Employee(name="boss"))
    mid = await staff.create(Employee(name="mid", manager_id=boss.id))
    await staff.create(Employee(name="low", manager_id=mid.id))
    loaded = await rows(staff.query().load("manager.manager").order_by("name"))
    assert [(e.name, e.manager and e.manager.name) for e in loaded] == [
        ("boss", None),
        ("low", "mid"),
        ("mid", "boss"),
    ]
    assert loaded[1].manager.manager.name == "boss"
    reports = await rows(staff.query().filter(F["manager.name"] == "boss"))
    assert [e.name for e in reports] == ["mid"]
    two_up = await rows(staff.query().filter(F["manager.manager.name"] == "boss"))
    assert [e.name for e in two_up] == ["low"]

    authors = store.repository(Author, tenant_id=tenant)
    ann, bob = await authors.create_many([Author(name="Ann"), Author(name="Bob")])
    messages = store.repository(Message, tenant_id=tenant)
    await messages.create(Message(sender_id=ann.id, recipient_id=bob.id, text="hey"))
    [message] = await rows(messages.query().load("sender", "recipient"))
    assert (message.sender.name, message.recipient.name) == ("Ann", "Bob")
    assert await settle(messages.query().filter(F["recipient.name"] == "Ann").count()) == 0
    assert await settle(messages.query().filter(F["sender.name"] == "Ann").count()) == 1
    for query in (messages.query().load("either"), messages.query().filter(F["either.id"] == 1)):
        with pytest.raises(ModelDefinitionError, match=r"sender_id, recipient_id.*via="):
            await settle(query.all())
    orphans = store.repository(Orphan, tenant_id=tenant)
    with pytest.raises(ModelDefinitionError, match="'Ghost' is not a model"):
        await settle(orphans.query().filter(F["ghost.id"] == 1).all())


@pytest.mark.parametrize("size", [3, 300])
async def test_n_relations_load_in_one_plus_n_queries(
    store: Store, tenant: UUID, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.create_all(*BLOG)
    repos = {m: store.repository(m, tenant_id=tenant) for m in BLOG}
    authors = await repos[Author].create_many([Author(name=f"a{i}") for i in range(size)])
    await repos[Profile].create_many([Profile(author_id=a.id, bio="b") for a in authors])
    posts = await repos[Post].create_many([Post(author_id=a.id, title="t") for a in authors])
    await repos[Comment].create_many([Comment(post_id=p.id, body="c") for p in posts])
    tag = await repos[Tag].create(Tag(label="x"))
    await repos[PostTag].create_many([PostTag(post_id=p.id, tag_id=tag.id) for p in posts])
    statements = Statements(store.db, monkeypatch)

    query = repos[Author].query().load("posts", "posts.comments", "posts.tags", "profile")
    loaded = await rows(query)
    assert statements.count == 1 + 4
    assert statements.fetched == [size] * 5
    assert all(len(a.posts) == 1 and a.posts[0].comments[0].body == "c" for a in loaded)
    assert all(a.posts[0].tags[0].label == "x" and a.profile.bio == "b" for a in loaded)

    statements.reset()
    [comment, *_] = await rows(repos[Comment].query().load("post.author.profile"))
    assert statements.count == 1 + 3
    assert comment.post.author.profile.bio == "b"

    statements.reset()
    assert await rows(repos[Author].query().filter(name="nobody").load("posts")) == []
    assert statements.count == 1  # nothing to load for no rows


async def test_a_self_reference_has_both_directions(store: Store, tenant: UUID) -> None:
    """``many=True`` declares the one-to-many side of a self-reference."""
    await store.create_all(Author, Employee, Message)
    staff = store.repository(Employee, tenant_id=tenant)
    boss = await staff.create(Employee(name="boss"))
    await staff.create_many([Employee(name=n, manager_id=boss.id) for n in ("a", "b")])
    [loaded] = await rows(staff.query().filter(F.name == "boss").load("reports"))
    assert sorted(e.name for e in loaded.reports) == ["a", "b"]


async def test_a_misspelt_load_fails_before_any_statement(
    store: Store, tenant: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.create_all(Author, Employee, Message)
    staff = store.repository(Employee, tenant_id=tenant)
    statements = Statements(store.db, monkeypatch)
    with pytest.raises(UnknownFieldError, match="reports"):
        await settle(staff.query().load("reprots").all())
    assert statements.count == 0
