"""Tenant-leading keys on a real PostgreSQL: the keys the database holds, integer ids
generated inside ``(tenant_id, id)``, foreign keys per tenant, unscoped reads by id."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from storied import Database, Field, Model
from storied.errors import StoriedError

from .conftest import OPTIONS


class Crate(Model, table="tk_crates", history="copy_on_change"):
    label: str = Field(max_length=20, unique=True)


class Count(Model, table="tk_counts", primary_key="int"):
    crate_id: UUID = Field(foreign_key=Crate)
    n: int = 0


class Quote(Model, table="tk_quotes", history="scd2"):
    amount: int = 0


MODELS = [Crate, Count, Quote]


@pytest.fixture
def keyed(db_url: str) -> Iterator[Database]:
    database = Database(db_url, **OPTIONS).connect()
    database.drop_all(MODELS)
    database.create_all(MODELS)
    try:
        yield database
    finally:
        try:
            database.drop_all(MODELS)
        finally:
            database.close()


def test_the_database_holds_tenant_leading_primary_keys(keyed: Database) -> None:
    inspector = sa.inspect(keyed.engine)
    keys = {
        t: inspector.get_pk_constraint(t)["constrained_columns"]
        for t in ["tk_crates", "tk_crates_audit", "tk_counts", "tk_quotes", "tk_quotes_identity"]
    }
    assert keys == {
        "tk_crates": ["tenant_id", "id"],
        "tk_crates_audit": ["tenant_id", "audit_id"],
        "tk_counts": ["tenant_id", "id"],
        "tk_quotes": ["tenant_id", "row_id"],
        "tk_quotes_identity": ["tenant_id", "id"],
    }
    assert keyed.plan(MODELS).empty  # and a re-plan sees them as they are


def test_integer_ids_are_generated_in_the_composite_key(keyed: Database) -> None:
    a, b = uuid4(), uuid4()
    crate_a = keyed.repository(Crate, tenant_id=a).create(Crate(label="x"))
    crate_b = keyed.repository(Crate, tenant_id=b).create(Crate(label="x"))
    first = keyed.repository(Count, tenant_id=a).create(Count(crate_id=crate_a.id))
    second = keyed.repository(Count, tenant_id=b).create(Count(crate_id=crate_b.id))
    assert isinstance(first.id, int)
    assert isinstance(second.id, int)
    assert first.id != second.id
    assert keyed.repository(Count, tenant_id=a).get(first.id).crate_id == crate_a.id
    with pytest.raises(StoriedError):  # another tenant's crate is refused like a missing one
        keyed.repository(Count, tenant_id=a).create(Count(crate_id=crate_b.id))


def test_unscoped_reads_by_id_find_each_tenants_rows(keyed: Database) -> None:
    a, b = uuid4(), uuid4()
    crate = keyed.repository(Crate, tenant_id=a).create(Crate(label="x"))
    quote = keyed.repository(Quote, tenant_id=b).create(Quote(amount=3))
    keyed.repository(Quote, tenant_id=b).update(quote.id, amount=4)
    assert keyed.repository(Crate, unscoped=True).get(crate.id).label == "x"
    assert keyed.repository(Quote, unscoped=True).get(quote.id).amount == 4


def test_with_partitioned_history_the_keys_keep_the_partition_key(db_url: str) -> None:
    database = Database(db_url, history_partitions="month", **OPTIONS).connect()
    database.drop_all(MODELS)
    try:
        database.create_all(MODELS)
        inspector = sa.inspect(database.engine)
        audit_key = inspector.get_pk_constraint("tk_crates_audit")["constrained_columns"]
        assert audit_key == ["tenant_id", "audit_id", "changed_at"]
        tenant = uuid4()
        quotes = database.repository(Quote, tenant_id=tenant)
        quote = quotes.create(Quote(amount=1))
        quotes.update(quote.id, amount=2)
        assert [v.model.amount for v in quotes.versions(quote.id)] == [1, 2]
        crates = database.repository(Crate, tenant_id=tenant)
        crate = crates.create(Crate(label="a"))
        crates.update(crate.id, label="b")
        assert len(crates.history(crate.id)) == 2
        assert database.plan(MODELS).empty
    finally:
        try:
            database.drop_all(MODELS)
        finally:
            database.close()
