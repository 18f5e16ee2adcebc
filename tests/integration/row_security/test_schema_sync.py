"""Schema sync of Row-Level Security: the plan enables, forces and creates the policy on every
tenant-scoped table (main, audit, versions), readably and in JSON; a re-plan after apply is
empty; a policy or flag changed by hand is planned back."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from storied import Database, Plan
from storied.cli.app import app

from .conftest import Server
from .models import MODELS, Doc, Flag, Item, Note

pytestmark = pytest.mark.postgresql


@pytest.fixture
def sync_db(rls_server: Server) -> Iterator[Database]:
    with Database(rls_server.url, row_level_security=True) as db:
        yield db


def _as_owner(server: Server, sql: str) -> None:
    engine = sa.create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def test_a_replan_after_apply_is_empty(sync_db: Database) -> None:
    assert sync_db.plan(MODELS).empty


def test_every_tenant_scoped_table_is_protected(rls_server: Server, sync_db: Database) -> None:
    tables = {
        t.name
        for model in (Note, Item, Doc)
        for t in (
            sync_db.registry.mapped(model).table,
            *sync_db.registry.mapped(model).extra_tables,
        )
    }
    assert {"rls_items_audit", "rls_docs_identity"} <= tables  # main, audit, scd2 identity
    with sync_db.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.polname "
                "FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid "
                "WHERE c.relname LIKE 'rls\\_%' AND c.relkind = 'r'"
            )
        ).all()
    found = {name: (enabled, forced, policy) for name, enabled, forced, policy in rows}
    for table in tables:
        assert found[table] == (True, True, "storied_tenant_scope"), table
    flags = sync_db.registry.mapped(Flag).table.name
    assert found[flags] == (False, False, None)  # untenanted: nothing to hold it to


def test_the_plan_shows_the_steps_and_json_carries_them(
    rls_server: Server, sync_db: Database
) -> None:
    _as_owner(rls_server, "ALTER TABLE rls_notes NO FORCE ROW LEVEL SECURITY")
    _as_owner(rls_server, "ALTER POLICY storied_tenant_scope ON rls_items USING (true)")
    _as_owner(rls_server, "DROP POLICY storied_tenant_scope ON rls_docs")
    try:
        plan = sync_db.plan(MODELS)
        text = str(plan)
        assert "enable row level security rls_notes" in text
        assert "alter policy storied_tenant_scope on rls_items" in text
        assert "create policy storied_tenant_scope on rls_docs" in text
        assert len(plan) == 3
        data = json.loads(plan.to_json())
        sql = [s for step in data["steps"] for s in step["sql"]]
        assert "ALTER TABLE rls_notes FORCE ROW LEVEL SECURITY" in sql
        assert any(s.startswith("CREATE POLICY storied_tenant_scope ON rls_docs") for s in sql)
        assert "storied.tenant_ids" in plan.to_sql()
        sync_db.apply(Plan.from_json(plan.to_json()))
    finally:
        sync_db.sync_schema(MODELS)  # whatever happened, leave the tables protected
    assert sync_db.plan(MODELS).empty


def test_without_the_option_the_plan_leaves_policies_alone(rls_server: Server) -> None:
    with Database(rls_server.url) as db:
        assert db.plan(MODELS).empty


def test_the_cli_plans_row_level_security(rls_server: Server, sync_db: Database) -> None:
    _as_owner(rls_server, "DROP POLICY storied_tenant_scope ON rls_notes")
    base = ["plan", "-m", "tests.integration.row_security.models", "-d", rls_server.url]
    try:
        found = CliRunner().invoke(app, [*base, "--row-level-security", "--json"])
        assert found.exit_code == 2, found.output  # changes pending
        steps = json.loads(found.output)["steps"]
        assert [(c["action"], c["table"]) for s in steps for c in s["changes"]] == [
            ("create policy", "rls_notes")
        ]
        assert CliRunner().invoke(app, base).exit_code == 0  # without the flag: none looked at
    finally:
        sync_db.sync_schema(MODELS)
