"""Plain rows (``query.tuples()`` / ``query.dicts()``): every value in its exact Python type,
equal to the model path's, with no Pydantic validation; tenancy, soft delete and ``as_of``
exactly as for models; ``iterate()`` in order over more than one batch; set operations and
CTE queries; and what is refused. SQLite, PostgreSQL and MariaDB, sync and async.

Every test has a second tenant with rows of its own and soft-deleted rows of the first.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from pydantic import model_validator

from storied import F, Field, Model, ValidationError, func
from tests.integration.conftest import Repo, Store, settle
from tests.models import Price

UTC = dt.UTC


class Mood(enum.Enum):
    CALM = "calm"
    LOUD = "loud"


class Reading(Model, table="plain_readings"):
    """One field of each type plain rows convert (and a few that need no conversion)."""

    code: str = Field(max_length=20)
    seq: int
    amount: Decimal = Field(max_digits=18, decimal_places=6)
    at: dt.datetime
    day: dt.date
    span: dt.timedelta
    ref: UUID
    flag: bool
    ratio: float
    meta: dict[str, object]
    tags: list[int]
    mood: Mood
    note: str | None = None

    @model_validator(mode="after")
    def _seen(self) -> Reading:
        VALIDATED.append(self.seq)
        return self


#: the seq of every Reading Pydantic validated (models only: plain rows skip validation)
VALIDATED: list[int] = []


def reading(seq: int, **overrides: Any) -> Reading:
    values: dict[str, Any] = {
        "code": f"r{seq:04d}",
        "seq": seq,
        "amount": Decimal("-123456789012.000001") + seq,
        "at": dt.datetime(2026, 7, 14, 23, 59, 58, 999999, tzinfo=UTC) - dt.timedelta(hours=seq),
        "day": dt.date(2024, 2, 29),
        "span": dt.timedelta(days=3, seconds=7, microseconds=123456 + seq),
        "ref": uuid4(),
        "flag": seq % 2 == 0,
        "ratio": 0.1 + 0.2,
        "meta": {"nested": {"list": [1, 2.5, None, True, "x"]}, "n": seq},
        "tags": [seq, 1, 2],
        "mood": Mood.LOUD,
    }
    values.update(overrides)
    return Reading(**values)


#: the type each field's plain value must have exactly (``type(v) is …``)
TYPES = {
    "id": uuid.UUID,
    "tenant_id": uuid.UUID,
    "version": int,
    "created_at": dt.datetime,
    "updated_at": dt.datetime,
    "created_by": str,
    "updated_by": str,
    "code": str,
    "seq": int,
    "amount": Decimal,
    "at": dt.datetime,
    "day": dt.date,
    "span": dt.timedelta,
    "ref": uuid.UUID,
    "flag": bool,
    "ratio": float,
    "meta": dict,
    "tags": list,
}


def plain(model: Model) -> dict[str, Any]:
    """The model's values as plain rows give them: enums by their stored value."""
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in dict(model).items()}


@pytest.fixture
async def readings(store: Store, tenant: UUID) -> Repo:
    """Tenant rows seq 0..4 live; seq 90, 91 soft-deleted; another tenant's seq 0..4, 50."""
    await store.create_all(Reading)
    repo = store.repository(Reading, tenant_id=tenant, actor="alice")
    await repo.create_many([reading(i) for i in range(5)])
    for seq in (90, 91):
        gone = await repo.create(reading(seq))
        await repo.delete(gone.id)
    other = store.repository(Reading, tenant_id=uuid4(), actor="bob")
    await other.create_many([reading(i) for i in (*range(5), 50)])
    return repo


