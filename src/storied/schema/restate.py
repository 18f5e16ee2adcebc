"""A table restated under other names: the same columns, keys, indexes and constraints, with
some tables and columns called differently.

Schema sync compares the models with the database *under the database's current names*
(a model renamed from ``sales`` is compared as ``sales``), so Alembic's own comparison sees a
renamed table or column as the existing one; and a reflected table is restated under the new
names for SQLite's table rebuilds, which run after the renames. Only names change: the types,
defaults, object names (indexes, constraints) and SQL text (CHECK expressions, partial-index
predicates, computed columns) stay as they are, as a rename leaves them in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.visitors import ExternallyTraversible, replacement_traverse

from .._compat import copy_column
from .comparators import compile_text


@dataclass(frozen=True)
class Names:
    """Table and column names to restate: ``tables`` old → new, ``columns`` per (old) table."""

    tables: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables or any(self.columns.values()))

    def table(self, name: str) -> str:
        return self.tables.get(name, name)

    def column(self, table: str, name: str) -> str:
        return self.columns.get(table, {}).get(name, name)

    def reverse(self) -> Names:
        return Names(
            {new: old for old, new in self.tables.items()},
            {
                self.table(table): {new: old for old, new in cols.items()}
                for table, cols in self.columns.items()
            },
        )


def restate(table: sa.Table, metadata: sa.MetaData, names: Names, dialect: sa.Dialect) -> sa.Table:
    """``table`` copied into ``metadata`` with ``names`` applied."""
    columns: dict[str, sa.Column[Any]] = {}
    for column in table.c:
        copied = copy_column(column)
        copied.name = names.column(table.name, column.name)
        if column.key == column.name:  # a key of its own (a model field's name) stays
            copied.key = copied.name
        columns[column.key] = copied

    def swap(element: Any, **kw: Any) -> Any:
        if isinstance(element, sa.Column) and element.table is table:
            return columns[element.key]
        return None

    def adapt(value: Any) -> Any:
        if not isinstance(value, ExternallyTraversible):
            return value
        return replacement_traverse(value, {}, swap)

    items: list[Any] = []
    for constraint in table.constraints:
        if isinstance(constraint, sa.PrimaryKeyConstraint):
            continue  # the copied columns keep primary_key=True
        if isinstance(constraint, sa.UniqueConstraint):
            keys = [columns[c.key] for c in constraint.columns]
            items.append(sa.UniqueConstraint(*keys, name=constraint.name, **constraint.kwargs))
        elif isinstance(constraint, sa.CheckConstraint):
            # SQL text stays as written: a rename does not rewrite it everywhere
            text = sa.text(compile_text(constraint.sqltext, dialect))
            items.append(sa.CheckConstraint(text, name=constraint.name, **constraint.kwargs))
        elif isinstance(constraint, sa.ForeignKeyConstraint):
            items.append(_foreign_key(constraint, columns, names))
    for index in table.indexes:
        expressions = [adapt(e) for e in index.expressions]
        kwargs = {k: adapt(v) for k, v in index.kwargs.items()}
        items.append(sa.Index(index.name, *expressions, unique=index.unique, **kwargs))
    return sa.Table(
        names.table(table.name),
        metadata,
        *columns.values(),
        *items,
        schema=table.schema,
        comment=table.comment,
        **table.kwargs,
    )


def _foreign_key(
    constraint: sa.ForeignKeyConstraint, columns: Mapping[str, sa.Column[Any]], names: Names
) -> sa.ForeignKeyConstraint:
    local = [columns[c.key] for c in constraint.columns]
    remote = []
    for element in constraint.elements:
        target, _, column = element.target_fullname.rpartition(".")
        schema, _, table = target.rpartition(".")
        renamed = names.table(table)
        remote.append(".".join(p for p in (schema, renamed, names.column(table, column)) if p))
    return sa.ForeignKeyConstraint(
        local,
        remote,
        name=constraint.name,
        ondelete=constraint.ondelete,
        onupdate=constraint.onupdate,
        deferrable=constraint.deferrable,
        initially=constraint.initially,
        match=constraint.match,
        **constraint.kwargs,
    )
