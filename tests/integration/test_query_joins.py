"""Related fields outside filters: ``order_by("author.name")``, ``select(F["author.name"])``,
``group_by("author.name")``, ``func.count(F["posts.id"])``, ``join()``/``left_join()``.

Every test has two tenants with overlapping data (and rows of each pointing at the other's,
written with foreign key checks off) and soft-deleted rows on both sides of the joins, and
compares storied's rows with the same query written in SQL by hand (equal rows, equal order
where ordered).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import (
    ConfigurationError,
    F,
    Field,
    Model,
    Relationship,
    UnknownFieldError,
    ValidationError,
    func,
)
from tests.integration.conftest import Repo, Store, settle
from tests.integration.query_support import Statements
from tests.integration.test_relationships_scoping import unchecked
from tests.relmodels import (
    BLOG,
    Author,
    Book,
    Comment,
    Employee,
    Post,
    PostTag,
    Profile,
    Tag,
    Writer,
)

LIVE = "{a}.tenant_id = :t AND {a}.deleted_at IS NULL"
POSTS_AUTHOR = (
    "FROM r_posts p LEFT JOIN r_authors a ON a.id = p.author_id AND a.tenant_id = :t "
    "AND a.deleted_at IS NULL WHERE p.tenant_id = :t AND p.deleted_at IS NULL"
)


async def hand(store: Store, sql: str, *, ints: tuple[str, ...] = (), **binds: Any) -> list[Any]:
    """Rows of hand-written SQL as tuples; UUIDs bound as UUIDs, ``ints`` read as integers
    (MariaDB sums integers as DECIMAL)."""
    stmt = sa.text(sql).bindparams(
        *(sa.bindparam(k, type_=sa.Uuid()) for k, v in binds.items() if isinstance(v, UUID))
    )
    if ints:
        stmt = stmt.columns(**dict.fromkeys(ints, sa.Integer()))  # type: ignore[assignment]
    return await store.run_sync(lambda conn: [tuple(r) for r in conn.execute(stmt, binds)])


async def rows(query: Any) -> list[Any]:
    return list(await settle(query.all()))


@dataclass
class Blog:
    ours: dict[type, Repo]
    theirs: dict[type, Repo]
    tenant: UUID
    other: UUID

    def q(self, model: type) -> Any:
        return self.ours[model].query()


@pytest.fixture
async def blog(store: Store, tenant: UUID) -> Blog:
    """Ours: Ann (posts one, two and a deleted "dead"), Bob (three), Cy (none) and a deleted
    Dee (her post "lost" stays); "stray" points at their Ann. Comments hi, a deleted gone (on
    one), yo (three) and orphan (on dead). Tags x, y, a deleted z: one-x, a deleted one-y link,
    three-x, three-z, and three-ox (their tag). Theirs: Ann (one, a deleted dead2), a deleted
    Bob (bobs), tag x on their one; and a comment, a post and a tag link on our rows."""
    await store.create_all(*BLOG)
    other = uuid4()
    ours = {m: store.repository(m, tenant_id=tenant) for m in BLOG}
    theirs = {m: store.repository(m, tenant_id=other) for m in BLOG}
    ann, bob, _, dee = await ours[Author].create_many(
        [Author(name=n) for n in ("Ann", "Bob", "Cy", "Dee")]
    )
    one, _, dead, three, _ = await ours[Post].create_many(
        [
            Post(author_id=ann.id, title="one", score=5),
            Post(author_id=ann.id, title="two", score=1),
            Post(author_id=ann.id, title="dead", score=7),
            Post(author_id=bob.id, title="three", score=2),
            Post(author_id=dee.id, title="lost", score=3),
        ]
    )
    await ours[Post].delete(dead.id)
    await ours[Author].delete(dee.id)
    _, gone, _, _ = await ours[Comment].create_many(
        [
            Comment(post_id=one.id, body="hi"),
            Comment(post_id=one.id, body="gone"),
            Comment(post_id=three.id, body="yo"),
            Comment(post_id=dead.id, body="orphan"),
        ]
    )
    await ours[Comment].delete(gone.id)
    await ours[Profile].create(Profile(author_id=ann.id, bio="mine"))
    x, y, z = await ours[Tag].create_many([Tag(label=n) for n in "xyz"])
    _, y_link, _, _ = await ours[PostTag].create_many(
        [
            PostTag(post_id=one.id, tag_id=x.id),
            PostTag(post_id=one.id, tag_id=y.id),
            PostTag(post_id=three.id, tag_id=x.id),
            PostTag(post_id=three.id, tag_id=z.id),
        ]
    )
    await ours[PostTag].delete(y_link.id)
    await ours[Tag].delete(z.id)

    t_ann, t_bob = await theirs[Author].create_many([Author(name="Ann"), Author(name="Bob")])
    t_one, t_dead, _ = await theirs[Post].create_many(
        [
            Post(author_id=t_ann.id, title="one", score=50),
            Post(author_id=t_ann.id, title="dead2", score=70),
            Post(author_id=t_bob.id, title="bobs", score=9),
        ]
    )
    await theirs[Post].delete(t_dead.id)
    await theirs[Author].delete(t_bob.id)
    await theirs[Comment].create(Comment(post_id=t_one.id, body="theirs"))
    t_x, ox = await theirs[Tag].create_many([Tag(label="x"), Tag(label="ox")])
    await theirs[PostTag].create(PostTag(post_id=t_one.id, tag_id=t_x.id))
    unchecked(
        store,
        other,
        [
            (Comment, {"post_id": one.id, "body": "foreign"}),
            (Post, {"author_id": ann.id, "title": "foreign", "score": 100}),
            (PostTag, {"post_id": one.id, "tag_id": x.id}),
            (Profile, {"author_id": bob.id, "bio": "foreign"}),
        ],
    )
    unchecked(
        store,
        tenant,
        [
            (Post, {"author_id": t_ann.id, "title": "stray", "score": 4}),
            (PostTag, {"post_id": three.id, "tag_id": ox.id}),
        ],
    )
    return Blog(ours, theirs, tenant, other)


async def test_ordering_by_a_related_field_returns_each_model_once(
    store: Store, blog: Blog
) -> None:
    posts = blog.q(Post)
    ordered = await rows(posts.order_by(F["author.name"].nulls_first(), "title"))
    sql = f"SELECT p.title {POSTS_AUTHOR} ORDER BY CASE WHEN a.name IS NULL THEN 0 ELSE 1 END, "
    expected = await hand(store, sql + "a.name, p.title", t=blog.tenant)
    assert [p.title for p in ordered] == [t for (t,) in expected]
    assert [p.title for p in ordered] == ["lost", "stray", "one", "two", "three"]
    assert all(isinstance(p, Post) and p.tenant_id == blog.tenant for p in ordered)
    down = await rows(posts.order_by(F["author.name"].desc(), F.title.desc()))
    expected = await hand(
        store, f"SELECT p.title {POSTS_AUTHOR} ORDER BY a.name DESC, p.title DESC", t=blog.tenant
    )
    assert [p.title for p in down] == [t for (t,) in expected]
    assert await settle(posts.order_by("author.name").count()) == 5
    # theirs: their Bob is deleted, and our Ann (their "foreign" post's author) is not theirs
    theirs = await rows(blog.theirs[Post].query().order_by(F["author.name"].nulls_last(), "title"))
    sql = f"SELECT p.title {POSTS_AUTHOR} ORDER BY CASE WHEN a.name IS NULL THEN 1 ELSE 0 END, "
    expected = await hand(store, sql + "a.name, p.title", t=blog.other)
    assert [p.title for p in theirs] == [t for (t,) in expected] == ["one", "bobs", "foreign"]


async def test_join_keeps_only_rows_with_a_visible_related_row(store: Store, blog: Blog) -> None:
    joined = blog.q(Post).join("author").order_by("author.name", "title")
    sql = POSTS_AUTHOR.replace("LEFT JOIN", "JOIN")
    expected = await hand(store, f"SELECT p.title {sql} ORDER BY a.name, p.title", t=blog.tenant)
    assert [p.title for p in await rows(joined)] == [t for (t,) in expected]
    assert [t for (t,) in expected] == ["one", "two", "three"]
    assert await settle(joined.count()) == 3
    assert (await settle(joined.first())).title == "one"
    assert await settle(blog.q(Post).join("author").filter(title="lost").exists()) is False
    assert await settle(blog.q(Post).left_join("author").filter(title="lost").exists()) is True
    # filters keep their EXISTS meaning; join() only decides which rows appear
    named = blog.q(Post).join("author").filter(F["author.name"] == "Ann").order_by("title")
    assert [p.title for p in await rows(named)] == ["one", "two"]
    # left_join() then join() of one path: inner
    both = blog.q(Post).left_join("author").join("author").select(F.title)
    assert sorted(r["title"] for r in await rows(both)) == ["one", "three", "two"]
    theirs = blog.theirs[Post].query().join("author").select(F.title, F["author.name"])
    assert await rows(theirs) == [{"title": "one", "author.name": "Ann"}]


async def test_projected_related_fields_are_null_where_nothing_visible_is_related(
    store: Store, blog: Blog
) -> None:
    got = await rows(
        blog.q(Post).select(F.title, F["author.name"], F["author.id"]).order_by("title")
    )
    sql = f"SELECT p.title, a.name, a.id {POSTS_AUTHOR} ORDER BY p.title"
    expected = await hand(store, sql, t=blog.tenant)
    assert [(r["title"], r["author.name"]) for r in got] == [(t, n) for t, n, _ in expected]
    assert [(r["title"], r["author.name"]) for r in got] == [
        ("lost", None),  # Dee is deleted
        ("one", "Ann"),
        ("stray", None),  # their Ann
        ("three", "Bob"),
        ("two", "Ann"),
    ]
    assert all(isinstance(r["author.id"], UUID) for r in got if r["author.name"])
    assert list(got[0]) == ["title", "author.name", "author.id"]
    # two hops: a comment's post's author; the orphan's post is deleted, so both are NULL
    comments = blog.q(Comment).select(F.body, F["post.score"], F["post.author.name"])
    got = await rows(comments.order_by("body"))
    sql = (
        "SELECT c.body, p.score, a.name FROM r_comments c "
        f"LEFT JOIN r_posts p ON p.id = c.post_id AND {LIVE.format(a='p')} "
        f"LEFT JOIN r_authors a ON a.id = p.author_id AND {LIVE.format(a='a')} "
        f"WHERE {LIVE.format(a='c')} ORDER BY c.body"
    )
    expected = await hand(store, sql, t=blog.tenant)
    assert [tuple(r.values()) for r in got] == expected
    assert expected == [("hi", 5, "Ann"), ("orphan", None, None), ("yo", 2, "Bob")]
    assert type(got[0]["post.score"]) is int
    theirs = await rows(
        blog.theirs[Comment].query().select(F.body, F["post.title"]).order_by("body")
    )
    assert theirs == [
        {"body": "foreign", "post.title": None},
        {"body": "theirs", "post.title": "one"},
    ]


async def test_one_to_one_and_self_referential_joins(
    store: Store, blog: Blog, tenant: UUID
) -> None:
    profiles = blog.q(Author).select(F.name, F["profile.bio"]).order_by("name")
    sql = (
        "SELECT a.name, f.bio FROM r_authors a LEFT JOIN r_profiles f ON f.author_id = a.id "
        f"AND {LIVE.format(a='f')} WHERE {LIVE.format(a='a')} ORDER BY a.name"
    )
    expected = await hand(store, sql, t=tenant)
    assert [tuple(r.values()) for r in await rows(profiles)] == expected
    assert expected == [("Ann", "mine"), ("Bob", None), ("Cy", None)]  # Bob's is theirs
    by_bio = await rows(blog.q(Author).order_by(F["profile.bio"].nulls_last(), "name"))
    assert [a.name for a in by_bio] == ["Ann", "Bob", "Cy"]

    await store.create_all(Employee)
    staff, other = store.repository(Employee, tenant_id=tenant), uuid4()
    ada = await staff.create(Employee(name="Ada"))
    ben, _ = await staff.create_many(
        [Employee(name="Ben", manager_id=ada.id), Employee(name="Cal", manager_id=ada.id)]
    )
    dot = await staff.create(Employee(name="Dot", manager_id=ben.id))
    await staff.create(Employee(name="Eve", manager_id=dot.id))
    await staff.delete(dot.id)
    their_ada = await store.repository(Employee, tenant_id=other).create(Employee(name="Ada"))
    unchecked(store, other, [(Employee, {"name": "Zed", "manager_id": ada.id})])
    unchecked(store, tenant, [(Employee, {"name": "Yan", "manager_id": their_ada.id})])
    chain = staff.query().select(F.name, F["manager.name"], F["manager.manager.name"])
    got = await rows(chain.order_by("name"))
    sql = (
        "SELECT e.name, m.name, mm.name FROM r_employees e "
        f"LEFT JOIN r_employees m ON m.id = e.manager_id AND {LIVE.format(a='m')} "
        f"LEFT JOIN r_employees mm ON mm.id = m.manager_id AND {LIVE.format(a='mm')} "
        f"WHERE {LIVE.format(a='e')} ORDER BY e.name"
    )
    expected = await hand(store, sql, t=tenant)
    assert [tuple(r.values()) for r in got] == expected
    assert expected == [
        ("Ada", None, None),
        ("Ben", "Ada", None),
        ("Cal", "Ada", None),
        ("Eve", None, None),  # Dot is deleted
        ("Yan", None, None),  # their Ada
    ]
    reports = staff.query().select(F.name, func.count(F["reports.id"]).label("n"))
    got = await rows(reports.group_by("name").order_by("name"))
    sql = (
        "SELECT e.name, count(r.id) AS n FROM r_employees e "
        f"LEFT JOIN r_employees r ON r.manager_id = e.id AND {LIVE.format(a='r')} "
        f"WHERE {LIVE.format(a='e')} GROUP BY e.name ORDER BY e.name"
    )
    expected = await hand(store, sql, t=tenant, ints=("n",))
    assert [tuple(r.values()) for r in got] == expected
    assert expected == [("Ada", 2), ("Ben", 0), ("Cal", 0), ("Eve", 0), ("Yan", 0)]  # not Zed
    ordered = await rows(staff.query().order_by(F["manager.name"].nulls_first(), F.name.desc()))
    assert [e.name for e in ordered] == ["Yan", "Eve", "Ada", "Cal", "Ben"]


async def test_children_counted_per_parent_with_group_by(store: Store, blog: Blog) -> None:
    per_author = (
        blog.q(Author)
        .select(F.name, func.count(F["posts.id"]), func.sum(F["posts.score"]))
        .group_by("name")
        .order_by("name")
    )
    got = await rows(per_author)
    sql = (
        "SELECT a.name, count(p.id) AS n, sum(p.score) AS s FROM r_authors a "
        f"LEFT JOIN r_posts p ON p.author_id = a.id AND {LIVE.format(a='p')} "
        f"WHERE {LIVE.format(a='a')} GROUP BY a.name"
    )
    expected = await hand(store, sql + " ORDER BY a.name", t=blog.tenant, ints=("n", "s"))
    assert [tuple(r.values()) for r in got] == expected
    # dead is deleted, foreign is theirs: neither counts for Ann
    assert expected == [("Ann", 2, 6), ("Bob", 1, 2), ("Cy", 0, None)]
    assert list(got[0]) == ["name", "count_posts_id", "sum_posts_score"]
    assert all(type(r["sum_posts_score"]) is int for r in got[:2])
    having = await rows(per_author.having(func.count(F["posts.id"]) > 1))
    assert having == [{"name": "Ann", "count_posts_id": 2, "sum_posts_score": 6}]
    expected = await hand(store, sql + " HAVING count(p.id) > 1", t=blog.tenant, ints=("n", "s"))
    assert [tuple(r.values()) for r in having] == expected
    # two to-many hops: the comments on each author's posts (gone is deleted, foreign theirs)
    comments = blog.q(Author).select(F.name, func.count(F["posts.comments.id"]).label("n"))
    got = await rows(comments.group_by("name").order_by("name"))
    sql = (
        "SELECT a.name, count(c.id) AS n FROM r_authors a "
        f"LEFT JOIN r_posts p ON p.author_id = a.id AND {LIVE.format(a='p')} "
        f"LEFT JOIN r_comments c ON c.post_id = p.id AND {LIVE.format(a='c')} "
        f"WHERE {LIVE.format(a='a')} GROUP BY a.name ORDER BY a.name"
    )
    expected = await hand(store, sql, t=blog.tenant, ints=("n",))
    assert [tuple(r.values()) for r in got] == expected == [("Ann", 1), ("Bob", 1), ("Cy", 0)]
    theirs = blog.theirs[Author].query().select(F.name, func.count(F["posts.id"])).group_by("name")
    assert await rows(theirs) == [{"name": "Ann", "count_posts_id": 1}]  # dead2 deleted


async def test_grouped_by_a_related_field(store: Store, blog: Blog) -> None:
    query = (
        blog.q(Post)
        .select(F["author.name"], func.count(), func.max(F.score))
        .group_by("author.name")
        .order_by(F["author.name"].nulls_first())
    )
    got = await rows(query)
    sql = (
        f"SELECT a.name, count(*) AS n, max(p.score) AS m {POSTS_AUTHOR} GROUP BY a.name "
        "ORDER BY CASE WHEN a.name IS NULL THEN 0 ELSE 1 END, a.name"
    )
    expected = await hand(store, sql, t=blog.tenant, ints=("n", "m"))
    assert (
        [tuple(r.values()) for r in got] == expected == [(None, 2, 4), ("Ann", 2, 5), ("Bob", 1, 2)]
    )
    assert await settle(query.count()) == 3
    inner = query.join("author")
    assert [r["author.name"] for r in await rows(inner)] == ["Ann", "Bob"]


async def test_many_to_many_through_the_link_table(store: Store, blog: Blog) -> None:
    per_post = blog.q(Post).select(F.title, func.count(F["tags.id"])).group_by("title")
    got = await rows(per_post.order_by("title"))
    via = (
        "LEFT JOIN (r_post_tags l JOIN r_tags g ON g.id = l.tag_id AND "
        f"{LIVE.format(a='g')}) ON l.post_id = p.id AND {LIVE.format(a='l')}"
    )
    sql = (
        f"SELECT p.title, count(g.id) AS n FROM r_posts p {via} "
        f"WHERE {LIVE.format(a='p')} GROUP BY p.title ORDER BY p.title"
    )
    expected = await hand(store, sql, t=blog.tenant, ints=("n",))
    assert [tuple(r.values()) for r in got] == expected
    # one: x (the y link is deleted, theirs links ox); three: x (z is deleted, ox theirs)
    assert expected == [("lost", 0), ("one", 1), ("stray", 0), ("three", 1), ("two", 0)]
    labels = blog.q(Post).select(F.title, F["tags.label"]).order_by("title")
    got = await rows(labels)
    sql = (
        f"SELECT p.title, g.label FROM r_posts p {via} WHERE {LIVE.format(a='p')} ORDER BY p.title"
    )
    expected = await hand(store, sql, t=blog.tenant)
    assert [tuple(r.values()) for r in got] == expected
    assert sorted(expected, key=repr) == sorted(
        [("lost", None), ("one", "x"), ("stray", None), ("three", "x"), ("two", None)], key=repr
    )
    per_tag = blog.q(Tag).select(F.label, func.count(F["posts.id"])).group_by("label")
    got = await rows(per_tag.order_by("label"))
    assert [tuple(r.values()) for r in got] == [("x", 2), ("y", 0)]


@pytest.fixture
async def versions(store: Store, tenant: UUID) -> dict[str, Any]:
    """A writer renamed Old → New after ``t``; B1 retitled, B2 created and B3 deleted after t;
    another tenant's writer Old and their book pointing at ours exist throughout."""
    await store.create_all(Writer, Book)
    writers = store.repository(Writer, tenant_id=tenant)
    books = store.repository(Book, tenant_id=tenant)
    store.clock.advance(seconds=1)
    old = await writers.create(Writer(name="Old"))
    b1, b3 = await books.create_many(
        [Book(writer_id=old.id, title="B1"), Book(writer_id=old.id, title="B3")]
    )
    other = uuid4()
    their_writer = await store.repository(Writer, tenant_id=other).create(Writer(name="Old"))
    await store.repository(Book, tenant_id=other).create(Book(writer_id=their_writer.id, title="T"))
    pointing = {"writer_id": old.id, "title": "pointing at ours"}
    unchecked(store, other, [(Book, pointing)], store.clock.now())
    store.clock.advance(seconds=1)
    t = store.clock.now()
    store.clock.advance(seconds=1)
    await writers.update(old.id, name="New")
    await books.update(b1.id, title="B1 v2")
    await books.create(Book(writer_id=old.id, title="B2"))
    await books.delete(b3.id)
    return {"writers": writers, "books": books, "t": t, "tenant": tenant, "other": other}