async def test_tuples_hold_the_models_fields_in_declared_order_with_exact_types(
    readings: Repo, tenant: UUID
) -> None:
    models = await settle(readings.query().order_by("seq").all())
    rows = await settle(readings.query().order_by("seq").tuples().all())
    assert len(rows) == len(models) == 5
    names = list(Reading.model_fields)
    for row, model in zip(rows, models, strict=True):
        assert type(row) is tuple
        assert len(row) == len(names)
        values = dict(zip(names, row, strict=True))
        assert values == plain(model)  # the model path's values, field by field
        for name, kind in TYPES.items():
            assert type(values[name]) is kind, f"{name}: {type(values[name]).__name__}"
        assert values["at"].tzinfo is UTC
        assert values["created_at"].utcoffset() == dt.timedelta(0)
        assert values["mood"] == "loud"
        assert values["note"] is None
        assert values["deleted_at"] is None
        assert values["tenant_id"] == tenant
    first = rows[0]
    assert first[names.index("amount")].as_tuple() == Decimal("-123456789012.000001").as_tuple()
    assert first[names.index("at")] == dt.datetime(2026, 7, 14, 23, 59, 58, 999999, tzinfo=UTC)
    assert first[names.index("span")] == dt.timedelta(days=3, seconds=7, microseconds=123456)
    assert first[names.index("meta")] == {"nested": {"list": [1, 2.5, None, True, "x"]}, "n": 0}


async def test_long_results_convert_column_by_column_as_single_rows_do(
    store: Store, tenant: UUID
) -> None:
    """From ``COLUMNWISE`` rows on, results convert a column at a time (text UUIDs parsed by
    pydantic-core): every value equals, and has the type of, the one a get() by id reads."""
    await store.create_all(Reading)
    repo = store.repository(Reading, tenant_id=tenant, actor="alice")
    await repo.create_many([reading(i, note=None if i % 3 else f"n{i}") for i in range(12)])
    other = uuid4()
    await store.repository(Reading, tenant_id=other).create(reading(99))
    both = store.repository(Reading, tenant_ids=[tenant, other])
    mixed = await settle(both.query().order_by("seq").tuples().all())  # two tenants' column
    assert [r[1] for r in mixed] == [tenant] * 12 + [other]
    assert all(type(r[0]) is uuid.UUID and type(r[1]) is uuid.UUID for r in mixed)
    rows = await settle(repo.query().order_by("seq").dicts().all())
    models = await settle(repo.query().order_by("seq").all())
    assert len(rows) == 12
    for row, model in zip(rows, models, strict=True):
        single = await settle(repo.query().filter(id=row["id"]).dicts().one())  # row by row
        assert row == single == plain(model)
        for name, value in row.items():
            assert type(value) is type(single[name]), name
        for name, kind in TYPES.items():
            assert type(row[name]) is kind, name
    assert [r["note"] for r in rows][:4] == ["n0", None, None, "n3"]


async def test_dicts_are_keyed_by_field_name_in_declared_order(readings: Repo) -> None:
    models = await settle(readings.query().order_by("-seq").all())
    rows = await settle(readings.query().order_by("-seq").dicts().all())
    assert [list(r) for r in rows] == [list(Reading.model_fields)] * 5
    assert rows == [plain(m) for m in models]
    assert [r["seq"] for r in rows] == [4, 3, 2, 1, 0]
    assert all(type(r["ref"]) is uuid.UUID and type(r["amount"]) is Decimal for r in rows)


async def test_no_validation_runs_on_plain_rows(readings: Repo) -> None:
    """The model's validator runs once per model read, never for plain rows."""
    VALIDATED.clear()
    rows = await settle(readings.query().tuples().all())
    dicts = await settle(readings.query().dicts().all())
    assert len(rows) == len(dicts) == 5
    assert VALIDATED == []
    await settle(readings.query().all())
    assert sorted(VALIDATED) == [0, 1, 2, 3, 4]


async def test_tenancy_and_soft_delete_apply_as_for_models(readings: Repo, tenant: UUID) -> None:
    rows = await settle(readings.query().dicts().all())
    assert sorted(r["seq"] for r in rows) == [0, 1, 2, 3, 4]
    assert {r["tenant_id"] for r in rows} == {tenant}
    deleted = await settle(readings.query().only_deleted().order_by("seq").tuples().all())
    seq = list(Reading.model_fields).index("seq")
    assert [r[seq] for r in deleted] == [90, 91]
    assert all(r[list(Reading.model_fields).index("deleted_by")] == "alice" for r in deleted)
    every = await settle(readings.query().include_deleted().select(F.seq).tuples().all())
    assert sorted(every) == [(0,), (1,), (2,), (3,), (4,), (90,), (91,)]
    assert await settle(readings.query().filter(seq=50).tuples().all()) == []


