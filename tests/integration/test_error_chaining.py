"""No bound value survives in a translated error's chain (``__cause__`` / ``__context__``).

PostgreSQL's DETAIL ("Key (sku)=(…)", "Failing row contains (…)") and MariaDB's messages
("Duplicate entry '…'") quote values; storied's error must not carry the driver's exception,
so a logged traceback holds none of them. The driver's codes stay on attributes.
"""

from __future__ import annotations

import traceback
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from storied import ConflictError, DataError, IntegrityError
from tests.integration.conftest import settle
from tests.integration.conn_support import connected, mode
from tests.models import Product

__all__ = ["mode"]

TABLES = (
    "CREATE TABLE chain_parent (id INTEGER PRIMARY KEY)",
    "CREATE TABLE chain_child (id INTEGER PRIMARY KEY, code VARCHAR(60) NOT NULL UNIQUE, "
    "note VARCHAR(60), qty INTEGER, parent_id INTEGER, "
    "CONSTRAINT ck_chain_qty CHECK (qty >= 0), "
    "CONSTRAINT fk_chain_parent FOREIGN KEY (parent_id) REFERENCES chain_parent (id))",
)
INSERT = (
    "INSERT INTO chain_child (id, code, note, qty, parent_id) "
    "VALUES (:id, :code, :note, :qty, :parent)"
)


def secret() -> str:
    return f"s3cr3t-{uuid4().hex[:12]}"


def assert_clean(exc: BaseException, value: str) -> None:
    text = "".join(traceback.format_exception(exc))
    assert value not in text, text
    assert value not in repr(exc)
    link: BaseException | None = exc
    while link is not None:  # nothing in the chain either, shown or suppressed
        assert value not in str(link)
        assert value not in " ".join(map(str, link.args))
        link = link.__cause__ or link.__context__


async def test_a_unique_violation_leaks_no_value(mode: str, db_url: str, async_url: str) -> None:
    async with connected(mode, db_url, async_url, Product) as store:
        repo = store.repository(Product, tenant_id=uuid4())
        value = secret()
        await repo.create(Product(sku=value, name="a", price=Decimal(1)))
        with pytest.raises(ConflictError) as caught:
            await repo.create(Product(sku=value, name="b", price=Decimal(1)))
        assert_clean(caught.value, value)
        assert caught.value.driver_code is not None
        assert caught.value.fields == ("sku",)


async def test_other_violations_leak_no_value(mode: str, db_url: str, async_url: str) -> None:
    async with connected(mode, db_url, async_url) as store:
        db: Any = store.db
        for sql in ("DROP TABLE IF EXISTS chain_child", "DROP TABLE IF EXISTS chain_parent"):
            await settle(db.execute(sql))
        for sql in TABLES:
            await settle(db.execute(sql))
        try:
            base = {"id": 1, "code": "c1", "note": None, "qty": 1, "parent": None}
            await settle(db.execute(INSERT, base))
            cases: list[tuple[dict[str, Any], type[DataError], str]] = []
            for bad, error, kind in (
                ({"code": None}, IntegrityError, "not_null"),
                ({"qty": -1}, IntegrityError, "check"),
                ({"parent": 4242}, IntegrityError, "foreign_key"),
                ({"id": 1}, ConflictError, "unique"),
            ):
                cases.append(({**base, "id": 2, "code": "c2", **bad}, error, kind))
            for params, error, kind in cases:
                value = secret()
                params = {**params, "note": value}
                with pytest.raises(error) as caught:
                    await settle(db.execute(INSERT, params))
                assert_clean(caught.value, value)
                if isinstance(caught.value, IntegrityError):
                    assert caught.value.kind == kind
                if db.dialect_name != "sqlite" and kind in ("check", "foreign_key"):
                    assert caught.value.constraint in ("ck_chain_qty", "fk_chain_parent")
        finally:
            for sql in ("DROP TABLE chain_child", "DROP TABLE chain_parent"):
                await settle(db.execute(sql))
