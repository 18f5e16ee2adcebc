"""Renames declared on models (``renamed_from``), matched against the live database.

A rename is planned when the new name is missing from the database and the old one is there;
once applied, the old name is gone and the declaration is inert, so plans stay idempotent.

:func:`renaming_inspector` shows the database *as if the renames were done*, so Alembic's
comparison sees the renamed table or column as the existing one and plans only what else
differs: no drop-and-add, no data lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

from .._compat import with_class


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


def declared(models: Iterable[Any], tables: Iterable[sa.Table]) -> Declared:
    """Collect ``renamed_from`` of the models (``Mapped`` objects) over all their tables.

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


def renaming_inspector(inspector: Inspector, renames: Renames) -> Inspector:
    """The same inspector, reporting the database as it will be after ``renames``."""
    if renames:
        inspector = with_class(inspector, _renaming_class(type(inspector)))
        inspector._storied_renames = renames  # type: ignore[attr-defined]
    return inspector


class _Renaming(Inspector):
    """Inspector mixin mapping old names to new on the way out and new to old on the way in."""

    _storied_renames: Renames

    def get_table_names(self, schema: str | None = None, **kw: Any) -> list[str]:
        r = self._storied_renames
        return [r.new_table(name) for name in super().get_table_names(schema, **kw)]

    def _filter(self, names: Iterable[str] | None) -> list[str] | None:
        return None if names is None else [self._storied_renames.old_table(n) for n in names]

    def _out(self, kind: str, found: Mapping[tuple[str | None, str], Any]) -> dict[Any, Any]:
        r = self._storied_renames
        out: dict[Any, Any] = {}
        for (schema, old), value in found.items():
            new = r.new_table(old)
            out[(schema, new)] = _rename_info(kind, value, new, r)
        return out

    def get_multi_columns(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("columns", super().get_multi_columns, kw)

    def get_multi_pk_constraint(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("pk_constraint", super().get_multi_pk_constraint, kw)

    def get_multi_foreign_keys(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("foreign_keys", super().get_multi_foreign_keys, kw)

    def get_multi_indexes(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("indexes", super().get_multi_indexes, kw)

    def get_multi_unique_constraints(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("unique_constraints", super().get_multi_unique_constraints, kw)

    def get_multi_check_constraints(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("check_constraints", super().get_multi_check_constraints, kw)

    def get_multi_table_comment(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("table_comment", super().get_multi_table_comment, kw)

    def get_multi_table_options(self, **kw: Any) -> Any:  # type: ignore[override]
        return self._multi("table_options", super().get_multi_table_options, kw)

    def _multi(self, kind: str, method: Any, kw: dict[str, Any]) -> dict[Any, Any]:
        kw["filter_names"] = self._filter(kw.get("filter_names"))
        return self._out(kind, dict(method(**kw)))

    def _single(self, kind: str, method: Any, table_name: str, schema: str | None, kw: Any) -> Any:
        r = self._storied_renames
        value = method(r.old_table(table_name), schema, **kw)
        return _rename_info(kind, value, table_name, r)

    def get_columns(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        return self._single("columns", super().get_columns, table_name, schema, kw)

    def get_pk_constraint(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        return self._single("pk_constraint", super().get_pk_constraint, table_name, schema, kw)

    def get_foreign_keys(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        return self._single("foreign_keys", super().get_foreign_keys, table_name, schema, kw)

    def get_indexes(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        return self._single("indexes", super().get_indexes, table_name, schema, kw)

    def get_unique_constraints(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        method = super().get_unique_constraints
        return self._single("unique_constraints", method, table_name, schema, kw)

    def get_check_constraints(self, table_name: str, schema: str | None = None, **kw: Any) -> Any:
        method = super().get_check_constraints
        return self._single("check_constraints", method, table_name, schema, kw)


_CLASSES: dict[type[Inspector], type[Inspector]] = {}


def _renaming_class(base: type[Inspector]) -> type[Inspector]:
    if base not in _CLASSES:
        _CLASSES[base] = type(f"Renaming{base.__name__}", (_Renaming, base), {})
    return _CLASSES[base]


def _rename_info(kind: str, value: Any, table: str, r: Renames) -> Any:
    """Rewrite one table's reflection data from old column names to new ones."""
    if kind in ("table_comment", "table_options") or not value:
        return value
    col = r.columns.get(table, {})
    back = {old: new for new, old in col.items()}

    def names(items: Iterable[str | None]) -> list[str | None]:
        return [back.get(n, n) if n is not None else None for n in items]

    if kind == "columns":
        return [{**c, "name": back.get(c["name"], c["name"])} for c in value]
    if kind == "pk_constraint":
        return {**value, "constrained_columns": names(value.get("constrained_columns", []))}
    if kind == "foreign_keys":
        out = []
        for fk in value:
            target = r.new_table(fk["referred_table"])
            target_back = {old: new for new, old in r.columns.get(target, {}).items()}
            out.append(
                {
                    **fk,
                    "constrained_columns": names(fk["constrained_columns"]),
                    "referred_table": target,
                    "referred_columns": [target_back.get(n, n) for n in fk["referred_columns"]],
                }
            )
        return out
    if kind in ("indexes", "unique_constraints"):
        return [{**i, "column_names": names(i["column_names"])} for i in value]
    return value
