"""The rewrite pass: operations compared under the database's current names → the models' names.

:mod:`.diff` compares the models restated under the names the database has before the planned
renames. Each operation Alembic produced is turned back to the new names: the ones that carry
a model object (a table, column, index or constraint to create) are made again from the
model's own object, the others get their table and column names mapped. The renames come
first, so every later operation speaks the new names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic.operations import ops
from sqlalchemy.engine.reflection import Inspector

from .comparators import ConvertCollation
from .renames import Renames


def with_renames(
    produced: Sequence[ops.MigrateOperation],
    found: Renames,
    inspector: Inspector,
    metadata: sa.MetaData,
    dialect: sa.Dialect,
) -> list[ops.MigrateOperation]:
    """The rename operations, then ``produced`` in the models' names."""
    back = _Back(found, metadata, dialect)
    return [*rename_ops(inspector, found), *(back(op) for op in produced)]


def rename_ops(inspector: Inspector, found: Renames) -> Iterator[ops.MigrateOperation]:
    for new, old in sorted(found.tables.items()):
        yield ops.RenameTableOp(old, new)
    for table, columns in sorted(found.columns.items()):
        reflected = {c["name"]: c for c in inspector.get_columns(found.old_table(table))}
        for new, old in sorted(columns.items()):
            col = reflected[old]
            yield ops.AlterColumnOp(
                table,
                old,
                modify_name=new,
                existing_type=col["type"],
                existing_nullable=col["nullable"],
                existing_server_default=_default(col),
                existing_comment=col.get("comment"),
            )


def _default(column: Any) -> Any:
    default = column.get("default")
    return None if default is None else sa.text(str(default))


class _Back:
    """Maps one operation from the database's current names to the models' names."""

    def __init__(self, found: Renames, metadata: sa.MetaData, dialect: sa.Dialect) -> None:
        self.found = found
        self.tables = {t.name: t for t in metadata.tables.values()}
        self.dialect = dialect

    def __call__(self, op: ops.MigrateOperation) -> ops.MigrateOperation:
        if isinstance(op, ops.CreateTableOp):  # a new table: not renamed, but it may refer
            return ops.CreateTableOp.from_table(self.tables[op.table_name])  # to renamed ones
        if isinstance(op, ops.DropTableOp):
            return op  # a table no model maps (prune)
        if isinstance(op, ops.AddColumnOp):
            table = self.found.new_table(op.table_name)
            column = self.tables[table].c[op.column.key]
            return ops.AddColumnOp.from_column_and_tablename(op.schema, table, column)
        if isinstance(op, ops.CreateIndexOp):
            table = self.found.new_table(str(op.table_name))
            index = next(i for i in self.tables[table].indexes if i.name == op.index_name)
            return ops.CreateIndexOp.from_index(index)
        if isinstance(op, ops.AddConstraintOp):
            owner = getattr(op, "table_name", None) or getattr(op, "source_table", "")
            table = self.found.new_table(str(owner))
            name = getattr(op, "constraint_name", None)
            found = next(c for c in self.tables[table].constraints if c.name == name)
            return ops.AddConstraintOp.from_constraint(found)
        if isinstance(op, ConvertCollation):
            return op.renamed(self.found.new_table(op.table_name), self.dialect)
        if isinstance(op, ops.AlterColumnOp):
            op.column_name = self.found.new_column(
                self.found.new_table(op.table_name), op.column_name
            )
        table_name = getattr(op, "table_name", None)
        if isinstance(table_name, str):
            op.table_name = self.found.new_table(table_name)  # type: ignore[attr-defined]
        return op
