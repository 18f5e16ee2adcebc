"""as_of on a versions table partitioned by ``valid_to``, at the partitions' edges.

The partitioned statement reads the current version (DEFAULT partition) and then the
closed versions partition by partition, stopping at the first row, with no ORDER BY: these
moments pin that it still finds exactly the version valid at each one, wherever that
version's row lives (a month partition, a later month than the moment's, or DEFAULT for a
version closed after the last month partition), sync and async.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest

from storied import NotFoundError
from tests.integration.conftest import Store
from tests.models import Price

UTC = dt.UTC
TICK = dt.timedelta(microseconds=1)
JAN10 = dt.datetime(2026, 1, 10, 9, tzinfo=UTC)
FEB1 = dt.datetime(2026, 2, 1, tzinfo=UTC)  # a month start: v1 closes exactly there
APR1 = dt.datetime(2026, 4, 1, tzinfo=UTC)
APR20 = dt.datetime(2026, 4, 20, 12, tzinfo=UTC)  # v2 closes two months after it began
JUN5 = dt.datetime(2026, 6, 5, tzinfo=UTC)  # after the last month partition (April)
JUL1 = dt.datetime(2026, 7, 1, tzinfo=UTC)


async def test_as_of_at_partition_boundaries(store: Store, tenant: UUID) -> None:
    store.clock.set(JAN10)
    await store.create_all(Price)  # DEFAULT and January to April
    prices = store.repository(Price, tenant_id=tenant, actor="alice")
    p = await prices.create(Price(sku="S1", amount=Decimal("1.00")))
    for moment, amount in ((FEB1, "2.00"), (APR20, "3.00"), (JUN5, "4.00")):
        store.clock.set(moment)
        await prices.update(p.id, amount=Decimal(amount))

    where = await store.scalar(
        "SELECT string_agg(version || ':' || tableoid::regclass::text, ',' ORDER BY version)"
        " FROM prices"
    )
    # v1 closed at February's first instant, v2 in April, v3 after April: DEFAULT
    assert where == "1:prices_p202602,2:prices_p202604,3:prices_pdefault,4:prices_pdefault"

    expect = {
        JAN10: "1.00",
        FEB1 - TICK: "1.00",  # the last instant of January
        FEB1: "2.00",  # the first of February
        dt.datetime(2026, 3, 1, tzinfo=UTC): "2.00",  # v2 valid here, closed in April
        APR1 - TICK: "2.00",
        APR1: "2.00",
        APR20 - TICK: "2.00",
        APR20: "3.00",
        dt.datetime(2026, 5, 1, tzinfo=UTC): "3.00",  # no partition for May: DEFAULT
        JUN5 - TICK: "3.00",
        JUN5: "4.00",  # the current version
        dt.datetime(2030, 1, 1, tzinfo=UTC): "4.00",
    }
    for moment, amount in expect.items():
        got = await prices.get(p.id, as_of=moment)
        assert (moment, got.amount) == (moment, Decimal(amount))
    with pytest.raises(NotFoundError):
        await prices.get(p.id, as_of=JAN10 - TICK)

    store.clock.set(JUL1)
    await prices.delete(p.id)  # v4 closes in DEFAULT, the tombstone v5 is current
    with pytest.raises(NotFoundError):
        await prices.get(p.id, as_of=JUL1)
    tombstone = await prices.get(p.id, as_of=JUL1, include_deleted=True)
    assert tombstone.deleted_at == JUL1
    assert (await prices.get(p.id, as_of=JUL1 - TICK)).amount == Decimal("4.00")
    assert (await prices.get(p.id, as_of=FEB1)).amount == Decimal("2.00")
