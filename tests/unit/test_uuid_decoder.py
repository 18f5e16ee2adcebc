"""asyncpg's uuid decoder (one per connection) hands out a value it made for the same bytes
before only when the bytes are equal: every value decodes to exactly ``uuid.UUID(bytes=…)``,
whatever the order values repeat in."""

from __future__ import annotations

import random
import uuid

from storied.dialects.postgresql import _uuid_decoder


def test_every_value_decodes_to_its_own_uuid_whatever_repeats() -> None:
    rng = random.Random(7)
    pool = [uuid.UUID(int=rng.getrandbits(128)).bytes for _ in range(5)]
    tenant = pool[0]
    # a tenant's rows (id, tenant, id, tenant …), runs of one value, and random mixes
    stream = [b for row in pool[1:] for b in (row, tenant)]
    stream += [pool[2]] * 3 + [rng.choice(pool) for _ in range(500)]
    decode = _uuid_decoder()
    for data in stream:
        got = decode(data)
        assert type(got) is uuid.UUID
        assert got == uuid.UUID(bytes=data)
    assert decode(bytes(16)) == uuid.UUID(int=0)


def test_the_tenant_repeating_between_ids_is_made_once() -> None:
    decode = _uuid_decoder()
    tenant = uuid.uuid4().bytes
    made = []
    for _ in range(50):
        decode(uuid.uuid4().bytes)  # a row's id, then its tenant
        made.append(decode(tenant))
    assert all(m is made[0] for m in made)