async def test_first_and_one(readings: Repo) -> None:
    first = await settle(readings.query().order_by("-seq").tuples().first())
    assert type(first) is tuple
    assert first[list(Reading.model_fields).index("seq")] == 4
    one = await settle(readings.query().filter(seq=2).dicts().one())
    assert one["seq"] == 2
    assert type(one["span"]) is dt.timedelta
    assert await settle(readings.query().filter(seq=77).tuples().first()) is None


async def test_projection_tuples_and_aggregates_in_their_types(readings: Repo) -> None:
    rows = await settle(
        readings.query().select(F.seq, F.amount, F.at, F.ref).order_by("seq").tuples().all()
    )
    models = await settle(readings.query().order_by("seq").all())
    assert rows == [(m.seq, m.amount, m.at, m.ref) for m in models]
    assert all(type(r[3]) is uuid.UUID and r[2].tzinfo is UTC for r in rows)
    totals = await settle(
        readings.query()
        .select(
            F.flag,
            func.count(),
            func.sum(F.amount),
            func.max(F.at),
            func.sum(F.seq),
            func.avg(F.amount),
            func.avg(F.span),
        )
        .group_by(F.flag)
        .order_by("flag")
        .tuples()
        .all()
    )
    by_flag = {flag: [m for m in models if m.flag is flag] for flag in (False, True)}
    assert [t[:5] for t in totals] == [
        (flag, len(ms), sum(m.amount for m in ms), max(m.at for m in ms), sum(m.seq for m in ms))
        for flag, ms in by_flag.items()
    ]
    for (flag, count, total, latest, seqs, mean, span), ms in zip(
        totals, by_flag.values(), strict=True
    ):
        assert type(flag) is bool
        assert type(count) is int
        assert type(total) is Decimal
        assert type(latest) is dt.datetime
        assert latest.tzinfo is UTC
        assert type(seqs) is int  # PostgreSQL sums BIGINT as NUMERIC
        assert type(mean) is Decimal
        assert mean == pytest.approx(sum(m.amount for m in ms) / len(ms))
        assert type(span) is dt.timedelta


async def test_iterate_streams_more_than_a_batch_in_order(store: Store, tenant: UUID) -> None:
    await store.create_all(Reading)
    repo = store.repository(Reading, tenant_id=tenant, actor="alice")
    await repo.create_many([reading(i) for i in range(23)])
    gone = await repo.create(reading(100))
    await repo.delete(gone.id)
    await store.repository(Reading, tenant_id=uuid4()).create_many([reading(i) for i in range(7)])
    seq = list(Reading.model_fields).index("seq")

    async def collect(query: Any) -> list[Any]:
        out = query.iterate(batch_size=10)  # pages of 10, 10, 3: both ways rows convert
        if hasattr(out, "__aiter__"):
            return [row async for row in out]
        return list(out)

    rows = await collect(repo.query().order_by("-seq").tuples())
    assert [r[seq] for r in rows] == list(range(22, -1, -1))
    assert all(type(r) is tuple and type(r[0]) is uuid.UUID for r in rows)
    dicts = await collect(repo.query().order_by("code").dicts())
    assert [d["seq"] for d in dicts] == list(range(23))
    ids = await collect(repo.query().select(F.id, F.seq).order_by("seq").tuples())
    assert [s for _, s in ids] == list(range(23))
    assert len({i for i, _ in ids}) == 23
    picked = await collect(repo.query().select(F.seq, F.id).dicts().filter(F.seq >= 4).limit(12))
    assert sorted(d["seq"] for d in picked) == list(range(4, 16))
    models = await collect(repo.query().order_by("seq"))  # models page as before
    assert [m.seq for m in models] == list(range(23))


