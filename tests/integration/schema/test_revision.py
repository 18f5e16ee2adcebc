"""``plan.to_alembic()`` writes a revision with the plan's operations; run, it syncs the schema."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from storied import Field, Model
from tests.models import Everything

from .conftest import Versions

OPTS = {"table": "sch_docs", "tenant": False, "soft_delete": False, "primary_key": "int"}


class DocV1(Model, **OPTS):  # type: ignore[call-arg]
    title: str = Field(max_length=50)


class DocV2(Model, **OPTS):  # type: ignore[call-arg]
    title: str = Field(max_length=50, index=True)
    summary: str | None = None


def _upgrade(url: str, script: str) -> None:
    namespace: dict[str, object] = {}
    exec(compile(script, "revision.py", "exec"), namespace)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            namespace["upgrade"]()  # type: ignore[operator]
    finally:
        engine.dispose()


def test_revision_script_runs_and_leaves_nothing_to_do(versions: Versions, db_url: str) -> None:
    versions.at(DocV1).sync_schema()
    db = versions.at(DocV2)
    plan = db.plan()
    script = plan.to_alembic("add summary", revision="abc123", down_revision="000000")
    assert 'revision = "abc123"' in script or "revision = 'abc123'" in script
    assert "op.add_column('sch_docs'" in script
    assert "op.create_index('ix_sch_docs_title'" in script
    _upgrade(db_url, script)
    assert db.plan().empty


def test_revision_script_for_a_fresh_database_uses_storied_types(
    versions: Versions, db_url: str
) -> None:
    class Ledger(Model, table="sch_ledger"):
        everything: str = ""

    db = versions.at(Ledger, Everything)
    plan = db.plan([Ledger])
    script = plan.to_alembic()
    assert "from storied.mapping import types as storied_types" in script
    assert "storied_types.UTCDateTime()" in script
    _upgrade(db_url, script)
    assert db.plan([Ledger]).empty


def test_rebuild_steps_render_as_batch_blocks(versions: Versions) -> None:
    versions.at(DocV1).sync_schema()

    class DocV3(Model, **OPTS):  # type: ignore[call-arg]
        title: str = Field(max_length=90)

    plan = versions.at(DocV3).plan()
    script = plan.to_alembic()
    compile(script, "revision.py", "exec")
    if any(step.rebuilds for step in plan):
        assert "with op.batch_alter_table('sch_docs'" in script
    else:
        assert "op.alter_column('sch_docs', 'title'" in script


def test_a_plan_with_renames_writes_them_in_its_revision(versions: Versions) -> None:
    class TagV1(Model, table="sch_rev_tags", tenant=False):
        label: str = Field(max_length=20)

    versions.at(TagV1).sync_schema()

    class TagV2(Model, table="sch_rev_labels", tenant=False, renamed_from="sch_rev_tags"):
        text: str = Field(max_length=20, renamed_from="label")

    script = versions.at(TagV2).plan().to_alembic()
    assert "op.rename_table('sch_rev_tags', 'sch_rev_labels')" in script
    assert "new_column_name='text'" in script
    compile(script, "revision.py", "exec")
