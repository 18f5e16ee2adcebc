"""A plan as an Alembic revision script, for teams that review migrations.

The operations are the plan's own, rendered by Alembic (tables SQLite rebuilds become
``batch_alter_table`` blocks). storied's column types are written with their constructor
arguments and imported from ``storied.mapping.types``.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from alembic.autogenerate import render_python_code, renderers
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from sqlalchemy.dialects import postgresql

from ..mapping.types import Duration, EnumValue, ExactDecimal, UTCDateTime

if TYPE_CHECKING:
    from .plan import Plan

_TEMPLATE = '''"""{message}

Revision ID: {revision}
Revises: {down_revision}
Create Date: {date}

Written by storied from a plan made against {dialect}; review before running.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
{imports}
revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    raise NotImplementedError("storied plans go forward; write the downgrade by hand if needed")
'''


def render_revision(
    plan: Plan,
    message: str,
    *,
    revision: str | None = None,
    down_revision: str | None = None,
    date: dt.datetime | None = None,
) -> str:
    imports = {line for step in plan.steps for line in step.imports}
    body = [step.code for step in plan.steps] or ["    pass"]
    return _TEMPLATE.format(
        message=message,
        revision=revision or uuid.uuid4().hex[:12],
        down_revision=down_revision,
        date=(date or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        dialect=plan.dialect,
        imports="".join(f"{line}\n" for line in sorted(imports)),
        body="\n".join(body),
    )


def step_code(
    title: str, operations: Sequence[ops.MigrateOperation], rebuilds: str | None
) -> tuple[str, tuple[str, ...]]:
    """One step's operations as the lines of ``upgrade()``, and the imports they need."""
    imports: set[str] = set()
    operations = list(operations)
    batch = rebuilds is not None
    if rebuilds is not None:
        sql = [op for op in operations if isinstance(op, ops.ExecuteSQLOp)]
        rest = [op for op in operations if not isinstance(op, ops.ExecuteSQLOp)]
        operations = [*sql, ops.ModifyTableOps(rebuilds, rest)]

    contexts: list[AutogenContext] = []

    def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
        # the context collects the imports Alembic's own rendering needs (a MySQL LONGBLOB
        # variant needs ``from sqlalchemy.dialects import mysql``): read them after
        contexts.append(autogen_context)
        if type_ == "type" and isinstance(obj, UTCDateTime | ExactDecimal | EnumValue | Duration):
            imports.add("from storied.mapping import types as storied_types")
            return f"storied_types.{_type_repr(obj)}"
        if type_ == "type" and isinstance(obj, postgresql.JSONB):
            # rendered outside a PostgreSQL context, Alembic would write ``astext_type=Text()``
            # without importing Text; storied's JSONB keeps the default, so leave it out
            imports.add("from sqlalchemy.dialects import postgresql")
            return "postgresql.JSONB()"
        return False

    code = render_python_code(
        ops.UpgradeOps(operations), render_as_batch=batch, render_item=render_item
    )
    for context in contexts:
        imports.update(context.imports)
    kept = "\n".join(line for line in code.splitlines() if line.strip() and "###" not in line)
    return textwrap.indent(f"# {title}\n{textwrap.dedent(kept)}", "    "), tuple(sorted(imports))


@renderers.dispatch_for(ops.RenameTableOp)
def _rename_table(autogen_context: AutogenContext, op: ops.RenameTableOp) -> str:
    """Alembic renders no table rename (its autogenerate never finds one); storied's renames do."""
    schema = f", schema={op.schema!r}" if op.schema else ""
    return f"op.rename_table({op.table_name!r}, {op.new_table_name!r}{schema})"


def _type_repr(type_: Any) -> str:
    if isinstance(type_, ExactDecimal):
        return f"ExactDecimal({type_.precision}, {type_.scale})"
    if isinstance(type_, EnumValue):
        return f"EnumValue({getattr(type_.impl_instance, 'length', None)})"
    if isinstance(type_, Duration):
        return "Duration()"
    return "UTCDateTime()"
