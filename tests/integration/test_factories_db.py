"""Factories persisting through repositories: parents linked, history recorded, all backends."""

from __future__ import annotations

from uuid import uuid4

import pytest

from storied import AsyncDatabase, ConfigurationError, Database
from storied.testing import factory
from tests.models import Account
from tests.relmodels import BLOG, Author, Comment, Post, PostTag, Profile, Tag


def test_create_batch_links_shared_parents(db: Database) -> None:
    db.create_all(BLOG)
    tenant = uuid4()
    posts = factory(Post, seed=1).create_batch(db.repository(Post, tenant_id=tenant), 5)
    assert len({p.author_id for p in posts}) == 1
    authors = db.repository(Author, tenant_id=tenant).list()
    assert [a.id for a in authors] == [posts[0].author_id]
    assert all(p.id is not None and p.tenant_id == tenant for p in posts)


def test_each_parent_unique_fks_and_string_fks(db: Database) -> None:
    db.create_all(BLOG)
    tenant = uuid4()
    posts = factory(Post, seed=2).create_batch(
        db.repository(Post, tenant_id=tenant), 4, parents="each"
    )
    assert len({p.author_id for p in posts}) == 4
    # Profile.author_id is unique: one author per profile even with parents="share"
    profiles = factory(Profile, seed=2).create_batch(db.repository(Profile, tenant_id=tenant), 3)
    assert len({p.author_id for p in profiles}) == 3
    # PostTag.post_id names its target as "r_posts.id": the post (and its author) are made
    links = factory(PostTag, seed=2).create_batch(db.repository(PostTag, tenant_id=tenant), 2)
    assert db.repository(Post, tenant_id=tenant).count() == 5
    assert db.repository(Tag, tenant_id=tenant).count() == 1
    assert len({link.post_id for link in links}) == 1


def test_reused_parents_cycle(db: Database) -> None:
    db.create_all(BLOG)
    tenant = uuid4()
    posts = factory(Post, seed=3).create_batch(db.repository(Post, tenant_id=tenant), 2)
    comments = factory(Comment, seed=3).create_batch(
        db.repository(Comment, tenant_id=tenant), 4, parents={"post_id": posts}
    )
    assert [c.post_id for c in comments] == [p.id for p in posts] * 2
    repo = db.repository(Comment, tenant_id=tenant)
    with pytest.raises(ConfigurationError, match="not foreign keys"):
        factory(Comment).create_batch(repo, 1, parents={"x": [1]})


def test_parents_need_a_one_tenant_scope(db: Database) -> None:
    db.create_all(BLOG)
    repo = db.repository(Post, unscoped=True)
    with pytest.raises(ConfigurationError, match="one tenant"):
        factory(Post).create_batch(repo, 1)
    assert db.repository(Author, unscoped=True).count() == 0


def test_created_rows_have_history(db: Database) -> None:
    db.create_all([Account])
    repo = db.repository(Account, tenant_id=uuid4(), actor="factory")
    accounts = factory(Account, seed=4).create_batch(repo, 3)
    for account in accounts:
        (change,) = repo.history(account.id)
        assert change.actor == "factory"
        assert change.operation == "create"


async def test_async_create_batch(adb: AsyncDatabase) -> None:
    await adb.create_all(BLOG)
    tenant = uuid4()
    repo = adb.repository(Comment, tenant_id=tenant)
    comments = await factory(Comment, seed=5).acreate_batch(repo, 3)
    assert len({c.post_id for c in comments}) == 1
    assert await adb.repository(Author, tenant_id=tenant).count() == 1
    one = await factory(Comment, seed=6).acreate(repo)
    assert one.id is not None


def test_children_per_created_row(db: Database) -> None:
    db.create_all(BLOG)
    tenant = uuid4()
    authors = factory(Author, seed=7).create_batch(
        db.repository(Author, tenant_id=tenant), 2, children={"posts": 3, "profile": 1}
    )
    posts = db.repository(Post, tenant_id=tenant).list()
    assert sorted(p.author_id for p in posts) == sorted([a.id for a in authors] * 3)
    assert {p.author_id for p in db.repository(Profile, tenant_id=tenant).list()} == {
        a.id for a in authors
    }
    repo = db.repository(Author, tenant_id=tenant)
    with pytest.raises(ConfigurationError, match="not a one-to-many"):
        factory(Author).create_batch(repo, 1, children={"nope": 1})
    assert repo.count() == 2  # refused before anything was written


async def test_async_children(adb: AsyncDatabase) -> None:
    await adb.create_all(BLOG)
    tenant = uuid4()
    posts = await factory(Post, seed=8).acreate_batch(
        adb.repository(Post, tenant_id=tenant), 2, children={"comments": 2}
    )
    comments = await adb.repository(Comment, tenant_id=tenant).list()
    assert sorted(c.post_id for c in comments) == sorted([p.id for p in posts] * 2)
