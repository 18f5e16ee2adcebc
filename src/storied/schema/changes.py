"""Alembic operations → :class:`Work`: what each change does, in words, and whether it is safe.

Destructive changes can lose data (drop a table or column, narrow a type, fill the NULLs of a
column made NOT NULL). Removals lose none but take away what the models no longer declare (an
index not replaced by another). Both need ``allow_destructive``. Blocked ones cannot be applied
at all as the models stand (a NOT NULL column without a default on a table that has rows): the
plan says so and apply refuses before touching anything. See :mod:`.plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from alembic.operations import ops

from .._compat import copy_column
from ..dialects import capabilities
from .diff import Diff, Target
from .literals import show
from .typing_rules import effective as effective
from .typing_rules import type_text
from .typing_rules import widens as widens
from .work import (
    ADD_COLUMN,
    ADD_FOREIGN_KEY,
    ADD_KEY,
    ALTER,
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_COLUMN,
    DROP_INDEX,
    DROP_TABLE,
    RENAME,
)
from .work import Work as Work

Counter = Callable[[str, str | None], int]


def classify(
    diff: Diff, target: Target, dialect: sa.Dialect, count: Counter, alter_in_place: bool
) -> list[Work]:
    """Turn the diff into changes; ``count(table, null_column)`` counts rows (current names)."""
    created = {op.table_name for op in diff.ops if isinstance(op, ops.CreateTableOp)}
    made: dict[tuple[str, tuple[str, ...]], str | None] = {
        (op.table_name, tuple(_index_columns(op))): op.index_name
        for op in diff.ops
        if isinstance(op, ops.CreateIndexOp)
    }
    # MySQL reflects a unique constraint as a unique index: a renamed one is dropped as an index
    for op in diff.ops:
        if isinstance(op, ops.CreateUniqueConstraintOp):
            made[(op.table_name, tuple(str(c) for c in op.columns))] = _str(op.constraint_name)
    out: list[Work] = []
    for op in diff.ops:
        for change in _classify(op, diff, target, dialect, count, created, made):
            rebuild = not alter_in_place and change.table not in created and _needs_rebuild(change)
            out.append(_replace(change, rebuild=True) if rebuild else change)
    return out


def _classify(
    op: ops.MigrateOperation,
    diff: Diff,
    target: Target,
    dialect: sa.Dialect,
    count: Counter,
    created: set[str],
    made: dict[tuple[str, tuple[str, ...]], str | None],
) -> list[Work]:
    if isinstance(op, ops.AddColumnOp):
        return _add_column(op, diff, target, dialect, count, created)
    return [_classify_one(op, diff, target, dialect, count, made)]


def _classify_one(
    op: ops.MigrateOperation,
    diff: Diff,
    target: Target,
    dialect: sa.Dialect,
    count: Counter,
    made: dict[tuple[str, tuple[str, ...]], str | None],
) -> Work:
    if isinstance(op, ops.RenameTableOp):
        return Work("rename table", op.table_name, None, f"→ {op.new_table_name}", (op,), RENAME)
    if isinstance(op, ops.CreateTableOp):
        return Work("create table", op.table_name, None, "", (op,), CREATE_TABLE)
    if isinstance(op, ops.DropTableOp):
        return Work(
            "drop table", op.table_name, None, "", (op,), DROP_TABLE,
            destructive="drops the table and all its rows",
        )  # fmt: skip
    if isinstance(op, ops.DropColumnOp):
        return Work(
            "drop column", op.table_name, op.column_name, "", (op,), DROP_COLUMN,
            destructive="drops the column and its data",
        )  # fmt: skip
    if isinstance(op, ops.AlterColumnOp):
        if op.modify_name is not None:
            return Work(
                "rename column", op.table_name, op.column_name, f"→ {op.modify_name}", (op,), RENAME
            )
        return _alter_column(op, diff, target, dialect, count)
    if isinstance(op, ops.CreateIndexOp):
        kind = "unique index" if op.unique else "index"
        cols = ", ".join(_index_columns(op))
        return Work(
            f"create {kind}", op.table_name, op.index_name, f"({cols})", (op,), CREATE_INDEX
        )
    if isinstance(op, ops.DropIndexOp):
        table = str(op.table_name)
        columns = tuple(diff.renames.new_column(table, c.name) for c in op.to_index().columns)
        replaced = (table, columns) in made or any(name == op.index_name for name in made.values())
        return Work(
            "drop index", str(op.table_name), op.index_name, "replaced" if replaced else "",
            (op,), DROP_INDEX,
            removes=None if replaced else "the index, and any uniqueness it enforces",
        )  # fmt: skip
    if isinstance(op, ops.AddConstraintOp):
        table = str(getattr(op, "table_name", None) or getattr(op, "source_table", ""))
        kind = op.constraint_type.replace("foreignkey", "foreign key")
        name = getattr(op, "constraint_name", None)
        phase = CREATE_INDEX
        if isinstance(op, ops.CreateForeignKeyOp):
            phase = ADD_FOREIGN_KEY
        elif isinstance(op, ops.CreateUniqueConstraintOp) and not _adds_any(diff, op):
            phase = ADD_KEY
        return Work(f"add {kind}", table, _str(name), "", (op,), phase)
    if isinstance(op, ops.DropConstraintOp):
        kind = (op.constraint_type or "constraint").replace("foreignkey", "foreign key")
        steps = (op, *_left_behind(op, diff, target, dialect))
        return Work(f"drop {kind}", op.table_name, _str(op.constraint_name), "", steps, DROP_INDEX)
    name = getattr(op, "detail", None) or type(op).__name__
    return Work("alter table", getattr(op, "table_name", ""), None, name, (op,), ALTER)


def _left_behind(
    op: ops.DropConstraintOp, diff: Diff, target: Target, dialect: sa.Dialect
) -> list[ops.MigrateOperation]:
    """The index a dropped foreign key leaves behind where the backend made one for it."""
    if op.constraint_type != "foreignkey" or not capabilities(dialect).foreign_key_index:
        return []
    wanted = {str(i.name) for t in target.tables if t.name == op.table_name for i in t.indexes}
    found = {
        str(i["name"])
        for i in diff.inspector.get_indexes(diff.renames.old_table(op.table_name), schema=op.schema)
        if not i.get("unique")
    }
    name = _str(op.constraint_name)
    if name is None or name not in found or name in wanted:
        return []
    return [ops.DropIndexOp(name, table_name=op.table_name, schema=op.schema)]


def _adds_any(diff: Diff, op: ops.CreateUniqueConstraintOp) -> bool:
    """Whether the plan adds one of the constraint's columns (it must then wait for them)."""
    added = {
        (add.table_name, add.column.name) for add in diff.ops if isinstance(add, ops.AddColumnOp)
    }
    return any((op.table_name, str(c)) in added for c in op.columns)


