"""Statement and operation listeners (``db.events``) and ``echo=True``, on every backend,
through the sync Database and the AsyncDatabase."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from storied import ConflictError, Database, OperationEvent, StatementEvent
from tests.integration.conftest import Store, settle
from tests.models import Account, Product


@pytest.fixture
def heard(store: Store) -> Iterator[tuple[list[StatementEvent], list[OperationEvent]]]:
    """What the store's listeners are told (the sync store is shared: removed after)."""
    statements: list[StatementEvent] = []
    operations: list[OperationEvent] = []
    handles = [
        store.db.events.on_statement(statements.append),
        store.db.events.on_operation(operations.append),
    ]
    try:
        yield statements, operations
    finally:
        for handle in handles:
            handle.remove()


def _product(sku: str = "A1") -> Product:
    return Product(sku=sku, name="Anvil", price=Decimal("9.99"))


async def test_a_get_is_one_statement_with_its_model_operation_and_backend(
    store: Store, tenant: UUID, heard: Any
) -> None:
    await store.create_all(Product)
    products = store.repository(Product, tenant_id=tenant)
    created = await products.create(_product())
    statements, operations = heard
    statements.clear()
    operations.clear()
    await products.get(created.id)
    [event] = statements
    assert event.sql.lstrip().upper().startswith("SELECT")
    assert (event.model, event.operation) == ("Product", "get")
    assert event.backend == store.db.dialect_name
    assert event.rowcount is not None
    assert event.duration_ns > 0
    assert event.error is None
    assert event.params is None
    assert [(o.phase, o.model, o.operation) for o in operations] == [
        ("start", "Product", "get"),
        ("end", "Product", "get"),
    ]
    assert operations[1].duration_ns >= event.duration_ns
    assert operations[1].error is None


async def test_a_history_write_tells_its_transaction_in_order(
    store: Store, tenant: UUID, heard: Any
) -> None:
    await store.create_all(Account)
    accounts = store.repository(Account, tenant_id=tenant, actor="alice")
    created = await accounts.create(Account(code="a", owner="o", balance=Decimal("1")))
    statements, _ = heard
    statements.clear()
    await accounts.update(created.id, balance=Decimal("2"))
    sql = [s.sql.split()[0].upper() for s in statements]
    assert sql[0] == "BEGIN" or sql[0].startswith("BEGIN") or sql[0] == "START"
    assert sql[-1] == "COMMIT"
    assert "UPDATE" in sql
    assert "INSERT" in sql
    assert {s.operation for s in statements} == {"update"}


async def test_a_failed_statement_and_operation_carry_the_error_type(
    store: Store, tenant: UUID, heard: Any
) -> None:
    await store.create_all(Product)
    products = store.repository(Product, tenant_id=tenant)
    await products.create(_product())
    statements, operations = heard
    statements.clear()
    operations.clear()
    with pytest.raises(ConflictError):
        await products.create(_product())
    assert statements[-1].error == "ConflictError"
    assert statements[-1].rowcount is None
    assert operations[-1].phase == "end"
    assert operations[-1].error == "ConflictError"
    assert isinstance(operations[-1].exception, ConflictError)


async def test_a_removed_listener_hears_nothing_and_a_raising_one_breaks_nothing(
    store: Store, tenant: UUID, caplog: pytest.LogCaptureFixture
) -> None:
    await store.create_all(Product)
    products = store.repository(Product, tenant_id=tenant)
    seen: list[StatementEvent] = []

    def boom(event: object) -> None:
        raise RuntimeError("listener bug")

    handle = store.db.events.on_statement(seen.append)
    bad = store.db.events.on_statement(boom)
    try:
        with caplog.at_level(logging.ERROR, logger="storied"):
            created = await products.create(_product())
        assert seen
        assert "listener bug" in caplog.text
    finally:
        handle.remove()
        bad.remove()
    seen.clear()
    await products.get(created.id)
    assert seen == []
    assert store.db.events.statement is None


def test_params_only_when_the_database_opts_in(db_url: str, tenant: UUID) -> None:
    for include, expect in ((False, None), (True, "A1")):
        with Database(db_url, events_include_params=include) as db:
            db.create_all([Product])
            seen: list[StatementEvent] = []
            db.events.on_statement(seen.append)
            db.repository(Product, tenant_id=tenant).create(_product())
            inserts = [e for e in seen if e.sql.lstrip().upper().startswith("INSERT")]
            params = inserts[0].params
            assert (params if params is None else params["sku"]) == expect
            db.drop_all()


def test_echo_logs_storieds_statements_without_values(
    db_url: str, tenant: UUID, caplog: pytest.LogCaptureFixture
) -> None:
    with Database(db_url, echo=True) as db:
        db.create_all([Product])
        products = db.repository(Product, tenant_id=tenant)
        created = products.create(_product("SECRET-SKU"))
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="storied.sql"):
            products.get(created.id)
        mine = [r for r in caplog.records if r.name == "storied.sql"]
        assert len(mine) == 1
        assert mine[0].levelno == logging.INFO
        assert "SELECT" in mine[0].getMessage()
        assert "Product.get" in mine[0].getMessage()
        assert "SECRET-SKU" not in caplog.text
        db.drop_all()


async def test_raw_sql_is_told_too(store: Store, heard: Any) -> None:
    statements, _ = heard
    await settle(store.db.fetch_all("SELECT 1 AS one"))
    assert statements[-1].sql == "SELECT 1 AS one"
    assert statements[-1].model is None
