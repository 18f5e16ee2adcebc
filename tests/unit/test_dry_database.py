"""DryDatabase: repository calls recorded per dialect, answered from canned results."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from storied import ConfigurationError, NotFoundError
from storied.testing import DryDatabase, assert_statement_count, assert_statements, factory
from tests.models import Account, Product

TENANT = UUID(int=1)


def test_get_is_one_statement_with_bound_values() -> None:
    db = DryDatabase("postgresql", results=[[{"id": UUID(int=5), "sku": "A1", "name": "Anvil",
                                             "price": Decimal("9.99"), "stock": 2}]])  # fmt: skip
    product = db.repository(Product, tenant_id=TENANT).get(UUID(int=5))
    assert (product.sku, product.price) == ("A1", Decimal("9.99"))
    assert_statement_count(db, 1)
    (statement,) = db.statements
    assert statement.params == {"_id": UUID(int=5), "_t0": TENANT}
    assert "products.tenant_id = %(_t0)s::UUID" in statement.sql


def test_default_answer_is_no_rows() -> None:
    db = DryDatabase("sqlite")
    with pytest.raises(NotFoundError):
        db.repository(Product, tenant_id=TENANT).get(UUID(int=5))
    assert_statement_count(db, 1)


def test_driver_rows_go_through_result_processors() -> None:
    # SQLite stores UUIDs as 32 hex characters and exact decimals as scaled integers
    cols = (UUID(int=5).hex, TENANT.hex, "A1", "Anvil", 999, 2, 1) + (None,) * 6
    db = DryDatabase("sqlite", results=[[cols]])
    assert db.repository(Product, tenant_id=TENANT).get(UUID(int=5)).price == Decimal("9.99")


def test_round_trip_budget_of_an_audited_update() -> None:
    row = {"id": UUID(int=5), "tenant_id": TENANT, "code": "C", "owner": "O",
           "balance": Decimal("1"), "counter": 0, "meta": {}, "version": 1}  # fmt: skip
    db = DryDatabase("postgresql", results=[[row]] * 3)
    db.repository(Account, tenant_id=TENANT, actor="a").update(UUID(int=5), counter=1)
    sqls = [s.sql.split()[0] for s in db.statements]
    assert sqls == ["BEGIN", "SELECT", "UPDATE", "INSERT", "COMMIT"]  # ≤ 3 round trips + tx


def test_assert_statements_names_the_difference() -> None:
    db = DryDatabase("mysql")
    db.repository(Product, tenant_id=TENANT).purge(UUID(int=5))
    assert_statements(
        db,
        "DELETE FROM products WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s",
        params=[{"_id": UUID(int=5).hex, "_t0": TENANT.hex}],
    )
    with pytest.raises(AssertionError, match=r"!= \[0\] recorded: DELETE"):
        assert_statements(db, "DELETE FROM other")
    with pytest.raises(AssertionError, match="parameters differ"):
        assert_statements(db, db.statements[0].sql, params=[{}])
    with pytest.raises(AssertionError, match="expected 2 statement"):
        assert_statement_count(db, 2)
    db.reset()
    assert_statement_count(db, 0)


def test_bulk_create_records_the_bulk_path() -> None:
    db = DryDatabase("postgresql")
    rows = factory(Product, seed=1).batch(500)
    db.repository(Product, tenant_id=TENANT).create_many(rows)
    copies = [s for s in db.statements if s.many]
    assert [c.sql.split()[:2] for c in copies] == [["COPY", "products"]]  # PostgreSQL's COPY
    assert sum(len(s.params) for s in copies) == 500


def test_unknown_dialect() -> None:
    with pytest.raises(ConfigurationError, match="oracle"):
        DryDatabase("oracle")