def _add_column(
    op: ops.AddColumnOp,
    diff: Diff,
    target: Target,
    dialect: sa.Dialect,
    count: Counter,
    created: set[str],
) -> list[Work]:
    column = op.column
    detail = f"{type_text(column.type, dialect)}{'' if column.nullable else ' NOT NULL'}"
    base = Work("add column", op.table_name, column.name, detail, (op,), ADD_COLUMN)
    if column.nullable or column.server_default is not None or op.table_name in created:
        return [base]
    rows = count(diff.renames.old_table(op.table_name), None)
    if rows == 0:
        return [base]
    key = (op.table_name, column.name)
    if key not in target.defaults:
        blocked = (
            f"the table has {rows} row(s) and the field has no default; give it a default "
            "(Field(default=...) or server_default=...) or make it optional"
        )
        return [_replace(base, blocked=blocked)]
    value = target.defaults[key]
    nullable = copy_column(column)
    nullable.nullable = True
    fill = (
        ops.AddColumnOp(op.table_name, nullable, schema=op.schema),
        _backfill(op.table_name, column, value, dialect),
    )
    tighten = ops.AlterColumnOp(
        op.table_name, column.name, schema=op.schema,
        existing_type=column.type, existing_nullable=True, modify_nullable=False,
    )  # fmt: skip
    return [
        _replace(base, detail=f"{detail}, {rows} existing row(s) set to {show(value)}", ops=fill),
        Work("alter column", op.table_name, column.name, "NOT NULL", (tighten,), ALTER),
    ]


