"""Alembic operations → the SQL statements they emit, rendered offline for one dialect.

Apply runs exactly these strings, so the SQL a plan prints is the SQL that runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations, ops

from .._compat import copy_column, named_paramstyle


class _Statements:
    """Alembic's offline output buffer: each write is one statement."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def write(self, text: str) -> None:
        statement = text.strip()
        if statement.endswith(";"):
            statement = statement[:-1].rstrip()
        if statement:
            self.items.append(statement)

    def flush(self) -> None:
        pass


def plain_dialect(dialect: sa.Dialect) -> sa.Dialect:
    """A copy of the live dialect that renders ``%`` as itself.

    Drivers with a ``format`` paramstyle have SQLAlchemy double every ``%`` in SQL text, to
    be undone by the driver when it binds parameters; the rendered statements run without
    parameters, so they must not be doubled.
    """
    if dialect.paramstyle not in ("format", "pyformat"):
        return dialect
    return named_paramstyle(dialect)


def _operations(dialect: sa.Dialect, out: _Statements) -> Operations:
    context = MigrationContext.configure(
        dialect=dialect, opts={"as_sql": True, "output_buffer": out}
    )
    return Operations(context)


def render(dialect: sa.Dialect, operations: Sequence[ops.MigrateOperation]) -> list[str]:
    """SQL of operations run one after the other, with ALTER TABLE where it exists."""
    out = _Statements()
    runner = _operations(plain_dialect(dialect), out)
    for op in operations:
        runner.invoke(op)
    return out.items


def render_rebuild(
    dialect: sa.Dialect, table: sa.Table, operations: Sequence[ops.MigrateOperation]
) -> list[str]:
    """SQL that rebuilds ``table`` (as reflected) with the operations applied: Alembic batch.

    Backfilling UPDATEs run first, against the old table. Computed columns are taken out of the
    copied table and added back, as the batch copy would otherwise try to INSERT into them.
    """
    out = _Statements()
    runner = _operations(plain_dialect(dialect), out)
    for op in operations:
        if isinstance(op, ops.ExecuteSQLOp):
            runner.invoke(op)
    source, readd = _without_computed(table, operations)
    with runner.batch_alter_table(table.name, copy_from=source, recreate="always") as batch:
        for op in [*readd, *operations]:
            if not isinstance(op, ops.ExecuteSQLOp):
                batch.invoke(op)
    return _indexes_in_order(out.items)


def _indexes_in_order(statements: list[str]) -> list[str]:
    """Sort each run of CREATE INDEX statements, and the named constraints of each CREATE
    TABLE: the batch copies the table's indexes and constraints in set order, which differs
    from one plan to the next, and apply compares a plan's SQL with a fresh one's. Neither
    order means anything to the database."""
    out: list[str] = []
    run: list[str] = []
    for statement in [*map(_constraints_in_order, statements), ""]:
        if statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
            run.append(statement)
            continue
        out += sorted(run)
        run = []
        if statement:
            out.append(statement)
    return out


def _without_computed(
    table: sa.Table, operations: Sequence[ops.MigrateOperation]
) -> tuple[sa.Table, list[ops.MigrateOperation]]:
    """Drop and re-add computed columns in the batch so the copy leaves them to the database."""
    dropped = {op.column_name for op in operations if isinstance(op, ops.DropColumnOp)}
    readd: list[ops.MigrateOperation] = []
    for column in table.c:
        if isinstance(column.server_default, sa.Computed) and column.name not in dropped:
            readd.append(ops.DropColumnOp(table.name, column.name))
            readd.append(ops.AddColumnOp(table.name, copy_column(column)))
    return table, readd


#: how SQLAlchemy separates the elements of a CREATE TABLE
_ELEMENT = ", \n"


def _constraints_in_order(statement: str) -> str:
    if not statement.startswith("CREATE TABLE") or not statement.endswith("\n)"):
        return statement
    head, _, body = statement[:-2].partition("(\n")
    elements = body.split(_ELEMENT)
    named = [e for e in elements if e.lstrip().startswith("CONSTRAINT ")]
    if not named or elements[-len(named) :] != named:
        return statement  # not the layout SQLAlchemy writes: leave it alone
    kept = elements[: -len(named)] + sorted(named)
    return f"{head}(\n{_ELEMENT.join(kept)}\n)"
