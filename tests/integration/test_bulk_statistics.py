"""Statistics after bulk writes: once bulk writes have written ``analyze_after_bulk`` rows to
a table PostgreSQL has never analyzed, storied analyzes it (and the model's identity or
audit table), asking about each table once per Database; other backends get no statement.

Autovacuum is switched off on the test's tables, so only storied can have analyzed them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from storied import AsyncDatabase, ConfigurationError, Database, Field, Model
from tests.integration.conftest import settle


class Ledger(Model, table="stats_ledger", history="scd2"):
    sku: str = Field(max_length=32)
    amount: Decimal = Field(max_digits=10, decimal_places=2)


@pytest.fixture(params=["sync", "async"])
async def database(request: pytest.FixtureRequest, db_url: str, async_url: str) -> Any:
    made: Database | AsyncDatabase
    if request.param == "sync":
        made = Database(db_url, analyze_after_bulk=100).connect()
    else:
        made = await AsyncDatabase(async_url, analyze_after_bulk=100).connect()
    await settle(made.create_all([Ledger]))
    try:
        yield made
    finally:
        try:
            await settle(made.drop_all())
        finally:
            await settle(made.close())


def _tables(db: Database | AsyncDatabase) -> list[str]:
    mapped = db.registry.mapped(Ledger)
    assert mapped.identity_table is not None
    return [mapped.table.name, mapped.identity_table.name]


async def _reltuples(db: Database | AsyncDatabase, name: str) -> float:
    return float(
        await settle(db.fetch_value(f"SELECT reltuples FROM pg_class WHERE relname = '{name}'"))
    )


def _statements(db: Database | AsyncDatabase) -> list[str]:
    sent: list[str] = []
    db.events.on_statement(lambda event: sent.append(event.sql))
    return sent


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_bulk_loaded_table_is_analyzed_once(database: Any) -> None:
    for name in _tables(database):
        await settle(database.execute(f"ALTER TABLE {name} SET (autovacuum_enabled = false)"))
    repo = database.repository(Ledger, tenant_id=uuid4())
    sent = _statements(database)
    rows = await settle(
        repo.create_many([Ledger(sku=f"S{i}", amount=Decimal(i)) for i in range(60)])
    )
    assert not [s for s in sent if "to_regclass" in s or "ANALYZE" in s]  # 60 < 100
    assert all([await _reltuples(database, n) < 0 for n in _tables(database)])
    await settle(repo.update_many({r.id: {"amount": Decimal(1)} for r in rows}))  # 120 >= 100
    assert len([s for s in sent if "to_regclass" in s]) == 2  # versions and identity: once each
    assert len([s for s in sent if s.startswith("ANALYZE")]) == 2
    versions, identity = _tables(database)
    # estimates of the 120 versions (60 first, 60 second) and the 60 ids, no longer -1
    assert 100 < await _reltuples(database, versions) <= 120
    assert await _reltuples(database, identity) == 60
    before = len(sent)
    await settle(repo.update_many({r.id: {"amount": Decimal(2)} for r in rows}))
    assert not [s for s in sent[before:] if "to_regclass" in s or "ANALYZE" in s]  # asked once


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_analyzed_tables_are_not_analyzed_again(database: Any) -> None:
    versions, identity = _tables(database)
    await settle(database.execute(f"ANALYZE {versions}"))
    repo = database.repository(Ledger, tenant_id=uuid4())
    sent = _statements(database)
    await settle(repo.create_many([Ledger(sku=f"S{i}", amount=Decimal(i)) for i in range(150)]))
    assert len([s for s in sent if "to_regclass" in s]) == 2
    assert [s for s in sent if s.startswith("ANALYZE")] == [f"ANALYZE {identity}"]


async def test_other_backends_and_none_send_nothing(
    backend: str, db_url: str, async_url: str
) -> None:
    for made in (Database(db_url, analyze_after_bulk=None), Database(db_url)):
        with made.connect():
            made.create_all([Ledger])
            try:
                sent = _statements(made)
                repo = made.repository(Ledger, tenant_id=uuid4())
                repo.create_many([Ledger(sku=f"S{i}", amount=Decimal(i)) for i in range(1500)])
                extra = [s for s in sent if "to_regclass" in s or "ANALYZE" in s]
                if backend == "postgresql" and made.analyze_after_bulk is not None:
                    assert len(extra) == 4  # asked about both tables, analyzed both
                else:
                    assert extra == []
            finally:
                made.drop_all()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("bad", [0, -1, 1.5, "1000", True])
def test_a_bad_threshold_is_refused(db_url: str, bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="analyze_after_bulk"):
        Database(db_url, analyze_after_bulk=bad)
