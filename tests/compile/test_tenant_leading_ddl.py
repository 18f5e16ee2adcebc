"""The tenant-leading key layout (``Registry(tenant_leading_keys=True)``), compiled for
PostgreSQL: every tenant-scoped primary key, scd2 chain index and foreign key leads with
``tenant_id``; the id lookup index for unscoped reads; partitioned history keeps its
partition key in the keys; untenanted tables keep their own keys."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.schema import CreateIndex, CreateTable

from storied import Field, Model, Registry
from tests.compile.test_product_ddl import ddl


class Shelf(Model, table="tl_shelves", history="copy_on_change"):
    label: str = Field(max_length=20, unique=True)


class Tally(Model, table="tl_tallies", primary_key="int"):
    shelf_id: UUID = Field(foreign_key=Shelf, on_delete="CASCADE")


class Rate(Model, table="tl_rates", history="scd2"):
    shelf_id: UUID = Field(foreign_key=Shelf)


class Unit(Model, table="tl_units", tenant=False, primary_key="int"):
    name: str = Field(max_length=20)


def _registry(**options: object) -> Registry:
    registry = Registry(tenant_leading_keys=True, **options)  # type: ignore[arg-type]
    registry.add(Shelf, Tally, Rate, Unit)
    return registry


def _indexes(registry: Registry, model: type[Model]) -> set[str]:
    return {ddl(CreateIndex(i), "postgresql") for i in registry.mapped(model).table.indexes}


def test_the_main_table_key_is_tenant_then_id_with_an_id_lookup() -> None:
    registry = _registry()
    shelves = ddl(CreateTable(registry.mapped(Shelf).table), "postgresql")
    assert "PRIMARY KEY (tenant_id, id)" in shelves
    assert "ux_tl_shelves_tenant_key" not in shelves  # the key itself is what FKs reference
    assert _indexes(registry, Shelf) == {
        "CREATE INDEX ix_tl_shelves_id ON tl_shelves (id)",
        "CREATE UNIQUE INDEX uq_tl_shelves_label ON tl_shelves (tenant_id, label, live_key)",
    }


def test_an_integer_id_is_generated_inside_the_composite_key() -> None:
    tallies = ddl(CreateTable(_registry().mapped(Tally).table), "postgresql")
    assert "id BIGSERIAL NOT NULL" in tallies
    assert "PRIMARY KEY (tenant_id, id)" in tallies
    assert (
        "FOREIGN KEY(tenant_id, shelf_id) REFERENCES tl_shelves (tenant_id, id) ON DELETE CASCADE"
    ) in tallies


def test_the_audit_key_is_tenant_then_audit_id() -> None:
    audit = _registry().mapped(Shelf).audit_table
    assert audit is not None
    text = ddl(CreateTable(audit), "postgresql")
    assert "audit_id BIGSERIAL NOT NULL" in text
    assert "PRIMARY KEY (tenant_id, audit_id)" in text


def test_scd2_keys_and_chain_indexes_lead_with_the_tenant() -> None:
    registry = _registry()
    mapped = registry.mapped(Rate)
    assert mapped.identity_table is not None
    identity = ddl(CreateTable(mapped.identity_table), "postgresql")
    assert "PRIMARY KEY (tenant_id, id)" in identity
    versions = ddl(CreateTable(mapped.table), "postgresql")
    assert "PRIMARY KEY (tenant_id, row_id)" in versions
    assert (
        "FOREIGN KEY(tenant_id, id) REFERENCES tl_rates_identity (tenant_id, id) ON DELETE CASCADE"
    ) in versions
    assert ("FOREIGN KEY(tenant_id, shelf_id) REFERENCES tl_shelves (tenant_id, id)") in versions
    assert _indexes(registry, Rate) == {
        "CREATE INDEX ix_tl_rates_id ON tl_rates (id)",
        "CREATE UNIQUE INDEX ux_tl_rates_current ON tl_rates (tenant_id, id, current_key)",
        "CREATE UNIQUE INDEX ux_tl_rates_version ON tl_rates (tenant_id, id, version)",
        "CREATE UNIQUE INDEX ux_tl_rates_valid_from ON tl_rates (tenant_id, id, valid_from)",
    }


def test_partitioned_history_keeps_the_partition_key_in_the_keys() -> None:
    registry = _registry(history_partitions="month")
    audit = registry.mapped(Shelf).audit_table
    assert audit is not None
    assert "PRIMARY KEY (tenant_id, audit_id, changed_at)" in ddl(CreateTable(audit), "postgresql")
    indexes = _indexes(registry, Rate)
    assert (
        "CREATE UNIQUE INDEX ux_tl_rates_row ON tl_rates (tenant_id, row_id, valid_to) "
        "NULLS NOT DISTINCT"
    ) in indexes
    assert (
        "CREATE UNIQUE INDEX ux_tl_rates_version ON tl_rates (tenant_id, id, version, valid_to) "
        "NULLS NOT DISTINCT"
    ) in indexes


def test_untenanted_tables_keep_their_own_key() -> None:
    units = ddl(CreateTable(_registry().mapped(Unit).table), "postgresql")
    assert "PRIMARY KEY (id)" in units
    assert "tenant_id" not in units


def test_the_default_layout_is_unchanged() -> None:
    registry = Registry()
    registry.add(Shelf, Rate)
    shelves = ddl(CreateTable(registry.mapped(Shelf).table), "postgresql")
    assert "PRIMARY KEY (id)" in shelves
    assert "CONSTRAINT ux_tl_shelves_tenant_key UNIQUE (tenant_id, id)" in shelves
    assert "CREATE UNIQUE INDEX ux_tl_rates_version ON tl_rates (id, version)" in _indexes(
        registry, Rate
    )
