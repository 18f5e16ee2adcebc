"""Plan: the ordered steps that make the database match the models, with their exact SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations.ops import AddColumnOp

from .._compat import copy_column
from ..dialects import capabilities
from ..mapping.table import check_partial_indexes
from . import changes as ch
from .diff import Target, compare, count_rows
from .render import render, render_rebuild
from .revision import render_revision

if TYPE_CHECKING:
    from alembic.operations import ops


@dataclass(frozen=True)
class Step:
    """One unit of execution: usually one change; on SQLite, a table rebuild may hold several."""

    changes: tuple[ch.Change, ...]
    sql: tuple[str, ...]
    #: the table this step rebuilds (copy, swap) because the backend cannot ALTER it in place
    rebuilds: str | None = None

    @property
    def destructive(self) -> bool:
        return any(c.destructive for c in self.changes)

    @property
    def blocked(self) -> bool:
        return any(c.blocked for c in self.changes)

    @property
    def safe(self) -> bool:
        return not self.destructive and not self.blocked

    @property
    def ops(self) -> tuple[ops.MigrateOperation, ...]:
        return tuple(op for c in self.changes for op in c.ops)

    def describe(self) -> str:
        if self.rebuilds is None:
            return self.changes[0].describe()
        lines = [f"rebuild table {self.rebuilds} (SQLite cannot alter it in place):"]
        lines += [f"    {c.describe()}" for c in self.changes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class Plan:
    """What :meth:`Database.apply` will do, in order; empty when the database matches.

    ``str(plan)`` is for people; :attr:`sql` is exactly what runs; :meth:`to_alembic` writes
    the same operations as an Alembic revision.
    """

    steps: tuple[Step, ...]
    dialect: str
    #: only safe steps were kept (what sync_schema applies)
    safe_only: bool = False
    _build: Callable[[Sequence[ch.Change]], tuple[Step, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    _replan: Callable[[sa.Connection, bool], Plan] | None = field(
        default=None, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __bool__(self) -> bool:
        return bool(self.steps)

    @property
    def empty(self) -> bool:
        return not self.steps

    @property
    def changes(self) -> tuple[ch.Change, ...]:
        return tuple(c for s in self.steps for c in s.changes)

    @property
    def destructive(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.destructive and not s.blocked)

    @property
    def blocked(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.blocked)

    @property
    def sql(self) -> tuple[str, ...]:
        """Every statement apply runs, in order."""
        return tuple(statement for s in self.steps for statement in s.sql)

    def without_destructive(self) -> Plan:
        """The safe steps only (blocked and destructive ones left out), SQL rendered anew."""
        if self._build is None:
            kept = tuple(s for s in self.steps if s.safe)
        else:
            kept = self._build([c for c in self.changes if c.safe])
        return Plan(kept, self.dialect, True, self._build, self._replan)

    def describe(self) -> str:
        if not self.steps:
            return f"No changes: the {self.dialect} database matches the models."
        counts = [f"{len(self.steps)} step(s)"]
        if self.destructive:
            counts.append(f"{len(self.destructive)} destructive")
        if self.blocked:
            counts.append(f"{len(self.blocked)} blocked")
        lines = [f"Plan for {self.dialect}: {', '.join(counts)}"]
        for number, step in enumerate(self.steps, 1):
            lines.append(f"  {number}. {_mark(step)} {step.describe()}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()

    def to_sql(self) -> str:
        """The statements as a script, each under a comment naming its step."""
        parts: list[str] = []
        for number, step in enumerate(self.steps, 1):
            title = step.describe().splitlines()[0]
            parts.append(f"-- {number}. {title}")
            parts += [f"{statement};" for statement in step.sql]
        return "\n".join(parts) + ("\n" if parts else "")

    def to_alembic(self, message: str = "storied schema sync", **kwargs: Any) -> str:
        """An Alembic revision script with the same operations (see :mod:`.revision`)."""
        return render_revision(self, message, **kwargs)


def _mark(step: Step) -> str:
    if step.blocked:
        return "!"
    first = step.changes[0].action
    if step.rebuilds or first.startswith(("alter", "rename")):
        return "~"
    return "-" if first.startswith("drop") else "+"


def make_plan(connection: sa.Connection, target: Target, *, safe_only: bool = False) -> Plan:
    """Compare, classify, order and render: the whole pipeline on one connection."""
    dialect = connection.dialect
    check_partial_indexes(target.tables, dialect)
    in_place = capabilities(dialect).alter_in_place
    diff = compare(connection, target)

    def count(table: str, null_column: str | None) -> int:
        return count_rows(connection, table, null_column)

    found = ch.classify(diff, target, dialect, count, in_place)
    reflected: dict[str, sa.Table] = {}

    def reflect(table: str) -> sa.Table:
        if table not in reflected:
            reflected[table] = diff.reflect(table)
        return reflected[table]

    def build(selected: Sequence[ch.Change]) -> tuple[Step, ...]:
        return build_steps(selected, dialect, reflect)

    def replan(conn: sa.Connection, safe: bool) -> Plan:
        return make_plan(conn, target, safe_only=safe)

    if in_place is False:
        for table in {c.table for c in found if c.rebuild}:
            reflect(table)  # now, while the connection is ours
    plan = Plan(build(found), dialect.name, False, build, replan)
    return plan.without_destructive() if safe_only else plan


def build_steps(
    selected: Sequence[ch.Change], dialect: sa.Dialect, reflect: Callable[[str], sa.Table]
) -> tuple[Step, ...]:
    """Order changes by phase and render them; group rebuilt tables' changes into one step."""
    ordered = sorted(selected, key=lambda c: c.phase)
    rebuilt = {c.table for c in ordered if c.rebuild}
    placed: list[tuple[int, Step]] = []
    groups: dict[str, list[ch.Change]] = {}
    for change in ordered:
        if change.table in rebuilt and not ch.native(change):
            groups.setdefault(change.table, []).append(change)
            continue
        placed.append((change.phase, Step((change,), tuple(render(dialect, change.ops)))))
    for table, members in groups.items():
        operations = [op for c in members for op in c.ops]
        added = [c for c in ordered if c.table == table and c.action == "add column"]
        source = _with_added(reflect(table), [c for c in added if ch.native(c)])
        sql = render_rebuild(dialect, source, operations)
        placed.append((ch.ALTER, Step(tuple(members), tuple(sql), rebuilds=table)))
    placed.sort(key=lambda item: item[0])
    return tuple(step for _, step in placed)


def _with_added(table: sa.Table, added: Sequence[ch.Change]) -> sa.Table:
    """The reflected table plus the columns added (natively) before it is rebuilt."""
    if not added:
        return table
    copy = table.to_metadata(sa.MetaData())
    for change in added:
        op = change.ops[0]
        assert isinstance(op, AddColumnOp)
        copy.append_column(copy_column(op.column))
    return copy
