"""Partitioned history's configuration and table shapes (no server: compiled DDL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from storied import ConfigurationError, Database, HistoryPartitions, Registry
from storied.mapping.partitions import parent_index, wanted
from tests.models import Account, Price

UTC = dt.UTC
PG = postgresql.dialect()


@pytest.mark.parametrize("url", ["sqlite://", "mysql+pymysql://root@127.0.0.1/test"])
def test_backends_without_partitions_refuse_the_option(url: str) -> None:
    with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
        Database(url, history_partitions="month")


def test_a_given_registry_must_carry_the_option_itself() -> None:
    url = "postgresql://u@localhost/app"
    assert Database(url, registry=Registry(history_partitions="month")).registry.history_partitions
    with pytest.raises(ConfigurationError, match="Registry"):
        Database(url, registry=Registry(), history_partitions="month")


@pytest.mark.parametrize("value", ["week", 3])
def test_bad_options_are_refused(value: object) -> None:
    with pytest.raises(ConfigurationError):
        Registry(history_partitions=value)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        HistoryPartitions(ahead=-1)
    with pytest.raises(ConfigurationError):
        HistoryPartitions(interval="day")  # type: ignore[arg-type]


def test_months_wanted_run_from_the_newest_partition_to_ahead() -> None:
    config = HistoryPartitions(ahead=2)
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    months = [m.strftime("%Y-%m") for m in wanted(config, now)]
    assert months == ["2026-11", "2026-12", "2027-01"]
    newest = dt.datetime(2026, 8, 1, tzinfo=UTC)
    months = [m.strftime("%Y-%m") for m in wanted(config, now, newest)]
    assert months == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]


def _ddl(registry: Registry, model: type, audit: bool = False) -> str:
    mapped = registry.mapped(model)  # type: ignore[arg-type]
    table = mapped.audit_table if audit else mapped.table
    assert table is not None
    parts = [str(CreateTable(table).compile(dialect=PG))]
    parts += sorted(str(CreateIndex(i).compile(dialect=PG)) for i in table.indexes)
    return "\n".join(" ".join(p.split()) for p in parts)


def test_versions_partition_by_close_time_and_keep_their_unique_rules() -> None:
    registry = Registry(history_partitions="month")
    ddl = _ddl(registry, Price)
    assert "PARTITION BY RANGE (valid_to)" in ddl
    # row_id is storied's row key (export order, file garbage collection) but not the
    # database's primary key: ux_prices_row, with the partition key, enforces it
    assert [c.name for c in registry.mapped(Price).table.primary_key] == ["row_id"]
    assert "PRIMARY KEY" not in ddl.split("CREATE UNIQUE INDEX")[0]
    assert (
        "CREATE UNIQUE INDEX ux_prices_current ON prices (id, current_key, valid_to) "
        "NULLS NOT DISTINCT WHERE current_key IS NOT NULL"
    ) in ddl
    assert (
        "CREATE UNIQUE INDEX uq_prices_sku ON prices (tenant_id, sku, live_key, valid_to) "
        "NULLS NOT DISTINCT WHERE live_key IS NOT NULL"
    ) in ddl
    assert (
        "CREATE UNIQUE INDEX ux_prices_row ON prices (row_id, valid_to) NULLS NOT DISTINCT" in ddl
    )
    plain = _ddl(Registry(), Price)
    assert "PARTITION BY" not in plain
    assert "NULLS NOT DISTINCT" not in plain


def test_audit_partitions_by_change_time_with_it_in_the_key() -> None:
    ddl = _ddl(Registry(history_partitions="month"), Account, audit=True)
    assert "PRIMARY KEY (audit_id, changed_at)" in ddl
    assert "PARTITION BY RANGE (changed_at)" in ddl
    assert "PRIMARY KEY (audit_id)" in _ddl(Registry(), Account, audit=True)


def test_a_partitions_index_names_its_declared_index() -> None:
    registry = Registry(history_partitions="month")
    table = registry.mapped(Price).table
    name = "prices_pdefault_tenant_id_sku_live_key_valid_to_idx"
    assert parent_index(table, name) == "uq_prices_sku"
    assert parent_index(table, "prices_p202601_id_current_key_valid_to_idx") == "ux_prices_current"
    assert parent_index(table, "elsewhere_tenant_id_sku_live_key_valid_to_idx") is None
    assert parent_index(Registry().mapped(Price).table, name) is None
