"""Comparison hooks added to Alembic's autogenerate: the things it leaves out, and its noise.

- CHECK constraints: Alembic compares them by name only. storied names its checks ``ck_…``
  and compares their expressions too, normalized (PostgreSQL rewrites ``x IN (…)`` as
  ``x = ANY (ARRAY[…])`` and adds casts; MariaDB quotes names). Checks the database made on its
  own (MariaDB's ``json_valid`` on JSON columns) are not storied's and are left alone.
- Partial indexes: Alembic does not compare the ``WHERE`` predicate; storied does. Nor the
  index method and operator classes of PostgreSQL (``USING gin``, ``gin_trgm_ops``): storied does.
- Text collation (MySQL/MariaDB): Alembic ignores table options; storied's tables need a binary
  NO PAD collation, and a table created with another one (``utf8mb4_bin`` before) is converted.
- Unbounded decimals: Alembic takes ``NUMERIC`` as matching any ``NUMERIC(p, s)`` (it is less
  specific); storied's unbounded NUMERIC must replace the NUMERIC(18, 6) it made before, which
  rounds.
- Computed columns (the ``live_key`` marker): their expression cannot be altered in place and is
  reformatted by every backend, so it is not compared (Alembic would only warn).
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import ops
from alembic.runtime.plugins import Plugin
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy.types import TypeDecorator

from ..dialects import capabilities, text_collation
from ..dialects.mysql import EXACT_TEXT

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext

PLUGIN = "storied.schema"
#: prefix of the CHECK constraints storied manages (see mapping/table.py)
CHECK_PREFIX = "ck_"

_CAST = re.compile(
    r"::\s*(?:character varying|double precision|time(?:stamp)? with(?:out)? time zone|"
    r"[a-z_]+)(?:\s*\(\d+(?:,\s*\d+)?\))?(?:\[\])?",
    re.IGNORECASE,
)
_ANY_ARRAY = re.compile(r"=\s*any\s*\(\s*\(?\s*array\s*\[(.*?)\]\s*\)?\s*\)", re.IGNORECASE)
_NOISE = re.compile(r"[\s()`\"\[\]]")
#: PostgreSQL writes a negative number as a cast string: '-5'::integer
_QUOTED_NUMBER = re.compile(r"'(-?\d+(?:\.\d+)?)'")


def normalize_sql(text: str) -> str:
    """A crude canonical form of a boolean SQL expression, for equality tests only."""
    s = _CAST.sub("", text.lower())
    s = _ANY_ARRAY.sub(r" in (\1)", s)
    s = _QUOTED_NUMBER.sub(r"\1", s)
    s = s.replace("!=", "<>")
    return _NOISE.sub("", s)


def compile_text(element: Any, dialect: sa.Dialect) -> str:
    if isinstance(element, str):
        return element
    return str(
        element.compile(
            dialect=dialect, compile_kwargs={"literal_binds": True, "include_table": False}
        )
    )


def _computed(
    autogen_context: AutogenContext,
    alter_column_op: ops.AlterColumnOp,
    schema: str | None,
    tname: str,
    cname: str,
    conn_col: sa.Column[Any],
    metadata_col: sa.Column[Any],
) -> PriorityDispatchResult:
    if isinstance(metadata_col.server_default, sa.Computed) or isinstance(
        conn_col.server_default, sa.Computed
    ):
        return PriorityDispatchResult.STOP
    return PriorityDispatchResult.CONTINUE


def _unbounded_numeric(
    autogen_context: AutogenContext,
    alter_column_op: ops.AlterColumnOp,
    schema: str | None,
    tname: str,
    cname: str,
    conn_col: sa.Column[Any],
    metadata_col: sa.Column[Any],
) -> PriorityDispatchResult:
    dialect = autogen_context.dialect
    wanted = metadata_col.type.dialect_impl(dialect)
    while isinstance(wanted, TypeDecorator):
        wanted = wanted.load_dialect_impl(dialect)
    found = conn_col.type

    if (
        isinstance(wanted, sa.Numeric)
        and isinstance(found, sa.Numeric)
        and not isinstance(wanted, sa.Float)
        and not isinstance(found, sa.Float)
        and wanted.precision is None
        and found.precision is not None
    ):
        alter_column_op.existing_type = found
        alter_column_op.modify_type = metadata_col.type
        return PriorityDispatchResult.STOP
    return PriorityDispatchResult.CONTINUE


def _checks(
    autogen_context: AutogenContext,
    modify_table_ops: ops.ModifyTableOps,
    schema: str | None,
    tname: str,
    conn_table: sa.Table | None,
    metadata_table: sa.Table | None,
) -> PriorityDispatchResult:
    if conn_table is None or metadata_table is None:
        return PriorityDispatchResult.CONTINUE
    dialect = autogen_context.dialect
    wanted = {
        str(c.name): c
        for c in metadata_table.constraints
        if isinstance(c, sa.CheckConstraint) and c.name
    }
    found = {
        str(c["name"]): c["sqltext"]
        for c in autogen_context.inspector.get_check_constraints(tname, schema=schema)
        if c.get("name") and str(c["name"]).startswith(CHECK_PREFIX)
    }
    for name in sorted(set(found) - set(wanted)):
        modify_table_ops.ops.append(_drop_check(name, tname, schema, found[name]))
    for name, constraint in sorted(wanted.items()):
        if name in found:
            mine = normalize_sql(compile_text(constraint.sqltext, dialect))
            if mine == normalize_sql(str(found[name])):
                continue
            modify_table_ops.ops.append(_drop_check(name, tname, schema, found[name]))
        modify_table_ops.ops.append(ops.AddConstraintOp.from_constraint(constraint))
    return PriorityDispatchResult.CONTINUE


def _drop_check(name: str, table: str, schema: str | None, sqltext: Any) -> ops.DropConstraintOp:
    """Dropping a reflected CHECK, made from the constraint so that it can be reversed."""
    check = sa.CheckConstraint(sa.text(str(sqltext)), name=name)
    sa.Table(table, sa.MetaData(), check, schema=schema)
    return ops.DropConstraintOp.from_constraint(check)


def _where(options: Any, dialect: str) -> str | None:
    predicate = options.get(f"{dialect}_where")
    return None if predicate is None else normalize_sql(str(predicate))


def _method(options: Any, dialect: sa.Dialect) -> tuple[str, dict[str, str]] | None:
    """An index's method and operator classes, where indexes have them (PostgreSQL)."""
    if not capabilities(dialect).index_methods:
        return None
    return (
        options.get("postgresql_using") or "btree",
        dict(options.get("postgresql_ops") or {}),
    )


