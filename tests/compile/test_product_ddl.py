"""Product's CREATE TABLE / CREATE INDEX, compiled for each dialect (no server needed)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mssql, mysql, postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from storied import Registry
from tests.models import Product

DIALECTS = {
    "sqlite": sqlite.dialect(),
    "postgresql": postgresql.dialect(),
    "mysql": mysql.dialect(),
    "mssql": mssql.dialect(),
}


@pytest.fixture(scope="module")
def table() -> sa.Table:
    return Registry().mapped(Product).table


def ddl(element: sa.schema.ExecutableDDLElement, dialect: str) -> str:
    """Compiled DDL with whitespace collapsed, so assertions read like the SQL."""
    return " ".join(str(element.compile(dialect=DIALECTS[dialect])).split())


def column(table: sa.Table, dialect: str, name: str) -> str:
    """One column's definition out of the CREATE TABLE (SQLAlchemy puts each on a line)."""
    lines = str(CreateTable(table).compile(dialect=DIALECTS[dialect])).splitlines()
    found = [line.strip().rstrip(",").strip() for line in lines if line.split()[:1] == [name]]
    assert len(found) == 1, f"no column {name} in {lines}"
    return found[0]


@pytest.fixture(params=list(DIALECTS))
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


def test_the_unique_index_leads_with_the_tenant_and_includes_the_live_marker(
    table: sa.Table, dialect: str
) -> None:
    [unique] = [ix for ix in table.indexes if ix.unique]
    sql = ddl(CreateIndex(unique), dialect)
    assert sql.startswith(
        "CREATE UNIQUE INDEX uq_products_sku ON products (tenant_id, sku, live_key)"
    )


def test_sql_server_filters_the_unique_index_to_live_rows(table: sa.Table) -> None:
    [unique] = [ix for ix in table.indexes if ix.unique]
    assert ddl(CreateIndex(unique), "mssql").endswith("WHERE live_key IS NOT NULL")


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql", "mysql"])
def test_null_distinct_backends_need_no_filter(table: sa.Table, dialect_name: str) -> None:
    [unique] = [ix for ix in table.indexes if ix.unique]
    assert "WHERE" not in ddl(CreateIndex(unique), dialect_name)


def test_there_is_no_plain_unique_constraint_that_would_count_deleted_rows(
    table: sa.Table, dialect: str
) -> None:
    sql = ddl(CreateTable(table), dialect)
    # the one UNIQUE is (tenant, id), which tenant-scoped foreign keys reference: ids are
    # never reused, so deleted rows cannot collide on it
    assert re.findall(r"CONSTRAINT (\w+) UNIQUE \(([\w, ]+)\)", sql) == [
        ("ux_products_tenant_key", "tenant_id, id")
    ]
    assert len(re.findall(r"\bUNIQUE\b", sql)) == 1
    assert [ix.name for ix in table.indexes] == ["uq_products_sku"]


def test_the_live_marker_is_computed_by_the_database(table: sa.Table, dialect: str) -> None:
    marker = column(table, dialect, "live_key")
    expression = "(CASE WHEN deleted_at IS NULL THEN 1 END)"
    if dialect == "mssql":
        assert marker == f"live_key AS {expression} PERSISTED"
    else:
        assert marker == f"live_key SMALLINT GENERATED ALWAYS AS {expression} STORED"


def test_the_price_bound_becomes_a_named_check(table: sa.Table, dialect: str) -> None:
    assert "CONSTRAINT ck_products_price_ge CHECK (price >= 0)" in ddl(CreateTable(table), dialect)


@pytest.mark.parametrize(
    ("dialect_name", "type_sql"),
    [
        ("mysql", "DATETIME(6)"),
        ("postgresql", "TIMESTAMP WITH TIME ZONE"),
        ("mssql", "DATETIMEOFFSET"),
        ("sqlite", "DATETIME"),
    ],
)
def test_timestamps_keep_microseconds_and_utc(
    table: sa.Table, dialect_name: str, type_sql: str
) -> None:
    assert column(table, dialect_name, "created_at") == f"created_at {type_sql} NOT NULL"
    assert column(table, dialect_name, "updated_at") == f"updated_at {type_sql} NOT NULL"
    deleted = column(table, dialect_name, "deleted_at")
    assert deleted.startswith(f"deleted_at {type_sql}")
    assert "NOT NULL" not in deleted


@pytest.mark.parametrize(
    ("dialect_name", "type_sql"),
    [
        ("sqlite", "BIGINT"),  # scaled by 10**2: exact and sortable, unlike REAL
        ("postgresql", "NUMERIC(12, 2)"),
        ("mysql", "NUMERIC(12, 2)"),
        ("mssql", "NUMERIC(12, 2)"),
    ],
)
def test_decimals_are_stored_exactly(table: sa.Table, dialect_name: str, type_sql: str) -> None:
    assert column(table, dialect_name, "price") == f"price {type_sql} NOT NULL"


def test_keys_tenant_and_strings(table: sa.Table, dialect: str) -> None:
    assert "PRIMARY KEY (id)" in ddl(CreateTable(table), dialect)
    assert column(table, dialect, "tenant_id").endswith("NOT NULL")
    assert column(table, dialect, "sku") == "sku VARCHAR(64) NOT NULL"
    assert column(table, dialect, "name") == "name VARCHAR(200) NOT NULL"
    assert column(table, dialect, "version").endswith("NOT NULL")


def test_tenant_and_id_use_native_uuids_where_there_are_some(table: sa.Table) -> None:
    assert column(table, "postgresql", "tenant_id") == "tenant_id UUID NOT NULL"
    assert column(table, "mssql", "id") == "id UNIQUEIDENTIFIER NOT NULL"
    assert column(table, "mysql", "id") == "id CHAR(32) NOT NULL"