async def test_iterate_refuses_projections_it_cannot_page(readings: Repo) -> None:
    query = readings.query()
    with pytest.raises(ValidationError, match="select 'id' too"):
        query.select(F.seq).tuples().iterate()
    with pytest.raises(ValidationError, match="select 'code' too"):
        query.select(F.id, F.seq).order_by("code").iterate()
    with pytest.raises(ValidationError, match="aggregates"):
        query.select(F.id, func.count()).iterate()
    with pytest.raises(ValidationError, match="group_by"):
        query.select(F.id).group_by(F.id).tuples().iterate()
    with pytest.raises(ValidationError, match="plain fields only"):
        await settle(query.select(F.seq).tuples().after((3,)).all())


async def test_load_is_refused_with_plain_rows(readings: Repo) -> None:
    with pytest.raises(ValidationError, match="plain rows"):
        await settle(readings.query().load("anything").tuples().all())


async def test_set_operations_as_plain_rows(readings: Repo) -> None:
    low, even = readings.query().filter(F.seq < 3), readings.query().filter(flag=True)
    rows = await settle(low.union(even).order_by("seq").tuples().all())
    seq = list(Reading.model_fields).index("seq")
    assert [r[seq] for r in rows] == [0, 1, 2, 4]
    models = await settle(low.union(even).order_by("seq").all())
    assert [dict(zip(Reading.model_fields, r, strict=True)) for r in rows] == [
        plain(m) for m in models
    ]
    inherited = await settle(low.tuples().except_(even).order_by("seq").all())
    assert [r[seq] for r in inherited] == [1]
    projected = await settle(
        low.select(F.seq, F.ref).intersect(even.select(F.seq, F.ref)).order_by("seq").dicts().all()
    )
    assert [p["seq"] for p in projected] == [0, 2]
    assert all(type(p["ref"]) is uuid.UUID for p in projected)
    with pytest.raises(ValidationError, match="no id order"):
        low.union(even).tuples().iterate()


async def test_cte_queries_as_tuples(readings: Repo) -> None:
    recent = readings.query().filter(F.seq >= 2).select(F.seq, F.amount, F.at).cte("recent")
    rows = await settle(recent.query().order_by("seq").tuples().all())
    as_dicts = await settle(recent.query().order_by("seq").all())
    assert rows == [tuple(d.values()) for d in as_dicts]
    assert [r[0] for r in rows] == [2, 3, 4]
    assert all(type(r[1]) is Decimal and r[2].tzinfo is UTC for r in rows)
    total = await settle(recent.query().select(func.sum(F.amount)).tuples().one())
    assert total == (sum(r[1] for r in rows),)
    assert type(total[0]) is Decimal
    with pytest.raises(ValidationError, match="CTE"):
        recent.query().tuples().iterate()


async def test_as_of_reads_the_versions_valid_then(store: Store, tenant: UUID) -> None:
    await store.create_all(Price)
    prices = store.repository(Price, tenant_id=tenant, actor="alice")
    store.clock.set(dt.datetime(2026, 1, 1, tzinfo=UTC))
    p = await prices.create(Price(sku="A1", amount=Decimal("9.99")))
    await store.repository(Price, tenant_id=uuid4()).create(Price(sku="A1", amount=Decimal("1")))
    before = store.clock.advance(seconds=5)
    store.clock.advance(seconds=5)
    await prices.update(p.id, amount=Decimal("12.50"))
    then = await settle(prices.query().as_of(before).dicts().all())
    now = await settle(prices.query().tuples().all())
    assert [r["amount"] for r in then] == [Decimal("9.99")]
    assert [r[list(Price.model_fields).index("amount")] for r in now] == [Decimal("12.50")]
    model = await prices.get(p.id, as_of=before)
    assert then == [plain(model)]


async def test_plain_rows_equal_hand_written_sql(
    store: Store, readings: Repo, tenant: UUID
) -> None:
    rows = await settle(readings.query().select(F.code, F.seq).order_by("-seq").tuples().all())
    table = store.db.registry.mapped(Reading).table
    stmt = sa.text(
        "SELECT code, seq FROM plain_readings WHERE tenant_id = :t AND deleted_at IS NULL "
        "ORDER BY seq DESC"
    ).bindparams(sa.bindparam("t", tenant, type_=table.c.tenant_id.type))
    expected = await store.run_sync(lambda conn: [tuple(r) for r in conn.execute(stmt)])
    assert rows == expected
    assert len(rows) == 5
