"""Compare the models' tables with the live database: Alembic's autogenerate, configured.

The result is a flat list of Alembic operation objects, expressed *after* the renames that
``renamed_from`` declares (see :mod:`.renames`), plus the renames themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine.reflection import Inspector

from . import comparators, renames

#: Alembic's own comparisons plus storied's (CHECK expressions, partial-index predicates)
PLUGINS = ["alembic.autogenerate.*", comparators.PLUGIN]


@dataclass(frozen=True)
class Target:
    """What a plan compares: some tables of a MetaData, and what their models declare."""

    metadata: sa.MetaData
    tables: tuple[sa.Table, ...]
    declared: renames.Declared = field(default_factory=renames.Declared)
    #: (table, column) → the model field's static default, used to backfill existing rows
    defaults: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: drop tables of the database that no model maps
    prune: bool = False

    @property
    def names(self) -> frozenset[str]:
        return frozenset(t.name for t in self.tables)


@dataclass
class Diff:
    """Alembic operations that make the database match the models, after ``renames``."""

    ops: list[ops.MigrateOperation]
    renames: renames.Renames
    inspector: Inspector
    existing: frozenset[str]

    def reflect(self, table: str) -> sa.Table:
        """The table as it will be once the renames are done (for SQLite's batch copies)."""
        reflected = sa.Table(table, sa.MetaData())
        self.inspector.reflect_table(reflected, None, resolve_fks=False)
        return reflected


def compare(connection: sa.Connection, target: Target) -> Diff:
    inspector = sa.inspect(connection)
    found = renames.find(inspector, target.declared)
    inspector = renames.renaming_inspector(sa.inspect(connection), found)
    names = target.names

    def include_name(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
        if type_ == "table":
            return name in names or target.prune
        return True

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if type_ == "table":
            return name in names or (reflected and target.prune)
        return True

    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_name": include_name,
            "include_object": include_object,
            "autogenerate_plugins": PLUGINS,
        },
    )
    autogen = AutogenContext(context, target.metadata)
    autogen.inspector = inspector  # the rename-aware view of the database
    upgrade = ops.UpgradeOps([])
    autogen.comparators.dispatch("autogenerate", qualifier=context.dialect.name)(autogen, upgrade)
    flat: list[ops.MigrateOperation] = [*_rename_ops(inspector, found)]
    for op in upgrade.ops:
        flat += op.ops if isinstance(op, ops.ModifyTableOps) else [op]
    existing = frozenset(inspector.get_table_names())
    return Diff(flat, found, inspector, existing)


def _rename_ops(inspector: Inspector, found: renames.Renames) -> Iterable[ops.MigrateOperation]:
    for new, old in sorted(found.tables.items()):
        yield ops.RenameTableOp(old, new)
    for table, columns in sorted(found.columns.items()):
        reflected = {c["name"]: c for c in inspector.get_columns(table)}
        for new, old in sorted(columns.items()):
            col = reflected[new]  # the renaming inspector already reports the new name
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


def count_rows(connection: sa.Connection, table: str, null_column: str | None = None) -> int:
    """Rows of ``table`` (only those where ``null_column`` IS NULL, when given)."""
    stmt = sa.select(sa.func.count()).select_from(sa.table(table))
    if null_column is not None:
        stmt = stmt.where(sa.column(null_column).is_(None))
    return int(connection.execute(stmt).scalar_one())
