"""Renames declared on models (``renamed_from``), matched against the live database.

A rename is planned when the new name is missing from the database and the old one is there;
once applied, the old name is gone and the declaration is inert, so plans stay idempotent.
The comparison then sees the renamed table or column as the existing one (see :mod:`.diff`)
and plans a rename and only what else differs: no drop-and-add, no data lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

from .restate import Names


@dataclass(frozen=True)
class Declared:
    """What the models say used to be called what: new name → old name."""

    tables: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Renames:
    """Renames to apply: tables (new → old) and columns per table (new table name → new → old)."""

    tables: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables or any(self.columns.values()))

    def old_table(self, table: str) -> str:
        """The name the table has in the database now."""
        return self.tables.get(table, table)

    def old_column(self, table: str, column: str) -> str:
        return self.columns.get(table, {}).get(column, column)

    def new_table(self, old: str) -> str:
        return next((new for new, was in self.tables.items() if was == old), old)

    def new_column(self, table: str, old: str) -> str:
        return next((new for new, was in self.columns.get(table, {}).items() if was == old), old)

    def to_old(self) -> Names:
        """The names that restate the models as the database names them before the renames."""
        return Names(self.tables, self.columns)


def declared(models: Iterable[Any], tables: Iterable[sa.Table]) -> Declared:
    """Collect ``renamed_from`` of the models (``MappedModel`` objects) over all their tables.

    History tables follow their model: ``orders_audit`` was ``sales_audit`` when ``orders`` was
    ``sales``; a renamed field is renamed in every table of the model that has its column.
    """
    wanted = {t.name: t for t in tables}
    out = Declared()
    for mapped in models:
        spec = mapped.spec
        own = [mapped.table, *mapped.extra_tables]
        old_main = spec.options.renamed_from
        for table in own:
            if table.name not in wanted:
                continue
            if old_main and table.name.startswith(mapped.table.name):
                out.tables[table.name] = old_main + table.name[len(mapped.table.name) :]
            for f in spec.fields.values():
                old = f.column_info.renamed_from
                if old and f.column in table.c and old not in table.c:
                    out.columns.setdefault(table.name, {})[f.column] = old
    return out


def find(inspector: Inspector, decl: Declared, schema: str | None = None) -> Renames:
    """The declared renames that the database still needs."""
    existing = set(inspector.get_table_names(schema=schema))
    tables = {
        new: old for new, old in decl.tables.items() if new not in existing and old in existing
    }
    columns: dict[str, dict[str, str]] = {}
    for table, declared_columns in decl.columns.items():
        current = tables.get(table, table)
        if current not in existing:
            continue
        names = {c["name"] for c in inspector.get_columns(current, schema=schema)}
        found = {
            new: old for new, old in declared_columns.items() if new not in names and old in names
        }
        if found:
            columns[table] = found
    return Renames(tables, columns)
