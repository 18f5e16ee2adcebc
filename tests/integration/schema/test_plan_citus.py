"""``storied plan --target citus``: the plan's DDL, then the Citus calls for the tables it
creates (compiled against a real PostgreSQL plan; no Citus server runs here)."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from storied.cli.app import app

MODELS = """
from uuid import UUID
from storied import Field, Model

class Region(Model, table="sch_cz_regions", tenant=False):
    code: str = Field(max_length=8, unique=True)

class Shop(Model, table="sch_cz_shops", history="copy_on_change"):
    name: str = Field(max_length=40, unique=True)
    region_id: UUID = Field(foreign_key=Region)

class Clerk(Model, table="sch_cz_clerks"):
    shop_id: UUID = Field(foreign_key=Shop)
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("STORIED_DATABASE_URL", raising=False)
    name = f"sch_citus_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(MODELS))
    yield name
    sys.modules.pop(name, None)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgresql)])
def test_plan_target_citus_appends_the_distribution_calls(module: str, db_url: str) -> None:
    result = CliRunner().invoke(app, ["plan", "-m", module, "-d", db_url, "--target", "citus"])
    out = result.output
    assert result.exit_code == 2, out
    ddl_end = out.rindex("CREATE TABLE")
    calls = [line for line in out.splitlines() if line.startswith("SELECT create_")]
    shops = "SELECT create_distributed_table('sch_cz_shops', 'tenant_id');"
    clerks = "SELECT create_distributed_table('sch_cz_clerks', 'tenant_id');"
    assert calls[0] == "SELECT create_reference_table('sch_cz_regions');"
    assert sorted(calls[1:]) == sorted(
        [shops, clerks, "SELECT create_distributed_table('sch_cz_shops_audit', 'tenant_id');"]
    )
    assert calls.index(shops) < calls.index(clerks)  # a table after the tables it references
    assert out.index(calls[0]) > ddl_end  # after the DDL
    # the plan is of the tenant-leading layout, which Citus refuses nothing of
    assert "PRIMARY KEY (tenant_id, id)" in out
    assert "PRIMARY KEY (tenant_id, audit_id)" in out
    assert "refused by Citus" not in out


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgresql)])
def test_plan_target_citus_on_old_keys_says_they_are_not_migrated(module: str, db_url: str) -> None:
    """Alembic does not compare primary keys: tables made with the default layout get a
    blocked "change primary key" step each, so their old keys are never silently kept."""
    runner = CliRunner()
    made = runner.invoke(app, ["apply", "-m", module, "-d", db_url, "--yes"])
    assert made.exit_code == 0, made.output
    try:
        result = runner.invoke(app, ["plan", "-m", module, "-d", db_url, "--target", "citus"])
        out = result.output
        assert result.exit_code == 2, out
        for table, key in [
            ("sch_cz_shops", "id"),
            ("sch_cz_shops_audit", "audit_id"),
            ("sch_cz_clerks", "id"),
        ]:
            line = f"change primary key {table} ({key}) → (tenant_id, {key})  [BLOCKED: "
            assert line in out, out
        assert "change primary key sch_cz_regions" not in out  # not tenant-scoped
        args = ["apply", "-m", module, "-d", db_url, "--yes", "--tenant-leading-keys"]
        refused = runner.invoke(app, args)
        assert refused.exit_code != 0
        assert "change primary key sch_cz_clerks (id) → (tenant_id, id)" in refused.output
    finally:
        engine = sa.create_engine(db_url)
        with engine.begin() as conn:
            for table in ["sch_cz_clerks", "sch_cz_shops_audit", "sch_cz_shops", "sch_cz_regions"]:
                conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
        engine.dispose()


def test_an_unknown_target_is_one_error_line(module: str) -> None:
    result = CliRunner().invoke(app, ["plan", "-m", module, "--target", "cockroach"])
    assert result.exit_code == 1
    assert "unknown --target 'cockroach'" in result.output
