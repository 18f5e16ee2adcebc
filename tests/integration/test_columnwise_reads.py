"""A list long enough to be converted column by column (``COLUMNWISE`` rows or more) gives the
same models as reading each row alone (value by value), on every backend and driver: aware
datetimes in ``datetime.UTC`` itself with their microseconds, Decimals with the same digits and
exponent, None kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import pytest
from pydantic import AfterValidator

from storied import Field, Model, ValidationError
from storied.engine.compiled import COLUMNWISE
from tests.integration.conftest import Store, settle

UTC = dt.UTC


class Reading(Model, table="cw_readings"):
    label: str = Field(max_length=20)
    at: dt.datetime | None = None
    amount: Decimal = Field(max_digits=18, decimal_places=4)
    spare: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)


MOMENTS = [
    dt.datetime(2026, 12, 2, 18, 27, 11, 123456, tzinfo=UTC),
    dt.datetime(2026, 12, 2, 18, 27, 11, tzinfo=UTC),
    dt.datetime(1000, 1, 1, 0, 0, 0, 1, tzinfo=UTC),  # MariaDB's DATETIME range starts here
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    dt.datetime(2026, 6, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))),  # stored in UTC
]
AMOUNTS = [
    Decimal("9.99"),
    Decimal("-0.0001"),
    Decimal("99999999999999.9999"),  # 18 digits, the most SQLite's scaled integers hold
    Decimal("-99999999999999.9999"),
    Decimal("0"),
]


def readings(n: int) -> list[Reading]:
    return [
        Reading(
            label=f"r{i:02}",
            at=None if i % 4 == 3 else MOMENTS[i % len(MOMENTS)],
            amount=AMOUNTS[i % len(AMOUNTS)],
            spare=None if i % 2 else Decimal(i) / 4,
        )
        for i in range(n)
    ]


async def test_a_long_list_reads_what_single_gets_read(store: Store, tenant: UUID) -> None:
    await store.create_all(Reading)
    repo = store.repository(Reading, tenant_id=tenant, actor="alice")
    n = COLUMNWISE + 7
    await repo.create_many(readings(n))

    listed = await settle(repo.query().order_by("label").all())
    assert len(listed) == n
    singles = [await repo.get(r.id) for r in listed]
    plain = await settle(repo.query().order_by("label").dicts().all())
    for whole, alone, row in zip(listed, singles, plain, strict=True):
        assert whole == alone
        for name in ("at", "created_at", "updated_at", "amount", "spare", "deleted_at"):
            a, b, c = getattr(whole, name), getattr(alone, name), row[name]
            assert type(a) is type(b) is type(c), name
            if isinstance(a, dt.datetime):
                assert a.tzinfo is b.tzinfo is c.tzinfo is UTC
            if isinstance(a, Decimal):
                assert a.as_tuple() == b.as_tuple() == c.as_tuple()
    expected = readings(n)
    assert [r.at for r in listed] == [r.at for r in expected]
    assert [r.amount for r in listed] == [r.amount for r in expected]
    assert [r.spare for r in listed] == [r.spare for r in expected]


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError("negative")
    return value


class Gauge(Model, table="cw_gauges"):
    #: checked by the model only (no CHECK constraint): a row written under it can break it
    level: Annotated[int, AfterValidator(_not_negative)]


async def test_a_stored_row_the_model_refuses_fails_the_list(store: Store, tenant: UUID) -> None:
    await store.create_all(Gauge)
    repo = store.repository(Gauge, tenant_id=tenant, actor="alice")
    made = await repo.create_many([Gauge(level=i) for i in range(COLUMNWISE + 2)])
    await store.run_sync(
        lambda conn: conn.exec_driver_sql(
            f"UPDATE cw_gauges SET level = -1 WHERE level = {COLUMNWISE}"
        )
    )
    with pytest.raises(ValidationError, match="does not validate against the model"):
        await repo.list(limit=100)
    with pytest.raises(ValidationError, match="does not validate against the model"):
        await repo.get(made[COLUMNWISE].id)
    assert len(await repo.list(limit=COLUMNWISE)) == COLUMNWISE  # the rows before it read
