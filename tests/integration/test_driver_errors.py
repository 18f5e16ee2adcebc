"""Real driver exceptions, raised by the real servers, through the executor boundary.

Each statement runs through storied's executor (sync or async), so the exception is the one the
driver raises on its own connection; the test checks how the dialect classifies it, what storied
raises in its place, and that programming errors come through untranslated.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable
from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy as sa

from storied import (
    AsyncDatabase,
    ConflictError,
    Database,
    DatabaseTimeout,
    IntegrityError,
    OperationalError,
    SchemaError,
    StoriedError,
    ValidationError,
)
from storied.dialects import backend_for
from storied.ops.requests import Exec, Operation, Statement
from tests.integration.conftest import Store, settle
from tests.models import Drifted, Product

SECRET = "S3CR3T"
ERRORS = sa.MetaData()
PARENT = sa.Table("err_parent", ERRORS, sa.Column("id", sa.Integer, primary_key=True))
CHILD = sa.Table(
    "err_child",
    ERRORS,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("code", sa.String(8), nullable=False, unique=True),
    sa.Column("qty", sa.Integer),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("err_parent.id", name="fk_err_child_p")),
    sa.CheckConstraint("qty >= 0", name="ck_err_child_qty"),
)
GOOD_ROW = f"INSERT INTO err_child (id, code, qty) VALUES (1, '{SECRET}', 1)"

#: statement → (classified kind, storied error)
TRANSLATED: dict[str, tuple[str, type[StoriedError]]] = {
    f"INSERT INTO err_child (id, code, qty) VALUES (2, '{SECRET}', 1)": ("unique", ConflictError),
    "INSERT INTO err_child (id, code, qty) VALUES (1, 'other', 1)": ("unique", ConflictError),
    "INSERT INTO err_child (id, code, qty) VALUES (3, NULL, 1)": ("not_null", IntegrityError),
    "INSERT INTO err_child (id, code, qty) VALUES (4, 'neg', -7)": ("check", IntegrityError),
    "INSERT INTO err_child (id, code, parent_id) VALUES (5, 'fk', 4242)": (
        "foreign_key",
        IntegrityError,
    ),
}
PROGRAMMING = [
    "SELEC 1",
    "SELECT no_such_column FROM err_child",
    "INSERT INTO err_child (id, code, qty) VALUES (1, 'x')",
]


def _statement(sql: str) -> Operation[None]:
    yield Exec(Statement(sa.text, (sql,)))


async def run_sql(store: Store, *statements: str) -> None:
    """Run statements in one operation through the executor (one connection)."""

    def op() -> Operation[None]:
        for sql in statements:
            yield from _statement(sql)

    db: Any = store.db
    executor = db._async_executor() if store.is_async else db._sync_executor()
    await settle(executor.run(op()))


@pytest.fixture
async def tables(store: Store) -> AsyncIterator[None]:
    """The error tables, in the store's database for the session, empty for each test."""
    await store.run_sync(ERRORS.create_all)
    try:
        yield
    finally:

        def empty(conn: sa.Connection) -> None:
            for table in reversed(ERRORS.sorted_tables):
                conn.execute(table.delete())

        await store.run_sync(empty)


async def raised(awaitable: Awaitable[Any]) -> BaseException:
    """The exception an awaitable raises, whatever its type (drivers differ)."""
    try:
        await awaitable
    except Exception as exc:
        return exc
    raise AssertionError("nothing was raised")


def classify(store: Store, exc: BaseException) -> Any:
    return backend_for(store.db.engine.dialect).classify(exc)


async def test_constraint_violations_are_classified_and_translated(
    store: Store, tables: None
) -> None:
    await run_sql(store, GOOD_ROW)
    for sql, (_kind, error) in TRANSLATED.items():
        with pytest.raises(error) as caught:
            await run_sql(store, sql)
        # the driver's exception is not chained (its text can quote values); its code stays
        assert caught.value.__cause__ is None, sql
        assert caught.value.__context__ is None, sql
        assert caught.value.driver_code is not None, sql
        assert SECRET not in str(caught.value), sql


async def test_constraint_names_reach_the_error(store: Store, tables: None) -> None:
    await run_sql(store, GOOD_ROW)
    with pytest.raises(IntegrityError) as caught:
        await run_sql(store, "INSERT INTO err_child (id, code, qty) VALUES (4, 'neg', -7)")
    assert caught.value.kind == "check"
    sqlite = store.db.dialect_name == "sqlite"  # SQLite's message does not name the constraint
    assert caught.value.constraint == (None if sqlite else "ck_err_child_qty")


async def test_a_value_too_long_is_a_validation_error(store: Store, tables: None) -> None:
    if store.db.dialect_name == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths (storied validates before writing)")
    with pytest.raises(ValidationError) as caught:
        await run_sql(store, f"INSERT INTO err_child (id, code) VALUES (9, '{SECRET * 3}')")
    assert caught.value.driver_code in (1406, "22001")  # MariaDB's errno, PostgreSQL's SQLSTATE
    assert SECRET not in str(caught.value)


async def test_programming_errors_are_not_translated(store: Store, tables: None) -> None:
    for sql in PROGRAMMING:
        exc = await raised(run_sql(store, sql))
        assert not isinstance(exc, StoriedError), f"{sql}: {exc!r}"
        assert classify(store, exc) is None, sql
    await run_sql(store, GOOD_ROW)  # the connection is still usable


