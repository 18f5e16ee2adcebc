"""The operation protocol against the real executors: a database error on a statement is
thrown into the operation (which may catch it and go on), and an operation the executor stops
driving is closed (its ``finally`` runs). Sync and async, on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa

from storied.errors import ConflictError
from storied.ops.requests import Exec, Operation, Result, Statement
from tests.integration.conftest import Store, settle

TABLES = sa.MetaData()
CODES = sa.Table(
    "proto_codes",
    TABLES,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("code", sa.String(8), nullable=False, unique=True),
)
INSERT = "INSERT INTO proto_codes (id, code) VALUES (:id, :code)"
COUNT = "SELECT count(*) FROM proto_codes"


def _sql(sql: str, **params: Any) -> Exec:
    return Exec(Statement(sa.text, (sql,)), params, fetch=sql.startswith("SELECT"))


async def _run(store: Store, op: Operation[Any]) -> Any:
    db: Any = store.db
    executor = db._async_executor() if store.is_async else db._sync_executor()
    return await settle(executor.run(op))


@pytest.fixture
async def codes(store: Store) -> AsyncIterator[None]:
    await store.run_sync(TABLES.create_all)
    try:
        yield
    finally:
        await store.run_sync(lambda conn: conn.execute(CODES.delete()))


async def test_an_operation_catches_a_thrown_conflict_and_goes_on(
    store: Store, codes: None
) -> None:
    caught: list[ConflictError] = []

    def op() -> Operation[tuple[int, int]]:
        yield _sql(INSERT, id=1, code="a")
        try:
            yield _sql(INSERT, id=2, code="a")  # the same code: a unique violation
        except ConflictError as exc:
            caught.append(exc)
            yield _sql(INSERT, id=2, code="b")  # recovered: another code
        result: Result = yield _sql(COUNT)
        return len(caught), int(result.rows[0][0])

    assert await _run(store, op()) == (1, 2)
    assert caught[0].__context__ is None  # thrown outside the except: no driver error rides along


async def test_an_uncaught_thrown_error_leaves_the_operation(store: Store, codes: None) -> None:
    after: list[str] = []

    def op() -> Operation[None]:
        yield _sql(INSERT, id=1, code="a")
        yield _sql(INSERT, id=1, code="b")  # the same id
        after.append("went on")  # never: the error left the operation at its yield

    with pytest.raises(ConflictError):
        await _run(store, op())
    assert after == []


async def test_an_operation_the_executor_stops_driving_is_closed(store: Store, codes: None) -> None:
    cleaned: list[str] = []

    def operation() -> Operation[None]:
        try:
            yield _sql(INSERT, id=1)  # no value for :code: the executor fails, not the database
        finally:
            cleaned.append("finally")

    op = operation()  # held here, so only close() can run its finally now, not the collector
    with pytest.raises(KeyError, match="code"):
        await _run(store, op)
    assert cleaned == ["finally"]
    assert op.gi_frame is None  # closed