VALID = "{a}.valid_from <= :at AND ({a}.valid_to IS NULL OR {a}.valid_to > :at)"


async def test_as_of_joins_the_related_version_valid_then(
    store: Store, versions: dict[str, Any]
) -> None:
    books, writers, t = versions["books"], versions["writers"], versions["t"]
    at = sa.bindparam("at", t, type_=store.db.registry.mapped(Book).table.c.valid_from.type)

    async def by_hand(sql: str, timed: bool, **kw: Any) -> list[Any]:
        stmt = sa.text(sql).bindparams(sa.bindparam("t", versions["tenant"], type_=sa.Uuid()))
        if timed:
            stmt = stmt.bindparams(at)
        if kw:
            stmt = stmt.columns(**kw)  # type: ignore[assignment]
        return await store.run_sync(lambda conn: [tuple(r) for r in conn.execute(stmt)])

    def sql(current: str) -> str:
        return (
            "SELECT b.title, w.name FROM r_books b LEFT JOIN r_writers w ON w.id = b.writer_id "
            f"AND {LIVE.format(a='w')} AND {current.format(a='w')} "
            f"WHERE {LIVE.format(a='b')} AND {current.format(a='b')} ORDER BY b.title"
        )

    then = await rows(books.query().as_of(t).select(F.title, F["writer.name"]).order_by("title"))
    expected = await by_hand(sql(VALID), True)
    assert [tuple(r.values()) for r in then] == expected == [("B1", "Old"), ("B3", "Old")]
    now = await rows(books.query().select(F.title, F["writer.name"]).order_by("title"))
    expected = await by_hand(sql("{a}.valid_to IS NULL"), False)
    assert [tuple(r.values()) for r in now] == expected == [("B1 v2", "New"), ("B2", "New")]
    ordered = await rows(books.query().as_of(t).order_by(F["writer.name"].desc(), "title"))
    assert [b.title for b in ordered] == ["B1", "B3"]

    def counted(current: str) -> str:
        return (
            "SELECT w.name, count(b.id) AS n FROM r_writers w LEFT JOIN r_books b "
            f"ON b.writer_id = w.id AND {LIVE.format(a='b')} AND {current.format(a='b')} "
            f"WHERE {LIVE.format(a='w')} AND {current.format(a='w')} GROUP BY w.name"
        )

    per_writer = writers.query().select(F.name, func.count(F["books.id"])).group_by("name")
    expected = await by_hand(counted(VALID), True, n=sa.Integer())
    got = await rows(per_writer.as_of(t))
    assert [tuple(r.values()) for r in got] == expected == [("Old", 2)]  # not "pointing at ours"
    expected = await by_hand(counted("{a}.valid_to IS NULL"), False, n=sa.Integer())
    assert [tuple(r.values()) for r in await rows(per_writer)] == expected == [("New", 2)]


