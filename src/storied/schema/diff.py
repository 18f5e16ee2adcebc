"""Compare the models' tables with the live database: Alembic's autogenerate, configured.

``alembic.autogenerate.produce_migrations`` compares; when ``renamed_from`` declarations are
still to be applied (see :mod:`.renames`), the models are compared *restated under the
database's current names* (:mod:`.restate`), so Alembic sees a renamed table or column as the
existing one and plans only what else differs, and a rewrite pass (:mod:`.rewrite`) turns the
operations back to the models' names and puts the renames first. The result is a flat list of
Alembic operation objects in the models' names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import produce_migrations
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine.reflection import Inspector

from ..mapping.partitions import is_partition_name, partitioned
from . import comparators, renames, rewrite
from .restate import restate

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
    #: tenant-scoped tables that Row-Level Security holds to the session's tenant scope, each
    #: with its tenant column (empty unless ``row_level_security`` is on)
    row_security: tuple[tuple[sa.Table, sa.Column[Any]], ...] = ()
    #: the moment partitioned history tables are planned for (None: the system clock)
    now: dt.datetime | None = None

    @property
    def moment(self) -> dt.datetime:
        return self.now if self.now is not None else dt.datetime.now(dt.UTC)

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
        reflected = sa.Table(self.renames.old_table(table), sa.MetaData())
        self.inspector.reflect_table(reflected, None, resolve_fks=False)
        to_new = self.renames.to_old().reverse()
        if not to_new:
            return reflected
        return restate(reflected, sa.MetaData(), to_new, self.inspector.dialect)


def compare(connection: sa.Connection, target: Target) -> Diff:
    inspector = sa.inspect(connection)
    found = renames.find(inspector, target.declared)
    to_old = found.to_old()
    metadata = target.metadata
    if to_old:  # compare the models as the database names them today
        metadata = sa.MetaData()
        for table in target.metadata.tables.values():
            restate(table, metadata, to_old, connection.dialect)
    names = frozenset(to_old.table(name) for name in target.names)
    parents = [t.name for t in target.tables if partitioned(t) is not None]

    def include_name(name: str | None, type_: str, parents_: dict[str, Any]) -> bool:
        if type_ == "table":
            if name is not None and any(is_partition_name(p, name) for p in parents):
                return False  # a partition of a partitioned history table
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
    script = produce_migrations(context, metadata)
    assert script.upgrade_ops is not None
    flat: list[ops.MigrateOperation] = []
    for op in script.upgrade_ops.ops:
        flat += op.ops if isinstance(op, ops.ModifyTableOps) else [op]
    if found:
        flat = rewrite.with_renames(flat, found, inspector, target.metadata, connection.dialect)
    existing = frozenset(found.new_table(t) for t in inspector.get_table_names())
    return Diff(flat, found, inspector, existing)


def count_rows(connection: sa.Connection, table: str, null_column: str | None = None) -> int:
    """Rows of ``table`` (only those where ``null_column`` IS NULL, when given)."""
    stmt = sa.select(sa.func.count()).select_from(sa.table(table))
    if null_column is not None:
        stmt = stmt.where(sa.column(null_column).is_(None))
    return int(connection.execute(stmt).scalar_one())