def _alter_column(
    op: ops.AlterColumnOp, diff: Diff, target: Target, dialect: sa.Dialect, count: Counter
) -> Work:
    parts: list[str] = []
    destructive: list[str] = []
    blocked: str | None = None
    steps: list[ops.MigrateOperation] = [op]
    if op.modify_type is not None:
        old, new = type_text(op.existing_type, dialect), type_text(op.modify_type, dialect)
        parts.append(f"type {old} → {new}")
        if not widens(op.existing_type, op.modify_type, dialect):
            destructive.append(f"{old} → {new} may not hold every stored value")
            op.kw.setdefault("postgresql_using", f"{op.column_name}::{new}")
    if op.modify_nullable is not None:
        parts.append("NOT NULL" if op.modify_nullable is False else "nullable")
        if op.modify_nullable is False:
            nulls = count(
                diff.renames.old_table(op.table_name),
                diff.renames.old_column(op.table_name, op.column_name),
            )
            key = (op.table_name, op.column_name)
            if nulls and key in target.defaults:
                value = target.defaults[key]
                destructive.append(f"{nulls} row(s) hold NULL and will be set to {show(value)}")
                column = sa.Column(op.column_name, op.modify_type or op.existing_type)
                steps.insert(0, _backfill(op.table_name, column, value, dialect))
            elif nulls:
                blocked = f"{nulls} row(s) hold NULL and the field has no default to fill them with"
    if op.modify_server_default is not False:
        if isinstance(op.modify_server_default, sa.DefaultClause):
            op.modify_server_default = op.modify_server_default.arg  # what batch mode takes
        default = op.modify_server_default
        text = "none" if default is None else _default_text(default, dialect)
        parts.append(f"server default {text}")
    return Work(
        "alter column", op.table_name, op.column_name, ", ".join(parts), tuple(steps), ALTER,
        destructive="; ".join(destructive) or None, blocked=blocked,
    )  # fmt: skip


def _backfill(
    table: str, column: sa.Column[Any], value: Any, dialect: sa.Dialect
) -> ops.ExecuteSQLOp:
    col = sa.column(column.name, column.type)
    stmt = sa.update(sa.table(table, col)).values({col: sa.literal(value, column.type)})
    stmt = stmt.where(col.is_(None))
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return ops.ExecuteSQLOp(sql)


def _default_text(default: Any, dialect: sa.Dialect) -> str:
    arg = getattr(default, "arg", default)
    return arg if isinstance(arg, str) else str(getattr(arg, "text", arg))


def native(change: Work) -> bool:
    """Changes even SQLite makes with ALTER TABLE (others need the table rebuilt there)."""
    if change.action in ("rename table", "rename column", "create table", "drop table"):
        return True
    if change.action == "add column":
        added = change.ops[0]
        assert isinstance(added, ops.AddColumnOp)
        return added.column.nullable is not False and added.column.server_default is None
    return False


def _needs_rebuild(change: Work) -> bool:
    return not native(change) and not change.action.startswith(("create", "drop index"))


def _replace(change: Work, **kw: Any) -> Work:
    return replace(change, **kw)


def _str(name: Any) -> str | None:
    return None if name is None else str(name)


def _index_columns(op: ops.CreateIndexOp) -> list[str]:
    return [c if isinstance(c, str) else str(getattr(c, "name", c)) for c in op.columns]
