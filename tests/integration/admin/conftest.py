"""Fixtures for operations tests: populated databases and new server database names."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storied import Database, FrozenClock
from tests.conftest import SERVERS
from tests.models import Account, Price, Setting

MODELS = [Account, Price, Setting]


def populate(db: Database, tenant: uuid.UUID | None = None) -> uuid.UUID:
    """Rows with history: an audited account updated twice, a versioned price, a setting."""
    tenant = tenant or uuid.uuid4()
    db.create_all(MODELS)
    accounts = db.repository(Account, tenant_id=tenant, actor="alice")
    a = accounts.create(
        Account(
            code="A-1",
            owner="",  # empty string, not NULL
            balance=Decimal("1234.50"),
            ref=uuid.uuid4(),
            opened_at=dt.datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC),
            meta={"tags": ["x", "ä"], "n": 1.5, "none": None},
            blob=b"\x00\xffbytes",
        )
    )
    accounts.update(a.id, balance=Decimal("99.99"), counter=2)
    accounts.create(Account(code="A-2", owner="bob", balance=Decimal("0.01")))
    prices = db.repository(Price, tenant_id=tenant, actor="alice")
    p = prices.create(Price(sku="P-1", amount=Decimal("3.00"), meta={"a": 1}))
    prices.update(p.id, amount=Decimal("4.00"))
    db.repository(Setting, actor="alice").create(Setting(key="k", value="v"))
    return tenant


def rows_of(db: Database, models: list[Any] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of the models' tables, in key order: a dump to compare."""
    out = {}
    with db.engine.connect() as conn:
        for table in db.registry.tables(models or MODELS):
            cols = [c for c in table.columns if c.computed is None]
            query = sa.select(*cols).order_by(*table.primary_key.columns)
            out[table.fullname] = [tuple(r) for r in conn.execute(query)]
    return out


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


def live_state(db: Database, backend: str) -> Any:
    """What must not change when a restore is refused: the file bytes, or the server's rows."""
    if backend == "sqlite":
        return file_digest(Path(str(db.url.database)))
    with db.engine.connect() as conn:
        tables = sorted(sa.inspect(conn).get_table_names())
    return tables, rows_of(db)


@pytest.fixture
def new_db_name(backend: str) -> Iterator[str]:
    """A database name that does not exist yet; dropped after the test, if made."""
    name = f"storied_r{uuid.uuid4().hex[:10]}"
    yield name
    if backend != "sqlite":
        admin = sa.create_engine(sa.make_url(SERVERS[backend]), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


@pytest.fixture
def live(db_url: str, clock: FrozenClock) -> Iterator[Database]:
    """A connected Database holding populated MODELS (tables dropped afterwards)."""
    database = Database(db_url, clock=clock).connect()
    try:
        database.drop_all(MODELS)
        populate(database)
        yield database
    finally:
        try:
            database.drop_all(MODELS)
        finally:
            database.close()


def server_url(db: Database, name: str) -> sa.URL:
    return db.url.set(database=name)
