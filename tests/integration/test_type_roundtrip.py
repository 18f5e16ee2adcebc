"""Every mapped type comes back with the same Python type and value, on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from storied import F
from tests.integration.conftest import Repo, Store
from tests.models import Color, Dimensions, Everything

UTC = dt.UTC
BOOKKEEPING = {
    "id",
    "tenant_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "deleted_by",
}
USER_FIELDS = [name for name in Everything.model_fields if name not in BOOKKEEPING]


def sample(**overrides: Any) -> Everything:
    values: dict[str, Any] = {
        "text": "Zürich, 東京, 🚀 " + "long " * 2000,
        "short": "ten chars!",
        "number": -(2**62) + 7,
        "ratio": 0.1 + 0.2,
        "flag": False,
        "amount": Decimal("-123456789012.000001"),
        "ref": uuid4(),
        "at": dt.datetime(2026, 7, 14, 23, 59, 58, 999999, tzinfo=UTC),
        "day": dt.date(2024, 2, 29),
        "clock_time": dt.time(13, 14, 15, 654321),
        "blob": bytes(range(256)),
        "color": Color.GREEN,
        "level": "high",
        "data": {"nested": {"list": [1, 2.5, None, True, "x"]}, "quote": 'say "hi"'},
        "items": [3, 1, 2],
        "dims": Dimensions(width=1.5, height=2.25),
        "maybe": None,
    }
    values.update(overrides)
    return Everything(**values)


@pytest.fixture
async def everything(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Everything)
    return store.repository(Everything, tenant_id=tenant)


def assert_same(expected: Everything, actual: Everything) -> None:
    for name in USER_FIELDS:
        want, got = getattr(expected, name), getattr(actual, name)
        assert type(got) is type(want), f"{name}: {type(got).__name__} is not {type(want).__name__}"
        assert got == want, f"{name}: {got!r} != {want!r}"


async def test_every_type_round_trips_with_type_and_value(everything: Repo) -> None:
    original = sample()
    stored = await everything.get((await everything.create(original)).id)
    assert_same(original, stored)


async def test_list_returns_the_same_values_as_get(everything: Repo) -> None:
    original = sample()
    await everything.create(original)
    [listed] = await everything.list()
    assert_same(original, listed)


async def test_bookkeeping_values_have_exact_types(everything: Repo, tenant: UUID) -> None:
    stored = await everything.get((await everything.create(sample())).id)
    assert type(stored.id) is UUID
    assert type(stored.tenant_id) is UUID
    assert stored.tenant_id == tenant
    assert type(stored.version) is int
    assert type(stored.created_at) is dt.datetime
    assert stored.created_at.tzinfo is UTC


async def test_other_values_round_trip_too(everything: Repo) -> None:
    original = sample(
        flag=True,
        amount=Decimal("0.000001"),
        number=2**62,
        color=Color.RED,
        level="low",
        maybe="present",
        items=[],
        data={},
        blob=b"",
        text="",
        clock_time=dt.time(0, 0),
        at=dt.datetime(1970, 1, 1, tzinfo=UTC),
    )
    assert_same(original, await everything.get((await everything.create(original)).id))


async def test_decimals_are_exact(everything: Repo) -> None:
    values = [Decimal("0.1"), Decimal("999999999999.999999"), Decimal("-0.000001")]
    created = [await everything.create(sample(amount=v)) for v in values]
    for row, value in zip(created, values, strict=True):
        assert (await everything.get(row.id)).amount == value
    assert await everything.count(F.amount == Decimal("0.1")) == 1
    found = await everything.list(F.amount > 0, order_by=F.amount)
    assert [r.amount for r in found] == [Decimal("0.1"), Decimal("999999999999.999999")]


async def test_a_non_utc_datetime_comes_back_as_the_same_instant_in_utc(
    everything: Repo,
) -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    at = dt.datetime(2026, 1, 1, 8, 30, 0, 250000, tzinfo=tokyo)
    stored = await everything.get((await everything.create(sample(at=at))).id)
    assert stored.at == at
    assert stored.at.tzinfo is UTC
    assert stored.at == dt.datetime(2025, 12, 31, 23, 30, 0, 250000, tzinfo=UTC)


async def test_datetime_filters_compare_instants(everything: Repo) -> None:
    minus5 = dt.timezone(dt.timedelta(hours=-5))
    early = await everything.create(sample(at=dt.datetime(2026, 1, 1, 10, tzinfo=UTC)))
    late = await everything.create(sample(at=dt.datetime(2026, 1, 1, 10, 0, 0, 1, tzinfo=UTC)))
    same_instant = dt.datetime(2026, 1, 1, 5, tzinfo=minus5)
    assert [r.id for r in await everything.list(F.at == same_instant)] == [early.id]
    assert [r.id for r in await everything.list(F.at > same_instant)] == [late.id]


#: a value per field, other than sample()'s, to find the row by
NEEDLES: dict[str, Any] = {
    "ref": UUID("12345678-1234-5678-1234-567812345678"),
    "day": dt.date(2030, 12, 31),
    "clock_time": dt.time(1, 2, 3, 4),
    "color": Color.RED,
    "level": "low",
    "flag": True,
    "short": "needle",
    "number": 42,
}


async def test_equality_filters_match_the_stored_encoding(everything: Repo) -> None:
    await everything.create(sample())
    for field, value in NEEDLES.items():
        wanted = await everything.create(sample(**{field: value}))
        assert [r.id for r in await everything.list(**{field: value})] == [wanted.id], field
        await everything.purge(wanted.id)


async def test_json_is_stored_as_json_not_as_an_encoded_string(
    store: Store, everything: Repo
) -> None:
    await everything.create(sample())
    json_type = {
        "sqlite": "json_type({})",
        "postgresql": "jsonb_typeof({})",
        "mysql": "JSON_TYPE({})",
    }[store.db.dialect_name]
    for column, kind in (("data", "object"), ("items", "array"), ("dims", "object")):
        stored = await store.scalar(f"SELECT {json_type.format(column)} FROM everything")
        assert str(stored).lower() == kind, column


async def test_optional_none_is_stored_as_null(store: Store, everything: Repo) -> None:
    await everything.create(sample(maybe=None))
    assert await store.scalar("SELECT COUNT(*) FROM everything WHERE maybe IS NULL") == 1
    assert await everything.count(F.maybe.is_null()) == 1
