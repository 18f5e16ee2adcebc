"""Tenant-scoped keys and partial unique indexes, compiled for each dialect (no server)."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy.schema import CreateIndex, CreateTable

from storied import Field, Model, Registry
from tests.compile.test_product_ddl import DIALECTS, ddl


class Team(Model, table="c_teams"):
    name: str = Field(max_length=20)


class Badge(Model, table="c_badges"):
    team_id: UUID = Field(foreign_key=Team, on_delete="CASCADE")
    code: str = Field(max_length=20, unique=True, index_where="code <> 'tmp'")


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_the_reference_and_its_target_key_lead_with_the_tenant(dialect: str) -> None:
    registry = Registry()
    registry.add(Badge)
    teams, badges = registry.mapped(Team).table, registry.mapped(Badge).table
    assert "CONSTRAINT ux_c_teams_tenant_key UNIQUE (tenant_id, id)" in ddl(
        CreateTable(teams), dialect
    )
    assert (
        "CONSTRAINT fk_c_badges_team_id_c_teams FOREIGN KEY(tenant_id, team_id) "
        "REFERENCES c_teams (tenant_id, id) ON DELETE CASCADE"
    ) in ddl(CreateTable(badges), dialect)


@pytest.mark.parametrize(
    ("dialect", "where"),
    [
        ("postgresql", " WHERE code <> 'tmp'"),
        ("sqlite", " WHERE code <> 'tmp'"),
        ("mssql", " WHERE live_key IS NOT NULL AND code <> 'tmp'"),
        ("mysql", ""),  # refused before any DDL runs there (see the integration tests)
    ],
)
def test_the_partial_unique_index_keeps_its_predicate(dialect: str, where: str) -> None:
    registry = Registry()
    [index] = [i for i in registry.mapped(Badge).table.indexes if i.unique]
    assert ddl(CreateIndex(index), dialect).endswith(
        f"ON c_badges (tenant_id, code, live_key){where}"
    )
