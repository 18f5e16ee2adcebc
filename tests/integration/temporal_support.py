"""Raw table reads and writes for the temporal tests: they check what the database holds,
not what storied says it holds (sync ``Database`` or ``AsyncDatabase`` alike)."""

from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa

from storied import AsyncDatabase, Database, Model


def audit_table(db: Database | AsyncDatabase, model: type[Model]) -> sa.Table:
    table = db.registry.mapped(model).audit_table
    assert table is not None
    return table


def versions_table(db: Database | AsyncDatabase, model: type[Model]) -> sa.Table:
    return db.registry.mapped(model).table


async def select_rows(db: Database | AsyncDatabase, stmt: sa.Select[Any]) -> list[dict[str, Any]]:
    """Run a SELECT on the SQLAlchemy engine, outside storied, as a list of dicts."""
    if isinstance(db, AsyncDatabase):
        async with db.engine.connect() as conn:
            result = await conn.execute(stmt)
            return [dict(r._mapping) for r in result]
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


async def audit_rows(
    db: Database | AsyncDatabase, model: type[Model], record_id: Any = None
) -> list[dict[str, Any]]:
    """The model's audit rows in write order, optionally for one record."""
    table = audit_table(db, model)
    stmt = sa.select(table).order_by(table.c.audit_id)
    if record_id is not None:
        stmt = stmt.where(table.c.record_id == record_id)
    return await select_rows(db, stmt)


async def version_rows(
    db: Database | AsyncDatabase, model: type[Model], id: Any = None
) -> list[dict[str, Any]]:
    """Every stored version (all columns), by id then version."""
    table = versions_table(db, model)
    stmt = sa.select(table).order_by(table.c.id, table.c.version)
    if id is not None:
        stmt = stmt.where(table.c.id == id)
    return await select_rows(db, stmt)


def check_chain(rows: list[dict[str, Any]]) -> None:
    """One id's versions (oldest first) form one contiguous chain 1..N with one current."""
    assert [r["version"] for r in rows] == list(range(1, len(rows) + 1))
    for before, after in itertools.pairwise(rows):
        assert before["valid_to"] is not None
        assert before["valid_from"] < before["valid_to"] == after["valid_from"]
    assert rows[-1]["valid_to"] is None
    current = [r for r in rows if r["valid_to"] is None]
    assert len(current) == 1
    assert [r["current_key"] for r in rows] == [None] * (len(rows) - 1) + [1]
