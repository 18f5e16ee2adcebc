"""Types users bring from other stores: timedelta, bare set/tuple, a column type of their own,
PostgreSQL index methods and operator classes.

Each round-trips and re-plans empty where the backend supports it, and is refused with a
ModelDefinitionError, before any table is made, where it does not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from storied import (
    AsyncDatabase,
    Database,
    F,
    Field,
    Model,
    ModelDefinitionError,
    ValidationError,
    func,
)
from tests.integration.conftest import Repo, Store, settle

DAY = dt.timedelta(days=1)


class Trip(Model, table="mig_trips", history="copy_on_change"):
    wait: dt.timedelta
    spare: dt.timedelta | None = None
    tags: set[str] = Field(default_factory=set)
    bag: set = Field(default_factory=set)  # type: ignore[type-arg]
    pair: tuple[int, str] = (0, "")
    loose: tuple = ()  # type: ignore[type-arg]
    seats: int = Field(default=0, db_type=sa.SmallInteger())
    code: str = Field(default="", db_type=sa.String(12))


class Doc(Model, table="mig_docs"):
    """PostgreSQL only: a trigram index, a GIN index on JSON, an ARRAY column."""

    title: str = Field(max_length=200, index=True, index_using="gin", index_ops="gin_trgm_ops")
    data: dict[str, Any] = Field(default_factory=dict, index=True, index_using="gin")
    scores: list[int] = Field(default_factory=list, db_type=postgresql.ARRAY(sa.Integer()))


class Searchable(Model, table="mig_searchables"):
    """Refused where indexes have no methods, though every column type renders."""

    title: str = Field(max_length=200, index=True, index_using="gin", index_ops="gin_trgm_ops")


@pytest.fixture
async def trips(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Trip)
    return store.repository(Trip, tenant_id=tenant, actor="alice")


DURATIONS = [
    dt.timedelta(0),
    dt.timedelta(microseconds=1),
    -dt.timedelta(microseconds=1),
    dt.timedelta(days=3, hours=4, microseconds=7),
    -dt.timedelta(days=2, seconds=1),
    dt.timedelta(days=100_000, microseconds=999_999),
]


async def test_timedelta_round_trips_exactly_and_sorts(trips: Repo) -> None:
    for wait in DURATIONS:
        await trips.create(Trip(wait=wait))
    got = [t.wait for t in await trips.list(order_by=F.wait)]
    assert got == sorted(DURATIONS)
    assert all(type(w) is dt.timedelta for w in got)
    assert await trips.count(F.wait > DAY) == 2
    assert await trips.count(F.wait.between(-DAY, DAY)) == 3
    assert await trips.count(F.spare == None) == len(DURATIONS)  # noqa: E711

    stats = await settle(
        trips.query().select(func.sum(F.wait), func.min(F.wait), func.avg(F.wait)).all()
    )
    assert stats == [
        {
            "sum_wait": sum(DURATIONS, dt.timedelta(0)),
            "min_wait": min(DURATIONS),
            "avg_wait": sum(DURATIONS, dt.timedelta(0)) / len(DURATIONS),
        }
    ]

    row = (await trips.list(F.wait == DAY * 0))[0]
    await trips.update(row.id, wait=-DAY)
    assert [c.new for c in await trips.field_history(row.id, "wait")] == [DAY * 0, -DAY]


async def test_timedelta_beyond_64_bit_microseconds_is_refused(trips: Repo) -> None:
    with pytest.raises(ValidationError) as caught:
        await trips.create(Trip(wait=dt.timedelta.max))
    assert caught.value.errors[0]["loc"] == ("wait",)
    assert await trips.count() == 0


async def test_bare_set_and_tuple_round_trip_like_list(trips: Repo) -> None:
    row = await trips.create(
        Trip(wait=DAY, tags={"a", "b"}, bag={1, "x"}, pair=(2, "two"), loose=(1, "y", None))
    )
    got = await trips.get(row.id)
    assert (got.tags, type(got.tags)) == ({"a", "b"}, set)
    assert (got.bag, type(got.bag)) == ({1, "x"}, set)
    assert (got.pair, type(got.pair)) == ((2, "two"), tuple)
    assert got.loose == (1, "y", None)

    await trips.update(row.id, tags={"c"})
    changes = await trips.field_history(row.id, "tags")
    assert [c.new for c in changes] == [{"a", "b"}, {"c"}]


async def test_a_db_type_override_is_the_column_and_its_range(trips: Repo, store: Store) -> None:
    row = await trips.create(Trip(wait=DAY, seats=32767, code="C" * 12))
    got = await trips.get(row.id)
    assert (got.seats, got.code) == (32767, "C" * 12)
    columns = await store.run_sync(
        lambda conn: {c["name"]: c["type"] for c in sa.inspect(conn).get_columns("mig_trips")}
    )
    assert isinstance(columns["seats"], sa.SmallInteger)
    assert getattr(columns["code"], "length", None) == 12
    with pytest.raises(ValidationError, match="seats"):
        await trips.create(Trip(wait=DAY, seats=32768))
    with pytest.raises(ValidationError, match="code"):  # SQLite would have kept all 13
        await trips.create(Trip(wait=DAY, code="C" * 13))
    # a sized column's text is checked as any text is (NUL, lone surrogates), ASCII or not
    for bad in ("C\x00", "é\x00", "C\ud800"):
        with pytest.raises(ValidationError, match="code"):
            await trips.create(Trip(wait=DAY, code=bad))
    assert await trips.count() == 1


def test_the_new_types_plan_empty_after_create_and_after_sync(db: Database) -> None:
    db.create_all([Trip])
    assert db.plan([Trip]).empty, db.plan([Trip]).describe()
    db.drop_all([Trip])
    db.sync_schema([Trip])
    assert db.plan([Trip]).empty, db.plan([Trip]).describe()


async def test_the_new_types_plan_empty_async(adb: AsyncDatabase) -> None:
    await adb.create_all([Trip])
    plan = await adb.plan([Trip])
    assert plan.empty, plan.describe()


def _has_index_methods(db: Database) -> bool:
    return db._backend().capabilities.index_methods


def test_postgresql_index_methods_round_trip_and_plan_empty(db: Database) -> None:
    if not _has_index_methods(db):
        pytest.skip("this backend has no index methods (refusal: the next test)")
    with db.engine.begin() as conn:  # storied does not install extensions (see docs)
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    db.sync_schema([Doc])
    plan = db.plan([Doc])
    assert plan.empty, plan.describe()
    with db.engine.connect() as conn:
        found = sa.inspect(conn).get_indexes("mig_docs")
    indexes = {i["name"]: i["dialect_options"] for i in found}
    assert indexes["ix_mig_docs_title"]["postgresql_using"] == "gin"
    assert indexes["ix_mig_docs_title"]["postgresql_ops"] == {"title": "gin_trgm_ops"}
    assert indexes["ix_mig_docs_data"]["postgresql_using"] == "gin"

    docs = db.repository(Doc, tenant_id=uuid4())
    row = docs.create(Doc(title="storied anvils", data={"k": [1, 2]}, scores=[3, 1]))
    got = docs.get(row.id)
    assert (got.data, got.scores) == ({"k": [1, 2]}, [3, 1])
    assert [d.title for d in docs.list(F.title.contains("anvil"))] == ["storied anvils"]


@pytest.mark.parametrize(
    ("model", "reason"), [(Doc, "ARRAY"), (Searchable, "index method or operator class")]
)
def test_index_methods_and_foreign_types_are_refused_elsewhere(
    db: Database, model: type[Model], reason: str
) -> None:
    if _has_index_methods(db):
        pytest.skip("this backend has index methods and ARRAY (round trip: the test before)")
    with pytest.raises(ModelDefinitionError, match=reason):
        db.create_all([model])
    with pytest.raises(ModelDefinitionError, match=reason):
        db.plan([model])
    with db.engine.connect() as conn:  # nothing was made (MySQL commits each CREATE)
        assert model.storied_spec().options.table not in sa.inspect(conn).get_table_names()
