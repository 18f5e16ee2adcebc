"""The planner: compare, classify, order and render, into a :class:`~.plan.Plan` of plain data.

Each step's SQL is rendered here, offline for the connection's dialect, and so is the Alembic
code of its operations; the plan keeps the text, not the operations, so what it prints, what
it writes as JSON and what apply runs are one and the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic.operations.ops import AddColumnOp

from .._compat import copy_column
from ..dialects import capabilities
from ..dialects.row_security import refused
from ..errors import ConfigurationError
from ..mapping.table import check_partial_indexes
from . import changes as ch
from .diff import Target, compare, count_rows
from .partitions import partition_work
from .plan import Plan, Step
from .primary_keys import primary_key_work
from .render import render, render_rebuild
from .revision import step_code
from .row_security import row_security_work
from .work import ALTER


def make_plan(connection: sa.Connection, target: Target, *, safe_only: bool = False) -> Plan:
    """The plan for ``target`` on this connection (only its safe changes, with ``safe_only``)."""
    full, safe = make_plans(connection, target)
    return safe if safe_only else full


def make_plans(connection: sa.Connection, target: Target) -> tuple[Plan, Plan]:
    """The whole plan and the plan of its safe changes only, from one comparison."""
    dialect = connection.dialect
    check_partial_indexes(target.tables, dialect)
    in_place = capabilities(dialect).alter_in_place
    diff = compare(connection, target)

    def count(table: str, null_column: str | None) -> int:
        return count_rows(connection, table, null_column)

    found = ch.classify(diff, target, dialect, count, in_place)
    found += primary_key_work(diff, target)
    if target.row_security:
        if not capabilities(dialect).row_security:
            raise ConfigurationError(refused(dialect.name))
        found += row_security_work(connection, target)
    found += partition_work(connection, target.tables, target.moment)
    reflected: dict[str, sa.Table] = {}

    def reflect(table: str) -> sa.Table:
        if table not in reflected:
            reflected[table] = diff.reflect(table)
        return reflected[table]

    if in_place is False:
        for table in {w.table for w in found if w.rebuild}:
            reflect(table)  # now, while the connection is ours
    tables = tuple(sorted(target.names))
    full = Plan(build_steps(found, dialect, reflect), dialect.name, tables, target.prune)
    if all(w.safe for w in found):
        return full, Plan(full.steps, dialect.name, tables, target.prune, safe_only=True)
    steps = build_steps([w for w in found if w.safe], dialect, reflect)
    return full, Plan(steps, dialect.name, tables, target.prune, safe_only=True)


def build_steps(
    selected: Sequence[ch.Work], dialect: sa.Dialect, reflect: Callable[[str], sa.Table]
) -> tuple[Step, ...]:
    """Order changes by phase and render them; group rebuilt tables' changes into one step."""
    ordered = sorted(selected, key=lambda w: w.phase)
    rebuilt = {w.table for w in ordered if w.rebuild}
    placed: list[tuple[int, Step]] = []
    groups: dict[str, list[ch.Work]] = {}
    for work in ordered:
        if work.table in rebuilt and not ch.native(work):
            groups.setdefault(work.table, []).append(work)
            continue
        placed.append((work.phase, _step([work], render(dialect, work.ops))))
    for table, members in groups.items():
        operations = [op for w in members for op in w.ops]
        added = [w for w in ordered if w.table == table and w.action == "add column"]
        source = _with_added(reflect(table), [w for w in added if ch.native(w)])
        sql = render_rebuild(dialect, source, operations)
        placed.append((ALTER, _step(members, sql, rebuilds=table)))
    placed.sort(key=lambda item: item[0])
    return tuple(step for _, step in placed)


def _step(members: Sequence[ch.Work], sql: Sequence[str], rebuilds: str | None = None) -> Step:
    changes = tuple(w.change for w in members)
    bare = Step(changes, tuple(sql), rebuilds)
    title = bare.describe().splitlines()[0]
    code, imports = step_code(title, [op for w in members for op in w.ops], rebuilds)
    return Step(changes, tuple(sql), rebuilds, code, imports)


def _with_added(table: sa.Table, added: Sequence[ch.Work]) -> sa.Table:
    """The reflected table plus the columns added (natively) before it is rebuilt."""
    if not added:
        return table
    copy = table.to_metadata(sa.MetaData())
    for work in added:
        op = work.ops[0]
        assert isinstance(op, AddColumnOp)
        copy.append_column(copy_column(op.column))
    return copy
