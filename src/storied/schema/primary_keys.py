"""Primary keys that differ between the models and the database: planned, never applied.

Alembic's autogenerate does not compare primary keys, so a database made with one key
layout (say ``id``) and planned with another (``Database(tenant_leading_keys=True)``:
``(tenant_id, id)``) would look up to date, its old keys silently kept. Each existing table's
primary key is reflected here and compared with the model's; a difference is a *blocked*
change ("change primary key"), so plan names it and apply refuses: changing a primary key
rewrites the table and every foreign key to it, which is a migration to write and run on
purpose (``docs/scaling.md``), not a step schema sync takes on its own.
"""

from __future__ import annotations

from ..dialects.ddl import KEYLESS
from .diff import Diff, Target
from .work import ALTER, Work

BLOCKED = (
    "Alembic does not change primary keys, nor does storied: migrate the table by hand "
    "(drop the foreign keys to it, ALTER TABLE … DROP CONSTRAINT … and ADD PRIMARY KEY "
    "(…), recreate the foreign keys), or start from a new database, then plan again"
)


def primary_key_work(diff: Diff, target: Target) -> list[Work]:
    """A blocked change for every existing table whose primary key is not the model's."""
    out: list[Work] = []
    for table in target.tables:
        if table.name not in diff.existing or table.info.get(KEYLESS):
            continue  # a new table gets its key; a keyless one has none in the database
        old = diff.renames.old_table(table.name)
        found = diff.inspector.get_pk_constraint(old, schema=table.schema)
        have = [
            diff.renames.new_column(table.name, c) for c in found.get("constrained_columns") or []
        ]
        wanted = [c.name for c in table.primary_key.columns]
        if have != wanted:
            detail = f"({', '.join(have)}) → ({', '.join(wanted)})"
            out.append(
                Work("change primary key", table.name, None, detail, (), ALTER, blocked=BLOCKED)
            )
    return out