async def test_names_and_paths_are_checked_before_any_sql(
    store: Store, blog: Blog, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts, authors = blog.q(Post), blog.q(Author)
    statements = Statements(store.db, monkeypatch)
    for bad in (
        posts.order_by("author.nope"),
        posts.order_by("nope.name"),
        posts.select(F.title, F["author.nope"]),
        posts.select(func.sum(F["author.nope"])),
        posts.select(F.title, func.count()).group_by("author.nope"),
        posts.join("nope"),
        blog.q(Comment).select(F["post.author.nope"]),
        blog.q(Comment).select(F["post.nope.name"]),
        posts.select(F.title, func.count()).group_by("title").having(func.max(F["comments.x"]) > 1),
    ):
        with pytest.raises(UnknownFieldError):
            await settle(bad.all())
    with pytest.raises(ValidationError, match="to-many"):
        await settle(authors.order_by("posts.title").all())
    with pytest.raises(ValidationError, match="to-many"):
        await settle(authors.join("posts").count())
    with pytest.raises(ValidationError, match="to-many"):
        await settle(blog.q(Comment).order_by("post.tags.label").first())
    with pytest.raises(ValidationError, match="relation path"):
        posts.join("author..name")
    with pytest.raises(ValidationError, match="related field"):
        posts.order_by("author.name").after(("Ann", uuid4()))
    with pytest.raises(ValidationError, match="related field"):
        posts.order_by("author.name").iterate()
    with pytest.raises(ValidationError, match="set operation"):
        await settle(posts.select(F["author.name"]).union(posts.select(F.title)).all())
    with pytest.raises(ValidationError, match="set operation"):
        await settle(posts.union(posts.join("author")).all())
    with pytest.raises(ValidationError, match="CTE"):
        await settle(posts.select(F.id, F["author.name"]).cte("named").query().all())
    with pytest.raises(ValidationError, match="CTE"):
        await settle(posts.select(F.id).cte("named").query().join("author").all())
    assert statements.count == 0
    # a to-many path is fine in a projection (a row per related row)
    titles = await rows(authors.filter(name="Ann").select(F["posts.title"]).order_by("posts.title"))
    assert titles == [{"posts.title": "one"}, {"posts.title": "two"}]


class Region(Model, table="j_regions", tenant=False):
    name: str = Field(max_length=50)

    shops = Relationship("Shop")


class Shop(Model, table="j_shops"):
    region_id: UUID = Field(foreign_key=Region)
    name: str = Field(max_length=50)

    region = Relationship(Region)


async def test_a_tenant_scoped_model_joined_from_an_untenanted_one_is_refused(
    store: Store, tenant: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.create_all(Region, Shop)
    regions = store.repository(Region)
    north, south = await regions.create_many([Region(name="north"), Region(name="south")])
    shops = store.repository(Shop, tenant_id=tenant)
    await shops.create_many(
        [Shop(region_id=north.id, name="a"), Shop(region_id=south.id, name="b")]
    )
    await store.repository(Shop, tenant_id=uuid4()).create(Shop(region_id=north.id, name="c"))
    statements = Statements(store.db, monkeypatch)
    counted = regions.query().select(F.name, func.count(F["shops.id"])).group_by("name")
    with pytest.raises(ConfigurationError, match="tenant-scoped"):
        await settle(counted.all())
    with pytest.raises(ConfigurationError, match="tenant-scoped"):
        await settle(regions.query().join("shops").select(F.name).all())
    assert statements.count == 0
    # the other way (a tenant's rows joining untenanted ones) reads the untenanted rows
    got = await rows(shops.query().select(F.name, F["region.name"]).order_by("region.name"))
    sql = (
        "SELECT s.name, r.name FROM j_shops s LEFT JOIN j_regions r ON r.id = s.region_id "
        "AND r.deleted_at IS NULL WHERE s.tenant_id = :t AND s.deleted_at IS NULL ORDER BY r.name"
    )
    expected = await hand(store, sql, t=tenant)
    assert [tuple(r.values()) for r in got] == expected == [("a", "north"), ("b", "south")]


async def test_plain_rows_of_joined_queries(store: Store, blog: Blog) -> None:
    """tuples()/dicts() over related fields: the same values as the dict rows, aggregates over
    a related field typed like it (PostgreSQL and MariaDB sum integers as NUMERIC/DECIMAL)."""
    per_author = (
        blog.q(Author)
        .select(F.name, func.count(F["posts.id"]), func.sum(F["posts.score"]))
        .group_by("name")
        .order_by("name")
    )
    tuples = await rows(per_author.tuples())
    assert tuples == [("Ann", 2, 6), ("Bob", 1, 2), ("Cy", 0, None)]
    assert all(type(t[2]) is int for t in tuples[:2])
    assert await rows(per_author.dicts()) == await rows(per_author)
    projected = blog.q(Post).select(F.title, F["author.name"]).order_by("title")
    sql = f"SELECT p.title, a.name {POSTS_AUTHOR} ORDER BY p.title"
    assert await rows(projected.tuples()) == await hand(store, sql, t=blog.tenant)
    # whole models ordered by a related field, as plain tuples of the model's fields
    ordered = blog.q(Post).join("author").order_by("author.name", "title")
    plain = await rows(ordered.tuples())
    models = await rows(ordered)
    assert plain == [tuple(getattr(p, f) for f in Post.model_fields) for p in models]
    assert [p.title for p in models] == ["one", "two", "three"]


async def test_windows_with_related_fields_are_refused(store: Store, blog: Blog) -> None:
    ranked = func.rank().over(order_by=F.score.desc())
    for bad in (
        blog.q(Post).select(F.title, F["author.name"], ranked),
        blog.q(Post).join("author").select(F.title, ranked),
        blog.q(Post).select(F.title, ranked).order_by("author.name"),
    ):
        with pytest.raises(ValidationError, match="window functions"):
            await settle(bad.all())