def _partial_indexes(
    autogen_context: AutogenContext,
    modify_table_ops: ops.ModifyTableOps,
    schema: str | None,
    tname: str,
    conn_table: sa.Table | None,
    metadata_table: sa.Table | None,
) -> PriorityDispatchResult:
    if conn_table is None or metadata_table is None:
        return PriorityDispatchResult.CONTINUE
    dialect = autogen_context.dialect
    touched = {
        op.index_name
        for op in modify_table_ops.ops
        if isinstance(op, ops.CreateIndexOp | ops.DropIndexOp)
    }
    reflected = {i["name"]: i for i in autogen_context.inspector.get_indexes(tname, schema=schema)}
    for index in sorted(metadata_table.indexes, key=lambda i: str(i.name)):
        name = str(index.name)
        if name in touched or name not in reflected:
            continue
        mine = index.dialect_kwargs.get(f"{dialect.name}_where")
        theirs = _where(reflected[name].get("dialect_options", {}), dialect.name)
        mine_text = None if mine is None else normalize_sql(compile_text(mine, dialect))
        options = reflected[name].get("dialect_options", {})
        if mine_text != theirs or _method(index.dialect_kwargs, dialect) != _method(
            options, dialect
        ):
            modify_table_ops.ops.append(ops.DropIndexOp(name, table_name=tname, schema=schema))
            modify_table_ops.ops.append(ops.CreateIndexOp.from_index(index))
    return PriorityDispatchResult.CONTINUE


class ConvertCollation(ops.ExecuteSQLOp):
    """``ALTER TABLE … CONVERT TO``: the table's default and its text columns' collation."""

    def __init__(
        self, table_name: str, schema: str | None, old: str, new: str, quoted: str
    ) -> None:
        super().__init__(f"ALTER TABLE {quoted} CONVERT TO CHARACTER SET utf8mb4 COLLATE {new}")
        self.table_name = table_name
        self.schema = schema
        self.quoted = quoted
        self.old, self.new = old, new
        self.detail = f"text collation {old} → {new}"

    @classmethod
    def of(
        cls, table_name: str, schema: str | None, old: str, new: str, dialect: sa.Dialect
    ) -> ConvertCollation:
        quoted = dialect.identifier_preparer.format_table(sa.table(table_name, schema=schema))
        return cls(table_name, schema, old, new, quoted)

    def renamed(self, table_name: str, dialect: sa.Dialect) -> ConvertCollation:
        return ConvertCollation.of(table_name, self.schema, self.old, self.new, dialect)

    def reverse(self) -> ConvertCollation:
        return ConvertCollation(self.table_name, self.schema, self.new, self.old, self.quoted)


def _collation(
    autogen_context: AutogenContext,
    modify_table_ops: ops.ModifyTableOps,
    schema: str | None,
    tname: str,
    conn_table: sa.Table | None,
    metadata_table: sa.Table | None,
) -> PriorityDispatchResult:
    if conn_table is None or metadata_table is None:
        return PriorityDispatchResult.CONTINUE
    dialect = autogen_context.dialect
    wanted = text_collation(dialect)
    if wanted is None or metadata_table.kwargs.get("mysql_collate") != EXACT_TEXT:
        return PriorityDispatchResult.CONTINUE  # not a table whose text storied compares
    current = conn_table.kwargs.get(f"{dialect.name}_collate")  # reflected table options
    if current is not None and current != wanted:
        change = ConvertCollation.of(tname, schema, str(current), wanted, dialect)
        modify_table_ops.ops.append(change)
    return PriorityDispatchResult.CONTINUE


def setup(plugin: Plugin) -> None:
    # dialect-qualified so it runs before Alembic's own server-default comparators
    for qualifier in ("sqlite", "postgresql", "mysql", "mariadb", "mssql"):
        plugin.add_autogenerate_comparator(
            _computed,
            "column",
            "server_default",
            qualifier=qualifier,
            priority=DispatchPriority.FIRST,
        )
        plugin.add_autogenerate_comparator(
            _unbounded_numeric,
            "column",
            "types",
            qualifier=qualifier,
            priority=DispatchPriority.FIRST,
        )
    plugin.add_autogenerate_comparator(_checks, "table", "storied_checks")
    plugin.add_autogenerate_comparator(_collation, "table", "storied_collation")
    plugin.add_autogenerate_comparator(
        _partial_indexes, "table", "storied_partial_indexes", priority=DispatchPriority.LAST
    )


def _register() -> None:
    with contextlib.suppress(ValueError):  # already registered (module reloaded)
        Plugin.setup_plugin_from_module(sys.modules[__name__], PLUGIN)


_register()
