"""Plan: the ordered steps that make the database match the models, as plain data.

A plan holds text only: what each change does, in words, why it is held back, the exact SQL
each step runs and the Alembic code that does the same. It is made by the planner
(:mod:`.planner`) and run by the applier (:mod:`.apply`); it can be printed, compared,
written as JSON and read back, and applied as read back.

One word, one meaning: a change is **destructive** when it can lose data (drop a table or a
column, narrow a type, fill the NULLs of a column made NOT NULL). A **removal** loses no data
but takes away something the database has and the models no longer declare (an index, and
the uniqueness it enforces). A change is **blocked** when it cannot be applied as the models
stand. A change that is none of these is **safe**. Apply runs destructive steps and removals
only with ``allow_destructive``; blocked ones never.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import SchemaError
from .revision import render_revision

#: the version of :meth:`Plan.to_json`'s layout
JSON_FORMAT = 1


@dataclass(frozen=True)
class Change:
    """One difference between the models and the database, in words."""

    action: str
    table: str
    subject: str | None
    detail: str
    #: why this change can lose data (None when it cannot)
    destructive: str | None = None
    #: what this change takes away that holds no data (None when nothing)
    removes: str | None = None
    #: why this change cannot be applied (None when it can)
    blocked: str | None = None

    @property
    def safe(self) -> bool:
        """Neither destructive nor a removal nor blocked: apply runs it on its own."""
        return self.destructive is None and self.removes is None and self.blocked is None

    def describe(self) -> str:
        if self.subject is None:
            text = f"{self.action} {self.table}"
        elif "column" in self.action:
            text = f"{self.action} {self.table}.{self.subject}"
        else:
            text = f"{self.action} {self.subject} on {self.table}"
        if self.detail:
            text += f" {self.detail}" if self.detail.startswith(("(", "→")) else f": {self.detail}"
        if self.blocked:
            return f"{text}  [BLOCKED: {self.blocked}]"
        if self.destructive:
            return f"{text}  [DESTRUCTIVE: {self.destructive}]"
        if self.removes:
            return f"{text}  [REMOVES: {self.removes}]"
        return text


@dataclass(frozen=True)
class Step:
    """One unit of execution: usually one change; on SQLite, a table rebuild may hold several."""

    changes: tuple[Change, ...]
    sql: tuple[str, ...]
    #: the table this step rebuilds (copy, swap) because the backend cannot ALTER it in place
    rebuilds: str | None = None
    #: the same operations as Alembic code (the body of a revision's ``upgrade()``)
    code: str = ""
    #: the imports that code needs
    imports: tuple[str, ...] = ()

    @property
    def destructive(self) -> bool:
        """Some change of the step can lose data."""
        return any(c.destructive for c in self.changes)

    @property
    def removes(self) -> bool:
        return any(c.removes for c in self.changes)

    @property
    def blocked(self) -> bool:
        return any(c.blocked for c in self.changes)

    @property
    def safe(self) -> bool:
        return all(c.safe for c in self.changes)

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

    ``str(plan)`` is for people; :attr:`sql` is exactly what runs; :meth:`to_json` is for
    programs (and :meth:`from_json` reads it back); :meth:`to_alembic` writes the same
    operations as an Alembic revision.
    """

    steps: tuple[Step, ...]
    dialect: str
    #: the tables compared (the models' names): apply compares them again under its lock
    tables: tuple[str, ...] = ()
    #: tables that no model maps were compared too (and dropped)
    prune: bool = False
    #: only safe changes were planned (what sync_schema applies)
    safe_only: bool = False

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
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for s in self.steps for c in s.changes)

    @property
    def destructive(self) -> tuple[Step, ...]:
        """The steps that can lose data (blocked ones aside)."""
        return tuple(s for s in self.steps if s.destructive and not s.blocked)

    @property
    def removals(self) -> tuple[Step, ...]:
        """The steps that remove something holding no data, and lose none (blocked aside)."""
        return tuple(s for s in self.steps if s.removes and not s.destructive and not s.blocked)

    @property
    def held_back(self) -> tuple[Step, ...]:
        """What apply runs only with ``allow_destructive``: destructive steps and removals."""
        return tuple(s for s in self.steps if not s.safe and not s.blocked)

    @property
    def blocked(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.blocked)

    @property
    def sql(self) -> tuple[str, ...]:
        """Every statement apply runs, in order."""
        return tuple(statement for s in self.steps for statement in s.sql)

    def describe(self) -> str:
        if not self.steps:
            return f"No changes: the {self.dialect} database matches the models."
        counts = [f"{len(self.steps)} step(s)"]
        for count, word in (
            (self.destructive, "destructive"),
            (self.removals, "removal(s)"),
            (self.blocked, "blocked"),
        ):
            if count:
                counts.append(f"{len(count)} {word}")
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

    def to_dict(self) -> dict[str, Any]:
        return {"format": JSON_FORMAT, **asdict(self)}

    def to_json(self, **kwargs: Any) -> str:
        """The plan as JSON (``json.dumps`` keywords, such as ``indent``, pass through)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        if data.get("format") != JSON_FORMAT:
            raise SchemaError(f"not a storied plan (format {JSON_FORMAT} expected)")
        steps = tuple(
            Step(
                changes=tuple(Change(**c) for c in s["changes"]),
                sql=tuple(s["sql"]),
                rebuilds=s["rebuilds"],
                code=s["code"],
                imports=tuple(s["imports"]),
            )
            for s in data["steps"]
        )
        return cls(steps, data["dialect"], tuple(data["tables"]), data["prune"], data["safe_only"])

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """A plan written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


def _mark(step: Step) -> str:
    if step.blocked:
        return "!"
    first = step.changes[0].action
    if step.rebuilds or first.startswith(("alter", "rename")):
        return "~"
    return "-" if first.startswith("drop") else "+"