async def test_a_missing_table_is_a_schema_error_naming_it(store: Store) -> None:
    repo = store.repository(Drifted, tenant_id=uuid4())  # create_all never ran
    for attempt in (repo.get(uuid4()), repo.create(Drifted(name="x"))):
        exc = await raised(attempt)
        assert isinstance(exc, SchemaError), repr(exc)
        assert "'drifted'" in str(exc)
        assert "sync_schema" in str(exc)
        assert "storied apply" in str(exc)
        assert exc.__cause__ is None


async def test_a_column_the_table_lacks_reaches_the_caller_untranslated(store: Store) -> None:
    await store.create_all(Drifted)
    try:
        await store.run_sync(
            lambda conn: conn.exec_driver_sql("ALTER TABLE drifted DROP COLUMN extra")
        )
        repo = store.repository(Drifted, tenant_id=uuid4())
        exc = await raised(repo.list())
        assert not isinstance(exc, StoriedError), repr(exc)
    finally:
        await store.run_sync(lambda conn: conn.exec_driver_sql("DROP TABLE drifted"))


async def test_a_conflict_message_never_echoes_the_value(store: Store) -> None:
    await store.create_all(Product)
    repo = store.repository(Product, tenant_id=uuid4())
    await repo.create(Product(sku=SECRET, name="first", price=1))
    with pytest.raises(ConflictError) as caught:
        await repo.create(Product(sku=SECRET, name="second", price=1))
    assert caught.value.fields == ("sku",)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert caught.value.__cause__ is None  # PostgreSQL's DETAIL and MariaDB's message have it


class Boom(Exception):
    pass


async def test_a_failed_rollback_does_not_hide_the_blocks_own_error(
    store: Store, tables: None
) -> None:
    async def end_the_transaction_then_fail() -> None:
        async with store.transaction():
            await run_sql(store, "ROLLBACK")  # SQLite then refuses the block's ROLLBACK
            raise Boom

    with pytest.raises(Boom):
        await end_the_transaction_then_fail()
    await run_sql(store, GOOD_ROW)  # and the next operation gets a working connection


#: per backend: what the lock holder runs, and what then fails at once instead of waiting
LOCKS = {
    "sqlite": (["BEGIN IMMEDIATE"], ["PRAGMA busy_timeout = 0", "BEGIN IMMEDIATE"]),
    "postgresql": (
        ["BEGIN", "SELECT id FROM err_parent WHERE id = 1 FOR UPDATE"],
        ["SELECT id FROM err_parent WHERE id = 1 FOR UPDATE NOWAIT"],
    ),
    "mysql": (
        ["BEGIN", "SELECT id FROM err_parent WHERE id = 1 FOR UPDATE"],
        ["SELECT id FROM err_parent WHERE id = 1 FOR UPDATE NOWAIT"],
    ),
}


async def test_a_lock_held_elsewhere_is_a_timeout(store: Store, tables: None) -> None:
    await run_sql(store, "INSERT INTO err_parent (id) VALUES (1)")
    holder_sql, waiter_sql = LOCKS[store.db.dialect_name]
    holder = sa.create_engine(store.url, isolation_level="AUTOCOMMIT")
    try:
        with holder.connect() as conn:
            for sql in holder_sql:
                conn.exec_driver_sql(sql)
            with pytest.raises(DatabaseTimeout) as caught:
                await run_sql(store, *waiter_sql)
            conn.exec_driver_sql("ROLLBACK")
    finally:
        holder.dispose()
    assert caught.value.driver_code is not None
    assert isinstance(caught.value, TimeoutError)


UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-storied-dir/sub/x.db",
    "postgresql": "postgresql://app:hunter2@127.0.0.1:1/app",
    "mysql": "mysql://app:hunter2@127.0.0.1:1/app",
}


async def test_an_unreachable_database_is_an_operational_error(backend: str) -> None:
    url = UNREACHABLE[backend]
    with pytest.raises(OperationalError) as sync_caught:
        Database(url).connect()
    before = set(threading.enumerate())
    with pytest.raises(OperationalError) as async_caught:
        await AsyncDatabase(url).connect()
    # aiosqlite stops its worker thread after a failed connect without waiting for it; let it
    # finish while this test's event loop is still open (it reports back to that loop)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)
    for caught in (sync_caught, async_caught):
        assert "hunter2" not in str(caught.value)
    assert "hunter2" not in repr(Database(url))


def test_a_connection_that_cannot_be_opened_later_is_an_operational_error(
    tmp_path: Any,
) -> None:
    """After connect(), a new pooled connection that fails (server gone, file unreachable) is
    storied's OperationalError, not SQLAlchemy's."""
    from storied import OperationalError as StoriedOperationalError

    db = Database(f"sqlite:///{tmp_path}/ok.db").connect()
    try:
        db.create_all([Product])
        pool = db._sync_executor().pool
        pool._idle.clear()
        pool._engine = sa.create_engine(f"sqlite:///{tmp_path}/missing/dir/x.db")
        with pytest.raises(StoriedOperationalError):
            db.repository(Product, tenant_id=uuid4()).count()
    finally:
        db.close()
