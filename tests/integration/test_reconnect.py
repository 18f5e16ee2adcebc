"""A connection the server dropped is replaced without the caller noticing.

The server ends the session storied holds idle; the next call must work (reads), or apply a
write exactly once, or say that its outcome is unknown — never apply it twice. With
``pool_pre_ping_after=0`` every idle connection is pinged before use, so a dropped one is
replaced before anything is sent; with a long threshold nothing is pinged, and the executor's
rerun rules decide.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from storied import OutcomeUnknownError
from tests.integration.conftest import settle
from tests.integration.conn_support import connected, drop_idle_connection, idle_session, mode
from tests.models import Product

__all__ = ["mode"]

PING_ALWAYS, PING_NEVER = 0.0, 3600.0


def product(sku: str) -> Product:
    return Product(sku=sku, name="anvil", price=Decimal("9.99"))


@pytest.mark.parametrize("ping_after", [PING_ALWAYS, PING_NEVER], ids=["pinged", "unpinged"])
async def test_a_read_after_a_drop_succeeds(
    mode: str, db_url: str, async_url: str, ping_after: float
) -> None:
    async with connected(mode, db_url, async_url, Product, pool_pre_ping_after=ping_after) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        made = await repo.create(product("A1"))
        before = await idle_session(store)
        await drop_idle_connection(store)
        assert (await repo.get(made.id)).sku == "A1"  # no retry by the caller
        assert await settle(repo.query().count()) == 1
        if before is not None:
            assert await idle_session(store) != before  # it runs on a new connection


async def test_a_raw_read_after_a_drop_succeeds_when_pinged(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(
        mode, db_url, async_url, Product, pool_pre_ping_after=PING_ALWAYS
    ) as store:
        await settle(store.db.fetch_value("SELECT 1"))
        await drop_idle_connection(store)
        assert await settle(store.db.fetch_value("SELECT 2")) == 2


async def test_a_write_after_a_drop_is_applied_exactly_once_when_pinged(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(
        mode, db_url, async_url, Product, pool_pre_ping_after=PING_ALWAYS
    ) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        await repo.create(product("A1"))
        await drop_idle_connection(store)
        await repo.create(product("B2"))
        assert sorted(p.sku for p in await repo.list()) == ["A1", "B2"]


async def test_an_unpinged_write_after_a_drop_is_never_applied_twice(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(mode, db_url, async_url, Product, pool_pre_ping_after=PING_NEVER) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        await repo.create(product("A1"))
        await drop_idle_connection(store)
        unknown: OutcomeUnknownError | None = None
        try:
            await repo.create(product("B2"))
        except OutcomeUnknownError as exc:
            unknown = exc  # the driver may have sent it: storied says so, and does not resend
        if unknown is not None:
            assert "may or may not have been applied" in str(unknown)
            assert "Product" in str(unknown)
            assert unknown.__cause__ is None
        skus = [p.sku for p in await repo.list()]
        assert skus.count("B2") <= 1
        await repo.create(product("C3"))  # and the pool works again
        assert [p.sku for p in await repo.list()].count("C3") == 1


async def test_a_transaction_after_a_drop_runs_on_a_new_connection(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(
        mode, db_url, async_url, Product, pool_pre_ping_after=PING_ALWAYS
    ) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        await repo.create(product("A1"))
        await drop_idle_connection(store)
        async with store.transaction():
            await repo.create(product("B2"))
            await repo.create(product("C3"))
        assert len(await repo.list()) == 3


def test_the_ping_threshold_is_checked() -> None:
    from storied import ConfigurationError, Database

    with pytest.raises(ConfigurationError, match="pool_pre_ping_after"):
        Database("sqlite://", pool_pre_ping_after=-1)
