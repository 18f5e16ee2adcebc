"""Raw SQL through storied: fetch_all / fetch_one / fetch_value / execute, bound parameters only,
joining the ambient transaction, errors translated like every other call."""

from __future__ import annotations

import traceback
from typing import Any

import pytest

from storied import ConfigurationError, ConflictError
from tests.integration.conftest import settle
from tests.integration.conn_support import connected, mode

__all__ = ["mode"]

SECRET = "raw-s3cr3t-7f1e"
CREATE = "CREATE TABLE raw_items (id INTEGER PRIMARY KEY, sku VARCHAR(40) UNIQUE, qty INTEGER)"


async def test_raw_sql_round_trip(mode: str, db_url: str, async_url: str) -> None:
    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db
        await settle(db.execute("DROP TABLE IF EXISTS raw_items"))
        await settle(db.execute(CREATE))
        try:
            insert = "INSERT INTO raw_items (id, sku, qty) VALUES (:id, :sku, :qty)"
            assert await settle(db.execute(insert, {"id": 1, "sku": "A1", "qty": 3})) == 1
            rows = [{"id": 2, "sku": "B2", "qty": 5}, {"id": 3, "sku": "it's; --", "qty": 0}]
            await settle(db.execute(insert, rows))
            got = await settle(db.fetch_all("SELECT sku, qty FROM raw_items ORDER BY id"))
            assert got == [
                {"sku": "A1", "qty": 3},
                {"sku": "B2", "qty": 5},
                {"sku": "it's; --", "qty": 0},  # a value is bound, never spliced into SQL
            ]
            one = "SELECT sku FROM raw_items WHERE qty > :q ORDER BY qty"
            assert await settle(db.fetch_one(one, {"q": 4})) == {"sku": "B2"}
            assert await settle(db.fetch_one(one, {"q": 99})) is None
            total = "SELECT sum(qty) FROM raw_items"
            assert int(await settle(db.fetch_value(total))) == 8
            assert await settle(db.fetch_value("SELECT qty FROM raw_items WHERE id = 42")) is None
            update = "UPDATE raw_items SET qty = qty + 1 WHERE qty >= :q"
            assert await settle(db.execute(update, {"q": 3})) == 2
        finally:
            await settle(db.execute("DROP TABLE raw_items"))


async def test_raw_sql_joins_the_ambient_transaction(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db
        await settle(db.execute("DROP TABLE IF EXISTS raw_items"))
        await settle(db.execute(CREATE))
        try:

            async def write_then_fail() -> None:
                async with store.transaction():
                    await settle(db.execute("INSERT INTO raw_items (id, sku) VALUES (1, 'x')"))
                    seen = await settle(db.fetch_value("SELECT count(*) FROM raw_items"))
                    assert seen == 1  # the same connection: it sees its own write
                    raise RuntimeError("roll back")

            with pytest.raises(RuntimeError):
                await write_then_fail()
            assert await settle(db.fetch_value("SELECT count(*) FROM raw_items")) == 0
        finally:
            await settle(db.execute("DROP TABLE raw_items"))


async def test_raw_sql_errors_are_translated_without_values(
    mode: str, db_url: str, async_url: str
) -> None:
    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db
        await settle(db.execute("DROP TABLE IF EXISTS raw_items"))
        await settle(db.execute(CREATE))
        try:
            insert = "INSERT INTO raw_items (id, sku) VALUES (:id, :sku)"
            await settle(db.execute(insert, {"id": 1, "sku": SECRET}))
            with pytest.raises(ConflictError) as caught:
                await settle(db.execute(insert, {"id": 2, "sku": SECRET}))
            text = "".join(traceback.format_exception(caught.value))
            assert SECRET not in text
        finally:
            await settle(db.execute("DROP TABLE raw_items"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "missing x"),
        ({"x": 1, "y": 2}, "not in the text: y"),
        ((1,), "mappings"),
        ("x", "mapping"),
    ],
)
async def test_raw_sql_parameters_must_match_the_text(
    mode: str, db_url: str, async_url: str, params: Any, message: str
) -> None:
    async with connected(mode, db_url, async_url) as store:
        with pytest.raises(ConfigurationError, match=message):
            await settle(store.db.fetch_all("SELECT :x AS x", params))
