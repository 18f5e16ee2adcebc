"""Every uuid storied returns is exactly ``uuid.UUID``, on every backend and driver.

asyncpg decodes uuid into its own subclass (which orjson, msgspec and ``type(x) is UUID``
refuse); SQLite and MariaDB return text. storied converts them in its result conversion: one
value at a time for small results, one column at a time from ``COLUMNWISE`` rows on, and by
the server's column types for raw SQL on PostgreSQL (``uuid`` and ``uuid[]``). None stays None.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from storied import Field, Model
from storied.engine.compiled import COLUMNWISE
from tests.integration.conftest import Repo, Store, settle
from tests.relmodels import Author, Post

#: a result of this many rows is converted column by column; of 1, value by value
SIZES = (1, COLUMNWISE + 4)


class Badge(Model, table="u_badges"):
    label: str = Field(max_length=20)
    issuer: uuid.UUID | None = None


def exact(value: Any) -> bool:
    return type(value) is uuid.UUID


async def badges(store: Store, tenant: uuid.UUID, n: int) -> Repo:
    """``n`` badges: every other one has an issuer, the rest None."""
    await store.create_all(Badge)
    repo = store.repository(Badge, tenant_id=tenant, actor="alice")
    await repo.create_many(
        [Badge(label=f"b{i}", issuer=uuid.uuid4() if i % 2 else None) for i in range(n)]
    )
    return repo


@pytest.mark.parametrize("n", SIZES)
async def test_models_and_plain_rows_carry_exact_uuids(
    store: Store, tenant: uuid.UUID, n: int
) -> None:
    repo = await badges(store, tenant, n)

    listed = await repo.list(limit=n)
    assert len(listed) == n
    assert all(exact(b.id) for b in listed)
    assert all(exact(b.tenant_id) for b in listed)
    assert {type(b.issuer) for b in listed} == ({type(None)} if n == 1 else {uuid.UUID, type(None)})
    got = await repo.get(listed[0].id)
    assert exact(got.id)
    assert exact(got.tenant_id)
    assert got.id == listed[0].id

    tuples = await settle(repo.query().order_by("label").tuples().all())
    dicts = await settle(repo.query().order_by("label").dicts().all())
    values = [v for row in tuples for v in row] + [v for d in dicts for v in d.values()]
    ids = [v for v in values if isinstance(v, uuid.UUID)]
    assert ids
    assert all(exact(v) for v in ids)
    assert sum(d["issuer"] is None for d in dicts) == (n + 1) // 2  # None stays None
    assert {d["id"] for d in dicts} == {b.id for b in listed}


@pytest.mark.parametrize("n", SIZES)
async def test_related_models_load_with_exact_uuids(
    store: Store, tenant: uuid.UUID, n: int
) -> None:
    await store.create_all(Author, Post)
    authors = store.repository(Author, tenant_id=tenant)
    posts = store.repository(Post, tenant_id=tenant)
    made = await authors.create_many([Author(name=f"a{i}") for i in range(n)])
    await posts.create_many([Post(author_id=a.id, title=f"t{a.name}") for a in made])

    loaded = await settle(posts.query().load("author").all())
    assert len(loaded) == n
    for post in loaded:
        assert exact(post.id)
        assert exact(post.author_id)
        assert exact(post.author.id)
        assert post.author.id == post.author_id
    back = await settle(authors.query().load("posts").all())
    assert all(exact(p.author_id) for a in back for p in a.posts)


@pytest.mark.parametrize("n", SIZES)
async def test_raw_sql_gives_exact_uuids_for_uuid_and_uuid_array_columns(
    store: Store, tenant: uuid.UUID, n: int, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("only PostgreSQL's raw results carry uuid column types (others: text)")
    await badges(store, tenant, n)
    rows = await settle(
        store.db.fetch_all(
            "SELECT id, issuer, ARRAY[id, issuer] AS pair, ARRAY[ARRAY[id]] AS nested "
            "FROM u_badges WHERE tenant_id = :tenant ORDER BY label",
            {"tenant": tenant},
        )
    )
    assert len(rows) == n
    for row in rows:
        assert exact(row["id"])
        assert row["issuer"] is None or exact(row["issuer"])
        first, second = row["pair"]
        assert exact(first)
        assert first == row["id"]
        assert second == row["issuer"]
        assert second is None or exact(second)
        assert exact(row["nested"][0][0])
    one = await settle(store.db.fetch_value("SELECT CAST(:u AS uuid)", {"u": str(tenant)}))
    assert exact(one)
    assert one == tenant
    # binds still take uuid.UUID and its text
    same = await settle(
        store.db.fetch_value(
            "SELECT CAST(:a AS uuid) = CAST(:b AS uuid)", {"a": tenant, "b": str(tenant)}
        )
    )
    assert same is True


async def test_uuid_text_binds_find_the_row(store: Store, tenant: uuid.UUID) -> None:
    repo = await badges(store, tenant, 2)
    [first, _] = await repo.list(limit=2)
    found = await repo.get(str(first.id))
    assert exact(found.id)
    assert found.id == first.id
