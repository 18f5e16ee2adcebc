"""One planned change as the planner holds it: the :class:`~.plan.Change` and its operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic.operations import ops

from .plan import Change

#: execution phases, in order (renames first: everything after speaks the new names). Unique
#: keys of existing columns come before new tables and foreign keys after every index, as a
#: foreign key needs the key it references (a new table's, made with CREATE TABLE, or not)
(
    RENAME, DROP_INDEX, ADD_KEY, CREATE_TABLE, ADD_COLUMN, ALTER, CREATE_INDEX, ADD_FOREIGN_KEY,
    DROP_COLUMN, DROP_TABLE,
) = range(10)  # fmt: skip


@dataclass(frozen=True)
class Work:
    """A :class:`~.plan.Change` as the planner holds it: with the operations that make it."""

    action: str
    table: str
    subject: str | None
    detail: str
    ops: tuple[ops.MigrateOperation, ...] = field(repr=False, compare=False)
    phase: int = ALTER
    #: why this change can lose data (None when it cannot)
    destructive: str | None = None
    #: what this change takes away that holds no data (None when nothing)
    removes: str | None = None
    #: why this change cannot be applied (None when it can)
    blocked: str | None = None
    #: SQLite: part of a table rebuild rather than an ALTER of its own
    rebuild: bool = False

    @property
    def change(self) -> Change:
        return Change(
            self.action, self.table, self.subject, self.detail,
            self.destructive, self.removes, self.blocked,
        )  # fmt: skip

    @property
    def safe(self) -> bool:
        return self.change.safe

    def describe(self) -> str:
        return self.change.describe()
