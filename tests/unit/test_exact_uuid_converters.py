"""asyncpg's uuid values (its own subclass, from its C decoder) become exactly ``uuid.UUID``:
one at a time and a column at a time give the same values, None kept, repeats included."""

from __future__ import annotations

import random
import uuid

from asyncpg.pgproto.pgproto import UUID as AsyncpgUUID

from storied.dialects.postgresql import EXACT_UUID, exact_uuid, exact_uuids


def asyncpg_uuid(value: uuid.UUID) -> uuid.UUID:
    made: uuid.UUID = AsyncpgUUID(value.bytes)
    assert type(made) is not uuid.UUID  # what asyncpg hands out
    return made


def test_one_value_and_a_column_give_the_same_exact_uuids() -> None:
    rng = random.Random(7)
    pool = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(5)] + [uuid.UUID(int=0)]
    column = [None if rng.random() < 0.2 else asyncpg_uuid(rng.choice(pool)) for _ in range(300)]
    column[0] = asyncpg_uuid(pool[0])

    whole = exact_uuids(column)
    single = [None if v is None else exact_uuid(v) for v in column]
    assert list(whole) == single == column
    assert all(v is None or type(v) is uuid.UUID for v in [*whole, *single])
    assert [v is None for v in whole] == [v is None for v in column]
    assert EXACT_UUID(None) is None
    assert type(EXACT_UUID(column[0])) is uuid.UUID


def test_a_column_of_one_value_is_converted_once() -> None:
    tenant = asyncpg_uuid(uuid.uuid4())
    column = [tenant] * 50
    whole = exact_uuids(column)
    assert all(v is whole[0] for v in whole)
    assert type(whole[0]) is uuid.UUID
    assert whole[0] == tenant


def test_exact_uuids_are_handed_through() -> None:
    value = uuid.uuid4()
    assert exact_uuid(value) is value
    assert list(exact_uuids([value, None, value])) == [value, None, value]
