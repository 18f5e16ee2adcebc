"""Numbers are stored as given or refused, never changed silently, on every backend.

PostgreSQL and MariaDB rounded a Decimal with too many places to the column's scale without a
word; SQLite raised a raw OverflowError for an int beyond 64 bits. Now a value that does not
fit its column exactly is a ValidationError naming the field, before any SQL; a Decimal takes
its column's scale at validation, so the row, the model returned and the history agree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from storied import F, Field, Model, ValidationError
from storied.dialects import Capabilities
from tests.integration.conftest import Repo, Store

MAX64 = 2**63 - 1


class Parcel(Model, table="exact_parcels", history="copy_on_change"):
    weight: Decimal = Field(max_digits=10, decimal_places=3)
    free: Decimal | None = None  # no declared precision: the backend's widest exact type
    count: int = 0
    small: int = Field(default=0, db_type=sa.SmallInteger())


class Tariff(Model, table="exact_tariffs", history="scd2"):
    rate: Decimal = Field(max_digits=8, decimal_places=4)


@pytest.fixture
async def parcels(store: Store, tenant: UUID) -> Repo:
    await store.create_all(Parcel)
    return store.repository(Parcel, tenant_id=tenant, actor="alice")


def caps(store: Store) -> Capabilities:
    return store.db._backend().capabilities


async def refused(parcels: Repo, field: str, **values: Any) -> None:
    """Creating a parcel with ``values`` is refused naming ``field``, and writes nothing."""
    before = await parcels.count()
    with pytest.raises(ValidationError) as caught:
        await parcels.create({"weight": Decimal(1), **values})
    assert caught.value.errors[0]["loc"][0] == field, caught.value.errors
    assert field in str(caught.value)
    assert await parcels.count() == before


@pytest.mark.parametrize(
    "weight",
    [
        Decimal("0.1234"),  # four places for three
        Decimal("12345678.9"),  # eight digits before the point for seven
        Decimal("NaN"),
        Decimal("Infinity"),
    ],
)
async def test_a_decimal_that_does_not_fit_is_refused(parcels: Repo, weight: Decimal) -> None:
    await refused(parcels, "weight", weight=weight)
    row = await parcels.create(Parcel(weight=Decimal(1)))
    with pytest.raises(ValidationError, match="weight"):
        await parcels.update(row.id, weight=weight)
    assert (await parcels.get(row.id)).weight == 1


async def test_the_widest_decimal_fits_and_one_beyond_is_refused(
    parcels: Repo, store: Store
) -> None:
    wide = caps(store).widest_decimal
    if wide is None:  # unbounded NUMERIC: any finite value is stored exactly
        exact = Decimal("1" + "0" * 100 + "." + "0" * 99 + "1")
        row = await parcels.create(Parcel(weight=Decimal(1), free=exact))
        assert (await parcels.get(row.id)).free == exact
        return
    precision, scale = wide
    lowest = Decimal("-" + "9" * (precision - scale) + "." + "9" * scale)  # -999…9.99…9
    row = await parcels.create(Parcel(weight=Decimal(1), free=lowest))
    assert (await parcels.get(row.id)).free == lowest
    await refused(parcels, "free", free=Decimal("1" + "0" * (precision - scale)))
    await refused(parcels, "free", free=Decimal(10) ** -(scale + 1))


async def test_an_undeclared_decimal_keeps_all_its_places(parcels: Repo, store: Store) -> None:
    value = Decimal("0.123456789")
    wide = caps(store).widest_decimal
    if wide is not None and wide[1] < 9:  # SQLite: scaled 64-bit integers, 6 places
        await refused(parcels, "free", free=value)
        return
    row = await parcels.create(Parcel(weight=Decimal(1), free=value))
    assert (await parcels.get(row.id)).free == value  # PostgreSQL and MariaDB rounded it


async def test_row_model_and_history_hold_the_value_as_stored(parcels: Repo) -> None:
    created = await parcels.create(Parcel(weight=Decimal(2)))
    assert str(created.weight) == "2.000"
    updated = await parcels.update(created.id, weight=Decimal("4.5"))

    assert str(updated.weight) == "4.500"
    assert str((await parcels.get(created.id)).weight) == "4.500"
    changes = await parcels.field_history(created.id, "weight")
    assert [(str(c.old), str(c.new)) for c in changes] == [("None", "2.000"), ("2.000", "4.500")]
    assert await parcels.update(created.id, weight=Decimal("4.50")) is not None
    assert len(await parcels.field_history(created.id, "weight")) == 2  # 4.50 is no change


async def test_scd2_versions_hold_the_value_as_stored(store: Store, tenant: UUID) -> None:
    await store.create_all(Tariff)
    tariffs = store.repository(Tariff, tenant_id=tenant)
    row = await tariffs.create(Tariff(rate=Decimal("1.5")))
    await tariffs.update(row.id, rate=Decimal("2.25"))
    assert [str(v.model.rate) for v in await tariffs.versions(row.id)] == ["1.5000", "2.2500"]
    with pytest.raises(ValidationError, match="rate"):
        await tariffs.update(row.id, rate=Decimal("0.00001"))


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("count", MAX64, MAX64 + 1),
        ("count", -MAX64 - 1, -MAX64 - 2),
        ("small", 32767, 32768),  # the column is SMALLINT
        ("small", -32768, -32769),
    ],
)
async def test_integers_are_range_checked_for_their_column(
    parcels: Repo, field: str, good: int, bad: int
) -> None:
    row = await parcels.create({"weight": Decimal(1), field: good})
    assert getattr(await parcels.get(row.id), field) == good
    await refused(parcels, field, **{field: bad})
    with pytest.raises(ValidationError, match=field):
        await parcels.update(row.id, **{field: bad})
    with pytest.raises(ValidationError, match=field):
        await parcels.list(F[field] == bad)  # SQLite raised a raw OverflowError
    assert [getattr(p, field) for p in await parcels.list(F[field] == good)] == [good]


async def test_an_id_beyond_64_bits_is_a_validation_error(store: Store) -> None:
    class Ticket(Model, table="exact_tickets", tenant=False, primary_key="int"):
        title: str = ""

    await store.create_all(Ticket)
    tickets = store.repository(Ticket)
    with pytest.raises(ValidationError, match="id"):
        await tickets.get(2**63)


async def test_a_filter_value_of_the_wrong_type_names_the_field(parcels: Repo) -> None:
    with pytest.raises(ValidationError) as caught:
        await parcels.list(F.weight == "heavy")
    assert caught.value.errors[0]["loc"] == ("weight",)
    assert "weight:" in str(caught.value)
    with pytest.raises(ValidationError, match="count"):
        await parcels.list(F.count.in_([1, "many"]))
