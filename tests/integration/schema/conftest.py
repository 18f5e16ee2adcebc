"""Fixtures for the schema-sync tests: one model, several versions, on one database.

Each version of a model is a different class mapping the same table, so each gets its own
``Database`` (and so its own Registry) on the test's URL. Every table these tests make is named
``sch_…`` and dropped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from storied import Database, FrozenClock, Model, Registry

PREFIX = "sch_"


class Versions:
    def __init__(self, url: str) -> None:
        self.url = url
        self.dbs: list[Database] = []

    def at(self, *models: type[Model]) -> Database:
        """A connected Database whose registry maps exactly these models."""
        db = Database(self.url, registry=Registry(), clock=FrozenClock()).connect()
        db.registry.add(*models)
        self.dbs.append(db)
        return db

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.dbs[-1].engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]

    def columns(self, table: str) -> dict[str, dict[str, Any]]:
        with self.dbs[-1].engine.connect() as conn:
            return {c["name"]: dict(c) for c in sa.inspect(conn).get_columns(table)}

    def tables(self) -> set[str]:
        with self.dbs[-1].engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())

    def close(self) -> None:
        engine = sa.create_engine(self.url)
        try:
            metadata = sa.MetaData()
            metadata.reflect(engine)
            mine = [t for t in metadata.sorted_tables if t.name.startswith(PREFIX)]
            metadata.drop_all(engine, tables=mine)
        finally:
            engine.dispose()
            for db in self.dbs:
                db.close()


@pytest.fixture
def versions(db_url: str) -> Iterator[Versions]:
    holder = Versions(db_url)
    try:
        yield holder
    finally:
        holder.close()
