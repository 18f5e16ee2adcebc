"""What the routing tests share: a model, and operations that say which server ran them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from storied import Field, Model
from storied.ops.requests import Begin, Exec, Operation, Statement


class Note(Model, table="repl_notes"):
    text: str = Field(max_length=100)


PROBE = sa.table("repl_probe", sa.column("n", sa.Integer))
CREATE_PROBE = "CREATE TABLE IF NOT EXISTS repl_probe (n integer)"


def _in_recovery_stmt() -> sa.Select[Any]:
    return sa.select(sa.func.pg_is_in_recovery())


def _write_in_recovery_stmt() -> sa.Insert:
    return sa.insert(PROBE).values(n=sa.bindparam("n")).returning(sa.func.pg_is_in_recovery())


def in_recovery(begin: bool = False) -> Operation[bool]:
    """A read (optionally in a read-only transaction): True when a replica served it."""
    if begin:
        yield Begin(write=False)
    result = yield Exec(Statement(_in_recovery_stmt), fetch=True)
    return bool(result.rows[0][0])


def write_in_recovery(n: int) -> Operation[bool]:
    """A write reporting where it ran (a replica would refuse it)."""
    result = yield Exec(Statement(_write_in_recovery_stmt), {"n": n}, fetch=True)
    return bool(result.rows[0][0])


def read_then_write(n: int) -> Operation[tuple[bool, bool]]:
    """Reads first, writes later, without a transaction: the write must reach the primary."""
    first = yield from in_recovery()
    second = yield from write_in_recovery(n)
    return first, second


def run(db: Any, op: Operation[Any]) -> Any:
    """Run ``op`` the way repository calls run (through the Database's executor)."""
    return db._sync_executor().run(op)


async def arun(db: Any, op: Operation[Any]) -> Any:
    return await db._async_executor().run(op)


def read_transaction_then_write(n: int) -> Operation[tuple[bool, bool]]:
    """A read-only transaction that then writes: the whole of it must end on the primary."""
    yield Begin(write=False)
    first = yield from in_recovery()
    second = yield from write_in_recovery(n)
    return first, second
